"""Watching an account: sync now, then again whenever the inbox changes (IDLE) or on a timer."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Sequence
from typing import Final, Protocol, runtime_checkable

from core.mail.source import IDLE_RENEW, ConnectionLost, MailSource
from core.mail.sync import (
    SPLIT,
    Cancelled,
    Progress,
    SourceOpener,
    SyncSummary,
    sync_account,
)
from core.mail.sync_guard import close_quietly
from core.mailbox import FolderInfo, FolderStatus
from core.store import cache
from core.store.accounts import Account


@runtime_checkable
class IdleSource(Protocol):
    """A source that can wait for news in a folder (IMAP IDLE, or polling its status)."""

    def idle(
        self,
        folder: FolderInfo,
        timeout: float,
        cancel: threading.Event | None = None,
        *,
        since: FolderStatus | None = None,
    ) -> bool: ...


IDLE_ROUND: Final = 60.0  # one IDLE command; the inbox status is checked between rounds


def watch(
    conn: sqlite3.Connection,
    account: Account,
    open_source: SourceOpener,
    *,
    cancel: threading.Event,
    on_sync: Callable[[SyncSummary], None] | None = None,
    progress: Progress | None = None,
    poll_seconds: float = 60.0,
    idle_seconds: float = IDLE_RENEW,
    split: int = SPLIT,
) -> None:
    """Sync now, then again whenever the inbox changes (IDLE) or every ``poll_seconds``.

    Returns when ``cancel`` is set. IDLE is renewed at most every ``idle_seconds``
    (``IDLE_RENEW``, 9 min): on renewal the account is resynced, which costs one status per
    folder when nothing changed. ``split``: as ``sync_account``'s.
    """
    while not cancel.is_set():
        try:
            summary = sync_account(
                conn, account, open_source, progress=progress, cancel=cancel, split=split
            )
        except Cancelled:
            return
        if on_sync is not None:
            on_sync(summary)
        renew = min(idle_seconds, IDLE_RENEW)
        _wait_for_news(conn, account, open_source, cancel, poll_seconds, renew)


def _wait_for_news(
    conn: sqlite3.Connection,
    account: Account,
    open_source: SourceOpener,
    cancel: threading.Event,
    poll: float,
    renew: float,
) -> None:
    """Block until there may be news, a renewal is due, or ``cancel`` is set.

    Mail that arrived between the end of the sync and the start of IDLE would not wake IDLE:
    the inbox's status is compared with the cache before each IDLE round, and that status is
    handed to ``idle`` (``since``), which returns at once when the folder differs from it when
    IDLE starts: nothing arriving in between is missed.
    """
    source = open_source()
    try:
        inbox = _inbox(source.folders()) if isinstance(source, IdleSource) else None
        if isinstance(source, IdleSource) and inbox is not None:
            deadline = time.monotonic() + renew
            while not cancel.is_set() and (left := deadline - time.monotonic()) > 0:
                status = _inbox_status_if_synced(conn, account, source, inbox)
                if status is None:
                    return
                if source.idle(inbox, min(left, IDLE_ROUND), cancel, since=status):
                    return
            return
    except ConnectionLost:
        pass  # the next sync reconnects
    finally:
        close_quietly(source)
    cancel.wait(poll)


def _inbox_status_if_synced(
    conn: sqlite3.Connection, account: Account, source: MailSource, inbox: FolderInfo
) -> FolderStatus | None:
    """The inbox's status when the cache matches it (the state to IDLE from), else None."""
    status = source.status(inbox)
    state = _cached(conn, account.id, inbox.name)
    return status if state is not None and _synced(state, status) else None


def _cached(conn: sqlite3.Connection, account_id: int, name: str) -> cache.FolderState | None:
    """The cache's state of the account's folder ``name`` (None before its first sync)."""
    return next((f for f in cache.folders(conn, account_id) if f.name == name), None)


def _synced(state: cache.FolderState, status: FolderStatus) -> bool:
    """The cache holds the folder as the server reports it: nothing to sync before waiting."""
    cached = (state.uidvalidity, state.uidnext, state.highestmodseq)
    return cached == (status.uidvalidity, status.uidnext, status.highestmodseq)


def _inbox(folders: Sequence[FolderInfo]) -> FolderInfo | None:
    return next((f for f in folders if f.name.upper() == "INBOX"), None)
