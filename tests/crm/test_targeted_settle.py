"""A change of contacts, Never-log entries or logging addresses re-decides only the messages
that carry them (and their threads), and leaves exactly what deciding everything would."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

import pytest

from core.crm.service import CrmService
from core.rules.model import Contact
from core.store import verdicts
from core.store.accounts import Account


def _senders(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute("SELECT DISTINCT from_email FROM messages WHERE from_email IS NOT NULL")
    return sorted(str(r[0]) for r in rows)


Change = Callable[[CrmService, list[str]], object]
CHANGES: dict[str, Change] = {
    "never-log a domain": lambda s, who: s.add_account_never_log([who[3].split("@")[1]]),
    "never-log an address": lambda s, who: s.add_account_never_log([who[5]]),
    "un-never-log": lambda s, who: s.remove_account_never_log(["initech.example"]),
    "personal never-log": lambda s, who: s.add_personal_never_log([who[7]]),
    "a stranger becomes a contact": lambda s, who: s.upsert_contacts(
        [Contact("c-new", who[-1], "New One", (), "u-raj")]
    ),
    "a contact changes address and owner": lambda s, who: s.upsert_contacts(
        [Contact("c-priya", who[-2], "Priya", (), None)]
    ),
    "the BCC address changes": lambda s, who: s.set_addresses(bcc=None, forward=None),
}


@pytest.mark.parametrize("name", CHANGES)
def test_a_targeted_change_leaves_what_deciding_everything_leaves(
    name: str, cache: tuple[sqlite3.Connection, Account]
) -> None:
    conn, account = cache
    total = conn.execute("SELECT count(*) FROM messages").fetchone()[0]
    settled = CHANGES[name](CrmService(conn, account), _senders(conn))
    assert isinstance(settled, verdicts.Settled)
    assert settled.decided < total  # only what the change could touch was decided
    assert verdicts.settle(conn, account, everything=True).changed == 0  # and nothing else moved
