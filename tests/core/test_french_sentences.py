"""Every sentence a rep reads from core, in French with HubSpot's words: the verdict's summary,
the fixes, the warnings before sending, reply-all, what-if, the sync summary, the command line's
help and its usage errors. English stays byte for byte (the shared examples' tests say so)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from core import i18n
from core.mail.sync import SyncSummary
from core.preview.warnings import warnings_for
from core.preview.whatif import WhatIf
from core.rules.actions import ACTION_TEXT, Action
from core.rules.model import LoggingRule
from core.rules.trace import summary
from core.rules.verdict import Verdict
from tests.core.test_cli_language import LANGUAGE_VARIABLES
from tests.rules.builders import decide_doc, msg, scenario

ROOT = Path(__file__).resolve().parents[2]
NBSP = "\u00a0"
OUT = "Mia Rossi <mia@globex.example>"


@pytest.fixture
def french() -> Iterator[None]:
    assert "fr" in i18n.available(), "no compiled French catalogue: make i18n-compile"
    i18n.install(i18n.Language("fr", "fr_FR"))
    yield
    i18n.install(i18n.SOURCE)


def _draft_to_a_stranger() -> Verdict:
    (verdict,) = decide_doc(scenario(msg("d", folder="drafts", sender=OUT, to=["x@y.example"])))
    return verdict


@pytest.mark.usefixtures("french")
def test_the_summary_and_the_fixes_use_hubspots_words() -> None:
    verdict = _draft_to_a_stranger()
    text = f"Ne sera pas consigné{NBSP}: aucun de ses participants n'est un contact."
    assert summary(verdict) == text
    assert str(ACTION_TEXT[Action.LOG_NOW]) == "Consigner maintenant"
    assert str(ACTION_TEXT[Action.ADD_BCC]) == "Ajouter l'adresse Cci"
    assert str(ACTION_TEXT[Action.ASK_ADMIN]) == "Demander à un administrateur du compte"


@pytest.mark.usefixtures("french")
def test_a_warning_before_sending_is_french() -> None:
    verdict = _draft_to_a_stranger()
    assert verdict.facts is not None
    (warning,) = warnings_for(verdict.facts.message, verdict, verdict.facts.directory)
    assert warning.text == (
        f"x@y.example n'est pas un contact, pas plus que les autres participants{NBSP}: "
        "le CRM ignore donc cet e-mail."
    )


def test_what_if_and_the_sync_line_in_french_and_in_english() -> None:
    change = WhatIf(rule=LoggingRule.REPLIES_ONLY, never_log_add=("rival.example",))
    line = SyncSummary("work", 3, 1234, 2, 0, 12.25, errors=("x",))
    assert change.describe() == "logging rule replies_only, Never-log + rival.example"
    assert line.line() == (
        "work: 3 folders, 1234 new, 2 changed, 0 removed in 12.2 s (1 folder error)"
    )
    i18n.install(i18n.Language("fr", "fr_FR"))
    try:
        assert change.describe() == (
            f"règle «{NBSP}Consigner uniquement les réponses{NBSP}», "
            "Ne jamais consigner + rival.example"
        )
        assert line.line() == (
            f"work — dossiers{NBSP}: 3, nouveaux{NBSP}: 1234, modifiés{NBSP}: 2, "
            f"supprimés{NBSP}: 0 en 12,2 s (1 erreur de dossier)"
        )
    finally:
        i18n.install(i18n.SOURCE)


def _mailscope(*args: str, **language: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in LANGUAGE_VARIABLES}
    env.update(language)
    code = "import sys; from desktop.main import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True, cwd=ROOT, env=env, timeout=60, check=False, text=True,
    )  # fmt: skip


def test_help_and_usage_errors_read_in_french() -> None:
    helped = _mailscope("activity", "--help", LANG="fr_FR.UTF-8")
    assert helped.returncode == 0
    assert helped.stdout.startswith(f"utilisation{NBSP}: mailscope activity")
    assert "afficher ce message d'aide et quitter" in helped.stdout
    assert "sortie CSV" in helped.stdout
    wrong = _mailscope("explain", LANG="fr_FR.UTF-8")
    assert wrong.returncode == 2
    assert wrong.stderr.splitlines()[-1] == (
        f"mailscope explain{NBSP}: erreur{NBSP}: les arguments suivants sont obligatoires"
        f"{NBSP}: SCENARIO.json"
    )
    english = _mailscope("explain", MAILSCOPE_LANG="en")
    last = "mailscope explain: error: the following arguments are required: SCENARIO.json"
    assert english.stderr.splitlines()[-1] == last
