"""The header FETCH stream: pipelined UID FETCH commands, read in bulk, handed out in UID order.

Its responses are read many at a time straight from the received bytes (:func:`header_run`):
a Dovecot-shaped response takes one regular expression, the same items in another order
(Gmail's ids included) a few more; any other goes through ``imap_parse.header_message``, which
reads the same values.

What a server sends is checked on the way: a response that cannot be read, or whose UID or
size is out of range, is skipped (the messages beside it still come), and once the stream
ends one ``ServerError`` names what was skipped. A UID range is cut into commands lazily
(``range(1, 50_000_001)`` is never a list), messages ahead of their turn are bounded, and the
command deadline is renewed only by a message with a UID not seen before (a server repeating
the same responses, or sending ``* OK`` forever, meets it).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Final

from core.i18n import _
from core.mail import imap_parse as parse
from core.mail.imap_conn import Wire, check_status
from core.mail.imap_parse import (
    HEADER_FIELDS,
    day_start,
    flag_memo,
    parse_flags,
    parse_internaldate,
)
from core.mail.source import MailError
from core.mail.wire_limits import MODSEQ_MAX, SIZE_MAX, UID_MAX, ServerError
from core.mailbox import FetchedMessage

PIPELINE: Final = 2  # UID FETCH commands in flight: the server works while we parse

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
# header_run's memos of INTERNALDATE's parts, as sent. _HEADER_LINE bounds the last three.
_DAY_TEXTS_LIMIT: Final = 100_000  # a mailbox has few distinct days
_day_texts: dict[bytes, int | None] = {}  # "27-Nov-2026", " 7-Nov-2026" -> day_start
_clocks: dict[bytes, int] = {}  # "HH:MM" (or "H:MM") -> seconds
_seconds: dict[bytes, int] = {}  # "SS" -> seconds
_zones: dict[bytes, int] = {}  # "+hhmm" -> seconds east of UTC
# FetchedMessage(...) is tuple.__new__ after a Python frame for its arguments: header_run
# calls tuple.__new__ itself, once per message of a 100,000-message FETCH.
_new_tuple = tuple.__new__


def uid_batches(uids: Sequence[int], most: int) -> Iterator[bytes]:
    """UID sequence sets of at most ``most`` UIDs; a ``range`` is cut without a list."""
    if isinstance(uids, range) and uids.step == 1:
        for low in range(max(uids.start, 1), min(uids.stop, UID_MAX + 1), most):
            high = min(low + most, uids.stop, UID_MAX + 1) - 1
            yield b"%d" % low if low == high else b"%d:%d" % (low, high)
        return
    yield from parse.batches((uid for uid in uids if 0 < uid <= UID_MAX), most)


def tag_of(line: bytes, tags: Sequence[bytes]) -> bytes | None:
    """The tag among ``tags`` that ``line`` completes, if it is a tagged response."""
    if line[:1] == b"*" or line[:1] == b"+":
        return None
    return next((tag for tag in tags if line.startswith(tag + b" ")), None)


def header_or_none(parts: parse.Parts) -> FetchedMessage | None:
    """A header FETCH response read by the general parser; None for any other response."""
    if not parts[0].startswith(b"* ") or b"FETCH" not in parts[0][:40].upper():
        return None  # EXISTS, EXPUNGE, VANISHED, OK...: the next sync sees them
    return parse.header_message(parts)


class HeaderStream:
    """One pipelined header FETCH over ``wire``: iterate it for the messages, in UID order.

    Dovecot runs pipelined FETCHes side by side and, when the client keeps up, sends one's
    responses in the middle of the other's (measured: most of the time at 100k). A message
    above the oldest command's highest UID waits in ``early`` until that command is done,
    so a stream cut short holds every UID asked for up to its last one: the sync's resume
    point (the highest cached UID) leaves no hole below it.
    """

    def __init__(
        self,
        wire: Wire,
        commands: Iterable[tuple[bytes, int]],
        abandon: Callable[[], None],
        ahead: int,
    ) -> None:
        self.wire = wire
        self.commands = iter(commands)  # (command, the highest UID it asks for)
        self.abandon = abandon  # drops the connection (after a failure mid-stream)
        self.ahead = ahead  # messages that may wait in ``early``: a command's worth
        self.sent: list[bytes] = []  # tags in flight, oldest first
        self.tops: dict[bytes, int] = {}  # tag -> the highest UID its command asks for
        self.asked = 0  # the highest UID asked for so far
        self.early: list[FetchedMessage] = []  # of a later command, before the oldest was done
        self.highest = 0  # the highest UID handed out: a higher one is progress
        self.failure: MailError | None = None  # a refused command: the rest is read, not used
        self.skipped = 0  # responses skipped, named in the error at the end
        self.first_skipped = ""

    def __iter__(self) -> Iterator[FetchedMessage]:
        wire = self.wire
        wire.streaming = True  # no other command until every response is read
        try:
            for _request in range(PIPELINE):
                self._send_next()
            while self.sent:
                yield from self._round()
        except MailError:
            if wire.broken:
                self.abandon()
                self.sent.clear()
            raise
        finally:
            wire.streaming = False
            # The consumer stopped early or parsing failed: finish what is in flight.
            self._read_in_flight()
        if self.failure is not None:  # a refusal for this folder: the connection is fine
            raise ServerError(str(self.failure))
        if self.skipped:
            raise ServerError(
                _(
                    "the server sent %(skipped)s FETCH responses Mailscope cannot "
                    "use (first: %(first_skipped)s); they were skipped, the "
                    "others cached"
                )
                % {"skipped": self.skipped, "first_skipped": self.first_skipped}
            )

    def _read_in_flight(self) -> None:
        """Read the responses of the commands still in flight, up to their tagged lines."""
        while self.sent and not self.wire.broken:
            tag = tag_of(self.wire.read(cut=True)[0], self.sent)
            if tag is not None:
                self.sent.remove(tag)

    def _send_next(self) -> None:
        pair = next(self.commands, None)
        if pair is not None:
            self.wire.streaming = False
            tag = self.wire.send(pair[0])
            self.wire.streaming = True
            self.sent.append(tag)
            self.tops[tag] = self.asked = pair[1]

    def _round(self) -> Iterator[FetchedMessage]:
        """Read a batch of responses and hand out what may go now."""
        top = self.tops[self.sent[0]]
        found: list[FetchedMessage] = []  # Dovecot-shaped responses, parsed in bulk
        try:
            parts = self.wire.read_batch(header_run, found)
        except MailError:
            if self.failure is None and self.wire.broken:  # what arrived whole, before it
                yield from self._deliver(found, top)
            raise
        # ``found`` came before ``parts``: hand it over as the status stood before it.
        deliver = self.failure is None
        tag = None if parts is None else tag_of(parts[0], self.sent)
        if parts is not None and tag is not None:
            self.sent.remove(tag)  # before yielding: a consumer may stop there
            self.wire.progress()
            try:
                check_status(parts[0][len(tag) + 1 :])
            except MailError as error:
                self.failure = self.failure or error  # read the other responses first
        if deliver:
            yield from self._deliver(found, top)
        if parts is None:
            return
        if tag is not None:
            if self.failure is None:
                self._send_next()
                yield from self._release()
            return
        other = self._other(parts)
        if other is not None and self.failure is None:
            yield from self._deliver((other,), top)

    def _deliver(self, messages: Iterable[FetchedMessage], top: int) -> Iterator[FetchedMessage]:
        for message in messages:
            if not (0 < message.uid <= UID_MAX and 0 <= message.size <= SIZE_MAX):
                self._skip(f"UID {message.uid}, RFC822.SIZE {message.size}")
            elif message.uid <= top:
                yield self._handed(message)
            elif message.uid <= self.asked:
                if len(self.early) >= self.ahead:
                    raise ServerError(_("the server sent far more FETCH responses than asked for"))
                self.early.append(message)
            # else: a UID no command asked for (unsolicited): not ours to cache

    def _release(self) -> Iterator[FetchedMessage]:
        """The oldest command may be done: hand out the early messages it allows."""
        if not self.early:
            return
        bound = self.tops[self.sent[0]] if self.sent else None
        waiting, self.early = self.early, []
        for message in waiting:
            if bound is None or message.uid <= bound:
                yield self._handed(message)
            else:
                self.early.append(message)

    def _handed(self, message: FetchedMessage) -> FetchedMessage:
        if message.uid > self.highest:
            self.highest = message.uid
            self.wire.progress()
        ids = (message.gm_msgid, message.gm_thrid)
        if any(i is not None and not 0 <= i <= MODSEQ_MAX for i in ids):
            message = message._replace(gm_msgid=None, gm_thrid=None)  # 64-bit: not storable
        return message

    def _other(self, parts: parse.Parts) -> FetchedMessage | None:
        """A response header_run did not read: through the general parser, or skipped."""
        try:
            return header_or_none(parts)
        except (ValueError, ArithmeticError, LookupError, TypeError, RecursionError) as error:
            self._skip(f"{type(error).__name__} in {parts[0][:40]!r}")
            return None

    def _skip(self, what: str) -> None:
        self.skipped += 1
        self.first_skipped = self.first_skipped or what
        if self.skipped > self.ahead:
            raise ServerError(
                _(
                    "the server sent more unusable FETCH responses than messages "
                    "asked for (first: %(first_skipped)s)"
                )
                % {"first_skipped": self.first_skipped}
            )


# -- header_run: a bulk header FETCH read straight from the received bytes -----------------


def header_run(data: bytes, pos: int, into: list[FetchedMessage]) -> int:
    """Parse the whole plain header FETCH responses at ``data[pos:]``; returns the end.

    ``* n FETCH (UID u FLAGS (...) INTERNALDATE "..." RFC822.SIZE s BODY[HEADER.FIELDS (...)]
    {n}`` CRLF, the header, ``)`` CRLF (Dovecot's shape) takes one regular expression; the
    same items in another order, some missing, or X-GM-MSGID and X-GM-THRID too, a few more.
    Each goes into ``into`` exactly as ``imap_parse.header_message`` reads it. It stops at the first
    response cut short by the end of ``data`` or shaped any other way, for the general path.
    """
    # Looked up once per call, not once per response: a call reads thousands of them.
    match = _HEADER_LINE.match
    flags_cache, new, message_type = flag_memo, _new_tuple, FetchedMessage
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
    seconds = day_start(day, month, year)
    if len(_day_texts) < _DAY_TEXTS_LIMIT:
        _day_texts[text] = seconds
    return seconds


def _clock_seconds(clock: bytes) -> int:
    hour, _colon, minute = clock.partition(b":")
    return int(hour) * 3600 + int(minute) * 60


def _zone_seconds(zone: bytes) -> int:
    """``+hhmm`` as seconds east of UTC (negative west)."""
    seconds = int(zone[1:3]) * 3600 + int(zone[3:5]) * 60
    return -seconds if zone[:1] == b"-" else seconds
