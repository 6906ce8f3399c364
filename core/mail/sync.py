"""Sync a mail source into the cache: new UIDs, changed flags, expunges, UIDVALIDITY resets.

Crash safety comes from idempotence, not from bookkeeping: every write is one short
transaction (a batch of rows, a set of flags, a removal), a replayed batch adds nothing, and a
folder's state (UIDVALIDITY, UIDNEXT, HIGHESTMODSEQ) is saved only once the folder matches the
server. A process killed at any moment therefore restarts from a consistent cache and ends
with exactly the server's rows. Verdicts are settled at the end (``core.store.verdicts``):
rows written before a kill stay undecided and are decided by the next run.
"""

from __future__ import annotations

import contextlib
import enum
import itertools
import sqlite3
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final, Protocol, runtime_checkable

from core import gcpause
from core.mail.plan import plan
from core.mail.source import (
    ConnectionLost,
    FolderError,
    FolderInfo,
    FolderStatus,
    MailSource,
)
from core.store import bulk, cache
from core.store.accounts import Account

if TYPE_CHECKING:
    from core.rules.model import Message

# Rows per FETCH and per transaction: bigger transactions rewrite the same index pages less
# often (measured: 2000 cost 0.4 s more than 5000 on a 100k first sync).
BATCH: Final = 5000
MAX_RESETS: Final = 3  # UIDVALIDITY changes in a row before a folder is stopped
RETRIES: Final = 3  # reconnections after a dropped connection
RETRY_DELAY: Final = 0.2  # seconds before the first reconnection, doubled each time


class Cancelled(Exception):
    """The sync was cancelled through its ``cancel`` event."""


class Phase(enum.StrEnum):
    """The steps of a sync, in order (``checking`` and ``fetching`` once per folder)."""

    FOLDERS = "folders"
    CHECKING = "checking"
    FETCHING = "fetching"
    DECIDING = "deciding"
    DONE = "done"


@dataclass(frozen=True, slots=True)
class SyncProgress:
    """Where a sync is, for a progress bar: ``done`` of ``total`` in ``phase`` of ``folder``."""

    account: str
    folder: str
    phase: Phase
    done: int = 0
    total: int = 0


@dataclass(frozen=True, slots=True)
class FolderResult:
    name: str
    new: int = 0
    changed: int = 0
    removed: int = 0
    error: str | None = None


@dataclass(frozen=True, slots=True)
class SyncSummary:
    """What a sync did."""

    account: str
    folders: int
    new: int
    changed: int
    removed: int
    seconds: float
    decided: int = 0
    verdicts_changed: int = 0
    errors: tuple[str, ...] = field(default=())

    def line(self) -> str:
        """The one-line summary the CLI prints."""
        text = (
            f"{self.account}: {self.folders} folders, {self.new} new, {self.changed} changed,"
            f" {self.removed} removed in {self.seconds:.1f} s"
        )
        if self.errors:
            text += f" ({len(self.errors)} folder errors)"
        return text


Progress = Callable[[SyncProgress], None]


class _Run:
    """One sync of one source into one account: the shared arguments of the steps."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        account: Account,
        source: MailSource,
        progress: Progress | None,
        cancel: threading.Event | None,
        batch: int,
    ) -> None:
        self.conn = conn
        self.account = account
        self.source = source
        self.progress = progress
        self.cancel = cancel
        self.batch = batch
        self.fresh: dict[int, Message] = {}  # rows added by this run, handed to the decision
        self.deferral = bulk.Deferral(conn)  # a big first fill builds some indexes at the end

    def report(self, folder: str, phase: Phase, done: int = 0, total: int = 0) -> None:
        if self.progress is not None:
            self.progress(SyncProgress(self.account.name, folder, phase, done, total))

    def check_cancel(self) -> None:
        if self.cancel is not None and self.cancel.is_set():
            raise Cancelled

    def folder(self, info: FolderInfo) -> FolderResult:
        """Bring one folder of the cache to the server's state."""
        state = cache.ensure_folder(self.conn, self.account.id, info)
        if info.skipped:
            return FolderResult(info.name)
        self.report(info.display, Phase.CHECKING)
        status = self.source.status(info)
        removed = 0
        resets = 0
        if state.uidvalidity is not None and state.uidvalidity != status.uidvalidity:
            resets = state.resets + 1
            if resets >= MAX_RESETS:
                raise FolderError(
                    f"{info.display}: its UIDVALIDITY changed {resets} times in a row;"
                    " stopped syncing it"
                )
            removed = cache.count_messages(self.conn, state.id)
            cache.reset_folder(self.conn, state.id, status.uidvalidity, resets)
            state = cache.folder(self.conn, state.id)
        elif (
            status.highestmodseq is not None
            and (state.uidvalidity, state.uidnext, state.highestmodseq, state.error)
            == (status.uidvalidity, status.uidnext, status.highestmodseq, None)
            and cache.count_messages(self.conn, state.id) == status.exists
        ):
            return FolderResult(info.name)  # nothing changed: nothing read, nothing written
        todo = plan(self.conn, self.source, info, state, status)
        removed += cache.remove_uids(self.conn, state.id, status.uidvalidity, todo.gone)
        self.deferral.begin(len(todo.new))
        new = self._fetch(info, state.id, status.uidvalidity, todo.new)
        changed = cache.set_flags(self.conn, state.id, status.uidvalidity, todo.flags)
        cache.save_folder_state(
            self.conn,
            state.id,
            uidvalidity=status.uidvalidity,
            uidnext=status.uidnext,
            highestmodseq=status.highestmodseq,
            resets=resets,
        )
        return FolderResult(info.name, new, changed, removed)

    def _fetch(self, info: FolderInfo, folder_id: int, uidvalidity: int, uids: list[int]) -> int:
        """Fetch, parse and cache the headers of ``uids``, one transaction per batch.

        One stream for the whole list: the source pipelines its commands (IMAP), so the
        server prepares the next batch while this one is parsed and written.
        """
        from core.mail.headers import prepare  # the parser, once there is mail to parse

        added = done = 0
        # Measured: fetching ahead in a thread made a 100k sync slower (10.6 s against
        # 10.2 s): parsing holds the GIL either way.
        stream = iter(self.source.fetch_headers(info, uids)) if uids else iter(())
        try:
            while True:
                self.report(info.display, Phase.FETCHING, done, len(uids))
                self.check_cancel()
                rows = [prepare(f, info.role) for f in itertools.islice(stream, self.batch)]
                if not rows:
                    break
                inserted = cache.insert_messages(self.conn, folder_id, uidvalidity, rows)
                self.fresh.update(inserted)
                added += len(inserted)
                done += len(rows)
        finally:
            close = getattr(stream, "close", None)
            if close is not None:
                close()  # a cancelled stream finishes the commands in flight
        if uids:
            self.report(info.display, Phase.FETCHING, len(uids), len(uids))
        return added


def sync_source(
    conn: sqlite3.Connection,
    account: Account,
    source: MailSource,
    *,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    batch: int = BATCH,
) -> SyncSummary:
    """Sync every folder of an open source, then settle the verdicts it affected."""
    with gcpause.paused():  # a first sync keeps every new Message; see core.gcpause
        return _sync_source(conn, account, source, progress, cancel, batch)


def _sync_source(
    conn: sqlite3.Connection,
    account: Account,
    source: MailSource,
    progress: Progress | None,
    cancel: threading.Event | None,
    batch: int,
) -> SyncSummary:
    started = time.monotonic()
    run = _Run(conn, account, source, progress, cancel, batch)
    try:
        run.report("", Phase.FOLDERS)
        listed = list(source.folders())
        results: list[FolderResult] = []
        for info in listed:
            run.check_cancel()
            try:
                results.append(run.folder(info))
            except FolderError as error:
                state = cache.ensure_folder(conn, account.id, info)
                cache.set_folder_error(conn, state.id, str(error))
                results.append(FolderResult(info.name, error=str(error)))
        removed_folders = cache.remove_folders_except(conn, account.id, (f.name for f in listed))
        run.report("", Phase.DECIDING)
        decided, verdicts_changed = _settle(conn, account, run.fresh)
        gcpause.release(run.fresh)  # in steps, while paused: another thread may be waiting
    except BaseException:
        run.deferral.end(failed=True)
        raise
    run.deferral.end()
    run.report("", Phase.DONE)
    return SyncSummary(
        account=account.name,
        folders=len([f for f in listed if not f.skipped]),
        new=sum(r.new for r in results),
        changed=sum(r.changed for r in results),
        removed=sum(r.removed for r in results) + removed_folders,
        seconds=time.monotonic() - started,
        decided=decided,
        verdicts_changed=verdicts_changed,
        errors=tuple(r.error for r in results if r.error),
    )


def _settle(
    conn: sqlite3.Connection, account: Account, fresh: dict[int, Message]
) -> tuple[int, int]:
    """Decide what the sync left undecided: (decided, verdicts changed). An unchanged mailbox
    imports no engine at all (start-up of ``mailscope sync``: issue 10)."""
    if not fresh and not cache.has_undecided(conn, account.id):
        return 0, 0
    from core.store import verdicts

    settled = verdicts.settle(conn, account, known=fresh)
    return settled.decided, settled.changed


SourceOpener = Callable[[], MailSource]


def sync_account(
    conn: sqlite3.Connection,
    account: Account,
    open_source: SourceOpener,
    *,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    retries: int = RETRIES,
    batch: int = BATCH,
) -> SyncSummary:
    """Open the account's source and sync it; a dropped connection is reopened and resumed.

    Resuming is safe because every step is idempotent (see the module docstring).
    """
    attempt = 0
    while True:
        try:
            source = open_source()  # a connection lost while logging in is retried too
            try:
                return sync_source(
                    conn, account, source, progress=progress, cancel=cancel, batch=batch
                )
            finally:
                _close(source)
        except ConnectionLost:
            attempt += 1
            if attempt > retries:
                raise
        waiter = cancel if cancel is not None else threading.Event()
        if waiter.wait(RETRY_DELAY * 2 ** (attempt - 1)):  # back off: 0.2, 0.4, 0.8 s
            raise Cancelled


def _close(source: MailSource) -> None:
    with contextlib.suppress(Exception):  # closing a broken connection must not hide the cause
        source.close()


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


IDLE_RENEW: Final = 600.0  # IDLE is renewed at most every 10 minutes
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
) -> None:
    """Sync now, then again whenever the inbox changes (IDLE) or every ``poll_seconds``.

    Returns when ``cancel`` is set. IDLE is renewed at most every ``idle_seconds`` (10 min):
    on renewal the account is resynced, which costs one status per folder when nothing
    changed.
    """
    while not cancel.is_set():
        try:
            summary = sync_account(conn, account, open_source, progress=progress, cancel=cancel)
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
        _close(source)
    cancel.wait(poll)


def _inbox_status_if_synced(
    conn: sqlite3.Connection, account: Account, source: MailSource, inbox: FolderInfo
) -> FolderStatus | None:
    """The inbox's status when the cache matches it (the state to IDLE from), else None."""
    status = source.status(inbox)
    state = next((f for f in cache.folders(conn, account.id) if f.name == inbox.name), None)
    if state is None:
        return None
    synced = (state.uidvalidity, state.uidnext, state.highestmodseq) == (
        status.uidvalidity,
        status.uidnext,
        status.highestmodseq,
    )
    return status if synced else None


def _inbox(folders: Sequence[FolderInfo]) -> FolderInfo | None:
    return next((f for f in folders if f.name.upper() == "INBOX"), None)
