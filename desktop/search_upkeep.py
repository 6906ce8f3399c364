"""The search's trigram index brought up to date in the background (issue 15).

``core.store.search_index`` indexes the rows a sync wrote afterwards, never during the sync:
the window asks for it when it opens (a cache the migration just gave an empty index, or
rows a ``mailscope sync`` wrote since) and after each sync. One chunk at a time on the
database thread (``desktop.ops``), each its own short write, the next asked once the last is
done: a read asked meanwhile (a search, a filter) waits for one chunk at most, never for the
whole index, and the GUI thread never for any. Until then a search tests the rows not
indexed yet itself: the same rows, found a little slower.
"""

from __future__ import annotations

import sqlite3
import time
from typing import Final

from PySide6.QtCore import QObject, Signal, SignalInstance

from core.store import search_index
from desktop.ops import QueryOp, Tasks

KEY: Final = "search-index"  # a new round supersedes the one under way


class SearchUpkeep(QObject):
    """Runs ``search_index.catch_up`` chunk after chunk on the window's database thread."""

    caught_up = Signal(float)  # every row is indexed; seconds the round took

    def __init__(self, tasks: Tasks, synced: SignalInstance, parent: QObject | None = None) -> None:
        """Starts at once (behind the reads already asked: the window's first page), then
        again after each sync (``synced``)."""
        super().__init__(parent)
        self.tasks = tasks
        self._began = 0.0
        synced.connect(lambda _summary: self.start())
        self.start()

    @property
    def busy(self) -> bool:
        return self.tasks.busy(KEY)

    def start(self) -> None:
        """Index what the cache holds beyond the index (one quick look when it is up to date)."""
        self._began = time.monotonic()
        self._next()

    def _next(self) -> None:
        # Index upkeep changes nothing a view shows: a QueryOp (no Tasks.changed, no re-read).
        op = QueryOp(self.tasks, search_index.catch_up, self._done).latest(KEY)
        op.failure(self._failed).run_in_background()

    def _failed(self, error: Exception) -> None:
        """A full disk or a cache locked too long: the search tests the rows not indexed
        itself, as before; the next sync asks again. Anything else is a bug."""
        if not isinstance(error, sqlite3.Error | OSError):
            raise error

    def _done(self, left: int) -> None:
        if left:
            self._next()
        else:
            self.caught_up.emit(time.monotonic() - self._began)
