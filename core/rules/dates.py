"""Message dates: RFC 3339 or RFC 5322, to a sortable UTC timestamp, or None."""

from __future__ import annotations

import email.utils
from datetime import UTC, datetime


def parse_date(value: str | None) -> float | None:
    """Seconds since the epoch (UTC) for an RFC 3339 or RFC 5322 date; None when unparseable.

    A date without a zone is taken as UTC. Never raises.
    """
    if not value or len(value) > 256:
        return None
    text = value.strip()
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
