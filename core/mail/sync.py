"""Sync a mail source into the cache: new UIDs, changed flags, expunges, UIDVALIDITY resets.

Crash safety comes from idempotence, not from bookkeeping: every write is one short
transaction (a batch of rows, a set of flags, a removal), a replayed batch adds nothing, and a
folder's state (UIDVALIDITY, UIDNEXT, HIGHESTMODSEQ) is saved only once the folder matches the
server. A process killed at any moment therefore restarts from a consistent cache and ends
with exactly the server's rows. Verdicts are settled at the end (``core.store.verdicts``):
rows written before a kill stay undecided and are decided by the next run.
"""

from __future__ import annotations

import enum
import functools
import math
import sqlite3
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final

from core import gcpause
from core.i18n import _, format_number, ngettext
from core.mail import imap_texts as texts
from core.mail.fill import Target, fill
from core.mail.plan import plan
from core.mail.source import ConnectionLost, FolderError, MailError, MailSource
from core.mail.sync_guard import (
    SYNC_SECONDS,
    Attempts,
    SyncTimeout,
    Unresponsive,
    close_quietly,
    listing_problems,
    note_failure,
    prepare_source,
    revive,
)
from core.mailbox import FolderInfo, FolderStatus
from core.store import bulk, cache
from core.store.accounts import Account
from core.store.cache import FolderState

if TYPE_CHECKING:
    from core.rules.model import Message

# Rows per FETCH and per transaction: bigger transactions rewrite the same index pages less
# often (measured: 2000 cost 0.4 s more than 5000 on a 100k first sync).
BATCH: Final = 5000
# New messages in one folder from which a helper process fetches a share beside this one
# (core.mail.fetch_split): below it, the helper's start (~0.3 s) costs more than it saves.
SPLIT: Final = 30_000
NO_SPLIT: Final = sys.maxsize  # as ``split``: never a helper
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
        values = {
            "account": self.account,
            "folders": self.folders,
            "new": self.new,
            "changed": self.changed,
            "removed": self.removed,
            "seconds": format_number(self.seconds, "0.0"),
            "errors": len(self.errors),
        }
        text = _(
            "%(account)s: %(folders)d folders, %(new)d new, %(changed)d changed, "
            "%(removed)d removed in %(seconds)s s"
        )
        if self.errors:
            text += ngettext(
                " (%(errors)d folder error)", " (%(errors)d folder errors)", len(self.errors)
            )
        return text % values


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
        split: int = SPLIT,
    ) -> None:
        self.conn = conn
        self.account = account
        self.source = source
        self.progress = progress
        self.cancel = cancel
        self.batch = batch
        self.split = split
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
            removed = self._reset(info, state, status.uidvalidity, resets)
            state = cache.folder(self.conn, state.id)
        elif self._unchanged(state, status):
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

    def _reset(self, info: FolderInfo, state: FolderState, uidvalidity: int, resets: int) -> int:
        """Empty a folder whose UIDVALIDITY changed; returns the rows removed."""
        if resets >= MAX_RESETS:
            words = {"info_display": info.display, "resets": resets}
            raise FolderError(_(texts.UIDVALIDITY_RESETS_STOPPED) % words)
        removed = cache.count_messages(self.conn, state.id)
        cache.reset_folder(self.conn, state.id, uidvalidity, resets)
        return removed

    def _unchanged(self, state: FolderState, status: FolderStatus) -> bool:
        """The server reports the state saved by the last sync (CONDSTORE servers only)."""
        return (
            status.highestmodseq is not None
            and (state.uidvalidity, state.uidnext, state.highestmodseq, state.error)
            == (status.uidvalidity, status.uidnext, status.highestmodseq, None)
            and cache.count_messages(self.conn, state.id) == status.exists
        )

    def every_folder(self, listed: list[FolderInfo], attempts: Attempts) -> list[FolderResult]:
        """Each listed folder synced in turn, after a result per listing problem."""
        results = [FolderResult("", error=text) for text in listing_problems(self.source)]
        for info in listed:
            self.check_cancel()
            results.append(self.guarded(info, attempts))
        return results

    def drop_unlisted(self, listed: list[FolderInfo], attempts: Attempts) -> int:
        """Cached folders the source no longer lists go; returns how many."""
        kept = (f.name for f in listed if attempts.storable(f))
        return cache.remove_folders_except(self.conn, self.account.id, kept)

    def guarded(self, info: FolderInfo, attempts: Attempts) -> FolderResult:
        """``folder(info)``; a folder that cannot be read is noted and skipped (one line)."""
        attempts.reading = info.name
        problem = attempts.unreadable(info)  # a name SQLite cannot hold, or repeated drops
        try:
            if problem is not None:
                raise FolderError(problem)
            return self.folder(info)
        except (Unresponsive, SyncTimeout) as error:  # the sync ends here: say where
            raise type(error)(f"{info.display}: {error}") from None
        except ConnectionLost:
            raise  # retried by sync_account
        except MailError as error:  # a refusal, a broken response: this folder only
            attempts.reading = None
            name, text = note_failure(self.conn, self.account.id, info, error, problem is None)
            revive(self.source)  # the next folder needs a working connection
            return FolderResult(name, error=text)

    def _fetch(
        self, info: FolderInfo, folder_id: int, uidvalidity: int, uids: Sequence[int]
    ) -> int:
        """Fetch, parse and cache the headers of ``uids`` (``core.mail.fill``); returns the rows
        added. A big first fill shares them with a helper process (``core.mail.fetch_split``)."""
        total = len(uids)
        target = Target(self.conn, self.source, info, (folder_id, uidvalidity), self.batch)
        look = functools.partial(self._look, info)
        added = None
        if total >= self.split:
            from core.mail import fetch_split

            added = fetch_split.shared(target, uids, look, self.fresh.update)
        if added is None:  # no helper
            added = fill(target, uids, lambda done: look(done, total), self.fresh.update)
        if uids:
            self.report(info.display, Phase.FETCHING, total, total)
        return added

    def _look(self, info: FolderInfo, done: int, total: int) -> None:
        self.report(info.display, Phase.FETCHING, done, total)
        self.check_cancel()


def sync_source(
    conn: sqlite3.Connection,
    account: Account,
    source: MailSource,
    *,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    batch: int = BATCH,
    attempts: Attempts | None = None,
    split: int = SPLIT,
) -> SyncSummary:
    """Sync every folder of an open source, then settle the verdicts it affected. ``batch``
    rows per transaction; ``split`` new messages in a folder share them with a helper."""
    run = _Run(conn, account, source, progress, cancel, batch, split)
    with gcpause.batch():  # a first sync keeps every new Message; see core.gcpause
        return _sync_source(run, attempts or Attempts(math.inf))


def _sync_source(run: _Run, attempts: Attempts) -> SyncSummary:
    started = time.monotonic()
    conn, account, source = run.conn, run.account, run.source
    try:
        run.report("", Phase.FOLDERS)
        listed = list(source.folders())
        results = run.every_folder(listed, attempts)
        attempts.reading = None
        removed_folders = run.drop_unlisted(listed, attempts)
        run.report("", Phase.DECIDING)
        decided, verdicts_changed = _settle(conn, account, run.fresh)
        added = len(run.fresh)
        gcpause.release(run.fresh)  # in steps, while paused: another thread may be waiting
    except BaseException:
        run.deferral.end(failed=True)
        raise
    run.deferral.end()
    run.report("", Phase.DONE)
    return SyncSummary(
        account=account.name,
        folders=len([f for f in listed if not f.skipped]),
        new=added,  # rows added, a folder that failed midway included
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
    seconds: float = SYNC_SECONDS,
    split: int = SPLIT,
) -> SyncSummary:
    """Open the account's source and sync it; a dropped connection is reopened and resumed.

    Resuming is safe because every step is idempotent (see the module docstring). At most
    ``retries`` reconnections, and a folder that dropped the connection twice is skipped on
    the next try; a server that stops answering is not retried. The whole sync has
    ``seconds`` (``core.mail.sync_guard``); in every case it ends with one line saying why.
    """
    attempts = Attempts(time.monotonic() + seconds)
    while True:
        try:
            source = open_source()  # a connection lost while logging in is retried too
            try:
                prepare_source(source, attempts.due)
                return sync_source(
                    conn,
                    account,
                    source,
                    progress=progress,
                    cancel=cancel,
                    batch=batch,
                    attempts=attempts,
                    split=split,
                )
            finally:
                close_quietly(source)
        except Unresponsive:
            raise
        except ConnectionLost as error:
            attempts.dropped(error)
            if attempts.count > retries or attempts.overdue():
                raise attempts.final(error) from None
        _back_off(cancel, attempts.count)


def _back_off(cancel: threading.Event | None, count: int) -> None:
    """Wait before the ``count``-th reconnection: 0.2, 0.4, 0.8 s; a cancel ends the wait."""
    waiter = cancel if cancel is not None else threading.Event()
    if waiter.wait(RETRY_DELAY * 2 ** (count - 1)):
        raise Cancelled
