"""The outbox into the local CRM, on the demo workspace: one click, one ledger entry, re-decided."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from core.crm import actions
from core.crm.actions import ActionRefused
from core.crm.delivery import local_contact_id
from core.crm.errors import NeverLogged
from core.crm.log_request import LogRequest
from core.crm.outbox_worker import drain
from core.crm.service import CrmService
from core.rules.model import Reason
from core.store import db, ledger, outbox
from core.store.accounts import Account
from core.store.ledger import How
from core.store.outbox import Kind, OutboxError, State
from tests.crm.workspace import (
    demo_cache,
    reason_of,
    row_by_subject,
)


def _replies(conn: sqlite3.Connection, row: int) -> list[int]:
    mid = conn.execute("SELECT message_id FROM messages WHERE id = ?", (row,)).fetchone()[0]
    rows = conn.execute(
        "SELECT id FROM messages WHERE refs LIKE '%' || ? || '%' OR in_reply_to = ?", (mid, mid)
    )
    return [int(r[0]) for r in rows]


def test_log_now_turns_the_email_and_its_thread_to_logged(
    cache: tuple[sqlite3.Connection, Account],
) -> None:
    conn, account = cache
    row = row_by_subject(conn, "Data export for our board meeting", "inbox")
    replies = _replies(conn, row)
    assert len(replies) == 4
    assert {reason_of(conn, r) for r in (row, *replies)} == {Reason.REPLIES_ONLY}

    first = actions.log_now(conn, account, row)
    second = actions.log_now(conn, account, row)  # a double click
    assert first.created and not second.created
    assert second.item.id == first.item.id
    assert conn.execute("SELECT count(*) FROM crm_outbox").fetchone()[0] == 1
    assert first.item.state is State.PENDING and first.item.kind is Kind.LOG

    outcomes = drain(conn)
    assert [o.state for o in outcomes] == [State.DONE]
    assert reason_of(conn, row) is Reason.ALREADY_LOGGED
    assert {reason_of(conn, r) for r in replies} == {Reason.THREAD_REPLY}
    (entry,) = [e for e in ledger.entries(conn, account.id) if e.how is How.MANUAL]
    message_id = conn.execute("SELECT message_id FROM messages WHERE id = ?", (row,)).fetchone()[0]
    assert entry.message_id == message_id
    assert entry.thread_key == message_id
    assert entry.subject == "Data export for our board meeting"
    assert entry.contacts == ("c-priya",)
    # Attributed as the engine attributes the logged message (A2), and stored beside it.
    stored = conn.execute("SELECT attributed_to FROM messages WHERE id = ?", (row,)).fetchone()
    request = LogRequest.from_json(first.item.payload)
    assert entry.attributed_to == stored[0] == request.attributed_to == "u-raj"
    assert entry.logged_at is not None
    assert outbox.get(conn, first.item.id).state is State.DONE
    # Done is final: a third click adds nothing, and drain finds nothing to do.
    with pytest.raises(ActionRefused, match="already logged"):
        actions.log_now(conn, account, row)
    assert drain(conn) == []


def test_a_queued_action_survives_a_restart(
    cache: tuple[sqlite3.Connection, Account], tmp_path: Path
) -> None:
    conn, account = cache
    row = row_by_subject(conn, "Integration with our WMS", "inbox")
    actions.log_now(conn, account, row)
    conn.close()
    again = db.connect(tmp_path / "mailscope.sqlite")
    (item,) = outbox.items(again)
    assert item.state is State.PENDING
    assert [o.state for o in drain(again)] == [State.DONE]
    assert reason_of(again, row) is Reason.ALREADY_LOGGED
    again.close()


def test_a_row_left_sending_by_a_dead_process_is_retried_once(
    cache: tuple[sqlite3.Connection, Account],
) -> None:
    conn, account = cache
    row = row_by_subject(conn, "Integration with our WMS", "inbox")
    queued = actions.log_now(conn, account, row).item
    claimed = outbox.claim(conn, owner="999999999")  # no such process
    assert claimed is not None and claimed.state is State.SENDING
    assert outbox.recover(conn) == 1
    recovered = outbox.get(conn, queued.id)
    assert recovered.state is State.PENDING and recovered.unknown
    assert [o.state for o in drain(conn)] == [State.DONE]
    assert len([e for e in ledger.entries(conn, account.id) if e.how is How.MANUAL]) == 1


def test_a_live_process_keeps_its_sending_row(cache: tuple[sqlite3.Connection, Account]) -> None:
    conn, account = cache
    actions.log_now(conn, account, row_by_subject(conn, "Integration with our WMS", "inbox"))
    assert outbox.claim(conn, owner=outbox.owner_token()) is not None
    assert outbox.recover(conn) == 0
    assert drain(conn) == []  # nothing pending: the row is someone's "sending"


def test_log_now_creates_the_contact_of_a_stranger(tmp_path: Path) -> None:
    conn, account = demo_cache(tmp_path / "all.sqlite")  # the shipped rule: log all
    row = row_by_subject(conn, "Request for a demo – Atlas Cargo", "inbox")
    assert reason_of(conn, row) is Reason.NOT_A_CONTACT
    queued = actions.log_now(conn, account, row).item
    sender = conn.execute("SELECT from_email FROM messages WHERE id = ?", (row,)).fetchone()[0]
    request = LogRequest.from_json(queued.payload)
    assert [new.email for new in request.new_contacts] == [sender]
    assert request.contacts == ()
    assert [o.state for o in drain(conn)] == [State.DONE]
    contact = CrmService(conn, account).contact_for(sender)
    assert contact is not None and contact.id == local_contact_id(sender)
    assert contact.owner == "u-mia"
    assert contact.name == "Carlos Mendes"  # from the display name on the email
    assert reason_of(conn, row) is Reason.ALREADY_LOGGED
    stored = conn.execute("SELECT contacts FROM messages WHERE id = ?", (row,)).fetchone()[0]
    assert contact.id in stored
    conn.close()


def test_never_listed_contacts_are_refused_at_the_click(tmp_path: Path) -> None:
    conn, account = demo_cache(tmp_path / "all.sqlite")
    row = row_by_subject(conn, "Congrats on Initrode", "inbox")
    assert reason_of(conn, row) is Reason.NEVER_LOG
    with pytest.raises(NeverLogged, match="Never-log"):
        actions.log_now(conn, account, row)
    assert outbox.items(conn) == []
    conn.close()


def test_the_never_log_guard_runs_again_at_delivery(
    cache: tuple[sqlite3.Connection, Account],
) -> None:
    conn, account = cache
    row = row_by_subject(conn, "Data export for our board meeting", "inbox")
    queued = actions.log_now(conn, account, row).item
    sender = conn.execute("SELECT from_email FROM messages WHERE id = ?", (row,)).fetchone()[0]
    CrmService(conn, account).add_personal_never_log([sender])  # after the click
    (outcome,) = drain(conn)
    assert outcome.state is State.FAILED
    failed = outbox.get(conn, queued.id)
    assert failed.state is State.FAILED and "Never-log" in (failed.error or "")
    assert reason_of(conn, row) is Reason.NEVER_LOG
    assert [e for e in ledger.entries(conn, account.id) if e.how is How.MANUAL] == []


def test_retry_and_cancel_follow_the_states(cache: tuple[sqlite3.Connection, Account]) -> None:
    conn, account = cache
    row = row_by_subject(conn, "Integration with our WMS", "inbox")
    item = actions.log_now(conn, account, row).item
    assert outbox.cancel(conn, item.id).state is State.CANCELLED
    with pytest.raises(OutboxError, match="only a pending or failed entry"):
        outbox.cancel(conn, item.id)
    assert drain(conn) == []  # a cancelled row is not delivered
    again = actions.log_now(conn, account, row)  # clicking again queues it again
    assert again.created and again.item.id == item.id and again.item.state is State.PENDING
    assert outbox.retry(conn, item.id).state is State.PENDING
    drain(conn)
    with pytest.raises(OutboxError, match="done: nothing to retry"):
        outbox.retry(conn, item.id)
    with pytest.raises(OutboxError, match="No outbox entry 4242"):
        outbox.cancel(conn, 4242)


def test_create_contact_is_idempotent(cache: tuple[sqlite3.Connection, Account]) -> None:
    conn, account = cache
    first = actions.create_contact(conn, account, "New.Person@Example.COM", name="New Person")
    second = actions.create_contact(conn, account, "new.person@example.com")
    assert first.created and not second.created
    drain(conn)
    contact = CrmService(conn, account).contact_for("new.person@example.com")
    assert contact is not None and contact.name == "New Person"
    with pytest.raises(ActionRefused, match="already a contact"):
        actions.create_contact(conn, account, "new.person@example.com")
    with pytest.raises(ActionRefused, match="user's address"):
        actions.create_contact(conn, account, "mia@globex.example")
    with pytest.raises(ActionRefused, match="not an email address"):
        actions.create_contact(conn, account, "not an address")
