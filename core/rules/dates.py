"""Message dates: RFC 3339 or RFC 5322, to a sortable UTC timestamp, or None."""

from __future__ import annotations

import calendar
import email.utils
import re
from datetime import UTC, datetime
from typing import Final

# The form nearly every mailer writes: "Sun, 01 Feb 2026 10:00:00 +0100" (weekday optional).
_RFC5322: Final = re.compile(
    r"(?:[A-Za-z]{3},\s*)?(\d{1,2})\s+([A-Za-z]{3})\s+(\d{4})\s+(\d\d):(\d\d)(?::(\d\d))?"
    r"\s+([+-])(\d\d)(\d\d)(?:\s*\(.*\))?"
)
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
