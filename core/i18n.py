"""Translation and locale formatting for core, without Qt: gettext catalogues, Babel's CLDR data.

Marking a sentence (docs/i18n.md has the whole recipe)::

    from core.i18n import _, ngettext, pgettext

    _("Associated with no contact.")
    ngettext("%(n)d user is on it", "%(n)d users are on it", n) % {"n": n}
    pgettext("explain table", "reason")

The language is one per process, chosen by the entry point with ``setup()`` (the command line,
the desktop app) from, in order: the app's own setting (the desktop passes it), then
``MAILSCOPE_LANG``, then the first of ``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``, ``LANG`` that
is set (as gettext reads them), then the system's locale. The first of those that Mailscope
speaks wins. English is the source language: it needs no catalogue, and it is what every
function here returns until ``setup()`` ran, or when no compiled catalogue is found (a source
checkout where ``make i18n-compile`` did not run yet).

What is read by programs stays English whatever the language: the JSON output, rule ids and
reason codes are the contract. Code that renders them does so inside ``untranslated()``.

Catalogues: ``core/locale/<lang>/LC_MESSAGES/mailscope.po``, the committed source, compiled
to ``mailscope.mo`` beside it by ``make i18n-compile`` (which ``make run``, ``make test``,
``make dist`` and ``make bundle`` do first). MANIFEST.in ships every ``*.mo`` under ``core/``.

Why the standard library's gettext at run time and Babel only to format dates and numbers:
``import babel.support`` costs 30 ms (``python -X importtime``, measured on this machine)
against 0.9 ms for ``gettext``, on every ``mailscope`` command; so the lazy form is the small
``LazyString`` below rather than ``babel.support.LazyProxy``, and Babel is imported only when
a date or a number is formatted.

The rules engine stays pure: the active catalogue is chosen once at start-up and never
changes under it, so the same verdict gives the same sentences in one process.
"""

from __future__ import annotations

import gettext
import os
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Final, Literal, NamedTuple

if TYPE_CHECKING:  # annotations only: the command line starts without datetime and Babel
    from datetime import date, datetime, time, tzinfo

    from babel import Locale

DOMAIN: Final = "mailscope"
LOCALE_DIR: Final = Path(__file__).parent / "locale"
SOURCE_LANGUAGE: Final = "en"
# What gettext reads, in its order; the first one set decides (LANGUAGE may list several).
GETTEXT_VARIABLES: Final = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
# Names of the languages in their own language, for the setting (never translated).
LANGUAGE_NAMES: Final[Mapping[str, str]] = {"en": "English", "fr": "Français"}


class Language(NamedTuple):
    """The language of the sentences (a catalogue's name, or "en") and the locale that
    formats dates and numbers ("fr_CA" keeps Canada's conventions with the "fr" catalogue)."""

    language: str
    locale: str


SOURCE: Final = Language(SOURCE_LANGUAGE, SOURCE_LANGUAGE)
_ENGLISH: Final = gettext.NullTranslations()

_active: gettext.NullTranslations = _ENGLISH
_current: Language = SOURCE
# Set by untranslated() for the current thread or task only: a worker thread rendering a
# sentence for a window is not switched to English by a JSON export running elsewhere.
_in_source: ContextVar[bool] = ContextVar("mailscope_untranslated", default=False)


def _translations() -> gettext.NullTranslations:
    return _ENGLISH if _in_source.get() else _active


def _(message: str) -> str:
    """``message`` in the current language (English when it has no translation)."""
    return _translations().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of a sentence for the count ``n`` (French: 0 and 1 take the singular)."""
    return _translations().ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """``message`` translated in a context, for a word whose translation depends on where it
    is ("reason" as a table header, not as a sentence)."""
    return _translations().pgettext(context, message)


def npgettext(context: str, singular: str, plural: str, n: int) -> str:
    """``ngettext`` with a context."""
    return _translations().npgettext(context, singular, plural, n)


def N_(message: str) -> str:
    """Mark ``message`` for extraction only; translate it later with ``_(message)``."""
    return message


class LazyString:
    """A marked message translated each time it is used: for module-level constants, which
    are built at import, before the entry point chose the language.

    It is not a ``str``: pass ``str(value)`` where one is needed (f-strings and ``%`` do it).
    """

    __slots__ = ("context", "message")

    def __init__(self, message: str, context: str | None = None) -> None:
        self.message = message
        self.context = context

    def __str__(self) -> str:
        if self.context is None:
            return _(self.message)
        return pgettext(self.context, self.message)

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def __mod__(self, values: object) -> str:
        return str(self) % values

    def __add__(self, other: str) -> str:
        return str(self) + other

    def __radd__(self, other: str) -> str:
        return other + str(self)

    def __repr__(self) -> str:
        return f"lazy_gettext({self.message!r})"


def lazy_gettext(message: str) -> LazyString:
    """``_(message)`` at each use rather than now."""
    return LazyString(message)


def lazy_pgettext(context: str, message: str) -> LazyString:
    """``pgettext(context, message)`` at each use rather than now."""
    return LazyString(message, context)


@contextmanager
def untranslated() -> Iterator[None]:
    """English sentences and formats inside the block, for this thread: the contract outputs
    (``explain``'s JSON, which carries the trace) read the same in every language."""
    token = _in_source.set(True)
    try:
        yield
    finally:
        _in_source.reset(token)


# -- choosing the language ---------------------------------------------------------------


def normalise(tag: str) -> str | None:
    """A POSIX or BCP 47 locale name as ``ll`` or ``ll_CC``: "fr_FR.UTF-8@euro" -> "fr_FR",
    "fr-ca" -> "fr_CA"; "C" and "POSIX" (no language asked) -> "en"; nonsense -> None."""
    tag = tag.strip().split(".")[0].split("@")[0].replace("-", "_")
    if tag in ("C", "POSIX"):
        return SOURCE_LANGUAGE
    if tag.upper().startswith("UTF"):  # a codeset alone (macOS's LC_CTYPE=UTF-8) names none
        return None
    language, _sep, region = tag.partition("_")
    if not (2 <= len(language) <= 3 and language.isascii() and language.isalpha()):
        return None
    language = language.lower()
    region = region.split("_")[0]
    if region and region.isascii() and region.isalnum() and len(region) <= 3:
        return f"{language}_{region.upper()}"
    return language


def available() -> frozenset[str]:
    """The languages with a compiled catalogue, English (the source) included."""
    found = {SOURCE_LANGUAGE}
    if LOCALE_DIR.is_dir():
        found.update(
            path.parent.parent.name for path in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.mo")
        )
    return frozenset(found)


def requested(
    setting: str | None = None,
    environ: Mapping[str, str] | None = None,
    system: str | None = None,
) -> list[str]:
    """The languages asked for, in order: the app's setting ("" or "system": none), then
    MAILSCOPE_LANG, then gettext's variables, then the system's locale."""
    env = os.environ if environ is None else environ
    asked: list[str] = []
    if setting and setting != "system":
        asked.append(setting)
    if env.get("MAILSCOPE_LANG"):
        asked.append(env["MAILSCOPE_LANG"])
    for name in GETTEXT_VARIABLES:
        if value := env.get(name):
            asked.extend(value.split(":") if name == "LANGUAGE" else [value])
            break
    else:
        found = system if system is not None else system_locale()
        if found:
            asked.append(found)
    return [tag for tag in map(normalise, asked) if tag is not None]


def choose(asked: list[str], speaks: frozenset[str]) -> Language:
    """The first language asked for that Mailscope speaks (its region kept for formats);
    English when none is."""
    for tag in asked:
        language = tag.split("_")[0]
        if tag in speaks:
            return Language(tag, tag)
        if language in speaks:
            return Language(language, tag)
    return SOURCE


def system_locale() -> str | None:
    """The user's locale from the system where the environment has none (Windows, macOS
    apps started from the Finder); the desktop passes Qt's ``QLocale.system()`` instead."""
    if sys.platform == "win32":
        import ctypes

        buffer = ctypes.create_unicode_buffer(85)
        if ctypes.windll.kernel32.GetUserDefaultLocaleName(buffer, len(buffer)):
            return buffer.value
        return None
    import locale

    # The raw name: getlocale() "normalises" C.UTF-8 into en_US, which nobody asked for.
    return locale.setlocale(locale.LC_CTYPE) or None


def install(language: Language) -> Language:
    """Make ``language`` the current one; returns what was installed (English when its
    catalogue is missing or unreadable: the app then runs in English rather than not at all)."""
    global _active, _current
    if language.language == SOURCE_LANGUAGE:
        _active, _current = _ENGLISH, language
        return language
    try:
        with (LOCALE_DIR / language.language / "LC_MESSAGES" / f"{DOMAIN}.mo").open("rb") as fp:
            found = gettext.GNUTranslations(fp)
    except (OSError, ValueError, UnicodeDecodeError):  # missing, truncated or not a catalogue
        _active, _current = _ENGLISH, SOURCE
        return SOURCE
    _active, _current = found, language
    return language


def setup(
    setting: str | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    system: str | None = None,
) -> Language:
    """Choose and install the language for this process (see the module's docstring)."""
    return install(choose(requested(setting, environ, system), available()))


def current() -> Language:
    """The language in use here (English inside ``untranslated()``)."""
    return SOURCE if _in_source.get() else _current


# -- formatting (Babel's CLDR data: no system locale needs to be installed) --------------


def babel_locale() -> Locale:
    """The Babel locale that formats for the current language: its locale, else the language
    (a region Babel lacks, or one trimmed from the bundle), else English."""
    return _babel_locale(current())


@lru_cache(maxsize=8)
def _babel_locale(language: Language) -> Locale:
    from babel import Locale, UnknownLocaleError

    for candidate in (language.locale, language.language, SOURCE_LANGUAGE):
        try:
            return Locale.parse(candidate)
        except (UnknownLocaleError, ValueError):
            continue
    raise AssertionError("Babel has no English")  # pragma: no cover


Width = Literal["full", "long", "medium", "short"]


def format_date(day: date, width: Width = "medium") -> str:
    """A day as the locale writes it: "Nov 3, 2026" / "3 nov. 2026"."""
    from babel.dates import format_date as babel_format_date

    return babel_format_date(day, format=width, locale=babel_locale())


def format_time(moment: datetime | time, width: Width = "short", tz: tzinfo | None = None) -> str:
    """A time of day as the locale writes it: "2:05 PM" / "14:05" (in ``tz`` if given)."""
    from babel.dates import format_time as babel_format_time

    return babel_format_time(moment, format=width, tzinfo=tz, locale=babel_locale())


def format_datetime(moment: datetime, width: Width = "medium", tz: tzinfo | None = None) -> str:
    """A moment as the locale writes it, in ``tz`` (default: the moment's own zone)."""
    from babel.dates import format_datetime as babel_format_datetime

    return babel_format_datetime(moment, format=width, tzinfo=tz, locale=babel_locale())


def day_name(day: date, width: Literal["wide", "abbreviated", "narrow"] = "wide") -> str:
    """The day of the week in the locale's words: "Monday" / "lundi"."""
    names = babel_locale().days["format"][width]
    return str(names[day.weekday()])


def format_number(value: int | float, pattern: str | None = None) -> str:
    """A number with the locale's separators: "12,345.5" / "12 345,5" (narrow no-break space);
    ``pattern`` is CLDR's ("0.0": one decimal, as ``f"{x:.1f}"`` gives in English)."""
    from babel.numbers import format_decimal

    return format_decimal(value, pattern, locale=babel_locale())


def format_percent(value: float) -> str:
    """A ratio as a percentage: 0.25 -> "25%" / "25 %"."""
    from babel.numbers import format_percent as babel_format_percent

    return babel_format_percent(value, locale=babel_locale())
