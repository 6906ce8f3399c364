"""Fixtures of the cache tests: a fresh in-memory database, an account, messages from bytes."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import pytest

from core.store import db
from core.store.accounts import Account, AccountKind, insert_account


@pytest.fixture
def fresh_db() -> Iterator[sqlite3.Connection]:
    conn = db.connect(":memory:")
    yield conn
    conn.close()


@pytest.fixture
def account(fresh_db: sqlite3.Connection) -> Account:
    return insert_account(
        fresh_db, "work", AccountKind.MAILDIR, path="/nowhere", user="mia@globex.example"
    )
