"""Re-reading the cache off the GUI thread: the table's ids and the sidebar, after sync steps.

A sync writes rows in batches; showing them means re-reading up to 100,000 ids and the folder
counts, which takes tens of milliseconds. Done as a ``QueryOp`` on the database thread, the
event loop stays free; the GUI only swaps the results in. Only the latest request's answer
is delivered (``latest``: a re-read not started yet is superseded by the next). While a sync
writes (``landed``), the table and the sidebar are re-read every ``LIVE_REFRESH_MS``.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from array import array
from collections.abc import Callable, Sequence
from typing import Final, NamedTuple

from PySide6.QtCore import QObject, QTimer, Signal

from core.store import views
from core.store.places import accounts_shown
from core.store.views import TableQuery
from desktop.message_model import PAGE, Pages
from desktop.ops import QueryOp, Report, Tasks
from desktop.sidebar import AccountState, snapshot

LIVE_REFRESH_MS: Final = 300  # how often the table re-reads while a sync writes rows
HEAD: Final = 200  # ids of a new filter or search shown before the rest are read (a page)


class Read(NamedTuple):
    """What the reader found: ``whole`` False for the first ``HEAD`` ids of a longer list;
    ``pages``: the rows of the pages on screen, read ahead (the table reads no page itself);
    ``ids`` None when a live re-read found the table's rows untouched (``Live``)."""

    query: TableQuery
    ids: array[int] | None
    states: list[AccountState] | None
    read_at: float
    whole: bool = True
    pages: Pages | None = None
    live: bool = False


class Live(NamedTuple):
    """A re-read while syncs write: the accounts they wrote to since the last read, and the
    sidebar's last states (every other account keeps its own, and its rows are not read)."""

    changed: frozenset[int]
    states: list[AccountState]


def _read(
    conn: sqlite3.Connection,
    query: TableQuery,
    sidebar: bool,
    shown: Sequence[int] = (),
    live: Live | None = None,
) -> Read:
    read_at = time.monotonic()  # before reading: the answer is at least this fresh
    recount, states = (None, []) if live is None else live
    if sidebar:
        states = snapshot(conn, recount=recount, previous=states)
    if recount is not None and not _touched(conn, query, recount):
        return Read(query, None, states if sidebar else None, read_at, live=True)
    ids = views.ids(conn, query)
    # The rows on screen, with the ids: while a sync writes, a page read by the table itself
    # on the GUI thread could wait on the database (issue 15: stalls up to 200 ms).
    pages = {n: views.display_rows(conn, ids[n * PAGE : (n + 1) * PAGE]) for n in shown}
    found = states if sidebar else None
    return Read(query, ids, found, read_at, pages=pages or None, live=live is not None)


def _touched(conn: sqlite3.Connection, query: TableQuery, changed: frozenset[int]) -> bool:
    """Whether the table's rows may have changed: it shows an account a sync wrote to."""
    shown = accounts_shown(conn, query.folder_id, query.account_id)
    return shown is None or not shown.isdisjoint(changed)


class _InParts(QueryOp[Read]):
    """The ids of a new filter or search: the first ``HEAD`` reported as soon as they are
    read (the table shows them), then all of them (issue 15)."""

    def __init__(self, tasks: Tasks, query: TableQuery, done: Callable[[Read], None]) -> None:
        super().__init__(tasks, lambda conn: _read(conn, query, False), done)  # work: in parts
        self._query = query
        self._progress = done

    def work(self, report: Report, cancel: threading.Event) -> Read:
        read_at = time.monotonic()
        found: array[int] = array("q")
        for part, more in views.ids_in_parts(self.tasks.connection(), self._query, HEAD):
            found.extend(part)
            if more:  # shown now, before the rest is read
                report(Read(self._query, array("q", found), None, read_at, whole=False))
        return Read(self._query, found, None, read_at)


class CacheReader(QObject):
    """Reads on the database thread; only the latest request's answer is delivered."""

    ready = Signal(object)  # a Read

    def __init__(
        self,
        tasks: Tasks,
        query: Callable[[], TableQuery],
        parent: QObject | None = None,
        shown: Callable[[], Sequence[int]] = tuple,
    ) -> None:
        super().__init__(parent)
        self.tasks = tasks
        self._query = query  # the table's current query
        self._shown = shown  # the table's pages on screen
        self._changed: set[int] = set()  # accounts a sync wrote to since the last read
        self._states: list[AccountState] = []  # the sidebar's last states read
        self._live = QTimer(self)
        self._live.setInterval(LIVE_REFRESH_MS)
        self._live.timeout.connect(self._live_refresh)

    @property
    def busy(self) -> bool:
        return self.tasks.busy("table")

    def request(self, query: TableQuery, *, sidebar: bool, live: Live | None = None) -> None:
        shown = tuple(self._shown())
        op = QueryOp(self.tasks, lambda conn: _read(conn, query, sidebar, shown, live), self._done)
        op.latest("table").run_in_background()

    def request_in_parts(self, query: TableQuery) -> None:
        """Read a new filter's or search's ids: its first ``HEAD`` first (``whole`` False)."""
        _InParts(self.tasks, query, self._done).latest("table").run_in_background()

    def _done(self, read: Read) -> None:
        if read.states is not None:
            self._states = read.states
        self.ready.emit(read)

    def landed(self, account_id: int) -> None:
        """Rows of an account were written: re-read them soon (and on, while rows land)."""
        self._changed.add(account_id)
        if not self._live.isActive():
            self._live.start()

    def settled(self) -> None:
        """A sync is done: re-read the table and the sidebar at once."""
        self._changed.clear()
        self.request(self._query(), sidebar=True)

    def quiet(self) -> None:
        """No sync runs any more: the live re-reads stop."""
        self._live.stop()

    def _live_refresh(self) -> None:
        if not self._changed or self.busy:
            return
        live = Live(frozenset(self._changed), self._states)
        self._changed.clear()
        self.request(self._query(), sidebar=True, live=live)
