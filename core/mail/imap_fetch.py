"""The header FETCH stream: pipelined UID FETCH commands, read in bulk, handed out in UID order.

What a server sends is checked on the way: a response that cannot be read, or whose UID or
size is out of range, is skipped (the messages beside it still come), and once the stream
ends one ``ServerError`` names what was skipped. A UID range is cut into commands lazily
(``range(1, 50_000_001)`` is never a list), messages ahead of their turn are bounded, and the
command deadline is renewed only by a message with a UID not seen before (a server repeating
the same responses, or sending ``* OK`` forever, meets it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Final

from core.mail import imap_parse as parse
from core.mail.imap_conn import Wire, check_status
from core.mail.source import MailError
from core.mail.wire_limits import MODSEQ_MAX, SIZE_MAX, UID_MAX, ServerError
from core.mailbox import FetchedMessage

PIPELINE: Final = 2  # UID FETCH commands in flight: the server works while we parse


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
            for _ in range(PIPELINE):
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
            while self.sent and not wire.broken:
                tag = tag_of(wire.read(cut=True)[0], self.sent)
                if tag is not None:
                    self.sent.remove(tag)
        if self.failure is not None:  # a refusal for this folder: the connection is fine
            raise ServerError(str(self.failure))
        if self.skipped:
            raise ServerError(
                f"the server sent {self.skipped} FETCH responses Mailscope cannot use"
                f" (first: {self.first_skipped}); they were skipped, the others cached"
            )

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
            parts = self.wire.read_batch(parse.header_run, found)
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
                    raise ServerError("the server sent far more FETCH responses than asked for")
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
                "the server sent more unusable FETCH responses than messages asked for"
                f" (first: {self.first_skipped})"
            )
