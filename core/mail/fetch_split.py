"""A big first fill read by two processes: this one and a helper on a second connection.

Parsing a header block is Python work that holds the interpreter lock, so a thread cannot
share it; a process can. When a folder has many new messages (``core.mail.sync.SPLIT``), a
helper process (``core.mail.fetch_child``) opens a second connection to the same mailbox (the
source's ``twin``: its settings and the secret it signed in with, sent on the helper's
standard input, never on its command line), fetches the last ``SHARE`` of the new UIDs and
caches them itself, one short transaction per batch as this process does (SQLite lets one
writer at a time in; each waits for the other's commit). It sends back each batch's engine
messages (pickled columns: ``build_message``'s arguments) for the decision that follows, so
nothing is read back from the cache. Even on a 2-core machine that also runs the server, a
first ``mailscope sync`` of 100,000 realistic messages takes ~1.5 s less
(``bench/process_bench.py``), for ~1 s more CPU in all.

Nothing depends on the helper: if it cannot start, fails or dies, what it cached stays (the
writes are idempotent, the rows it could not hand over are read back by the decision) and
this process fetches the UIDs it did not hand over. A cancel, or an error here, kills it: a
killed writer leaves SQLite consistent. A helper whose input closes (this process died)
stops itself.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import pickle
import struct
import subprocess
import threading
from collections.abc import Callable, Sequence
from typing import IO, Final

from core.mail import workers
from core.mail.fill import Added, Target, fill
from core.rules.model import Message, build_message
from core.store.transaction import file_of

# The helper's share: it starts ~0.3 s after this process (its interpreter, its sign-in) and
# pickles what it sends, while this process also takes those in and then settles the verdicts
# alone. Measured on a 100k first sync (whole processes, alternated): 0.46 took 5.08 s against
# 5.23 s at 0.44 (medians of 10; the helper had ended 0.05-0.36 s before this process's share),
# and 5.24 s against 5.40 s and 5.38 s at 0.48 and 0.50 (medians of 8).
SHARE: Final = 0.46
WORD: Final = "fetch-worker"  # the bundle's executable runs the helper with this
HEAD: Final = struct.Struct("<Q")  # a frame: its length, then a pickle
# The helper's output pipe, where Linux allows it (its default limit for any process): 64 KiB
# by default, so each batch's frame (~3 MB) went through in ~45 reads, each waiting for the
# GIL of this busy process while the helper, blocked on its write, waited too. Measured on a
# 100k first sync: ~0.15 s less (the fill 3.97 s against 4.08 s, median of 6).
PIPE_BYTES: Final = 1 << 20


def spare_core(busy: int = 1) -> bool:
    """Whether this machine has a core for a helper beside ``busy`` processes already at work
    (a ``mailscope sync``: itself; the window: itself and its sync process, which re-reads
    the table as rows land). Measured on 2 cores, a first sync of 100,000 messages: the
    command took ~1.5 s less with a helper; the window's took as long (8.0-9.0 s against
    8.6-9.0 s without), for ~1 s more CPU and a second connection: not worth it there.
    """
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on every platform
        cores = os.cpu_count() or 1
    return cores > busy


def command() -> list[str]:
    """How to start the helper: the bundle's own executable, or this Python on the module."""
    return workers.command("core.mail.fetch_child", WORD)


def runs(uids: Sequence[int]) -> list[tuple[int, int]]:
    """``uids`` (ascending) as runs of consecutive UIDs, first and last: a short message."""
    found: list[tuple[int, int]] = []
    for _, group in itertools.groupby(enumerate(uids), lambda pair: pair[1] - pair[0]):
        first, *rest = (uid for _, uid in group)
        found.append((first, rest[-1] if rest else first))
    return found


def expand(found: Sequence[Sequence[int]]) -> list[int]:
    """The UIDs of ``runs``."""
    return [uid for first, last in found for uid in range(first, last + 1)]


class Helper:
    """A helper process fetching ``uids`` of a folder into the same cache; the engine messages
    of the rows it cached, by row id, as it sends them."""

    def __init__(self, process: subprocess.Popen[bytes], uids: Sequence[int]) -> None:
        self._process = process
        self.uids = uids
        self.messages: dict[int, Message] = {}
        self.ended = False  # it said it fetched all its UIDs
        self.error: str | None = None  # the line it ended with when it failed
        self._reader = threading.Thread(target=self._read, name="fetch-helper", daemon=True)
        self._reader.start()

    def _read(self) -> None:
        """Take in the helper's frames until its output ends. A frame that cannot be read
        ends the reading: the helper counts as failed, and what it did not hand over is
        fetched by the syncing process."""
        assert self._process.stdout is not None
        try:
            while (frame := _frame(self._process.stdout)) is not None:
                kind, value = pickle.loads(frame)  # this program's own helper: trusted
                if kind == "rows":
                    ids, columns = value
                    built = itertools.starmap(build_message, columns)
                    self.messages.update(zip(ids, built, strict=True))
                elif kind == "end":
                    self.ended = True
                else:
                    self.error = str(value)
        except Exception as error:  # any broken frame: the helper failed
            self.ended, self.error = False, f"{type(error).__name__}: {error}"

    @property
    def done(self) -> int:
        """Messages the helper has cached and handed over (progress)."""
        return len(self.messages)

    def wait(self, look: Callable[[int], None]) -> bool:
        """Wait for the helper to end, calling ``look`` with its progress every 0.1 s (it may
        raise, a cancel); whether it fetched all its UIDs."""
        while self._reader.is_alive():
            look(self.done)
            self._reader.join(0.1)
        return self.ended and self._process.wait() == 0

    def left(self) -> list[int]:
        """The helper's UIDs it did not hand over (all of them when it failed at once)."""
        got = {int(message.id) for message in self.messages.values()}
        return [uid for uid in self.uids if uid not in got]

    def stop(self) -> None:
        """End the helper now if it still runs; never raises."""
        with contextlib.suppress(OSError):
            assert self._process.stdin is not None
            self._process.stdin.close()
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait()
        self._reader.join()
        if self._process.stdout is not None:
            self._process.stdout.close()


def widen(pipe: IO[bytes]) -> None:
    """Give ``pipe`` a :data:`PIPE_BYTES` buffer where the system lets this process (Linux
    up to ``/proc/sys/fs/pipe-max-size``); elsewhere, or when refused, it stays as it is."""
    try:
        import fcntl

        fcntl.fcntl(pipe.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)
    except (ImportError, AttributeError, OSError):  # not Linux, or over the system's limit
        pass


def _frame(stream: IO[bytes]) -> bytes | None:
    head = stream.read(HEAD.size)
    if len(head) < HEAD.size:
        return None
    (size,) = HEAD.unpack(head)
    body = stream.read(size)
    return body if len(body) == size else None


def start(target: Target, uids: Sequence[int]) -> tuple[Sequence[int], Helper | None]:
    """Share ``uids`` with a helper: the UIDs left to this process, and the helper (None, and
    every UID, when there is no core to spare, the source cannot have one or the helper
    cannot start)."""
    if not spare_core():
        return uids, None
    conn, source, info, where, batch = target
    try:
        twin = source.twin()
    except Exception:  # a token not to be had now: no helper, no harm
        return uids, None
    path = file_of(conn)
    if twin is None or path is None:
        return uids, None
    cut = len(uids) - int(len(uids) * SHARE)
    theirs = uids[cut:]
    payload = {
        "cache": path,
        "folder": [info.name, info.display, info.role.value],
        "where": list(where),
        "uids": runs(theirs),
        "batch": batch,
        "twin": [twin.settings, twin.secret, twin.bearer, twin.seconds_left],
    }
    try:
        process = subprocess.Popen(
            command(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=workers.environment(),
        )
    except OSError:
        return uids, None
    try:
        assert process.stdin is not None
        process.stdin.write(json.dumps(payload).encode() + b"\n")
        process.stdin.flush()
    except OSError:
        process.kill()
        process.wait()
        return uids, None
    assert process.stdout is not None
    widen(process.stdout)
    return uids[:cut], Helper(process, theirs)


def shared(
    target: Target, uids: Sequence[int], look: Callable[[int, int], None], added: Added
) -> int | None:
    """``fill`` of ``uids`` with a helper fetching a share; the rows added, or None (nothing
    done) when no helper could start. ``look`` gets the progress, done and total, and may
    raise (a cancel: the helper is killed)."""
    mine, helper = start(target, uids)
    if helper is None:
        return None
    total = len(uids)
    try:
        count = fill(target, mine, lambda n: look(n + helper.done, total), added)
        complete = helper.wait(lambda n: look(len(mine) + n, total))
        added(helper.messages)
        count += len(helper.messages)
        if not complete:  # it failed or died: what it did not hand over is fetched here
            left = helper.left()
            base = total - len(left)
            count += fill(target, left, lambda n: look(base + n, total), added)
    finally:
        helper.stop()
    return count
