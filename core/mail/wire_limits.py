"""Limits on everything an IMAP server chooses: line and literal sizes, numbers, time.

A server decides how long a line is, how big a literal is, which numbers it sends and when
it answers. None of that may decide how much memory or time Mailscope spends, so:

- a response line longer than :attr:`WireLimits.line` stops the folder (the connection is
  dropped: the rest of the line is never read);
- a header literal longer than :attr:`WireLimits.header` is cut to that size (the rest is read
  and thrown away, never held) and the message is flagged ``header-cut``; any other literal
  over :attr:`WireLimits.literal` stops the folder;
- numbers are range-checked before they reach SQLite: a UID, UIDVALIDITY, UIDNEXT or EXISTS
  is 32 bits (RFC 3501 ``nz-number``/``number``), a MODSEQ or size 63 bits (RFC 7162, 9051);
- a read waits at most the idle timeout for a byte (a *stall* ends the sync: the server is
  not answering), a command may run :attr:`WireLimits.command` seconds without delivering
  anything new, and a whole sync until the deadline the sync sets (``core.mail.sync_guard``).

Every limit is a field of :class:`WireLimits`, so tests and benches can make them small; the
defaults are the product's (see ``docs/limits.md``).
"""

from __future__ import annotations

import contextlib
import io
import math
import socket
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Final

from core.i18n import _
from core.mail.source import ConnectionLost, FolderError, MailError

UID_MAX: Final = 2**32 - 1  # RFC 3501: uniqueid = nz-number, a 32-bit number
NUMBER_MAX: Final = 2**32 - 1  # RFC 3501 number: EXISTS, UIDVALIDITY
UIDNEXT_MAX: Final = 2**32  # one past the highest UID
MODSEQ_MAX: Final = 2**63 - 1  # RFC 7162 mod-sequence-value (and SQLite's INTEGER)
SIZE_MAX: Final = 2**63 - 1  # RFC 9051 number64 (RFC822.SIZE), SQLite's INTEGER
_DIGITS: Final = 20  # no number above fits in more: longer ones are refused before int()
_READ: Final = 1 << 20  # bytes asked of the socket at once while reading a big literal
_TEXT: Final = 160  # characters of server text quoted in an error


@dataclass(frozen=True, slots=True)
class WireLimits:
    """What a server may make Mailscope read and wait for (sizes in bytes, times in seconds)."""

    line: int = 8 << 20  # one response line, its literals apart
    header: int = 4 << 20  # a header literal: cut (and flagged) beyond this
    literal: int = 128 << 20  # any other literal (a whole message): refused beyond this
    command: float = 60.0  # a command that delivers nothing new for this long is ended
    folders: int = 10_000  # folders in a LIST
    messages: int = 1_000_000  # UIDs or flag changes of one folder in one answer


DEFAULT_LIMITS: Final = WireLimits()


class ServerError(FolderError):
    """The server broke the protocol or a limit while a folder was read: that folder stops.

    The sync reports it in one line, reconnects, and goes on with the other folders.
    """


class Unresponsive(ConnectionLost):
    """The server stopped answering (no byte within the idle timeout): the sync ends now.

    Not retried: a server that stalled once stalls again, and each try would cost the
    whole timeout.
    """


class SyncTimeout(MailError):
    """The whole sync ran past its deadline; what was fetched is kept, the next sync goes on."""


def server_text(raw: bytes) -> str:
    """Server-chosen bytes as a short, printable, one-line quote for an error message."""
    text = raw[: _TEXT * 4].decode("utf-8", "replace")
    clean = "".join(c if c.isprintable() else " " for c in text)
    clean = " ".join(clean.split())
    return clean if len(clean) <= _TEXT else clean[: _TEXT - 1] + "…"


def number(text: bytes, top: int, what: str) -> int:
    """A decimal number the server sent, at most ``top``; ServerError otherwise."""
    if not text.isdigit() or len(text) > _DIGITS or int(text) > top:
        shown = text[:24].decode("ascii", "replace") + ("…" if len(text) > 24 else "")
        raise ServerError(
            _("the server sent %(what)s %(shown)s, out of range (at most %(top)s)")
            % {"what": what, "shown": shown, "top": top}
        )
    return int(text)


class Cut(bytes):
    """A header literal cut to :attr:`WireLimits.header`; ``size`` is what the server announced."""

    size: int

    def __new__(cls, data: bytes, size: int) -> Cut:
        cut = super().__new__(cls, data)
        cut.size = size
        return cut


def cut_header(data: bytes, size: int) -> Cut:
    """The first bytes of an over-long header block, ending at a line end when there is one."""
    end = data.rfind(b"\n") + 1
    return Cut(data[:end] if end else data, size)


class Clock:
    """The deadlines of one connection: per command (renewed by progress) and per sync."""

    def __init__(self, idle: float, limits: WireLimits, now: Callable[[], float] = time.monotonic):
        self.idle = idle
        self.limits = limits
        self.now = now
        self.command_due = math.inf
        self.sync_due = math.inf
        self.doing = b""  # the verb of the command in flight, for messages

    def start(self, command: bytes) -> None:
        """A command was sent: it has :attr:`WireLimits.command` seconds to show progress."""
        words = command.split(None, 2)
        self.doing = b" ".join(words[:2]) if words[:1] == [b"UID"] else b"".join(words[:1])
        self.renew()

    def renew(self) -> None:
        """The command delivered something new: its deadline starts again."""
        self.command_due = self.now() + self.limits.command

    def budget(self) -> float:
        """How long the next socket read may wait; raises once a deadline has passed."""
        now = self.now()
        left = min(self.command_due, self.sync_due) - now
        if left <= 0:
            raise self.overdue(now)
        return min(self.idle, left)

    def overdue(self, now: float | None = None) -> MailError:
        """The error for a read that waited until its budget ran out."""
        now = self.now() if now is None else now
        verb = self.doing.decode("ascii", "replace") or "a command"
        if now >= self.sync_due:
            return SyncTimeout(
                f"the sync ran past its time limit during {verb}; what was fetched is kept and"
                " the next sync continues"
            )
        if now >= self.command_due:
            return ServerError(
                _(
                    "the server did not finish %(verb)s and sent nothing new for "
                    "%(command)s s (it kept the command open)"
                )
                % {"verb": verb, "command": format(self.limits.command, "g")}
            )
        return Unresponsive(f"the server stopped answering during {verb} for {self.idle:g} s")


class BoundedReader:
    """Reads responses from a buffered socket reader within the limits and deadlines.

    Every wait on the socket is bounded by :meth:`Clock.budget` (the socket's timeout is set
    before each read that may block), lines by :attr:`WireLimits.line`, literals by
    :attr:`WireLimits.header` (cut) or :attr:`WireLimits.literal` (refused). Bytes are taken
    at most one socket read at a time, so a server trickling bytes meets the deadline too.
    """

    def __init__(self, file: io.BufferedReader, sock: Any, clock: Clock) -> None:
        self.file = file
        self.sock = sock  # None for a reader over something else (tests' scripted bytes)
        self.clock = clock
        self.limits = clock.limits
        self._pending = b""  # bytes already taken from ``file`` that come first

    def wait(self) -> None:
        """Set the socket's timeout to what the deadlines leave (before a blocking read)."""
        budget = self.clock.budget()
        if self.sock is not None:
            self.sock.settimeout(budget)

    def response(self, prefix: bytes = b"", cut: bool = False) -> list[bytes]:
        """One response (its line, then each literal and the line after it).

        ``prefix`` holds its first bytes, already taken from the reader. With ``cut``, a
        literal over the header limit comes back as a :class:`Cut`.
        """
        self._pending = prefix
        line = self.line()
        parts = [line]
        size = literal_size(line)
        while size is not None:
            parts.append(self.literal(size, cut))
            line = self.line()
            parts.append(line)
            size = literal_size(line)
        return parts

    def line(self) -> bytes:
        """The next line with its line end; ServerError past the line limit."""
        limit = self.limits.line
        chunks: list[bytes] = []
        size = 0
        while True:
            data = self._peek()
            end = data.find(b"\n", 0, limit + 1 - size)
            if end >= 0:
                chunks.append(self._take(end + 1))
                return b"".join(chunks)
            taken = self._take(min(len(data), limit + 1 - size))
            chunks.append(taken)
            size += len(taken)
            if size > limit:
                raise ServerError(
                    _("the server sent a line over %(limit)s bytes (no line end)")
                    % {"limit": limit}
                )

    def literal(self, size: int, cut: bool = False) -> bytes:
        """``size`` bytes: a header literal over the limit cut, any other refused."""
        keep = size
        if cut and size > self.limits.header:
            keep = self.limits.header
        elif size > self.limits.literal:
            text = _(
                "the server announced a literal of %(size)s bytes (at most %(literal)s are read)"
            )
            raise ServerError(text % {"size": size, "literal": self.limits.literal})
        chunks: list[bytes] = []
        kept = 0
        left = size
        while left:
            if self._pending:
                data = self._take(min(left, len(self._pending)))
            else:
                self.wait()
                data = self.file.read1(min(left, _READ))
                if not data:
                    raise ConnectionLost(_("the server closed the connection"))
            left -= len(data)
            if kept < keep:
                chunks.append(data[: keep - kept])
                kept += len(chunks[-1])
        whole = b"".join(chunks)
        return cut_header(whole, size) if keep < size else whole

    def _peek(self) -> bytes:
        if self._pending:
            return self._pending
        self.wait()
        data = self.file.peek()
        if not data:
            raise ConnectionLost(_("the server closed the connection"))
        return data

    def _take(self, count: int) -> bytes:
        if self._pending:
            taken, self._pending = self._pending[:count], self._pending[count:]
            return taken
        return self.file.read(count)


def literal_size(line: bytes) -> int | None:
    """The size a line announces with its final ``{N}`` (or ``{N+}``), range-checked."""
    if not line.endswith(b"}\r\n"):
        return None
    start = line.rfind(b"{")
    if start < 0:
        return None
    text = line[start + 1 : line.rfind(b"}")].rstrip(b"+")
    if not text.isdigit():
        return None
    return number(text, SIZE_MAX, "a literal size")


def uid_ranges(text: bytes, top: int, most: int) -> list[range]:
    """A sequence set (``1:3,7``) as ranges clamped to ``1..top``, at most ``most`` UIDs.

    Never materialised: ``1:4294967295`` is one range. More than ``most`` UIDs raise.
    """
    found: list[range] = []
    count = 0
    for piece in text.split(b","):
        uids = _clamped(piece, top)
        if not uids:
            continue
        found.append(uids)
        count += len(uids)
        if count > most:
            raise ServerError(_("the server listed more than %(most)s UIDs") % {"most": most})
    return found


def _clamped(piece: bytes, top: int) -> range:
    """One ``a:b`` (or ``a``) of a sequence set as a range within ``1..top`` (maybe empty)."""
    low, _, high = piece.partition(b":")
    first = number(low, UID_MAX, "a UID")
    last = number(high, UID_MAX, "a UID") if high else first
    first, last = min(first, last), min(max(first, last), top)
    return range(first, last + 1)


def flatten(ranges: Sequence[range]) -> list[int]:
    """The UIDs of bounded ranges (see :func:`uid_ranges`), in order."""
    return [uid for r in ranges for uid in r]


@contextlib.contextmanager
def watchdog(sock: socket.socket, seconds: float) -> Iterator[list[bool]]:
    """Shut ``sock`` down if the block takes longer than ``seconds``; yields a list that is
    non-empty once it fired.

    For calls Mailscope does not read itself (imapclient's LOGIN, CAPABILITY, LOGOUT,
    APPEND): their reads wait on the socket's timeout only, which a server sending a line
    every few seconds never meets. Shutting the socket down ends any read at once.
    """
    fired: list[bool] = []

    def fire() -> None:
        fired.append(True)
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)

    timer = threading.Timer(seconds, fire)
    timer.daemon = True
    timer.start()
    try:
        yield fired
    finally:
        timer.cancel()
