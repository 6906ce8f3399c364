"""The sync process's own side (``core.mail.sync_process`` starts it and says why).

    python -m core.mail.sync_child     (the bundle: ``mailscope sync-worker``)

Reads its first line (cache, account, poll, language) on standard input, then syncs and
watches the account until "cancel" comes or its input closes, writing what it reports as JSON
lines on standard output. Secrets are asked of the app (``_AppSecrets``), never read here.
"""

from __future__ import annotations

import json
import os
import queue
import signal
import sys
import threading
from contextlib import closing
from typing import IO, Any, NoReturn

from core.i18n import Language, install
from core.mail.secrets import SecretError
from core.mail.sync import Cancelled, SyncProgress, SyncSummary
from core.mail.sync_process import (
    Lines,
    error_payload,
    messages,
    progress_payload,
    summary_payload,
)


class _Channel:
    """Standard input and output as the app speaks them: reports out, answers and cancel in."""

    def __init__(self, lines_in: IO[str], lines_out: IO[str]) -> None:
        self._in, self._out = lines_in, Lines(lines_out)
        self.cancel = threading.Event()
        self.answers: queue.SimpleQueue[dict[str, Any] | None] = queue.SimpleQueue()
        self.start: dict[str, Any] = json.loads(lines_in.readline() or "null") or {}

    def listen(self) -> None:
        """Read the app's lines in a thread: answers are queued; "cancel" or the end of
        the input (the app is gone) sets ``cancel``."""
        threading.Thread(target=self._listen, name="sync-listen", daemon=True).start()

    def _listen(self) -> None:
        for said in messages(self._in):
            if "cancel" in said:
                break
            self.answers.put(said)
        self.cancel.set()
        self.answers.put(None)  # a question waiting for an answer is not answered now

    def send(self, message: dict[str, object]) -> None:
        """Write one line; when the app is gone (a closed pipe) stop at the next look."""
        if not self._out.send(message):
            self.cancel.set()

    def progress(self, p: SyncProgress) -> None:
        self.send({"progress": progress_payload(p)})

    def synced(self, summary: SyncSummary) -> None:
        self.send({"synced": summary_payload(summary)})


class _AppSecrets:
    """A ``SecretStore`` whose every call is carried out by the app's own store."""

    def __init__(self, channel: _Channel) -> None:
        self._channel = channel

    def _ask(self, *asked: str) -> str | None:
        self._channel.send({"secret": list(asked)})
        answer = self._channel.answers.get()
        if answer is None:
            raise Cancelled
        if "error" in answer:
            raise SecretError(str(answer["error"]))
        value = answer.get("value")
        return None if value is None else str(value)

    def get(self, key: str) -> str | None:
        return self._ask("get", key)

    def set(self, key: str, secret: str) -> None:
        self._ask("set", key, secret)

    def delete(self, key: str) -> None:
        self._ask("delete", key)


def main() -> NoReturn:
    """Run the child; end the process without the interpreter's teardown: everything is
    written (the cache's transactions committed, the lines flushed), and freeing a first
    sync's 100,000 messages one by one would delay a cancel by most of a second."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a Ctrl+C in a terminal is the app's to handle
    code = _run(_Channel(sys.stdin, sys.stdout))
    sys.stderr.flush()
    os._exit(code)


def _run(channel: _Channel) -> int:
    if not channel.start:
        return 2
    install(Language(*channel.start["language"]))
    channel.listen()
    try:
        _watch(channel)
    except Cancelled:
        pass
    except BaseException as error:  # every error is the app's to show
        channel.send({"failed": error_payload(error)})
        return 1
    return 0


def _watch(channel: _Channel) -> None:
    from core.mail import accounts, fetch_split
    from core.mail.sync import NO_SPLIT, SPLIT
    from core.mail.watch import watch
    from core.store import db
    from core.store.accounts import account_by_id

    start = channel.start
    with closing(db.connect(start["cache"])) as conn:
        account = account_by_id(conn, int(start["account"]))
        if account is None:
            return  # removed meanwhile: nothing to sync
        secrets = _AppSecrets(channel)
        watch(
            conn,
            account,
            lambda: accounts.open_source(conn, account, secrets),
            cancel=channel.cancel,
            on_sync=channel.synced,
            progress=channel.progress,
            poll_seconds=float(start["poll"]),
            split=SPLIT if fetch_split.spare_core(busy=2) else NO_SPLIT,  # the window works too
        )


if __name__ == "__main__":
    main()
