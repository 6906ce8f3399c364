"""Message dates: RFC 3339 or RFC 5322, to a sortable UTC timestamp, or None.

RFC 5322 dates are read with its obsolete syntax (section 4.3), which receivers must accept:
no weekday or a full one, one- or two-digit days, full month names, two- and three-digit
years, no seconds, comments anywhere, the named zones (UT, GMT, EST ... PDT) and others
taken as "-0000", military letters too; and asctime's order (``Wed Dec 15 10:10:00 2010``).
Every part is range-checked: an impossible date (``59:10``, 31 February, a zone of
``-3000``) is no date, never a date guessed into another day (issue 10: the stdlib's
``parsedate_tz``, used as a fallback before, read ``Wed, 15 Dec 2010 59:10 -0500`` as two days
later). A date without a zone is taken as UTC.
"""

from __future__ import annotations

import calendar
import re
from datetime import UTC, datetime
from typing import Final

# The form nearly every mailer writes: "Sun, 01 Feb 2026 10:00:00 +0100" (weekday optional).
_DAY: Final = r"(?:[A-Za-z]{3},\s*)?([0-9]{1,2})\s+([A-Za-z]{3})\s+([0-9]{4})\s+"
_DAY_PART: Final = re.compile(_DAY)
_MONTH_NAMES: Final = (
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"
)  # fmt: skip
_MONTHS: Final = {name: i + 1 for i, name in enumerate(_MONTH_NAMES)} | {
    calendar.month_name[i + 1].lower(): i + 1 for i in range(12)
} | {"sept": 9}  # fmt: skip
_ZONE_NAMES: Final = {
    "ut": 0, "gmt": 0, "z": 0, "utc": 0,
    "est": -5 * 3600, "edt": -4 * 3600, "cst": -6 * 3600, "cdt": -5 * 3600,
    "mst": -7 * 3600, "mdt": -6 * 3600, "pst": -8 * 3600, "pdt": -7 * 3600,
}  # fmt: skip
# RFC 5322 with its obsolete forms, once comments are out and runs of whitespace are one space.
_WEEKDAY: Final = r"(?:[A-Za-z]+ ?, ?|(?:mon|tue|wed|thu|fri|sat|sun)[a-z]* )?"
_TIME: Final = r"([0-9]{1,2}) ?: ?([0-9]{1,2})(?: ?: ?([0-9]{1,2}))?"
_ZONE: Final = r"(?: ?([+-][0-9]{4}|[A-Za-z]{1,5}))?"
_RFC5322: Final = re.compile(
    _WEEKDAY + r"([0-9]{1,2})[ -]?([A-Za-z]{3,9})\.?[ -]?([0-9]{2,4}),? " + _TIME + _ZONE,
    re.IGNORECASE | re.ASCII,
)
_ASCTIME: Final = re.compile(
    _WEEKDAY + r"([A-Za-z]{3,9}) ([0-9]{1,2}) " + _TIME + r" ([0-9]{4})" + _ZONE,
    re.IGNORECASE | re.ASCII,
)
_COMMENT: Final = re.compile(r"\([^()]*\)")
_SPACE: Final = re.compile(r"\s+")

_DAYS: dict[tuple[str, str, str], int | None] = {}  # (day, month, year) -> epoch seconds


def _day(day: str, mon: str, year: str) -> int | None:
    """Seconds at 00:00 UTC of a calendar day (None if there is no such day), memoised: a
    mailbox has few distinct days."""
    key = (day, mon, year)
    seconds = _DAYS.get(key, -1)
    if seconds == -1:
        month = _MONTHS.get(mon.lower())
        seconds = None
        if month is not None:
            y, d = int(year), int(day)
            if y >= 1 and 1 <= d <= calendar.monthrange(y, month)[1]:  # no 31 February
                seconds = calendar.timegm((y, month, d, 0, 0, 0, 0, 0, 0))
        if len(_DAYS) < 100_000:
            _DAYS[key] = seconds
    return seconds


# The parts of its commonest spelling, "HH:MM:SS +hhmm" after the day, in ASCII digits.
_CLOCKS: Final = {f"{h:02}:{m:02}": h * 3600 + m * 60 for h in range(24) for m in range(60)}
_SECONDS: Final = {f"{s:02}": s for s in range(61)}  # 60: a leap second
_ZONES: Final = {
    f"{sign}{h:02}{m:02}": (h * 3600 + m * 60) * (1 if sign == "+" else -1)
    for sign in "+-"
    for h in range(24)
    for m in range(60)
}
_STARTS: dict[str, int | None] = {}  # a date's text before "HH:MM:SS +hhmm" -> _day of it


def _start(prefix: str) -> int | None:
    """The day named by a date's text before its time, as _parse reads it (memoised).

    None when _parse would not read it as a day: then the whole date takes _parse.
    """
    start = None
    if prefix[:1].isalpha() or " " in prefix[:3]:
        match = _DAY_PART.fullmatch(prefix)
        if match is not None:
            start = _day(*match.groups())
    if len(_STARTS) >= 65_536:
        _STARTS.clear()
    _STARTS[prefix] = start
    return start


def parse_date(value: str | None) -> float | None:
    """Seconds since the epoch (UTC) for an RFC 3339 or RFC 5322 date; None when unparseable.

    Never raises.
    """
    if not value or len(value) > 256:
        return None
    text = value.strip()
    if len(text) > 14 and text[-9] == ":" and text[-6] == " ":
        # "Wed, 01 Jan 2025 10:00:00 +0100": what _parse reads, from memo and tables.
        clock = _CLOCKS.get(text[-14:-9])
        second = _SECONDS.get(text[-8:-6])
        zone = _ZONES.get(text[-5:])
        if clock is not None and second is not None and zone is not None:
            start = _STARTS.get(text[:-14], -1)
            if start == -1:
                start = _start(text[:-14])
            if start is not None:
                return float(start + clock + second - zone)
    return _parse(text)


def _parse(text: str) -> float | None:
    """parse_date's general path, for a stripped text of at most 256 characters."""
    if text[:1].isalpha() or " " in text[:3]:
        return _rfc5322(text)
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return _rfc5322(text)  # "1-Jan-2025 ..." and other forms starting with digits
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    try:
        return parsed.timestamp()
    except (ValueError, OverflowError):
        return None


def _rfc5322(text: str) -> float | None:
    """An RFC 5322 date (obsolete forms included) or asctime's; None unless every part is a
    real one."""
    while "(" in text:
        uncommented = _COMMENT.sub(" ", text)
        if uncommented == text:
            break  # an unbalanced parenthesis: left for the patterns to refuse
        text = uncommented
    text = _SPACE.sub(" ", text).strip()
    match = _RFC5322.fullmatch(text)
    if match is not None:
        day, month, year, hour, minute, second, zone = match.groups()
    else:
        match = _ASCTIME.fullmatch(text)
        if match is None:
            return None
        month, day, hour, minute, second, year, zone = match.groups()
    if len(year) < 4:  # obsolete years: 00-49 are 2000-2049, 50-99 1950-1999, 3 digits + 1900
        number = int(year)
        year = str(number + (2000 if len(year) == 2 and number < 50 else 1900))
    start = _day(day, month, year)
    offset = _offset(zone)
    h, m, s = int(hour), int(minute), int(second or 0)
    if start is None or offset is None or h > 23 or m > 59 or s > 60:
        return None
    return float(start + h * 3600 + m * 60 + s - offset)


def _offset(zone: str | None) -> int | None:
    """Seconds east of UTC; None for an impossible one. Unknown names are "-0000" (RFC 5322
    4.3: military letters and other names), as is a missing zone."""
    if zone is None:
        return 0
    if zone[0] in "+-":
        hours, minutes = int(zone[1:3]), int(zone[3:5])
        if hours > 23 or minutes > 59:
            return None
        return (hours * 3600 + minutes * 60) * (1 if zone[0] == "+" else -1)
    return _ZONE_NAMES.get(zone.lower(), 0)
