"""Reading an mbox file fast: the messages Python's ``mailbox.mbox`` finds, with stable keys.

A message starts at every line beginning with ``From `` and ends before the next one (without
the empty line before it), as ``mailbox.mbox`` splits a file; its bytes are those after its
``From `` line, as ``mailbox.mbox.get_bytes`` returns them. The file is mapped and searched
with ``bytes.find``, not read line by line, and nothing is copied: a message is its offsets
(issue 10: the mailbox module took ~3 s per 10,000 messages on every change).

A message's key must survive flag changes, which rewrite its ``Status:``/``X-Status:`` lines
(and the file): it is a digest of the message without those lines, numbered for identical
copies (``.1``, ``.2``, ...). The digest is CRC-32 and Adler-32 of those bytes and their length
(``z`` keys, ~2 GB/s). Keys written before were BLAKE2b digests (~0.5 GB/s, half a second of a
100k resync); :func:`scan` can give those too, so a cache keyed that way is carried over to
the new keys once (``core.mail.local``).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import mmap
import operator
import os
import re
import zlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Final, NamedTuple

_MBOX_FLAGS: Final = {"R": "\\Seen", "A": "\\Answered", "F": "\\Flagged", "D": "\\Deleted"}
# Status/X-Status letters -> flags: an mbox has a handful of distinct letter sets, read for
# every message of a 100,000-message scan.
_flags_memo: dict[bytes, tuple[str, ...]] = {}
_FROM_LINE: Final = re.compile(b"\nFrom ")

Stamp = tuple[int, int]  # the file's size and mtime (ns) when it was scanned


class MboxMessage(NamedTuple):
    """One message of an mbox file as a scan finds it: ``file[start:stop]`` is its bytes."""

    key: str
    flags: tuple[str, ...]
    start: int
    header_end: int  # its header block is file[start:header_end]
    stop: int
    legacy: str | None = None  # its key as written before ``z`` keys (only when asked for)


def header_end(data: bytes | mmap.mmap, start: int, stop: int) -> int:
    """Where the header block of ``data[start:stop]`` ends (after its empty line), or ``stop``:
    the first ``\n\n`` or ``\r\n\r\n``, whichever ends first."""
    lf = data.find(b"\n\n", start, stop)
    if lf >= 0:  # a CRLF one ends first only if it ends before this one does
        crlf = data.find(b"\r\n\r\n", start, lf + 1)
        return crlf + 4 if crlf >= 0 else lf + 2
    crlf = data.find(b"\r\n\r\n", start, stop)
    return crlf + 4 if crlf >= 0 else stop


def spans(data: bytes | mmap.mmap) -> Iterator[tuple[int, int]]:
    """(start, stop) of each message's bytes, as ``mailbox.mbox`` splits ``data``."""
    if data[:5] == b"From ":
        pos = 0
    elif (pos := data.find(b"\nFrom ") + 1) == 0:
        return
    size = len(data)
    while True:
        body = data.find(b"\n", pos) + 1 or size
        following = data.find(b"\nFrom ", body - 1) + 1  # the next From line, maybe right after
        yield _span(data, body, following or size)
        if not following:
            return
        pos = following


def _span(data: bytes | mmap.mmap, body: int, end: int) -> tuple[int, int]:
    """A message's (start, stop) from where its From line's line ends and where the next
    From line starts: ``mailbox.mbox`` leaves out the empty line before that one (or the end)."""
    stop = end - 1 if end - body >= 1 and data[end - 2 : end] == b"\n\n" else end
    return body, max(stop, body)


def _flags(letters: bytes) -> tuple[str, ...]:
    flags = _flags_memo.get(letters)
    if flags is None:
        text = letters.decode("ascii", "replace")
        flags = tuple(sorted({_MBOX_FLAGS[c] for c in text if c in _MBOX_FLAGS}))
        if len(_flags_memo) < 1024:
            _flags_memo[letters] = flags
    return flags


def _status_lines(
    data: mmap.mmap | bytes, start: int, end: int
) -> tuple[list[tuple[int, int]], bytes]:
    """The ``Status:`` and ``X-Status:`` lines (any case) of the header ``data[start:end]``:
    the (start, end) of each whole one, left out of the key as ``^(?:X-)?Status:[^\n]*\n``
    finds them, and their letters, as ``^(?:X-)?Status:([^\r\n]*)`` reads them (a last line
    without its line break counts there). Found with ``bytes.find``: those patterns (multi-
    line, ignoring case) try every position of the header."""
    head = data[start:end].lower()
    lines: list[tuple[int, int]] = []
    letters = b""
    pos = 0
    while (at := head.find(b"status:", pos)) >= 0:
        pos = at + 7
        if at and head[at - 1] != 10:  # not at a line's start: maybe after "x-" there
            if at < 2 or head[at - 2 : at] != b"x-" or (at > 2 and head[at - 3] != 10):
                continue
            at -= 2
        line_end = head.find(b"\n", pos)
        value_end = len(head) if line_end < 0 else line_end
        letters += data[start + pos : start + value_end].partition(b"\r")[0]
        if line_end < 0:
            break  # the last line, without its line break: not left out of the key
        lines.append((start + at, start + line_end + 1))
        pos = line_end + 1
    return lines, letters


# MboxMessage(...) is tuple.__new__ after a Python frame for its arguments: _read builds one
# per message of the file without that frame.
_new_message = functools.partial(tuple.__new__, MboxMessage)


def _read(data: mmap.mmap | bytes, view: memoryview, legacy: bool) -> list[MboxMessage]:
    """Every message's offsets, flags and key (over its bytes without Status lines), keys
    numbered by copy (``.1``, ``.2``, ...): identical messages stay distinct."""
    seen: dict[str, int] = {}
    old_seen: dict[str, int] = {}
    found: list[MboxMessage] = []
    for start, stop in spans(data):
        digest, flags, end, pieces = _message_at(data, view, start, stop)
        copy = seen[digest] = seen.get(digest, 0) + 1
        old = _legacy(pieces, old_seen) if legacy else None
        found.append(_new_message((f"{digest}.{copy}", flags, start, end, stop, old)))
    return found


def _message_at(
    data: mmap.mmap | bytes, view: memoryview, start: int, stop: int
) -> tuple[str, tuple[str, ...], int, list[memoryview]]:
    """The digest of ``data[start:stop]`` without its Status lines, its flags, where its header
    block ends, and the pieces digested."""
    end = header_end(data, start, stop)
    pieces: list[memoryview] = []
    at = start
    lines, letters = _status_lines(data, start, end)
    for line_start, line_end in lines:
        pieces.append(view[at:line_start])
        at = line_end
    pieces.append(view[at:stop])
    crc, adler, length = 0, 1, 0  # the initial values of CRC-32 and Adler-32
    for piece in pieces:
        crc, adler = zlib.crc32(piece, crc), zlib.adler32(piece, adler)
        length += len(piece)
    flags = _flags(letters) if letters else ()
    return f"z{crc:08x}{adler:08x}{length:x}", flags, end, pieces


def _legacy(pieces: list[memoryview], seen: dict[str, int]) -> str:
    """The key written before ``z`` keys: the pieces' BLAKE2b digest, numbered by copy."""
    blake = hashlib.blake2b(digest_size=12)
    for piece in pieces:
        blake.update(piece)
    old = blake.hexdigest()
    copy = seen[old] = seen.get(old, 0) + 1
    return f"{old}.{copy}"


@contextlib.contextmanager
def _mapped(path: Path) -> Iterator[tuple[mmap.mmap | bytes, memoryview, Stamp]]:
    """The file mapped read-only (an empty file as empty bytes: it cannot be mapped)."""
    with path.open("rb") as handle:
        stat = os.fstat(handle.fileno())
        stamp = (stat.st_size, stat.st_mtime_ns)
        if not stat.st_size:
            yield b"", memoryview(b""), stamp
            return
        with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
            view = memoryview(data)
            try:
                yield data, view, stamp
            finally:
                view.release()


def scan(path: Path, legacy: bool = False) -> tuple[list[MboxMessage], Stamp]:
    """Every message of an mbox file in file order, with its key (and legacy key if asked),
    and the file's stamp at the scan."""
    with _mapped(path) as (data, view, stamp):
        found = _read(data, view, legacy)
    return found, stamp


class Box(NamedTuple):
    """An mbox file mapped and cut at its From lines, cheaply (a few C-level passes): each
    message's place (``starts[i]:ends[i]``, its From line up to the next one) and ident, the
    CRC-32 and length of those bytes, which change whenever anything a scan reads of the
    message does. ``read`` reads the messages a scan must (``core.mail.local_listing``)."""

    data: mmap.mmap | bytes
    view: memoryview
    stamp: Stamp
    starts: list[int]
    ends: list[int]
    idents: list[tuple[int, int]]

    def read(self, positions: Sequence[int]) -> tuple[list[str], list[tuple[str, ...]]]:
        """The keys and flags of the messages at ``positions`` (in file order), keys numbered
        by copy among these, as ``scan`` numbers them in the whole file."""
        seen: dict[str, int] = {}
        keys: list[str] = []
        flags: list[tuple[str, ...]] = []
        for at in positions:
            start, stop = _place(self.data, self.starts[at], self.ends[at])
            digest, found, _, _ = _message_at(self.data, self.view, start, stop)
            copy = seen[digest] = seen.get(digest, 0) + 1
            keys.append(f"{digest}.{copy}")
            flags.append(found)
        return keys, flags


def _place(data: bytes | mmap.mmap, line: int, end: int) -> tuple[int, int]:
    """The (start, stop) of the message whose From line starts at ``line``, the next at ``end``."""
    return _span(data, data.find(b"\n", line) + 1 or len(data), end)


def _starts(data: bytes | mmap.mmap) -> list[int]:
    """Where each From line starts: where ``spans`` starts a message (found by the regular
    expression engine's literal search: ~40% less than a ``find`` per message)."""
    if data[:5] == b"From ":
        first = 0
    elif (first := data.find(b"\nFrom ") + 1) == 0:
        return []
    found = map(operator.methodcaller("start"), _FROM_LINE.finditer(data, first))
    return [first, *map((1).__add__, found)]


@contextlib.contextmanager
def opened(path: Path) -> Iterator[Box]:
    """The file mapped and cut (``Box``), for as long as the block runs."""
    with _mapped(path) as (data, view, stamp):
        starts = _starts(data)
        ends = [*starts[1:], len(data)]
        crcs = map(zlib.crc32, map(view.__getitem__, map(slice, starts, ends)))
        idents = list(zip(crcs, map(operator.sub, ends, starts), strict=True))
        yield Box(data, view, stamp, starts, ends, idents)


def headers(
    path: Path, stamp: Stamp, wanted: Sequence[tuple[int, int]]
) -> list[tuple[bytes, int]] | None:
    """The header blocks and sizes of the messages at the places ``wanted`` (from a ``Box`` of
    ``path``), or None when the file changed since (its offsets would point elsewhere)."""
    with _mapped(path) as (data, _, now):
        if now != stamp:
            return None
        found: list[tuple[bytes, int]] = []
        for line, end in wanted:
            start, stop = _place(data, line, end)
            found.append((data[start : header_end(data, start, stop)], stop - start))
        return found


def is_legacy(key: str) -> bool:
    """A key written before ``z`` keys (a BLAKE2b digest)."""
    return not key.startswith("z")


def message(path: Path, key: str) -> bytes | None:
    """The bytes of the message with ``key`` (a ``z`` or a legacy key), or None when gone."""
    legacy = is_legacy(key)
    with _mapped(path) as (data, view, _):
        for entry in _read(data, view, legacy):
            if (entry.legacy if legacy else entry.key) == key:
                return data[entry.start : entry.stop]
    return None
