"""What-if: the pure comparison (property: replies_only -> all never un-logs) and the cache run."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.preview.whatif import WhatIf, WhatIfError, changed_directory, compare
from core.preview.whatif_cache import simulate
from core.rules.engine import LoggedState
from core.rules.messages import make_message
from core.rules.model import Folder, LoggedEntry, LoggingRule, Message, Reason
from core.store import db
from tests.preview.conftest import Workspace
from tests.preview.people import BCC, directory

ADDRESSES = (
    "mia@globex.example",
    "ben@globex.example",
    "cat@globex.example",
    "dora@acme.example",
    "eve@acme.example",
    "fay@solo.example",
    "stranger@else.example",
    BCC,
)
SUBJECTS = ("Pilot", "Re: Pilot", "Pricing", "Re: Pricing", "Lunch")
# The day after the demo mailbox's last day (26 Nov 2026).
DEMO_END = datetime(2026, 11, 27, tzinfo=UTC).timestamp()


@st.composite
def mailboxes(draw: st.DrawFn) -> tuple[list[Message], list[LoggedEntry]]:
    count = draw(st.integers(1, 14))
    messages: list[Message] = []
    for n in range(count):
        reply_to = draw(st.one_of(st.none(), st.integers(0, count + 1)))
        messages.append(
            make_message(
                str(n),
                folder=draw(st.sampled_from(list(Folder))),
                date=draw(st.sampled_from([None, "2026-11-01T10:00:00Z", "2026-11-02T10:00:00Z"])),
                sender=draw(st.one_of(st.none(), st.sampled_from(ADDRESSES))),
                to=draw(st.lists(st.sampled_from(ADDRESSES), max_size=3)),
                cc=draw(st.lists(st.sampled_from(ADDRESSES), max_size=2)),
                subject=draw(st.sampled_from(SUBJECTS)),
                message_id=f"<m{n}@x>",
                in_reply_to=f"<m{reply_to}@x>" if reply_to is not None else None,
            )
        )
    ledger = [
        LoggedEntry(f"<m{n}@x>", draw(st.sampled_from(SUBJECTS)))
        for n in draw(st.sets(st.integers(0, count + 1), max_size=3))
    ]
    return messages, ledger


@settings(max_examples=300, deadline=None)
@given(mailboxes(), st.lists(st.sampled_from(["acme.example", "fay@solo.example"]), max_size=2))
def test_switching_replies_only_to_all_never_unlogs_a_message(
    box: tuple[list[Message], list[LoggedEntry]], never: list[str]
) -> None:
    messages, ledger = box
    before = directory(LoggingRule.REPLIES_ONLY, tuple(never))
    after = changed_directory(before, WhatIf(rule=LoggingRule.ALL))
    result = compare(messages, before, after, LoggedState(ledger), None)
    for change in result.changes:
        assert change.after.logged or not change.before.logged, change
    assert result.logged[1] >= result.logged[0]


def test_never_log_add_and_remove_edit_both_lists() -> None:
    d = directory(never_log=("acme.example",))
    changed = changed_directory(
        d, WhatIf(never_log_add=("@Solo.example",), never_log_remove=("ACME.example",))
    )
    assert changed.account.never_log == ("@Solo.example",)
    assert changed.never_log.matches("fay@solo.example")
    assert not changed.never_log.matches("dora@acme.example")
    with pytest.raises(WhatIfError):
        changed_directory(d, WhatIf(never_log_add=("two words",)))


def test_only_the_window_is_compared() -> None:
    d = directory(LoggingRule.REPLIES_ONLY)
    old = make_message(
        "old", date="2020-01-01T00:00:00Z", sender="mia@globex.example", to=["dora@acme.example"]
    )
    new = make_message(
        "new", date="2026-11-01T00:00:00Z", sender="mia@globex.example", to=["dora@acme.example"]
    )
    after = changed_directory(d, WhatIf(rule=LoggingRule.ALL))
    result = compare([old, new], d, after, LoggedState(), since=1_750_000_000.0)
    assert result.considered == 1
    assert [c.message.id for c in result.changes] == ["new"]
    assert result.reasons[Reason.REPLIES_ONLY] == (1, 0)
    assert result.reasons[Reason.LOG_ALL_CONTACT] == (0, 1)
    assert result.users["u-mia"] == (0, 1)


def _fingerprint(path: Path) -> list[str]:
    return [
        hashlib.sha256(p.read_bytes()).hexdigest() if p.exists() else "-"
        for p in (path, Path(f"{path}-wal"))
    ]


def test_the_demo_under_replies_only_writes_nothing(workspace: Workspace) -> None:
    observer = db.connect(workspace.path)
    version = observer.execute("PRAGMA data_version").fetchone()[0]
    files = _fingerprint(workspace.path)
    conn = sqlite3.connect(workspace.path)  # a plain connection: no migration check
    changes = conn.total_changes
    now = DEMO_END
    result = simulate(conn, workspace.account, WhatIf(rule=LoggingRule.REPLIES_ONLY, days=90), now)
    assert conn.total_changes == changes
    assert observer.execute("PRAGMA data_version").fetchone()[0] == version
    assert _fingerprint(workspace.path) == files
    # The demo README: under replies_only the demo shows replies_only and subject_changed.
    assert (
        result.reasons[Reason.REPLIES_ONLY][0] == 0 and result.reasons[Reason.REPLIES_ONLY][1] > 0
    )
    assert result.reasons[Reason.SUBJECT_CHANGED] == (0, 1)
    assert result.logged[1] < result.logged[0]
    assert result.changes
    assert not any(c.after.logged and not c.before.logged for c in result.changes)
    stored = dict(
        workspace.conn.execute("SELECT reason, count(*) FROM messages GROUP BY reason").fetchall()
    )
    assert "replies_only" not in stored  # the cache still holds the real verdicts


def test_a_never_log_domain_added_stops_its_mail(workspace: Workspace) -> None:
    now = DEMO_END
    result = simulate(
        workspace.conn,
        workspace.account,
        WhatIf(never_log_add=("umbrella-health.example",), days=120),
        now,
    )
    assert result.changes
    assert all(
        c.after.reason is Reason.NEVER_LOG or c.after.contacts != c.before.contacts
        for c in result.changes
    )
    with pytest.raises(WhatIfError):
        simulate(workspace.conn, workspace.account, WhatIf(days=0), now)
