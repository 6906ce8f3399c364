"""The host's view of Mailscope's cache: opened on the first request that needs it, and which
Mailscope account a Thunderbird account is.

A Thunderbird account is matched by its identities' addresses against the addresses each
Mailscope mailbox receives at (the mailbox owner's account address, connected addresses and
aliases, the IMAP login). The host reads the cache the app writes, so it answers with the app
closed; with no cache, or no matching account, the rep is asked to connect the mailbox.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Final

from core.i18n import _
from core.rules.addresses import normalize_email
from core.store import db
from core.store.accounts import Account, list_accounts
from core.store.lookup import mailbox_addresses
from core.thunderbird.protocol import ProtocolError
from core.thunderbird.requests import AccountRef

NOT_CONNECTED: Final = "not_connected"


def not_connected(ref: AccountRef) -> ProtocolError:
    where = ", ".join(ref.identities[:3]) or ref.name or "this account"
    return ProtocolError(
        NOT_CONNECTED,
        _("Connect this mailbox in Mailscope: no Mailscope account receives mail at %(where)s.")
        % {"where": where},
    )


class Session:
    """The cache file and its connection (opened once, kept for the host's life)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path if path is not None else db.default_path()
        self._conn: sqlite3.Connection | None = None

    def connection(self) -> sqlite3.Connection | None:
        """The cache's connection; None while Mailscope has never written a cache here."""
        if self._conn is None:
            if not self.path.exists():
                return None
            self._conn = db.connect(self.path)
        return self._conn

    def accounts(self) -> list[Account]:
        conn = self.connection()
        return list_accounts(conn) if conn is not None else []

    def resolve(self, ref: AccountRef) -> tuple[sqlite3.Connection, Account]:
        """The Mailscope account behind a Thunderbird account; ``not_connected`` when none."""
        conn = self.connection()
        if conn is None:
            raise not_connected(ref)
        wanted = _addresses(ref)
        by_id = {a.id: a for a in list_accounts(conn)}
        matches = [
            by_id[account_id]
            for account_id, addresses in sorted(mailbox_addresses(conn).items())
            if account_id in by_id and wanted & addresses
        ]
        if not matches:
            raise not_connected(ref)
        named = [a for a in matches if a.name == ref.name]
        return conn, (named or matches)[0]

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def _addresses(ref: AccountRef) -> set[str]:
    """The addresses of a Thunderbird account's identities, normalised (N1)."""
    return {e for e in (normalize_email(i) for i in ref.identities) if e is not None}
