"""What "Log now" fixes at the click: decided on the badge's input, sent as a typed request."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.crm import actions
from core.crm.actions import ActionRefused
from core.crm.hubspot_shapes import Direction
from core.crm.log_request import LogRequest, NewContact
from core.rules.addresses import Address
from core.rules.engine import decide
from core.rules.model import Attribution, Folder
from core.store import cache, db, verdicts
from core.store.accounts import Account, AccountKind, insert_account
from core.store.directory import import_directory, load_directory, parse_directory
from core.store.redecide import decide_row, verdict_columns
from tests.crm.workspace import demo_cache, replies_only
from tests.store.builders import folder_info, new
from tests.store.test_redecide import BCC, DIRECTORY, LEA, MIA

REQUEST = LogRequest(
    message_id="<r@x>", subject="Re: Quote", in_reply_to="<q@x>", references=("<q@x>",),
    thread_key="<q@x>", sender=Address(LEA, "Lea Martin", f"Lea Martin <{LEA}>"),
    to=(Address(MIA, "", MIA),), cc=(Address(None, "", "undisclosed"),), bcc=(),
    timestamp=1_770_000_000.0, direction=Direction.INBOUND, contacts=("c-lea",),
    new_contacts=(NewContact("tom@new.example", "Tom", "Li"),), attributed_to="u-mia",
    attribution=Attribution.SINGLE_RECIPIENT, text="Hello",
)  # fmt: skip


def test_the_request_reads_back_as_it_was_written() -> None:
    assert LogRequest.from_json(REQUEST.to_json()) == REQUEST
    assert REQUEST.participants == {LEA, MIA}


def test_a_row_queued_by_0_2_is_read_by_parsing_its_addresses_once() -> None:
    legacy = {
        "message_id": "<r@x>", "subject": "Re: Quote", "in_reply_to": "<q@x>",
        "references": ["<q@x>"], "thread_key": "<q@x>", "contacts": ["c-lea"],
        "new_contacts": ["tom@new.example"],
        "new_contact_names": {"tom@new.example": ["Tom", "Li"]},
        "attributed_to": "u-mia", "attribution": "single_recipient", "timestamp": 1_770_000_000.0,
        "direction": "INCOMING_EMAIL", "from": f"Lea Martin <{LEA}>", "to": [MIA],
        "cc": ["undisclosed"], "bcc": [], "text": "Hello",
    }  # fmt: skip
    assert LogRequest.from_json(legacy) == REQUEST


@pytest.fixture
def conn() -> Iterator[sqlite3.Connection]:
    made = db.connect(":memory:")
    yield made
    made.close()


@pytest.fixture
def account(conn: sqlite3.Connection) -> Account:
    made = insert_account(conn, "work", AccountKind.MAILDIR, path="/nowhere", user=MIA)
    import_directory(conn, made.id, parse_directory(DIRECTORY))
    return made


def test_the_click_decides_on_the_badges_input_not_the_ledger_alone(
    conn: sqlite3.Connection, account: Account
) -> None:
    """The reply of an email sent with the BCC address is logged by the CRM (R4): "Log now"
    refuses it from its own decision of the thread, not only from the stored badge (set aside
    here, as if stale): the ledger alone (nothing logged in it) would let it through."""
    inbox = cache.ensure_folder(conn, account.id, folder_info())
    sent = cache.ensure_folder(conn, account.id, folder_info("Sent", Folder.SENT))
    cache.insert_messages(conn, inbox.id, 1, [new(1, from_=LEA, to=MIA, subject="Re: Quote",
        message_id="<reply@c>", in_reply_to="<first@g>", references="<first@g>",
        date="Mon, 02 Feb 2026 10:00:00 +0000")])  # fmt: skip
    verdicts.settle(conn, account)
    (reply,) = conn.execute("SELECT id FROM messages WHERE message_id = '<reply@c>'").fetchone()
    cache.insert_messages(conn, sent.id, 1, [new(1, from_=MIA, to=LEA, bcc=BCC, subject="Quote",
        message_id="<first@g>", date="Mon, 02 Feb 2026 09:00:00 +0000")])  # fmt: skip
    verdicts.settle(conn, account)
    conn.execute("UPDATE messages SET reason = 'replies_only', logged = 0 WHERE id = ?", (reply,))
    with pytest.raises(ActionRefused, match="already logged"):
        actions.log_now(conn, account, reply)


def test_on_the_demo_the_click_decides_every_row_as_its_badge(tmp_path: Path) -> None:
    """Every row of the demo cache, decided as the click decides it, gets its stored verdict;
    decided from the ledger alone (before issue 12), some replies would not."""
    conn, account = demo_cache(tmp_path / "demo.sqlite", account=replies_only())
    directory, ledger = load_directory(conn, account)
    rows = [int(r[0]) for r in conn.execute("SELECT id FROM messages")]
    alone = 0
    for row in rows:
        decided = decide_row(conn, account, row)
        assert decided is not None and decided.matches_stored, row
        by_ledger = decide(decided.message, directory, ledger.copy())
        alone += verdict_columns(by_ledger) != decided.stored.columns
    assert alone > 0
    conn.close()
