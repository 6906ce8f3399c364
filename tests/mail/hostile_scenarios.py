"""The 24 hostile or broken IMAP servers of issue #11, with what a sync must make of each.

Each scenario is a :class:`~tests.helpers.hostile_imap.Script` that breaks one step, beside
well-formed messages in the same folder and in others. ``Pace`` sets the server's clock (how
often it sends its keep-alive lines) from the client's idle timeout, so the same scenarios
run in the test suite with short deadlines and in ``bench/hostile_bench.py`` with the
product's. ``Sizes`` are the issue's (a 1 GiB line, a 2 GiB literal...), written lazily.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from tests.helpers.hostile_imap import (
    CHUNK,
    Conn,
    Folder,
    Script,
    fetch_line,
    fetch_response,
    header,
)


@dataclass(frozen=True)
class Pace:
    idle: float  # the client's idle timeout: keep-alive lines come faster than this


@dataclass(frozen=True)
class Sizes:
    line: int = 1 << 30  # a line without a line end
    fetch_line: int = 50_000_000  # one FETCH line (that does end)
    literal: int = 2 << 30  # a header literal, sent in full
    subject: int = 50_000_000  # a Subject folded over many lines


@dataclass(frozen=True)
class Case:
    name: str
    make: Callable[[Pace, Sizes], Script]
    cached: dict[str, list[int]]  # folder -> the UIDs that must be cached, exactly
    error: str | None  # a regular expression the command's stderr must match (None: empty)
    flagged: tuple[str, int, str] | None = None  # (folder, uid, flag) on a cached row
    stall: bool = False  # the server goes silent: bounded by the stall time, not the command's
    command: float | None = None  # a longer command time for the test (a big literal to read)


async def _forever(conn: Conn, line: bytes, every: float) -> None:
    while True:
        await conn.send(line)
        await asyncio.sleep(every)


def _padded(head: bytes, total: int) -> Iterator[bytes]:
    """``head`` then header lines of padding, ``total`` bytes in all, a chunk at a time."""
    yield head
    line = b"X-Pad: " + b"x" * 990 + b"\r\n"
    left = total - len(head)
    block = line * (CHUNK // len(line))
    while left > len(block):
        yield block
        left -= len(block)
    yield (line * (left // len(line) + 1))[:left]


class _Base(Script):
    def __init__(self, pace: Pace, sizes: Sizes) -> None:
        super().__init__()
        self.pace, self.sizes = pace, sizes

    def inbox(self) -> Folder:
        return self.folders[0]


class _BadFetch(_Base):
    """INBOX's FETCH breaks after message 1 (``after``); other folders are well-formed."""

    async def fetch(self, conn: Conn, tag: bytes, folder: Folder, uids: bytes) -> None:
        if folder.name != b"INBOX":
            return await super().fetch(conn, tag, folder, uids)
        await conn.send(fetch_response(1, folder.messages[1]))
        await self.after(conn, tag, folder)

    async def after(self, conn: Conn, tag: bytes, folder: Folder) -> None:
        raise NotImplementedError


class NonUtf8Folder(_Base):
    def __init__(self, pace: Pace, sizes: Sizes) -> None:
        super().__init__(pace, sizes)
        self.folders.insert(1, Folder(b"Caf\xe9", {1: header(1, "Cafe")}))


class Uid2To64(_BadFetch):
    async def after(self, conn: Conn, tag: bytes, folder: Folder) -> None:
        await conn.send(fetch_response(2**64, header(99)))
        for uid in (2, 3):
            await conn.send(fetch_response(uid, folder.messages[uid]))
        await conn.send(tag + b" OK Fetch completed.\r\n")


class Size2To64(_BadFetch):
    async def after(self, conn: Conn, tag: bytes, folder: Folder) -> None:
        await conn.send(fetch_response(2, folder.messages[2], size=2**64))
        await conn.send(fetch_response(3, folder.messages[3]))
        await conn.send(tag + b" OK Fetch completed.\r\n")


class Uidvalidity10To23(_Base):
    def __init__(self, pace: Pace, sizes: Sizes) -> None:
        super().__init__(pace, sizes)
        self.folders[1].uidvalidity = b"%d" % 10**23


class HugeExists(_Base):
    def __init__(self, pace: Pace, sizes: Sizes) -> None:
        super().__init__(pace, sizes)
        big = Folder(b"Big", {}, exists=b"50000000", uidnext=b"50000001")
        hollow = Folder.of("Hollow", [7, 899_999], exists=b"900000", uidnext=b"900001")
        self.folders[1:] = [big, hollow]


class Literal2GiB(_BadFetch):
    async def after(self, conn: Conn, tag: bytes, folder: Folder) -> None:
        size = self.sizes.literal
        await conn.send(fetch_line(2, 2, 500, size))
        await conn.stream(_padded(header(2).removesuffix(b"\r\n"), size))
        await conn.send(b")\r\n" + fetch_response(3, folder.messages[3]))
        await conn.send(tag + b" OK Fetch completed.\r\n")


class EndlessOk(_BadFetch):
    async def after(self, conn: Conn, tag: bytes, folder: Folder) -> None:
        await _forever(conn, b"* OK still working\r\n", self.pace.idle / 3)


class RepeatedFetch(_BadFetch):
    async def after(self, conn: Conn, tag: bytes, folder: Folder) -> None:
        again = b"".join(fetch_response(uid, folder.messages[uid]) for uid in (1, 2, 3))
        while True:
            await conn.send(again)
            await asyncio.sleep(0)


class Line1GiB(_BadFetch):
    async def after(self, conn: Conn, tag: bytes, folder: Folder) -> None:
        await conn.send(b"* 2 FETCH (UID 2 FLAGS (")
        flags = b"\\Flagged " * (CHUNK // 9)
        await conn.stream(flags for _ in range(self.sizes.line // len(flags)))


class FetchLine50MB(_BadFetch):
    async def after(self, conn: Conn, tag: bytes, folder: Folder) -> None:
        flags = b"$Label " * (CHUNK // 7)
        await conn.send(b"* 2 FETCH (UID 2 FLAGS (")
        await conn.stream(flags for _ in range(self.sizes.fetch_line // len(flags)))
        await conn.send(b"))\r\n" + fetch_response(3, folder.messages[3]))
        await conn.send(tag + b" OK Fetch completed.\r\n")


class Subject50MB(_BadFetch):
    async def after(self, conn: Conn, tag: bytes, folder: Folder) -> None:
        fold = b" " + b"quote " * 150 + b"\r\n"  # the Subject's folded lines
        head = b"From: Lea Martin <lea2@initech.example>\r\nSubject: Offer\r\n"
        folds = self.sizes.subject // len(fold)
        await conn.send(fetch_line(2, 2, 500, len(head) + folds * len(fold) + 2) + head)
        per_chunk = CHUNK // len(fold)
        for start in range(0, folds, per_chunk):
            await conn.send(fold * min(per_chunk, folds - start))
        await conn.send(b"\r\n)\r\n" + fetch_response(3, folder.messages[3]))
        await conn.send(tag + b" OK Fetch completed.\r\n")


class StallMidFetch(_BadFetch):
    async def after(self, conn: Conn, tag: bytes, folder: Folder) -> None:
        await conn.send(fetch_response(2, folder.messages[2])[:120])
        await conn.hold()


class StallGreeting(_Base):
    async def greet(self, conn: Conn) -> None:
        await conn.hold()


class StallAfterSelect(_Base):
    async def select(self, conn: Conn, tag: bytes, folder: Folder) -> None:
        if folder.name == b"Sent":
            await conn.hold()
        await super().select(conn, tag, folder)


class Trickle(_BadFetch):
    async def after(self, conn: Conn, tag: bytes, folder: Folder) -> None:
        while True:
            for byte in b"* OK still working\r\n":
                await conn.send(bytes([byte]))
                await asyncio.sleep(self.pace.idle / 2)


class ByeMidFetch(_BadFetch):
    async def after(self, conn: Conn, tag: bytes, folder: Folder) -> None:
        await conn.send(b"* BYE going away\r\n")
        conn.writer.close()


class CloseMidLiteral(_BadFetch):
    async def after(self, conn: Conn, tag: bytes, folder: Folder) -> None:
        await conn.send(fetch_response(2, folder.messages[2])[:200])
        conn.writer.close()


class GarbageGreeting(_Base):
    async def greet(self, conn: Conn) -> None:
        await conn.send(b"SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n\x00\xff\xfe\x10garbage\r\n")
        await conn.hold()


class GarbageInFetch(_BadFetch):
    async def after(self, conn: Conn, tag: bytes, folder: Folder) -> None:
        await conn.send(
            b"\x00\xff\xfe binary \x1b[31m noise\r\n) ) ( {3}\r\nabc\r\n* 99 FETCH garbage\r\n"
            b"+ continue?\r\n* 7 EXPUNGE\r\n* 4 FETCH (UID 4 FLAGS (\\Seen))\r\nMS999 OK odd\r\n"
        )
        for uid in (2, 3):
            await conn.send(fetch_response(uid, folder.messages[uid]))
        await conn.send(tag + b" OK Fetch completed.\r\n")


class NoOnFetch(_BadFetch):
    async def fetch(self, conn: Conn, tag: bytes, folder: Folder, uids: bytes) -> None:
        if folder.name == b"INBOX":
            return await conn.send(tag + b" NO [SERVERBUG] Internal error occurred\r\n")
        return await super().fetch(conn, tag, folder, uids)


class SelectRefused(_Base):
    def __init__(self, pace: Pace, sizes: Sizes) -> None:
        super().__init__(pace, sizes)
        self.folders[1:1] = [Folder.of("Locked", [1]), Folder.of("Odd", [1])]

    async def select(self, conn: Conn, tag: bytes, folder: Folder) -> None:
        if folder.name == b"Locked":
            return await conn.send(tag + b" NO [NOPERM] Permission denied\r\n")
        if folder.name == b"Odd":
            return await conn.send(b"* 1 EXISTS\r\n" + tag + b" OK Examine completed.\r\n")
        return await super().select(conn, tag, folder)


class BadList(_Base):
    async def list(self, conn: Conn, tag: bytes) -> None:
        await conn.send(b'* LIST (\\HasNoChildren "/" "Broken\r\n* LIST\r\n* LIST () "/" ((\r\n')
        await super().list(conn, tag)


class Digits5000(_BadFetch):
    def __init__(self, pace: Pace, sizes: Sizes) -> None:
        super().__init__(pace, sizes)
        self.folders[1].uidnext = b"9" * 5000

    async def after(self, conn: Conn, tag: bytes, folder: Folder) -> None:
        await conn.send(fetch_response(b"7" * 5000, header(98)))
        for uid in (2, 3):
            await conn.send(fetch_response(uid, folder.messages[uid]))
        await conn.send(tag + b" OK Fetch completed.\r\n")


class NestedParens(_BadFetch):
    async def after(self, conn: Conn, tag: bytes, folder: Folder) -> None:
        await conn.send(b"* 2 FETCH (UID 2 FLAGS " + b"(" * 100_000 + b")\r\n")
        block = folder.messages[3]
        deep = b"(" * 100_000 + b")" * 100_000
        await conn.send(
            b"* 3 FETCH (UID 3 FLAGS %s BODY[HEADER.FIELDS (FROM)] {%d}\r\n%s)\r\n"
            % (deep, len(block), block)
        )
        await conn.send(tag + b" OK Fetch completed.\r\n")


def _cases() -> list[Case]:
    both = {"INBOX": [1, 2, 3], "Sent": [1, 2]}
    first = {"INBOX": [1], "Sent": [1, 2]}
    stalled = r"hostile: {}: the server stopped answering during {} for [\d.]+ s"
    cannot_use = r"INBOX: the server sent 1 FETCH responses Mailscope cannot use \(first: "
    no_news = r"INBOX: the server did not finish UID FETCH and sent nothing new for [\d.]+ s"
    return [
        Case("non_utf8_folder", NonUtf8Folder, both, r"Caf\\xe9: .* not UTF-8 .*: skipped"),
        Case("uid_2_64", Uid2To64, both, cannot_use + r"UID 18446744073709551616"),
        Case("size_2_64", Size2To64, {"INBOX": [1, 3], "Sent": [1, 2]},
             cannot_use + r"UID 2, RFC822.SIZE 18446744073709551616"),
        Case("uidvalidity_10_23", Uidvalidity10To23, {"INBOX": [1, 2, 3], "Sent": []},
             r"Sent: the server sent UIDVALIDITY 100000000000000000000000, out of range"),
        Case("huge_exists", HugeExists, {"INBOX": [1, 2, 3], "Big": [], "Hollow": [7, 899_999]},
             r"folder Big holds 50000000 messages, more than the 1000000"),
        Case("literal_2gib", Literal2GiB, both, None, flagged=("INBOX", 2, "header-cut"),
             command=20.0),
        Case("endless_ok", EndlessOk, first, no_news),
        Case("repeated_fetch", RepeatedFetch, both, no_news),
        Case("line_1gib", Line1GiB, first, r"INBOX: the server sent a line over 8388608 bytes"),
        Case("fetch_line_50mb", FetchLine50MB, first,
             r"INBOX: the server sent a line over 8388608 bytes"),
        Case("subject_50mb", Subject50MB, both, None, flagged=("INBOX", 2, "header-cut")),
        Case("stall_mid_fetch", StallMidFetch, {"INBOX": [1]},
             stalled.format("INBOX", "UID FETCH"), stall=True),
        Case("stall_greeting", StallGreeting, {},
             r"hostile: no answer from 127.0.0.1:\d+ \(timed out\)", stall=True),
        Case("stall_after_select", StallAfterSelect, {"INBOX": [1, 2, 3]},
             stalled.format("Sent", "EXAMINE"), stall=True),
        Case("trickle", Trickle, first, no_news),
        Case("bye_mid_fetch", ByeMidFetch, first,
             r"INBOX: the server dropped the connection 2 times while this folder was read"
             r" \(the server ended the session: going away\): skipped"),
        Case("close_mid_literal", CloseMidLiteral, first,
             r"INBOX: the server dropped the connection 2 times while this folder was read"
             r" \(the server closed the connection\): skipped"),
        Case("garbage_greeting", GarbageGreeting, {}, r"hostile: cannot connect to 127.0.0.1"),
        Case("garbage_in_fetch", GarbageInFetch, both, cannot_use + r"ParseError"),
        Case("no_on_fetch", NoOnFetch, {"INBOX": [], "Sent": [1, 2]},
             r"INBOX: the server refused the command: NO \[SERVERBUG\] Internal error occurred"),
        Case("select_refused", SelectRefused, {**both, "Locked": [], "Odd": []},
             r"cannot open folder Locked: the server refused the command: NO \[NOPERM\]"
             r"(.|\n)*the server gave no UIDVALIDITY for folder Odd"),
        Case("bad_list", BadList, both,
             r"the server listed a folder Mailscope cannot read \(\* LIST \(\\HasNoChildren"),
        Case("digits_5000", Digits5000, {"INBOX": [1, 2, 3], "Sent": []},
             cannot_use + r"ValueError(.|\n)*Sent: the server sent UIDNEXT 9{24}…, out of range"),
        Case("nested_parens", NestedParens, {"INBOX": [1, 3], "Sent": [1, 2]},
             cannot_use + r"ParseError"),
    ]  # fmt: skip


CASES = _cases()
assert len(CASES) == 24 and len({c.name for c in CASES}) == 24
