"""The detail pane's explanations, decided in a background thread (issue 10).

Explaining a message re-decides its thread (``core.store.explain.explain``): quick for most,
not for a long thread, and a GUI thread must never wait on the engine. One worker thread
with its own connection answers; only the latest request's answer is delivered.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from core.store import db
from core.store.explain import explain


class _Signals(QObject):
    done = Signal(int, int, object)  # generation, row id, Explanation or None


class _Explain(QRunnable):
    def __init__(self, conns: db.ThreadConnections, generation: int, message_id: int) -> None:
        super().__init__()
        self.conns, self.generation, self.message_id = conns, generation, message_id
        self.signals = _Signals()

    def run(self) -> None:
        try:
            found = explain(self.conns.get(), self.message_id)
        except Exception:  # a vanished row or a busy cache: the pane says it has no answer
            found = None
        self.signals.done.emit(self.generation, self.message_id, found)


class _Close(QRunnable):
    def __init__(self, conns: db.ThreadConnections) -> None:
        super().__init__()
        self.conns = conns

    def run(self) -> None:
        self.conns.close()


class Explainer(QObject):
    """``request(row_id)``; ``ready(row_id, explanation or None)`` for the latest one only."""

    ready = Signal(int, object)

    def __init__(self, cache: Path | str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.conns = db.ThreadConnections(cache)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self.pool.setExpiryTimeout(-1)  # one thread for good: its connection stays warm
        self._generation = 0
        self._jobs: set[_Explain] = set()

    def request(self, message_id: int) -> None:
        self._generation += 1
        for stale in list(self._jobs):  # requests not started yet are stale now
            if self.pool.tryTake(stale):
                self._jobs.discard(stale)
        job = _Explain(self.conns, self._generation, message_id)
        job.setAutoDelete(False)
        self._jobs.add(job)
        job.signals.done.connect(lambda g, i, found, j=job: self._done(j, g, i, found))
        self.pool.start(job)

    def _done(self, job: _Explain, generation: int, message_id: int, found: object) -> None:
        self._jobs.discard(job)
        if generation == self._generation:
            self.ready.emit(message_id, found)

    def stop(self) -> None:
        """Finish the running job and close the worker's connection (on its own thread)."""
        self._generation += 1
        for stale in list(self._jobs):
            if self.pool.tryTake(stale):
                self._jobs.discard(stale)
        self.pool.start(_Close(self.conns))
        self.pool.waitForDone(5000)
