"""Waiting for new mail: one IMAP IDLE round (RFC 2177), or polling a folder's status."""

from __future__ import annotations

import select
import ssl
import threading
import time
from collections.abc import Callable
from typing import Any, Final

from core.mail.imap_conn import Wire, check_status
from core.mail.imap_parse import Parts
from core.mailbox import FolderStatus

CANCEL_CHECK: Final = 0.5  # how often a waiting IDLE looks at its cancel event
_CHANGES: Final = (b"EXISTS", b"EXPUNGE", b"FETCH", b"VANISHED")


def idle_once(
    wire: Wire,
    until: float,
    cancel: threading.Event | None,
    on_idle: Callable[[], None] | None = None,
) -> bool:
    """IDLE in the selected folder until a change (True), ``until`` or a cancel (False)."""
    happened = False

    def seen(parts: Parts) -> None:
        nonlocal happened
        happened = happened or is_change(parts[0])

    # IDLE stays open until ``until``: its deadline is that, plus the usual command time.
    tag = wire.send(b"IDLE", seconds=until - time.monotonic() + wire.clock.limits.command)
    while True:
        parts = wire.read()
        if parts[0].startswith(b"+"):
            break
        if parts[0].startswith(tag + b" "):  # refused, or ended at once
            check_status(parts[0][len(tag) + 1 :])
            return happened
        seen(parts)
    if on_idle is not None:
        on_idle()
    while not happened and time.monotonic() < until and not (cancel and cancel.is_set()):
        if readable(wire.client, min(CANCEL_CHECK, max(0.0, until - time.monotonic()))):
            seen(wire.read())
    wire.send_line(b"DONE")
    wire.finish(tag, seen)
    return happened


def poll(
    status: Callable[[], FolderStatus],
    before: FolderStatus,
    deadline: float,
    cancel: threading.Event | None,
    interval: float,
) -> bool:
    """Ask ``status()`` every ``interval`` seconds until it differs from ``before`` (True)."""
    event = cancel or threading.Event()
    while not event.wait(max(0.0, min(interval, deadline - time.monotonic()))):
        if status() != before:
            return True
        if time.monotonic() >= deadline:
            return False
    return False


def is_change(line: bytes) -> bool:
    """Whether an untagged response says the folder changed."""
    head = line[:60].upper()
    return line.startswith(b"* ") and any(word in head for word in _CHANGES)


def readable(client: Any, wait: float) -> bool:
    """Whether a response is waiting: in the reader's buffer, TLS's, or the socket."""
    imap = client._imap
    sock = imap.sock
    if _buffered(imap.file, sock):
        return True
    if isinstance(sock, ssl.SSLSocket) and sock.pending():
        return True
    return bool(select.select([sock], [], [], wait)[0])


def _buffered(file: Any, sock: Any) -> bool:
    """Whether the buffered reader holds unread bytes, without blocking.

    A change that arrived in the same packet as "+ idling" sits in that buffer, where
    select() cannot see it.
    """
    timeout = sock.gettimeout()
    sock.setblocking(False)
    try:
        return bool(file.peek(1))
    except (ssl.SSLWantReadError, BlockingIOError):
        return False
    finally:
        sock.settimeout(timeout)
