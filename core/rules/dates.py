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


def _fast_rfc5322(text: str) -> float | None:
    match = _RFC5322.fullmatch(text)
    if match is None:
        return None
    day, mon, year, hour, minute, second, sign, oh, om = match.groups()
    month = _MONTHS.get(mon.lower())
    if month is None or not (1 <= int(day) <= 31 and int(hour) < 24 and int(minute) < 60):
        return None
    try:
        stamp = calendar.timegm(
            (int(year), month, int(day), int(hour), int(minute), int(second or 0), 0, 0, 0)
        )
    except (ValueError, OverflowError):
        return None
    offset = (int(oh) * 3600 + int(om) * 60) * (1 if sign == "+" else -1)
    return float(stamp - offset)


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
