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
import hashlib
import mmap
import os
import re
import zlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Final, NamedTuple

_STATUS_LINE: Final = re.compile(rb"^(?:X-)?Status:([^\r\n]*)[^\n]*\n", re.I | re.M)
_MBOX_FLAGS: Final = {"R": "\\Seen", "A": "\\Answered", "F": "\\Flagged", "D": "\\Deleted"}
_flags_memo: dict[bytes, tuple[str, ...]] = {}

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
    """Where the header block of ``data[start:stop]`` ends (after its empty line), or ``stop``."""
    crlf = data.find(b"\r\n\r\n", start, stop)
    lf = data.find(b"\n\n", start, stop if crlf < 0 else crlf + 3)
    if lf >= 0:
        return lf + 2
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
        end = following or size
        # mailbox.mbox leaves out the empty line before the next From line (or the end).
        stop = end - 1 if end - body >= 1 and data[end - 2 : end] == b"\n\n" else end
        yield body, max(stop, body)
        if not following:
            return
        pos = following


def _flags(letters: bytes) -> tuple[str, ...]:
    flags = _flags_memo.get(letters)
    if flags is None:
        text = letters.decode("ascii", "replace")
        flags = tuple(sorted({_MBOX_FLAGS[c] for c in text if c in _MBOX_FLAGS}))
        if len(_flags_memo) < 1024:
            _flags_memo[letters] = flags
    return flags


def _entry(
    data: mmap.mmap | bytes, view: memoryview, start: int, stop: int, legacy: bool
) -> MboxMessage:
    """One message's key (over its bytes without Status lines), flags and offsets."""
    end = header_end(data, start, stop)
    pieces: list[memoryview] = []
    letters = b""
    at = start
    for found in _STATUS_LINE.finditer(data, start, end):
        pieces.append(view[at : found.start()])
        letters += found.group(1)
        at = found.end()
    pieces.append(view[at:stop])
    crc, adler, length = 0, 1, 0  # the initial values of CRC-32 and Adler-32
    for piece in pieces:
        crc, adler = zlib.crc32(piece, crc), zlib.adler32(piece, adler)
        length += len(piece)
    old = None
    if legacy:
        blake = hashlib.blake2b(digest_size=12)
        for piece in pieces:
            blake.update(piece)
        old = blake.hexdigest()
    flags = _flags(letters) if letters else ()
    return MboxMessage(f"z{crc:08x}{adler:08x}{length:x}", flags, start, end, stop, old)


def _numbered(found: list[MboxMessage]) -> list[MboxMessage]:
    """Keys numbered by copy (``.1``, ``.2``, ...): identical messages stay distinct."""
    seen: dict[str, int] = {}
    old_seen: dict[str, int] = {}
    numbered = []
    for entry in found:
        copy = seen[entry.key] = seen.get(entry.key, 0) + 1
        old = entry.legacy
        if old is not None:
            old_copy = old_seen[old] = old_seen.get(old, 0) + 1
            old = f"{old}.{old_copy}"
        numbered.append(entry._replace(key=f"{entry.key}.{copy}", legacy=old))
    return numbered


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
        found = [_entry(data, view, start, stop, legacy) for start, stop in spans(data)]
    return _numbered(found), stamp


def headers(path: Path, stamp: Stamp, wanted: Sequence[MboxMessage]) -> list[bytes] | None:
    """The header blocks of ``wanted`` (from a scan of ``path``), or None when the file changed
    since that scan (its offsets would point elsewhere)."""
    with _mapped(path) as (data, _, now):
        if now != stamp:
            return None
        return [data[m.start : m.header_end] for m in wanted]


def is_legacy(key: str) -> bool:
    """A key written before ``z`` keys (a BLAKE2b digest)."""
    return not key.startswith("z")


def message(path: Path, key: str) -> bytes | None:
    """The bytes of the message with ``key`` (a ``z`` or a legacy key), or None when gone."""
    legacy = is_legacy(key)
    with _mapped(path) as (data, view, _):
        found = [_entry(data, view, start, stop, legacy) for start, stop in spans(data)]
        for entry in _numbered(found):
            if (entry.legacy if legacy else entry.key) == key:
                return data[entry.start : entry.stop]
    return None
