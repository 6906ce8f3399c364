"""core/i18n.py: which language is chosen, gettext with plural forms and contexts, the English
of the contract (``untranslated``), lazy strings, and Babel's dates and numbers.

These use the compiled French catalogue (``make i18n-compile``, which ``make test`` runs).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from core import i18n
from core.i18n import Language

FRENCH = Language("fr", "fr_FR")


@pytest.fixture
def french() -> Iterator[None]:
    assert "fr" in i18n.available(), "no compiled French catalogue: make i18n-compile"
    assert i18n.install(FRENCH) == FRENCH
    yield
    i18n.install(i18n.SOURCE)


@pytest.mark.parametrize(
    ("tag", "normal"),
    [
        ("fr_FR.UTF-8", "fr_FR"),
        ("fr_FR.UTF-8@euro", "fr_FR"),
        ("fr-ca", "fr_CA"),
        ("FR", "fr"),
        ("fr", "fr"),
        ("en_GB.ISO8859-1", "en_GB"),
        ("C", "en"),
        ("C.UTF-8", "en"),
        ("POSIX", "en"),
        ("UTF-8", None),  # macOS's LC_CTYPE names a codeset, no language
        ("", None),
        ("français", None),
        ("12", None),
    ],
)
def test_locale_names_are_normalised(tag: str, normal: str | None) -> None:
    assert i18n.normalise(tag) == normal


@pytest.mark.parametrize(
    ("setting", "environ", "asked"),
    [
        # The app's setting first, then MAILSCOPE_LANG, then gettext's variables.
        ("fr", {"MAILSCOPE_LANG": "en", "LANG": "de_DE.UTF-8"}, ["fr", "en", "de_DE"]),
        ("", {"MAILSCOPE_LANG": "fr", "LANG": "en_US.UTF-8"}, ["fr", "en_US"]),
        ("system", {"LANG": "fr_FR.UTF-8"}, ["fr_FR"]),
        # gettext's order, and only the first variable set: LANGUAGE may list several.
        (None, {"LANGUAGE": "de:fr_CA", "LC_ALL": "en_US.UTF-8"}, ["de", "fr_CA"]),
        (None, {"LC_ALL": "fr_BE.UTF-8", "LANG": "en_US.UTF-8"}, ["fr_BE"]),
        (None, {"LC_MESSAGES": "fr_CH.UTF-8", "LANG": "en_US.UTF-8"}, ["fr_CH"]),
        (None, {"LANG": "C.UTF-8"}, ["en"]),
        (None, {"LANGUAGE": ""}, ["it_IT"]),  # none set: the system's locale
    ],
)
def test_languages_are_asked_for_in_order(
    setting: str | None, environ: dict[str, str], asked: list[str]
) -> None:
    assert i18n.requested(setting, environ, system="it_IT") == asked


@pytest.mark.parametrize(
    ("asked", "chosen"),
    [
        (["fr_FR"], Language("fr", "fr_FR")),
        (["fr_CA"], Language("fr", "fr_CA")),  # French words, Canada's formats
        (["de", "fr_CH"], Language("fr", "fr_CH")),  # the first one Mailscope speaks
        (["en_GB", "fr"], Language("en", "en_GB")),
        (["de_DE"], i18n.SOURCE),  # none spoken: English, with English formats
        ([], i18n.SOURCE),
    ],
)
def test_the_first_language_spoken_wins(asked: list[str], chosen: Language) -> None:
    assert i18n.choose(asked, frozenset({"en", "fr"})) == chosen


def test_setup_installs_what_the_environment_asks() -> None:
    try:
        assert i18n.setup(environ={"LANG": "fr_FR.UTF-8"}) == FRENCH
        assert i18n._("the Never-log list is empty.") == ("la liste Ne jamais consigner est vide.")
        assert i18n.setup(environ={"MAILSCOPE_LANG": "en", "LANG": "fr_FR.UTF-8"}).language == "en"
        assert i18n._("the Never-log list is empty.") == "the Never-log list is empty."
    finally:
        i18n.install(i18n.SOURCE)


def test_a_missing_or_broken_catalogue_falls_back_to_english(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "locale"
    monkeypatch.setattr(i18n, "LOCALE_DIR", folder)
    assert i18n.available() == {"en"}  # a source checkout: nothing compiled
    assert i18n.setup(environ={"LANG": "fr_FR.UTF-8"}) == i18n.SOURCE
    broken = folder / "fr" / "LC_MESSAGES" / "mailscope.mo"
    broken.parent.mkdir(parents=True)
    broken.write_bytes(b"\xde\x12\x04\x95 not a catalogue")
    assert i18n.available() == {"en", "fr"}
    assert i18n.install(FRENCH) == i18n.SOURCE
    assert i18n._("the Never-log list is empty.") == "the Never-log list is empty."


@pytest.mark.usefixtures("french")
def test_french_plural_forms_put_zero_and_one_in_the_singular() -> None:
    singular, plural = (
        "Contact on this email: %(contacts)s.",
        "Contacts on this email: %(contacts)s.",
    )
    forms = {n: i18n.ngettext(singular, plural, n) for n in (0, 1, 2, 5)}
    assert forms[0] == forms[1] == "Contact de cet e-mail\u00a0: %(contacts)s."
    assert forms[2] == forms[5] == "Contacts de cet e-mail\u00a0: %(contacts)s."
    i18n.install(i18n.SOURCE)
    assert i18n.ngettext(singular, plural, 0) == plural  # English: 0 is plural


@pytest.mark.usefixtures("french")
def test_a_context_tells_a_header_from_a_sentence() -> None:
    assert i18n.pgettext("explain table", "reason") == "motif"
    assert i18n._("reason") == "reason"  # no entry without the context
    assert i18n.npgettext("nowhere", "one", "many", 2) == "many"


@pytest.mark.usefixtures("french")
def test_untranslated_is_english_in_its_block_and_its_thread_only() -> None:
    seen: list[str] = []
    inside, outside = threading.Event(), threading.Event()

    def worker() -> None:
        inside.wait(5)
        seen.append(i18n._("the Never-log list is empty."))
        outside.set()

    thread = threading.Thread(target=worker)
    thread.start()
    with i18n.untranslated():
        inside.set()
        assert i18n._("the Never-log list is empty.") == "the Never-log list is empty."
        assert i18n.current() == i18n.SOURCE
        assert i18n.format_number(1234.5) == "1,234.5"
        outside.wait(5)
    thread.join(5)
    assert seen == ["la liste Ne jamais consigner est vide."]  # the other thread stayed French
    assert i18n._("the Never-log list is empty.") == "la liste Ne jamais consigner est vide."


def test_a_lazy_string_is_translated_when_used() -> None:
    text = i18n.lazy_gettext("the Never-log list is empty.")
    header = i18n.lazy_pgettext("explain table", "reason")
    assert str(text) == "the Never-log list is empty." and f"{header:>8}" == "  reason"
    try:
        i18n.install(FRENCH)
        assert str(text) == "la liste Ne jamais consigner est vide."
        assert f"[{header}]" == "[motif]" and header + "!" == "motif!" and "»" + header == "»motif"
        assert i18n.lazy_gettext("%(n)s x") % {"n": 3} == "3 x"
    finally:
        i18n.install(i18n.SOURCE)
    assert i18n.N_("the Never-log list is empty.") == "the Never-log list is empty."


def test_dates_numbers_and_day_names_follow_the_locale() -> None:
    monday = date(2026, 11, 2)
    moment = datetime(2026, 11, 2, 13, 5, tzinfo=UTC)
    assert i18n.format_date(monday) == "Nov 2, 2026"
    assert i18n.day_name(monday) == "Monday"
    assert i18n.format_number(12345.5) == "12,345.5"
    assert i18n.format_time(moment, tz=UTC) == "1:05\u202fPM"
    try:
        i18n.install(FRENCH)
        assert i18n.format_date(monday) == "2 nov. 2026"
        assert i18n.format_date(monday, "full") == "lundi 2 novembre 2026"
        assert i18n.day_name(monday) == "lundi"
        assert i18n.day_name(monday, "abbreviated") == "lun."
        assert i18n.format_number(12345.5) == "12\u202f345,5"
        assert i18n.format_percent(0.25) == "25\u00a0%"
        assert i18n.format_time(moment, tz=UTC) == "13:05"
        assert i18n.format_datetime(moment, "short", tz=UTC) == "02/11/2026 13:05"
        i18n.install(Language("fr", "fr_CA"))  # French words, Canada's formats
        assert i18n.format_date(monday, "short") == "2026-11-02"
        i18n.install(Language("fr", "xx_YY"))  # a locale Babel lacks: its language's
        assert i18n.format_date(monday) == "2 nov. 2026"
    finally:
        i18n.install(i18n.SOURCE)
