"""Pure parsing of IMAP responses: bytes in, values out, fast on bulk header FETCHes.

A response arrives as *parts*: its first line, then for each ``{N}`` literal the N bytes and
the line that follows (lines keep their CRLF). imapclient's generic parser costs about 8x the
transfer on a 100k-message FETCH (field notes), so the common Dovecot-shaped line takes one
regular expression, and anything else (items in another order, literals for any item, NIL,
Gmail extensions) goes through a small generic tokenizer. A bulk header FETCH is read by
``core.mail.imap_fetch.header_run`` straight from the received bytes, many responses per
call; what it cannot read comes here, and its tests hold it equal to :func:`header_message`.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Final

from core.mail.folders import ListEntry
from core.mailbox import FetchedMessage, FlagChange

Parts = Sequence[bytes]
Value = bytes | None | list["Value"]

HEADER_FIELDS: Final = (
    b"From To Cc Bcc Subject Date Message-ID In-Reply-To References List-Id List-Unsubscribe"
    b" Precedence Auto-Submitted"
)
RECENT: Final = "\\Recent"  # session-specific: never reported as a flag


class ParseError(ValueError):
    """A response the parser cannot read (the caller reports the server as broken)."""


_TOKEN: Final = re.compile(
    rb'[ ]*(?:(\()|(\))|"((?:[^"\\]|\\.)*)"|\{(\d+)\+?\}$|((?:[^\s()"\[\]]|\[[^\]]*\])+))'
)
_ESCAPE: Final = re.compile(rb"\\(.)")
_FAST_FETCH: Final = re.compile(
    rb"\* \d+ FETCH \(UID (\d+) FLAGS \(([^()\"{}\r\n]*)\) INTERNALDATE \"([^\"]*)\""
    rb" RFC822\.SIZE (\d+) BODY\[HEADER\.FIELDS \([^()\]]*\)\] \{\d+\}\r\n\Z"
)
_FAST_FLAGS: Final = re.compile(
    rb"\* \d+ FETCH \(UID (\d+) FLAGS \(([^()\"{}\r\n]*)\)(?: MODSEQ \((\d+)\))?\)\r\n\Z"
)
_LITERAL_END: Final = re.compile(rb"\{(\d+)\+?\}\r\n\Z")
_MONTHS: Final = {
    name.encode(): number
    for number, name in enumerate(calendar.month_abbr)
    if name  # month_abbr[0] is ""
}
_DATE: Final = re.compile(
    rb" ?(\d{1,2})-([A-Za-z]{3})-(\d{4}) (\d{1,2}):(\d\d):(\d\d) ([+-])(\d\d)(\d\d)\Z"
)
_EPOCH_DAY: Final = dt.date(1970, 1, 1).toordinal()
_days: dict[bytes, int] = {}  # "DD-Mon-YYYY" -> epoch seconds at 00:00 UTC (dates repeat)
# parse_flags' memo: a mailbox has a few dozen distinct flag sets (header_run reads it inline).
flag_memo: dict[bytes, tuple[str, ...]] = {}


def literal_size(line: bytes) -> int | None:
    """The size announced by a line ending in ``{N}`` CRLF, or None."""
    match = _LITERAL_END.search(line)
    return int(match.group(1)) if match else None


def split_response(data: bytes, pos: int = 0) -> tuple[list[bytes], int]:
    """The response at ``data[pos:]`` as parts (as ``Wire.read`` gives them) and its end.

    When ``data`` holds only its start: no parts, and how many more bytes of it are sure to
    come (the rest of a literal; 0 while a line is unfinished).
    """
    parts: list[bytes] = []
    while True:
        eol = data.find(b"\n", pos) + 1
        if not eol:
            return [], 0
        line = data[pos:eol]
        parts.append(line)
        size = literal_size(line)
        if size is None:
            return parts, eol
        pos = eol + size
        if pos > len(data):
            return [], pos - len(data)
        parts.append(data[eol:pos])


def tokenize(parts: Parts) -> list[Value]:
    """A whole response as nested lists: atoms and strings as bytes, NIL as None."""
    stack: list[list[Value]] = [[]]
    for index in range(0, len(parts), 2):
        text = parts[index].rstrip(b"\r\n")
        pos = 0
        while pos < len(text):
            match = _TOKEN.match(text, pos)
            if match is None:
                if not text[pos:].strip():
                    break
                raise ParseError(f"cannot read {text[pos : pos + 40]!r}")
            pos = match.end()
            _push(stack, match, parts, index)
    if len(stack) != 1:
        raise ParseError("unbalanced parentheses")
    return stack[0]


def _push(stack: list[list[Value]], match: re.Match[bytes], parts: Parts, index: int) -> None:
    opening, closing, quoted, literal, atom = match.groups()
    if opening:
        new: list[Value] = []
        stack[-1].append(new)
        stack.append(new)
    elif closing:
        if len(stack) == 1:
            raise ParseError("unbalanced parentheses")
        stack.pop()
    elif quoted is not None:
        stack[-1].append(_ESCAPE.sub(rb"\1", quoted))
    elif literal is not None:
        if index + 1 >= len(parts):
            raise ParseError("literal announced but missing")
        stack[-1].append(parts[index + 1])
    elif atom is not None:
        stack[-1].append(None if atom.upper() == b"NIL" else atom)


def fetch_items(parts: Parts) -> tuple[int, dict[bytes, Value]] | None:
    """``* n FETCH (k v ...)`` as (n, {KEY: value}); None for any other response."""
    tokens = tokenize(parts)
    if len(tokens) < 4 or tokens[0] != b"*" or not isinstance(tokens[1], bytes):
        return None
    if not isinstance(tokens[2], bytes) or tokens[2].upper() != b"FETCH":
        return None
    items = tokens[3]
    if not isinstance(items, list) or not tokens[1].isdigit():
        raise ParseError("malformed FETCH response")
    pairs = {}
    for i in range(0, len(items) - 1, 2):
        key = items[i]
        if isinstance(key, bytes):
            pairs[key.upper()] = items[i + 1]
    return int(tokens[1]), pairs


def header_message(parts: Parts) -> FetchedMessage | None:
    """A header FETCH response as a FetchedMessage; None when it carries no header (unsolicited)."""
    if len(parts) == 3 and parts[2] == b")\r\n":
        match = _FAST_FETCH.match(parts[0])
        if match is not None:
            uid, flags, date, size = match.groups()
            return FetchedMessage(
                int(uid), parse_flags(flags), parse_internaldate(date), int(size), parts[1]
            )
    parsed = fetch_items(parts)
    return None if parsed is None else message_from_items(parsed[1])


def message_from_items(items: dict[bytes, Value]) -> FetchedMessage | None:
    """Build a FetchedMessage from generic FETCH items; None without UID or header."""
    header = next((v for k, v in items.items() if k.startswith(b"BODY[HEADER")), _MISSING)
    uid = as_int(items.get(b"UID"))
    if header is _MISSING or uid is None or isinstance(header, list):
        return None
    date = items.get(b"INTERNALDATE")
    return FetchedMessage(
        uid=uid,
        flags=flags_of(items.get(b"FLAGS")),
        internaldate=parse_internaldate(date) if isinstance(date, bytes) else None,
        size=as_int(items.get(b"RFC822.SIZE")) or 0,
        header=header or b"",
        gm_msgid=as_int(items.get(b"X-GM-MSGID")),
        gm_thrid=as_int(items.get(b"X-GM-THRID")),
    )


_MISSING: Final = [b"missing"]  # a sentinel no parsed value is identical to


def flag_response(parts: Parts) -> FlagChange | None:
    """A ``* n FETCH (UID u FLAGS (...) [MODSEQ (m)])`` response; None for anything else."""
    if len(parts) == 1:
        match = _FAST_FLAGS.match(parts[0])
        if match is not None:
            uid, flags, modseq = match.groups()
            return FlagChange(int(uid), parse_flags(flags), int(modseq) if modseq else None)
    parsed = fetch_items(parts)
    return None if parsed is None else flag_change(parsed[1])


def flag_change(items: dict[bytes, Value]) -> FlagChange | None:
    """A ``UID FLAGS [MODSEQ]`` FETCH as a FlagChange; None without UID or FLAGS."""
    uid = as_int(items.get(b"UID"))
    if uid is None or b"FLAGS" not in items:
        return None
    modseq = items.get(b"MODSEQ")
    seq = as_int(modseq[0]) if isinstance(modseq, list) and modseq else as_int(modseq)
    return FlagChange(uid, flags_of(items[b"FLAGS"]), seq)


def as_int(value: Value | None) -> int | None:
    """A number atom as an int; None for anything else."""
    if isinstance(value, bytes) and value.isdigit():
        return int(value)
    return None


def parse_flags(raw: bytes) -> tuple[str, ...]:
    """Space-separated flags as strings, without the session-only ``\\Recent``."""
    cached = flag_memo.get(raw)
    if cached is None:
        words = raw.decode("utf-8", "replace").split()
        cached = tuple(flag for flag in words if flag != RECENT)
        if len(flag_memo) < 4096:
            flag_memo[raw] = cached
    return cached


def flags_of(value: Value | None) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    return parse_flags(b" ".join(v for v in value if isinstance(v, bytes)))


def parse_internaldate(value: bytes) -> float | None:
    """``"27-Nov-2026 05:19:39 +0000"`` as epoch seconds; None when unreadable."""
    match = _DATE.match(value.strip())
    if match is None:
        return None
    day, month, year, hour, minute, second, sign, tz_h, tz_m = match.groups()
    base = day_start(day, month, year)
    if base is None:
        return None
    offset = (int(tz_h) * 3600 + int(tz_m) * 60) * (-1 if sign == b"-" else 1)
    return float(base + int(hour) * 3600 + int(minute) * 60 + int(second) - offset)


def day_start(day: bytes, month: bytes, year: bytes) -> int | None:
    """Seconds at 00:00 UTC of a day (month by its English abbreviation); None if no such day."""
    key = b"%s-%s-%s" % (day, month.title(), year)
    base = _days.get(key)
    if base is None:
        number = _MONTHS.get(month.title())
        if number is None:
            return None
        try:
            base = (dt.date(int(year), number, int(day)).toordinal() - _EPOCH_DAY) * 86400
        except ValueError:
            return None
        _days[key] = base
    return base


def parse_list(parts: Parts) -> ListEntry | None:
    """``* LIST (flags) "/" name`` as a ListEntry (name as sent); None for anything else."""
    tokens = tokenize(parts)
    if len(tokens) < 5 or tokens[0] != b"*" or not isinstance(tokens[1], bytes):
        return None
    flags, delimiter, name = tokens[2], tokens[3], tokens[4]
    if tokens[1].upper() != b"LIST" or not isinstance(flags, list) or not isinstance(name, bytes):
        return None
    return ListEntry(
        flags=tuple(f.decode("ascii", "replace") for f in flags if isinstance(f, bytes)),
        delimiter=delimiter.decode("ascii", "replace") if isinstance(delimiter, bytes) else None,
        name=name.decode("utf-8", "surrogateescape"),
    )


def response_code(line: bytes) -> tuple[bytes, bytes] | None:
    """The ``[CODE value]`` of a status line, as (CODE upper-cased, value)."""
    start = line.find(b"[")
    end = line.find(b"]", start + 1)
    if start < 0 or end < 0:
        return None
    name, _, value = line[start + 1 : end].partition(b" ")
    return name.upper(), value


def runs(uids: Iterable[int]) -> list[tuple[int, int]]:
    """Sorted distinct UIDs as contiguous (first, last) runs."""
    result: list[tuple[int, int]] = []
    for uid in sorted(set(uids)):
        if result and uid == result[-1][1] + 1:
            result[-1] = (result[-1][0], uid)
        else:
            result.append((uid, uid))
    return result


def batches(uids: Iterable[int], max_uids: int, max_chars: int = 8000) -> Iterator[bytes]:
    """UID sequence sets of at most ``max_uids`` UIDs and ``max_chars`` bytes each.

    Dovecot rejects command lines over 64 KB (field notes): never send long UID lists.
    """
    pieces: list[bytes] = []
    count = size = 0
    for first, last in runs(uids):
        while first <= last:
            end = min(last, first + max_uids - count - 1)
            piece = b"%d" % first if end == first else b"%d:%d" % (first, end)
            if pieces and size + len(piece) + 1 > max_chars:
                yield b",".join(pieces)
                pieces, count, size = [], 0, 0
                continue
            pieces.append(piece)
            count += end - first + 1
            size += len(piece) + 1
            first = end + 1
            if count >= max_uids:
                yield b",".join(pieces)
                pieces, count, size = [], 0, 0
    if pieces:
        yield b",".join(pieces)


def sequence_top(text: bytes) -> int:
    """The highest UID of a sequence set made by :func:`batches` (its last number)."""
    return int(text.rpartition(b",")[2].rpartition(b":")[2])


def quote(text: str) -> bytes:
    """A folder name (already modified UTF-7) as an IMAP quoted string."""
    raw = text.encode("utf-8", "surrogateescape")
    return b'"' + raw.replace(b"\\", b"\\\\").replace(b'"', b'\\"') + b'"'
