"""The helper process of a big first fill (``core.mail.fetch_split`` starts it and says why).

    python -m core.mail.fetch_child     (the bundle: ``mailscope fetch-worker``)

Reads one JSON line on standard input (the cache, the folder, the UIDs, the connection's
settings and secret), fetches and caches those UIDs (``core.mail.fill``), and writes frames
on standard output: each batch's row ids and engine messages, then "end", or "error" and the
line that ended it. Ends at once when its input closes (the syncing process is gone).
"""

from __future__ import annotations

import contextlib
import json
import os
import pickle
import signal
import sys
import threading
import time
from contextlib import closing
from operator import attrgetter
from typing import IO, Any, Final, NoReturn

from core import gcpause
from core.mail.fetch_split import HEAD, expand
from core.mail.fill import Target, fill
from core.mailbox import FolderInfo
from core.rules.model import Folder, Message

# build_message's arguments, in its order: what the syncing process rebuilds each message from
_COLUMNS: Final = attrgetter(
    "id", "folder", "date", "sender", "to", "cc", "bcc", "subject", "subject_key",
    "message_id", "in_reply_to", "references", "thread_key", "from_raw",
)  # fmt: skip


def send(out: IO[bytes], kind: str, value: object) -> None:
    """One frame: its length, then the pickle of (kind, value)."""
    frame = pickle.dumps((kind, value), pickle.HIGHEST_PROTOCOL)
    out.write(HEAD.pack(len(frame)) + frame)
    out.flush()


def main() -> NoReturn:
    """Run the helper; end without the interpreter's teardown (everything is committed and
    flushed by then)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a Ctrl+C is the syncing process's to handle
    start = json.loads(sys.stdin.readline() or "null")
    if not start:
        os._exit(2)
    threading.Thread(target=_end_with_input, name="fetch-listen", daemon=True).start()
    out = sys.stdout.buffer
    try:
        _fetch(start, out)
    except BaseException as error:  # the syncing process fetches what is left itself
        with contextlib.suppress(OSError):  # and if it is gone, there is no one to tell
            send(out, "error", f"{type(error).__name__}: {error}")
        os._exit(1)
    send(out, "end", None)
    os._exit(0)


def _end_with_input() -> None:
    sys.stdin.read()  # returns when the input closes: the syncing process stopped us, or died
    os._exit(3)


def _fetch(start: dict[str, Any], out: IO[bytes]) -> None:
    from core.mail.imap import ImapSource
    from core.mail.imap_conn import ImapSettings
    from core.mail.wire_limits import WireLimits
    from core.store import db

    gcpause.enter()  # a short life, and batches that make no cycles (core.gcpause)
    settings, secret, bearer, seconds_left = start["twin"]
    name, display, role = start["folder"]
    info = FolderInfo(name, display, Folder(role))

    def added(rows: dict[int, Message]) -> None:
        if rows:
            send(out, "rows", (list(rows), [_COLUMNS(m) for m in rows.values()]))

    with closing(db.connect(start["cache"], restore=False)) as conn:  # its indexes stay deferred
        settings = ImapSettings(**{**settings, "limits": WireLimits(**settings["limits"])})
        source = ImapSource(settings, _Token(secret) if bearer else secret)
        try:
            if seconds_left is not None:
                source.set_deadline(time.monotonic() + seconds_left)
            folder_id, uidvalidity = start["where"]
            uids = expand(start["uids"])
            target = Target(conn, source, info, (folder_id, uidvalidity), start["batch"])
            fill(target, uids, _no, added)
        finally:
            source.close()


def _no(done: int) -> None:
    """Nothing to report before a batch: the rows sent are the progress."""


class _Token:
    """The access token the syncing process signed in with (``core.mail.sasl.BearerTokens``):
    one that is refused is not renewed here, the syncing process fetches the share itself."""

    def __init__(self, token: str) -> None:
        self._token = token

    def token(self) -> str:
        return self._token

    def invalidate(self) -> None:
        pass


if __name__ == "__main__":
    main()
