""" "Create the contact" names who it creates before anything is queued: the sender of a
received email, the recipient of a sent one (issue 15: on sent mail the menu said "the
sender's contact"), with the name on the email, its owner, and whether it is bulk mail."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

import resources.demo
from core.crm.actions import contact_candidate, create_contact_for
from core.store.accounts import Account
from core.workspace import open_demo, sync_demo


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[tuple[sqlite3.Connection, Account]]:
    conn, account = open_demo(resources.demo, tmp_path / "demo.sqlite")
    sync_demo(conn, account)
    yield conn, account
    conn.close()


def _row(conn: sqlite3.Connection, role: str, subject: str) -> int:
    found = conn.execute(
        "SELECT m.id FROM messages m JOIN folders f ON f.id = m.folder_id"
        " WHERE f.role = ? AND m.subject LIKE ? ORDER BY m.id LIMIT 1",
        (role, f"%{subject}%"),
    ).fetchone()
    assert found is not None, subject
    return int(found[0])


def test_a_sent_email_creates_its_recipient(demo: tuple[sqlite3.Connection, Account]) -> None:
    conn, account = demo
    row = _row(conn, "sent", "Fjord Retail x Globex")
    found = contact_candidate(conn, account, row)
    assert found is not None and found.role == "recipient" and not found.bulk
    assert not found.email.endswith("@globex.example")  # never the sender, a user
    queued = create_contact_for(conn, account, row)
    assert found.email in queued.item.label


def test_a_received_email_creates_its_sender(demo: tuple[sqlite3.Connection, Account]) -> None:
    conn, account = demo
    found = contact_candidate(conn, account, _row(conn, "inbox", "Request for a demo"))
    assert found is not None
    assert (found.email, found.name, found.role, found.bulk) == (
        "carlos.mendes@atlas-cargo.example",
        "Carlos Mendes",
        "sender",
        False,
    )
    assert found.owner == "u-mia"


def test_a_newsletter_is_flagged_bulk(demo: tuple[sqlite3.Connection, Account]) -> None:
    conn, account = demo
    found = contact_candidate(conn, account, _row(conn, "inbox", "SaaS Sales Digest"))
    assert found is not None and found.bulk and found.role == "sender"
