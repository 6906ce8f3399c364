"""The activity report: per user, the emails logged and attributed to them over a period.

Attribution decides whose sales activity totals an email counts in (rules section 6). Counted
from the cached verdicts, once per email: copies of one Message-ID in two folders (Inbox and
Archive) are one email in the CRM. Drafts are not sent yet and count for nobody.

A day is the rep's day: from midnight to midnight in their time zone (the system's local zone
unless one is given), so a reply sent at 00:30 in Paris counts on the day the rep saw it,
not on the day before as a UTC day would have it.
"""

from __future__ import annotations

import csv
import io
import sqlite3
from datetime import date, datetime, timedelta, tzinfo
from typing import Final, NamedTuple

from core.i18n import _, lazy_gettext
from core.inputs import BadInput
from core.store.accounts import Account
from core.store.directory import load_directory
from core.store.logged import CountedEmail, counted_emails, logged_per_user

NOBODY = lazy_gettext("nobody (no contact owner)")


class ActivityRow(NamedTuple):
    """One user's line: who, and how many logged emails count for them."""

    user_id: str | None  # None: logged, attributed to nobody (no_contact_owner)
    user: str
    email: str
    emails: int


def day_start(day: date, tz: tzinfo | None = None) -> float:
    """Midnight of a day in ``tz`` (default: the system's local zone), as epoch seconds.

    A naive datetime's ``timestamp()`` reads it in the local zone, daylight saving included.
    """
    return datetime(day.year, day.month, day.day, tzinfo=tz).timestamp()


def period(first: date, last: date, tz: tzinfo | None = None) -> tuple[float, float]:
    """The half-open epoch range of the days ``first`` to ``last`` inclusive, in ``tz``
    (default: the system's local zone; a day of a clock change is 23 or 25 hours long)."""
    if last < first:
        raise BadInput(
            _("the period ends (%(last)s) before it starts (%(first)s)")
            % {"last": last.isoformat(), "first": first.isoformat()}
        )
    return day_start(first, tz), day_start(last + timedelta(days=1), tz)


def activity(
    conn: sqlite3.Connection, account: Account, start: float, end: float
) -> list[ActivityRow]:
    """Every user of the directory with their count in ``[start, end)``, most active first."""
    counts = logged_per_user(conn, account.id, start, end)
    directory, _logged = load_directory(conn, account)
    rows = [
        ActivityRow(u.id, u.label, u.email, counts.pop(u.id, 0)) for u in directory.users.values()
    ]
    for who, n in counts.items():  # attributed to nobody, or to a user no longer listed
        rows.append(ActivityRow(who, str(NOBODY) if who is None else who, "", n))
    rows.sort(key=lambda r: (-r.emails, r.user.lower()))
    return rows


def counted(
    conn: sqlite3.Connection, account: Account, row: ActivityRow, start: float, end: float
) -> list[CountedEmail]:
    """The drill-down of one line: the emails its count is made of, newest first."""
    return counted_emails(conn, account.id, row.user_id, start, end)


_FORMULA: Final = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> object:
    """A cell a spreadsheet will not run: text starting like a formula gets a leading ``'``.

    OWASP's advice for CSV injection (a user named ``=HYPERLINK(...)``); numbers stay numbers.
    """
    if isinstance(value, str) and value.startswith(_FORMULA):
        return "'" + value
    return value


def to_csv(rows: list[ActivityRow]) -> str:
    """The report as CSV (header ``user_id,user,email,emails``; empty id for nobody).

    Every text cell goes through :func:`csv_cell` (``activity --csv`` and "Copy as CSV").
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(("user_id", "user", "email", "emails"))
    for r in rows:
        writer.writerow([csv_cell(v) for v in (r.user_id or "", r.user, r.email, r.emails)])
    return out.getvalue()
