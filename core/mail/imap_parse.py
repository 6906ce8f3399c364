"""Pure parsing of IMAP responses: bytes in, values out, fast on bulk header FETCHes.

A response arrives as *parts*: its first line, then for each ``{N}`` literal the N bytes and
the line that follows (lines keep their CRLF). imapclient's generic parser costs about 8x the
transfer on a 100k-message FETCH (field notes), so the common Dovecot-shaped line takes one
regular expression, and anything else (items in another order, literals for any item, NIL,
Gmail extensions) goes through a small generic tokenizer. A bulk header FETCH is read by
:func:`header_run` straight from the received bytes, many responses per call, in Dovecot's
order or (a little slower) any order of the plain items, Gmail's ids included.
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
# The same Dovecot line, stricter (never crossing a line end, numbers of at most 20 digits, the
# date in its usual spelling), with the date's parts captured: what header_run reads.
_DATE_PARTS: Final = rb"( ?\d{1,2}-[A-Za-z]{3}-\d{4}) (\d{1,2}:\d\d):(\d\d) ([+-]\d{4})"
_HEADER_LINE: Final = re.compile(
    rb'\* \d{1,20} FETCH \(UID (\d{1,20}) FLAGS \(([^()"{}\r\n]*)\) INTERNALDATE "'
    + _DATE_PARTS
    + rb'" RFC822\.SIZE (\d{1,20}) BODY\[HEADER\.FIELDS \((?:'
    + re.escape(HEADER_FIELDS.upper())  # as Dovecot echoes them: matched faster than the class
    + rb"|[^()\]\r\n]*)\)\] \{(\d{1,20})\}\r\n"
)
# Other orders of those items (Gmail adds X-GM-MSGID and X-GM-THRID), the header literal last
# on the line: no NIL, escapes, brackets or other spacing, so fetch_items would read the same.
_NUMBER_KEY: Final = rb"UID|RFC822\.SIZE|X-GM-MSGID|X-GM-THRID"
_FLAG_TEXT: Final = rb'[^()"{}\[\]\t\n\x0b\x0c\r]*'
_DATE_TEXT: Final = rb'[^"\\\r\n]*'
_ITEMS: Final = re.compile(  # for reading items _ITEMS_LINE and _ITEMS_END have checked
    rb'(%s|FLAGS|INTERNALDATE) (?:(\d{1,20})|\((%s)\)|"(%s)")'
    % (_NUMBER_KEY, _FLAG_TEXT, _DATE_TEXT)
)
_ITEM: Final = rb'(?:%s) \d{1,20}|FLAGS \(%s\)|INTERNALDATE "%s"' % (
    _NUMBER_KEY,
    _FLAG_TEXT,
    _DATE_TEXT,
)
_ITEMS_LINE: Final = re.compile(
    rb"\* \d{1,20} FETCH \(((?:(?:%s) )*)BODY\[HEADER\.FIELDS \([^()\]\r\n]*\)\]"
    rb" \{(\d{1,20})\}\r\n" % _ITEM
)
_ITEMS_END: Final = re.compile(rb"((?: (?:%s))*)\)\r\n" % _ITEM)
_DATE_SHAPE: Final = re.compile(_DATE_PARTS + rb"\Z")
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
# header_run's memos of INTERNALDATE's parts, as sent. _HEADER_LINE bounds the last three.
_DAY_TEXTS_LIMIT: Final = 100_000  # a mailbox has few distinct days
_day_texts: dict[bytes, int | None] = {}  # "27-Nov-2026", " 7-Nov-2026" -> _day_start
_clocks: dict[bytes, int] = {}  # "HH:MM" (or "H:MM") -> seconds
_seconds: dict[bytes, int] = {}  # "SS" -> seconds
_zones: dict[bytes, int] = {}  # "+hhmm" -> seconds east of UTC
_flags_cache: dict[bytes, tuple[str, ...]] = {}
_new_tuple = tuple.__new__


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


def header_run(data: bytes, pos: int, into: list[FetchedMessage]) -> int:
    """Parse the whole plain header FETCH responses at ``data[pos:]``; returns the end.

    ``* n FETCH (UID u FLAGS (...) INTERNALDATE "..." RFC822.SIZE s BODY[HEADER.FIELDS (...)]
    {n}`` CRLF, the header, ``)`` CRLF (Dovecot's shape) takes one regular expression; the
    same items in another order, some missing, or X-GM-MSGID and X-GM-THRID too, a few more.
    Each goes into ``into`` exactly as :func:`header_message` reads it. It stops at the first
    response cut short by the end of ``data`` or shaped any other way, for the general path.
    """
    match = _HEADER_LINE.match
    flags_cache, new, message_type = _flags_cache, _new_tuple, FetchedMessage
    append = into.append
    while True:
        found = match(data, pos)
        if found is not None:
            uid, flags, day, clock, second, zone, size, length = found.groups()
            start = found.end()
            end = start + int(length)
            if data.startswith(b")\r\n", end):
                parsed = flags_cache.get(flags)
                # tuple.__new__ is what FetchedMessage(...) calls, after a frame for its arguments.
                message = (
                    int(uid),
                    parse_flags(flags) if parsed is None else parsed,
                    _date_seconds(day, clock, second, zone),
                    int(size),
                    data[start:end],
                    None,
                    None,
                )
                append(new(message_type, message))
                pos = end + 3
                continue
            if end + 3 > len(data):
                return pos  # cut short (the usual case here)
        other = _in_other_order(data, pos)
        if other is None:
            return pos
        append(other[0])
        pos = other[1]


def _in_other_order(data: bytes, pos: int) -> tuple[FetchedMessage, int] | None:
    """A whole header response at ``pos`` with the items in another order, and its end."""
    if data.find(b"\n", pos) < 0:
        return None  # cut short (the usual case here)
    line = _ITEMS_LINE.match(data, pos)
    if line is None:
        return None
    start = line.end()
    end = start + int(line.group(2))
    tail = _ITEMS_END.match(data, end)
    if tail is None:
        return None
    # One group per item holds its value (the others are empty); a repeated item: the last.
    found = _ITEMS.findall(line.group(1) + tail.group(1))
    items = {key: number + flags + date for key, number, flags, date in found}
    uid, flags, date = items.get(b"UID"), items.get(b"FLAGS"), items.get(b"INTERNALDATE")
    if uid is None or (flags is not None and b"NIL" in flags.upper()):
        return None  # without UID header_message gives None; fetch_items drops NIL
    size, msgid, thrid = (items.get(key) for key in (b"RFC822.SIZE", b"X-GM-MSGID", b"X-GM-THRID"))
    message = FetchedMessage(
        uid=int(uid),
        flags=() if flags is None else parse_flags(flags),
        internaldate=None if date is None else _internaldate(date),
        size=int(size) if size else 0,
        header=data[start:end],
        gm_msgid=None if msgid is None else int(msgid),
        gm_thrid=None if thrid is None else int(thrid),
    )
    return message, tail.end()


def _internaldate(text: bytes) -> float | None:
    """parse_internaldate(text), from header_run's memos when the date has its usual spelling."""
    parts = _DATE_SHAPE.match(text)
    if parts is None:
        return parse_internaldate(text)
    return _date_seconds(*parts.groups())


def _date_seconds(day: bytes, clock: bytes, second: bytes, zone: bytes) -> float | None:
    """Epoch seconds of an INTERNALDATE's parts (as _DATE_PARTS captures them), memoised."""
    base = _day_texts.get(day, -1)
    if base == -1:
        base = _day_text(day)
    if base is None:
        return None
    hm = _clocks.get(clock)
    if hm is None:
        hm = _clocks[clock] = _clock_seconds(clock)
    sec = _seconds.get(second)
    if sec is None:
        sec = _seconds[second] = int(second)
    east = _zones.get(zone)
    if east is None:
        east = _zones[zone] = _zone_seconds(zone)
    return float(base + hm + sec - east)


def _day_text(text: bytes) -> int | None:
    """Seconds at 00:00 UTC of a header_run date ("27-Nov-2026"), memoised; None if no day."""
    day, month, year = text.split(b"-")
    seconds = _day_start(day, month, year)
    if len(_day_texts) < _DAY_TEXTS_LIMIT:
        _day_texts[text] = seconds
    return seconds


def _clock_seconds(clock: bytes) -> int:
    hour, _, minute = clock.partition(b":")
    return int(hour) * 3600 + int(minute) * 60


def _zone_seconds(zone: bytes) -> int:
    """``+hhmm`` as seconds east of UTC (negative west)."""
    seconds = int(zone[1:3]) * 3600 + int(zone[3:5]) * 60
    return -seconds if zone[:1] == b"-" else seconds


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
    cached = _flags_cache.get(raw)
    if cached is None:
        words = raw.decode("utf-8", "replace").split()
        cached = tuple(flag for flag in words if flag != RECENT)
        if len(_flags_cache) < 4096:
            _flags_cache[raw] = cached
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
    base = _day_start(day, month, year)
    if base is None:
        return None
    offset = (int(tz_h) * 3600 + int(tz_m) * 60) * (-1 if sign == b"-" else 1)
    return float(base + int(hour) * 3600 + int(minute) * 60 + int(second) - offset)


def _day_start(day: bytes, month: bytes, year: bytes) -> int | None:
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


def parse_search(line: bytes) -> list[int]:
    """``* SEARCH 1 2 3`` as numbers."""
    return [int(word) for word in line.split()[2:] if word.isdigit()]


def parse_sequence_set(text: bytes) -> list[int]:
    """``1:3,7`` as [1, 2, 3, 7] (``*`` is not expected in server output)."""
    numbers: list[int] = []
    for piece in text.split(b","):
        low, _, high = piece.partition(b":")
        if not low.isdigit() or (high and not high.isdigit()):
            raise ParseError(f"bad sequence set {text[:40]!r}")
        first, last = int(low), int(high or low)
        numbers.extend(range(min(first, last), max(first, last) + 1))
    return numbers


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
