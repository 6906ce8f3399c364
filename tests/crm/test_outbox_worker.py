"""The background worker (run here on a thread of the test's own) and its backoff."""

from __future__ import annotations

import threading
from pathlib import Path

from core.crm import actions
from core.crm.outbox_worker import Backoff, OutboxWorker, Outcome
from core.store import outbox
from core.store.outbox import State
from tests.crm.workspace import demo_cache, demo_directory, row_by_subject

REPLIES_ONLY = {**demo_directory()["account"], "logging_rule": "replies_only"}


def test_backoff_doubles_with_equal_jitter_up_to_the_cap() -> None:
    low, high = (
        Backoff(base=5, cap=300, jitter=lambda: 0.0),
        Backoff(base=5, cap=300, jitter=lambda: 1.0),
    )
    assert [low.delay(n) for n in (1, 2, 3)] == [2.5, 5.0, 10.0]
    assert [high.delay(n) for n in (1, 2, 3)] == [5.0, 10.0, 20.0]
    assert high.delay(40) == 300.0 and low.delay(40) == 150.0


def test_a_woken_worker_delivers_at_once_and_stops_cleanly(tmp_path: Path) -> None:
    path = tmp_path / "mailscope.sqlite"
    conn, account = demo_cache(path, account=REPLIES_ONLY)
    seen: list[Outcome] = []
    done = threading.Event()

    def on_change(outcome: Outcome) -> None:
        seen.append(outcome)
        done.set()

    worker = OutboxWorker(path, on_change=on_change, idle_wait=600.0)
    thread = threading.Thread(target=worker.run)
    thread.start()
    try:
        queued = actions.log_now(conn, account, row_by_subject(conn, "Integration with our WMS"))
        worker.wake()  # without it the worker would look again only after idle_wait
        assert done.wait(20.0)
    finally:
        worker.stop()
        thread.join(10)
    assert not thread.is_alive()
    assert seen == [Outcome(queued.item.id, State.DONE)]
    assert outbox.get(conn, queued.item.id).state is State.DONE
    conn.close()
