"""The command line speaks the user's language (MAILSCOPE_LANG, then LANGUAGE, LC_ALL,
LC_MESSAGES, LANG), with HubSpot's French words; its JSON stays the same bytes in every language.

Real ``mailscope`` processes, with the compiled French catalogue (``make i18n-compile``).
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from core import i18n
from core.cli import main

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "scenarios"
SCENARIOS = sorted(p for p in DATA.glob("*.json") if ".expected" not in p.suffixes)
LANGUAGE_VARIABLES = ("MAILSCOPE_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


def mailscope(*args: str, cwd: Path = ROOT, **language: str) -> subprocess.CompletedProcess[bytes]:
    """``mailscope ARGS`` with only the language variables given (the suite sets
    MAILSCOPE_LANG=en for itself: it is taken out here)."""
    env = {k: v for k, v in os.environ.items() if k not in LANGUAGE_VARIABLES}
    env.update(language)
    code = "import sys; from desktop.main import main; sys.exit(main(sys.argv[1:]))"
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True, cwd=cwd, env=env, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr.decode()
    assert done.stderr == b""
    return done


def table(scenario: Path, **language: str) -> str:
    return mailscope(
        "explain", str(scenario), "--trace", "--format", "table", **language
    ).stdout.decode()


def test_lang_fr_prints_the_trace_in_french_with_hubspots_words() -> None:
    text = table(DATA / "mixed_rules.json", LANG="fr_FR.UTF-8")
    lines = text.splitlines()
    assert lines[0].split() == ["id", "verdict", "motif", "contacts", "attribué", "à", "pourquoi"]
    for words in (
        "Ne sera pas consigné",
        "R0\u00a0: cet e-mail n'a pas encore été consigné.",
        "dans la liste Ne jamais consigner",
        "«\u00a0Consigner tous les e-mails\u00a0»",
        "l'autorisation Accès à la messagerie personnelle",
        "Aucun contact du CRM ne participe à cet e-mail.",
        "il est donc attribué au propriétaire du contact de l'expéditeur",
    ):
        assert words in text, words
    # The reason in the rep's words (core.rules.vocabulary), the rule id beside it with
    # --trace; attribution codes and ids stay as they are.
    assert "Pas un contact (R9)" in text and "contact_owner" in text
    assert "R9\u00a0: le CRM l'ignore." in text
    # Plural forms where counts appear.
    assert "Contact de cet e-mail\u00a0: Fay Ng" in text
    assert "Contacts de cet e-mail\u00a0: Dan Moss (propriétaire\u00a0: Bo Lind)\u202f; " in text
    assert "2 utilisateurs y figurent (Ana Costa, Bo Lind)" in text
    replies_only = table(DATA / "replies_only_basics.json", LANG="fr_FR.UTF-8")
    assert "«\u00a0Consigner uniquement les réponses\u00a0»" in replies_only


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., str]]:
    """``mailscope ARGS`` in this process (cli.main reads the environment each time)."""

    def run(*args: str, **language: str) -> str:
        for name in LANGUAGE_VARIABLES:
            monkeypatch.delenv(name, raising=False)
        for name, value in language.items():
            monkeypatch.setenv(name, value)
        out, err = io.StringIO(), io.StringIO()
        assert main(list(args), out, err, io.StringIO()) == 0, err.getvalue()
        return out.getvalue()

    yield run
    i18n.install(i18n.SOURCE)


def test_every_sentence_of_every_scenario_is_french(run: Callable[..., str]) -> None:
    for scenario in SCENARIOS:
        args = ("explain", str(scenario), "--trace", "--format", "table")
        english = set(run(*args, LANG="C").splitlines())
        french = [line for line in run(*args, LANGUAGE="fr").splitlines() if line[:4] == "    "]
        assert french and not english & set(french), scenario.stem


@pytest.mark.parametrize(
    ("language", "french"),
    [
        ({"MAILSCOPE_LANG": "fr", "LANG": "C.UTF-8"}, True),  # ours first
        ({"MAILSCOPE_LANG": "en", "LANG": "fr_FR.UTF-8"}, False),
        ({"MAILSCOPE_LANG": "de", "LANG": "fr_FR.UTF-8"}, True),  # not spoken: the next one
        ({"LANGUAGE": "de:fr", "LANG": "en_US.UTF-8"}, True),  # gettext's list
        ({"LC_ALL": "fr_CA.UTF-8", "LANG": "en_US.UTF-8"}, True),
        ({"LC_MESSAGES": "fr_BE.UTF-8"}, True),
        ({"LANG": "de_DE.UTF-8"}, False),  # no German: English
        ({"LANG": "C"}, False),
    ],
)
def test_the_language_comes_from_the_environment(
    run: Callable[..., str], language: dict[str, str], french: bool
) -> None:
    text = run("explain", str(DATA / "log_all_basics.json"), "--format", "table", **language)
    assert ("sera consigné" in text.lower()) is french
    assert ("will log" in text.lower()) is not french


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda p: p.stem)
@pytest.mark.parametrize("trace", [(), ("--trace",)], ids=["plain", "trace"])
def test_json_is_the_same_in_every_language(
    run: Callable[..., str], scenario: Path, trace: tuple[str, ...]
) -> None:
    outputs = {
        run("explain", str(scenario), *trace, **language)
        for language in ({"LANG": "C.UTF-8"}, {"LANG": "fr_FR.UTF-8"}, {"MAILSCOPE_LANG": "fr"})
    }
    assert len(outputs) == 1
    if trace:
        assert '"R0: this email' in outputs.pop()  # the trace in the JSON is English


def test_json_is_the_same_bytes_from_a_french_process() -> None:
    for scenario in (DATA / "mixed_rules.json", DATA / "log_all_basics.json"):
        french = mailscope("explain", str(scenario), LANG="fr_FR.UTF-8").stdout
        assert french == scenario.with_name(f"{scenario.stem}.expected.json").read_bytes()
    traced = [
        mailscope("explain", str(DATA / "mixed_rules.json"), "--trace", **language).stdout
        for language in ({"LANG": "fr_FR.UTF-8"}, {"LANG": "C.UTF-8"})
    ]
    assert traced[0] == traced[1]


def test_english_is_the_same_whatever_english_is_asked_for(run: Callable[..., str]) -> None:
    args = ("explain", str(DATA / "mixed_rules.json"), "--trace", "--format", "table")
    runs = {
        run(*args, **language)
        for language in ({"LANG": "C"}, {"LANG": "en_GB.UTF-8"}, {"MAILSCOPE_LANG": "en"}, {})
    }
    assert len(runs) == 1
    assert table(DATA / "mixed_rules.json") in runs  # a process with nothing set: the same


def test_a_checkout_with_nothing_compiled_speaks_english(tmp_path: Path) -> None:
    for folder in ("core", "desktop", "resources"):
        shutil.copytree(
            ROOT / folder, tmp_path / folder, ignore=shutil.ignore_patterns("*.mo", "*.qm")
        )
    assert not list(tmp_path.rglob("*.mo"))
    args = ("explain", str(DATA / "mixed_rules.json"), "--trace", "--format", "table")
    here = mailscope(*args, cwd=tmp_path, LANG="fr_FR.UTF-8").stdout
    english = mailscope(*args, LANG="C").stdout
    assert here == english
    check = "import core, sys; print(core.__file__)"
    done = subprocess.run([sys.executable, "-c", check], capture_output=True, cwd=tmp_path)
    assert done.stdout.decode().startswith(str(tmp_path))  # the copy ran, not this checkout
