"""A small hostile IMAP server: asyncio on a real loopback socket, playing one scenario.

It speaks just enough IMAP4rev1 for a Mailscope sync (CAPABILITY, LOGIN, LIST, EXAMINE,
SELECT, UID SEARCH, UID FETCH, NOOP, LOGOUT) over plain TCP on 127.0.0.1, serving
well-formed messages from :class:`Folder` values. A scenario (a :class:`Script` subclass)
overrides the step it breaks: the greeting, LIST, EXAMINE or the FETCH stream. Big answers
(a 1 GiB line, a 2 GiB literal) are written lazily in chunks and stop as soon as the client
hangs up, so the server never holds them either.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import threading
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass, field

HEADER_ITEMS = (
    b"FROM TO CC BCC SUBJECT DATE MESSAGE-ID IN-REPLY-TO REFERENCES LIST-ID"
    b" LIST-UNSUBSCRIBE PRECEDENCE AUTO-SUBMITTED"
)
CHUNK = 1 << 20


def header(n: int, folder: str = "INBOX", subject: str | None = None) -> bytes:
    """The header block of well-formed message ``n`` (a distinct Message-ID per folder)."""
    return (
        f"From: Lea Martin <lea{n}@initech.example>\r\n"
        f"To: Mia Rossi <mia@globex.example>\r\n"
        f"Subject: {subject or f'Quote {n} for {folder}'}\r\n"
        f"Date: Mon, 01 Sep 2025 10:{n % 60:02d}:00 +0000\r\n"
        f"Message-ID: <m{n}.{folder.lower()}@initech.example>\r\n\r\n"
    ).encode()


def fetch_line(seq: int | bytes, uid: int | bytes, size: int | bytes, length: int) -> bytes:
    """The first line of a Dovecot-shaped header FETCH response, before its literal."""
    return (
        b'* %s FETCH (UID %s FLAGS (\\Seen) INTERNALDATE "01-Sep-2025 10:00:00 +0000"'
        b" RFC822.SIZE %s BODY[HEADER.FIELDS (%s)] {%d}\r\n"
        % (_b(seq), _b(uid), _b(size), HEADER_ITEMS, length)
    )


def fetch_response(uid: int | bytes, block: bytes, size: int | bytes = 500) -> bytes:
    seq = uid if isinstance(uid, int) and uid < 10**9 else 1
    return fetch_line(seq, uid, size, len(block)) + block + b")\r\n"


def _b(value: int | bytes) -> bytes:
    return value if isinstance(value, bytes) else b"%d" % value


@dataclass
class Folder:
    """A folder as the server announces it (numbers as raw bytes: they may be absurd)."""

    name: bytes
    messages: dict[int, bytes] = field(default_factory=dict)  # uid -> header block
    uidvalidity: bytes = b"1234"
    uidnext: bytes | None = None  # default: the highest UID + 1
    exists: bytes | None = None  # default: the number of messages

    @classmethod
    def of(cls, name: str, uids: Iterable[int], **fields: bytes) -> Folder:
        return cls(name.encode(), {uid: header(uid, name) for uid in uids}, **fields)


class Conn:
    """One client connection: what a script writes with."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer
        self.selected: Folder | None = None

    async def send(self, data: bytes) -> None:
        self.writer.write(data)
        await self.writer.drain()

    async def stream(self, chunks: AsyncIterator[bytes] | Iterable[bytes]) -> None:
        """Write chunk after chunk (never all at once) until done or the client hangs up."""
        if isinstance(chunks, AsyncIterator):
            async for chunk in chunks:
                await self.send(chunk)
        else:
            for chunk in chunks:
                await self.send(chunk)

    async def hold(self) -> None:
        """Stall: keep the connection open and silent until the client hangs up."""
        await self.reader.read()  # returns at EOF
        raise ConnectionResetError("the client left")


class Script:
    """A well-behaved server; scenarios override the steps they break."""

    capabilities = b"IMAP4rev1 UIDPLUS"

    def __init__(self) -> None:
        self.folders: list[Folder] = [Folder.of("INBOX", [1, 2, 3]), Folder.of("Sent", [1, 2])]
        self.connections = 0

    def folder(self, name: bytes) -> Folder | None:
        return next((f for f in self.folders if f.name == name), None)

    async def greet(self, conn: Conn) -> None:
        await conn.send(b"* OK [CAPABILITY %s] hostile server ready\r\n" % self.capabilities)

    async def list(self, conn: Conn, tag: bytes) -> None:
        for f in self.folders:
            await conn.send(b'* LIST (\\HasNoChildren) "/" "%s"\r\n' % f.name)
        await conn.send(tag + b" OK List completed.\r\n")

    async def select(self, conn: Conn, tag: bytes, folder: Folder) -> None:
        top = max(folder.messages, default=0)
        exists = folder.exists or b"%d" % len(folder.messages)
        uidnext = folder.uidnext or b"%d" % (top + 1)
        await conn.send(
            b"* %s EXISTS\r\n* 0 RECENT\r\n* OK [UIDVALIDITY %s] UIDs valid\r\n"
            b"* OK [UIDNEXT %s] Predicted next UID\r\n"
            b"%s OK [READ-ONLY] Examine completed.\r\n" % (exists, folder.uidvalidity, uidnext, tag)
        )

    async def search(self, conn: Conn, tag: bytes, folder: Folder, uids: bytes) -> None:
        found = [uid for uid in sorted(folder.messages) if in_set(uid, uids)]
        await conn.send(b"* SEARCH %s\r\n" % b" ".join(b"%d" % u for u in found))
        await conn.send(tag + b" OK Search completed.\r\n")

    async def fetch(self, conn: Conn, tag: bytes, folder: Folder, uids: bytes) -> None:
        for uid in sorted(folder.messages):
            if in_set(uid, uids):
                await conn.send(fetch_response(uid, folder.messages[uid]))
        await conn.send(tag + b" OK Fetch completed.\r\n")


def in_set(uid: int, text: bytes) -> bool:
    """Whether ``uid`` is in an IMAP sequence set (``*`` is the highest number)."""
    for piece in text.split(b","):
        low, _, high = piece.partition(b":")
        first = 2**64 if low == b"*" else int(low)
        last = first if not high else 2**64 if high == b"*" else int(high)
        if min(first, last) <= uid <= max(first, last):
            return True
    return False


_COMMAND = re.compile(rb"(\S+) (UID )?(\S+) ?(.*?)\r?\n\Z", re.IGNORECASE | re.DOTALL)
_QUOTED = re.compile(rb'"((?:[^"\\]|\\.)*)"')


class HostileServer:
    """Runs a :class:`Script` on 127.0.0.1 in a thread of its own; ``port`` once started."""

    def __init__(self, script: Script) -> None:
        self.script = script
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._server: asyncio.base_events.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    def start(self) -> HostileServer:
        self._thread.start()
        started = asyncio.run_coroutine_threadsafe(self._start(), self._loop)
        self.port = started.result(10)
        return self

    async def _start(self) -> int:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0, limit=1 << 20)
        return int(self._server.sockets[0].getsockname()[1])

    def stop(self) -> None:
        async def close() -> None:
            if self._server is not None:
                self._server.close()
            tasks = list(self._tasks)
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

        with contextlib.suppress(Exception):
            asyncio.run_coroutine_threadsafe(close(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    def __enter__(self) -> HostileServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)  # type: ignore[arg-type]
        self.script.connections += 1
        conn = Conn(reader, writer)
        try:
            await self.script.greet(conn)
            while (line := await reader.readline()) and await self._command(conn, line):
                pass
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.CancelledError):
            pass
        finally:
            self._tasks.discard(task)  # type: ignore[arg-type]
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    async def _command(self, conn: Conn, line: bytes) -> bool:
        """Answer one command; False once the client logged out."""
        match = _COMMAND.match(line)
        if match is None:
            await conn.send(b"* BAD what?\r\n")
            return True
        tag, uid, verb, rest = match.groups()
        verb = verb.upper()
        script = self.script
        if verb == b"LOGOUT":
            await conn.send(b"* BYE bye\r\n" + tag + b" OK Logout completed.\r\n")
            return False
        if verb == b"CAPABILITY":
            await conn.send(b"* CAPABILITY %s\r\n%s OK done\r\n" % (script.capabilities, tag))
        elif verb == b"LIST":
            await script.list(conn, tag)
        elif verb in (b"EXAMINE", b"SELECT"):
            quoted = _QUOTED.search(rest)
            name = quoted.group(1) if quoted else rest.strip()
            folder = script.folder(name)
            conn.selected = folder
            if folder is None:
                await conn.send(tag + b" NO Mailbox doesn't exist.\r\n")
            else:
                await script.select(conn, tag, folder)
        elif uid and verb == b"SEARCH" and conn.selected is not None:
            await script.search(conn, tag, conn.selected, rest.split()[-1])
        elif uid and verb == b"FETCH" and conn.selected is not None:
            await script.fetch(conn, tag, conn.selected, rest.split()[0])
        else:  # LOGIN, NOOP, ENABLE...
            await conn.send(tag + b" OK done\r\n")
        return True
