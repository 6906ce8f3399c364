"""The activity report over the demo cache: once per email, per attributed user, per period."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from core.preview.activity import NOBODY, activity, period
from tests.preview.conftest import Workspace


def test_copies_of_one_email_count_once_and_drafts_not_at_all(workspace: Workspace) -> None:
    start, end = period(date(2026, 1, 1), date(2026, 12, 31))
    rows = activity(workspace.conn, workspace.account, start, end)
    total, distinct = workspace.conn.execute(
        "SELECT count(*), count(DISTINCT m.message_id) FROM messages m"
        " JOIN folders f ON f.id = m.folder_id WHERE m.logged = 1 AND f.role != 'drafts'"
    ).fetchone()
    assert distinct < total  # the Helios order form is in the Inbox and the Archive
    assert sum(r.emails for r in rows) == distinct
    assert [r.user for r in rows if r.user_id is None] == [NOBODY]
    assert rows == sorted(rows, key=lambda r: -r.emails)


def test_a_period_is_whole_utc_days(workspace: Workspace) -> None:
    first = workspace.conn.execute(
        "SELECT min(sort_date) FROM messages WHERE logged = 1"
    ).fetchone()[0]
    day = datetime.fromtimestamp(first, UTC).date()
    start, end = period(day, day)
    assert end - start == 86_400
    assert sum(r.emails for r in activity(workspace.conn, workspace.account, start, end)) >= 1
    before = period(day - timedelta(days=1), day - timedelta(days=1))
    assert sum(r.emails for r in activity(workspace.conn, workspace.account, *before)) == 0
