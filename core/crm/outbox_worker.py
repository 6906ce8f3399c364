"""The outbox worker: a loop with its own SQLite connection that delivers due rows, on the
thread its owner runs it on (the desktop's network pool).

It recovers rows left "sending" by a dead process, then takes due rows one at a time. A
transient failure (CRM down, rate limit, timeout, outcome unknown) puts the row back with a
jittered exponential backoff, capped so an outage of any length is retried within minutes of
its end; a failure the user must fix (token, scopes, a refusal, Never-log) marks it failed.
The GUI wraps it (signals from ``on_change``); the CLI runs ``drain`` in the foreground.
"""

from __future__ import annotations

import random
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from core.crm.delivery import Channels, Delivery
from core.crm.errors import (
    CrmError,
    CrmUnavailable,
    ForwardError,
    OutcomeUnknown,
    RateLimited,
)
from core.crm.forward import is_retryable
from core.i18n import _
from core.mail.secrets import SecretError
from core.store import db, outbox
from core.store.accounts import account_by_id
from core.store.outbox import OutboxItem

IDLE_WAIT: Final = 60.0  # seconds between looks at the queue when nothing is due
DAILY_WAIT: Final = 3600.0  # after HubSpot's daily limit: try again in an hour, not in minutes


@dataclass(frozen=True, slots=True)
class Backoff:
    """Delay before the next attempt after ``attempts`` failures: equal jitter, capped."""

    base: float = 5.0
    cap: float = 300.0
    jitter: Callable[[], float] = random.random

    def delay(self, attempts: int) -> float:
        ceiling = min(self.cap, self.base * 2.0 ** max(0, attempts - 1))
        return ceiling / 2 + self.jitter() * ceiling / 2


@dataclass(frozen=True, slots=True)
class Outcome:
    """What happened to one row: its id and the state it was left in."""

    item_id: int
    state: outbox.State
    error: str | None = None


def deliver_one(
    conn: sqlite3.Connection, item: OutboxItem, channels: Channels, backoff: Backoff
) -> Outcome:
    """Deliver a claimed row and leave it done, pending (with a delay) or failed."""
    account = account_by_id(conn, item.account_id)
    if account is None:
        outbox.fail(conn, item.id, _("The account of this action was removed."))
        return Outcome(item.id, outbox.State.FAILED, "account removed")
    try:
        Delivery(conn, account, channels).run(item)
    except OutcomeUnknown as error:
        return _later(conn, item, str(error), backoff.delay(item.attempts), unknown=True)
    except RateLimited as error:
        if error.daily:  # HubSpot's DAILY policy: nothing more goes to this portal for a while
            return _later(conn, item, str(error), DAILY_WAIT)
        delay = error.retry_after if error.retry_after is not None else 0.0
        return _later(conn, item, str(error), max(delay, backoff.delay(item.attempts)))
    except CrmUnavailable as error:
        return _later(conn, item, str(error), backoff.delay(item.attempts))
    except ForwardError as error:
        if is_retryable(error):
            return _later(conn, item, str(error), backoff.delay(item.attempts))
        outbox.fail(conn, item.id, str(error))
        return Outcome(item.id, outbox.State.FAILED, str(error))
    except (CrmError, SecretError) as error:
        outbox.fail(conn, item.id, str(error))
        return Outcome(item.id, outbox.State.FAILED, str(error))
    except Exception as error:  # a bug of ours: keep the queue going, show the row failed
        text = _("Internal error (%(name)s): please report it.") % {"name": type(error).__name__}
        outbox.fail(conn, item.id, text)
        return Outcome(item.id, outbox.State.FAILED, text)
    return Outcome(item.id, outbox.State.DONE)


def _later(
    conn: sqlite3.Connection, item: OutboxItem, error: str, delay: float, unknown: bool = False
) -> Outcome:
    outbox.postpone(conn, item.id, error, delay, unknown=unknown)
    return Outcome(item.id, outbox.State.PENDING, error)


def drain(
    conn: sqlite3.Connection,
    channels: Channels | None = None,
    backoff: Backoff | None = None,
    *,
    on_change: Callable[[Outcome], None] | None = None,
    stop: threading.Event | None = None,
) -> list[Outcome]:
    """Recover stale rows, then deliver every row due now (each at most once per call)."""
    channels = channels or Channels()
    backoff = backoff or Backoff()
    outbox.recover(conn)
    owner = outbox.owner_token()
    done: list[Outcome] = []
    seen: set[int] = set()
    while stop is None or not stop.is_set():
        # A row due again at once (a zero delay) waits for the next pass.
        item = outbox.claim(conn, owner, skip=seen)
        if item is None:
            break
        seen.add(item.id)
        outcome = deliver_one(conn, item, channels, backoff)
        done.append(outcome)
        if on_change is not None:
            on_change(outcome)
    return done


class OutboxWorker:
    """Delivers the queue until ``stop()``: ``run()`` blocks on the caller's thread (the
    owner picks it; the desktop's is one of its network pool); ``wake()`` after a click."""

    def __init__(
        self,
        path: Path | str | None = None,
        *,
        channels: Channels | None = None,
        backoff: Backoff | None = None,
        on_change: Callable[[Outcome], None] | None = None,
        idle_wait: float = IDLE_WAIT,
    ) -> None:
        self.path = path
        self.channels = channels or Channels()
        self.backoff = backoff or Backoff()
        self.on_change = on_change
        self.idle_wait = idle_wait
        self._wake = threading.Event()
        self._halt = threading.Event()

    def wake(self) -> None:
        """Look at the queue now (a row was queued or retried)."""
        self._wake.set()

    def stop(self) -> None:
        """Ask ``run()`` to return after the row it is delivering, if any."""
        self._halt.set()
        self._wake.set()

    def run(self) -> None:
        conn = db.connect(self.path)
        try:
            while not self._halt.is_set():
                self._wake.clear()
                drain(conn, self.channels, self.backoff, on_change=self.on_change, stop=self._halt)
                self._wake.wait(self._until_due(conn))
        finally:
            conn.close()

    def _until_due(self, conn: sqlite3.Connection) -> float:
        due = outbox.next_due(conn)
        if due is None:
            return self.idle_wait
        return min(self.idle_wait, max(0.0, due - time.time()) + 0.01)
