"""Drafts of the demo workspace decided as if sent now, and emails being typed."""

from __future__ import annotations

from core.preview.check import check
from core.preview.draft import (
    Composition,
    compose,
    decide_draft,
    drafts,
    edited,
    ledger,
    mailbox_state,
    reply_subject,
    thread_state,
)
from core.rules.actions import Action
from core.rules.model import Reason
from core.store.queries import message_record
from core.store.redecide import load_message
from tests.preview.conftest import Workspace


def _draft(ws: Workspace, subject_part: str) -> int:
    (row,) = [r for r in drafts(ws.conn, ws.account.id) if subject_part in (r.subject or "")]
    return row.id


def test_the_drafts_view_lists_every_draft_with_its_stored_verdict(workspace: Workspace) -> None:
    rows = drafts(workspace.conn, workspace.account.id)
    assert len(rows) == 7
    reasons = {r.subject: r.reason for r in rows}
    assert reasons["Re: Request for a demo – Atlas Cargo"] == "not_a_contact"
    assert reasons["Handover: Vandelay while I'm at LogiMAT"] == "internal"
    assert reasons["Re: Budget approval for the Umbrella upsell"] == "thread_reply"


def test_deciding_a_draft_from_the_cache_agrees_with_the_stored_verdict(
    workspace: Workspace,
) -> None:
    directory, state = mailbox_state(workspace.conn, workspace.account)
    for row in drafts(workspace.conn, workspace.account.id):
        message = load_message(workspace.conn, row.id)
        assert message is not None
        verdict = decide_draft(message, directory, state)
        assert (verdict.logged, verdict.reason.value, verdict.attributed_to) == (
            row.logged,
            row.reason,
            row.attributed_to,
        ), row.subject


def test_a_draft_without_from_is_the_owners(workspace: Workspace) -> None:
    directory, state = mailbox_state(workspace.conn, workspace.account)
    message = load_message(workspace.conn, _draft(workspace, "Tanaka Foods"))
    assert message is not None and message.sender is None
    result = check(message, directory, state)
    assert result.verdict.facts is not None
    assert result.verdict.facts.sender == "mia@globex.example"
    assert result.trace[0].rule == "D1"


def test_the_not_a_contact_draft_offers_the_bcc_address(workspace: Workspace) -> None:
    directory, state = mailbox_state(workspace.conn, workspace.account)
    message = load_message(workspace.conn, _draft(workspace, "Atlas Cargo"))
    assert message is not None
    result = check(message, directory, state)
    assert result.summary == "Won't be logged: nobody on it is a contact."
    assert result.actions == (Action.ADD_BCC,)
    (warning,) = result.warnings
    assert warning.address == "carlos.mendes@atlas-cargo.example"
    assert warning.fixes == (Action.ADD_BCC, Action.CREATE_CONTACT)


def test_a_typed_reply_threads_on_the_message_it_answers(workspace: Workspace) -> None:
    directory, state = mailbox_state(workspace.conn, workspace.account)
    (parent_id,) = [
        int(r[0])
        for r in workspace.conn.execute(
            "SELECT id FROM messages WHERE subject = 'Re: Route optimisation for Quantum Freight'"
            " ORDER BY id LIMIT 1"
        )
    ]
    parent = load_message(workspace.conn, parent_id)
    assert parent is not None
    sender = message_record(workspace.conn, parent_id)
    assert sender is not None
    to = sender.of("from")[0].raw
    same = compose(Composition(to=to, subject=reply_subject(parent), replies_to=parent))
    assert check(same, directory, state).verdict.reason is Reason.THREAD_REPLY
    changed = compose(Composition(to=to, subject="Something else", replies_to=parent))
    result = check(changed, directory, state)
    assert result.verdict.reason is not Reason.THREAD_REPLY
    assert [w.kind.value for w in result.warnings][:1] == ["subject_changed"]
    assert result.warnings[0].subject is not None


def test_the_thread_state_decides_like_the_whole_mailbox(workspace: Workspace) -> None:
    directory, full = mailbox_state(workspace.conn, workspace.account)
    _, logged = ledger(workspace.conn, workspace.account)
    ids = [int(r[0]) for r in workspace.conn.execute("SELECT id FROM messages ORDER BY id")]
    assert len(ids) == 300
    differ = 0
    for row_id in ids:
        message = load_message(workspace.conn, row_id)
        assert message is not None
        small = thread_state(workspace.conn, workspace.account, message, logged)
        a, b = check(message, directory, full), check(message, directory, small)
        assert (a.verdict.as_dict(), a.replies, a.warnings) == (
            b.verdict.as_dict(),
            b.replies,
            b.warnings,
        ), message.subject
        differ += len(small.by_id) < len(full.by_id)
    assert differ == len(ids)  # the small state is smaller, every time


def test_an_edited_draft_keeps_its_from_id_and_thread(workspace: Workspace) -> None:
    directory, state = mailbox_state(workspace.conn, workspace.account)
    original = load_message(workspace.conn, _draft(workspace, "Budget approval"))
    assert original is not None and original.in_reply_to is not None
    typed = Composition(to=", ".join(a.raw for a in original.to), subject=original.subject or "")
    same = edited(original, typed)
    assert (same.sender, same.message_id, same.in_reply_to, same.thread_key) == (
        original.sender,
        original.message_id,
        original.in_reply_to,
        original.thread_key,
    )
    assert check(same, directory, state).verdict.as_dict() == (
        check(original, directory, state).verdict.as_dict()
    )
    assert check(same, directory, state).verdict.reason is Reason.THREAD_REPLY
