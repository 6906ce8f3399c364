"""Message dates: RFC 3339 or RFC 5322, to a sortable UTC timestamp, or None."""

from __future__ import annotations

import calendar
import email.utils
import re
from datetime import UTC, datetime
from typing import Final

# The form nearly every mailer writes: "Sun, 01 Feb 2026 10:00:00 +0100" (weekday optional).
_DAY: Final = r"(?:[A-Za-z]{3},\s*)?(\d{1,2})\s+([A-Za-z]{3})\s+(\d{4})\s+"
_RFC5322: Final = re.compile(_DAY + r"(\d\d):(\d\d)(?::(\d\d))?\s+([+-])(\d\d)(\d\d)(?:\s*\(.*\))?")
_DAY_PART: Final = re.compile(_DAY)
_MONTHS: Final = {
    name: i + 1
    for i, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
    )
}


_DAYS: dict[tuple[str, str, str], int | None] = {}  # (day, month, year) -> epoch seconds


def _day(day: str, mon: str, year: str) -> int | None:
    """Seconds at 00:00 UTC of a calendar day, memoised: a mailbox has few distinct days."""
    key = (day, mon, year)
    seconds = _DAYS.get(key, -1)
    if seconds == -1:
        month = _MONTHS.get(mon.lower())
        seconds = None
        if month is not None:
            try:
                if 1 <= int(day) <= 31:
                    seconds = calendar.timegm((int(year), month, int(day), 0, 0, 0, 0, 0, 0))
            except (ValueError, OverflowError):
                seconds = None
        if len(_DAYS) < 100_000:
            _DAYS[key] = seconds
    return seconds


# The parts of its commonest spelling, "HH:MM:SS +hhmm" after the day, in ASCII digits.
_CLOCKS: Final = {f"{h:02}:{m:02}": h * 3600 + m * 60 for h in range(24) for m in range(60)}
_SECONDS: Final = {f"{s:02}": s for s in range(100)}  # as _RFC5322 reads them: 60-99 too
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


def _fast_rfc5322(text: str) -> float | None:
    match = _RFC5322.fullmatch(text)
    if match is None:
        return None
    day, mon, year, hour, minute, second, sign, oh, om = match.groups()
    start = _day(day, mon, year)
    h, m = int(hour), int(minute)
    if start is None or h > 23 or m > 59:
        return None
    offset = (int(oh) * 3600 + int(om) * 60) * (1 if sign == "+" else -1)
    return float(start + h * 3600 + m * 60 + int(second or 0) - offset)


def parse_date(value: str | None) -> float | None:
    """Seconds since the epoch (UTC) for an RFC 3339 or RFC 5322 date; None when unparseable.

    A date without a zone is taken as UTC. Never raises.
    """
    if not value or len(value) > 256:
        return None
    text = value.strip()
    if len(text) > 14 and text[-9] == ":" and text[-6] == " ":
        # "Wed, 01 Jan 2025 10:00:00 +0100": what _fast_rfc5322 reads, from memo and tables.
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
        fast = _fast_rfc5322(text)
        if fast is not None:
            return fast
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        try:
            parts = email.utils.parsedate_tz(text)
        except (ValueError, TypeError, IndexError, OverflowError):
            return None
        if parts is None:
            return None
        try:
            return float(email.utils.mktime_tz(parts))
        except (ValueError, OverflowError, TypeError):
            return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    try:
        return parsed.timestamp()
    except (ValueError, OverflowError):
        return None
