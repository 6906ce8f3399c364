"""Wire.read_batch over a scripted server: any cut of the bytes, odd responses, drops, BYE."""

from __future__ import annotations

import io
from types import SimpleNamespace

import pytest

from core.mail import imap_parse as parse
from core.mail.imap import _header_or_none
from core.mail.imap_conn import Wire
from core.mail.source import ConnectionLost, FetchedMessage

HEADER = b"From: a@example.com\r\nSubject: hi\r\n\r\n"


def dovecot(uid: int, header: bytes = HEADER) -> bytes:
    return (
        b'* %d FETCH (UID %d FLAGS (\\Seen) INTERNALDATE "27-Nov-2026 05:19:39 +0000"'
        b" RFC822.SIZE 120 BODY[HEADER.FIELDS (FROM SUBJECT)] {%d}\r\n%s)\r\n"
        % (uid, uid, len(header), header)
    )


STREAM = b"".join(
    [
        *(dovecot(uid) for uid in range(1, 40)),
        b"* 3 EXISTS\r\n",
        dovecot(40, b"X-Long: " + b"x" * 20_000 + b"\r\n\r\n"),  # a literal over many reads
        b"* 41 FETCH (UID 41 FLAGS () BODY[HEADER.FIELDS (FROM)] {%d}\r\n%s"
        b" X-GM-MSGID 12 X-GM-THRID 13)\r\n" % (len(HEADER), HEADER),  # extra attributes
        b"* 42 FETCH (UID 42 FLAGS NIL BODY[HEADER.FIELDS (FROM)] {3}\r\nabc)\r\n",  # no date
        b"* 4 FETCH (UID 4 FLAGS (\\Seen))\r\n",  # an unsolicited flag update
        *(dovecot(uid) for uid in range(43, 80)),
        b"MS1 OK Fetch completed.\r\n",
    ]
)


class Chunked(io.RawIOBase):
    """A socket that hands out at most ``step`` bytes per read, then ends (or fails)."""

    def __init__(self, data: bytes, step: int, error: OSError | None = None) -> None:
        self.data, self.pos, self.step, self.error = data, 0, step, error

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        if self.pos >= len(self.data) and self.error is not None:
            raise self.error
        count = min(len(buffer), self.step, len(self.data) - self.pos)
        buffer[:count] = self.data[self.pos : self.pos + count]
        self.pos += count
        return count


def wire_over(data: bytes, step: int = 8192, error: OSError | None = None) -> Wire:
    reader = io.BufferedReader(Chunked(data, step, error), 8192)
    return Wire(SimpleNamespace(_imap=SimpleNamespace(file=reader)))


def by_read(wire: Wire) -> list[object]:
    """What the general path makes of each response up to the tagged one."""
    got: list[object] = []
    while not (parts := wire.read())[0].startswith(b"MS1 "):
        got.append(_header_or_none(parts) or parts)
    return got


def by_batch(wire: Wire) -> list[object]:
    got: list[object] = []
    while True:
        found: list[FetchedMessage] = []
        parts = wire.read_batch(parse.header_run, found)
        got += found
        if parts is not None and parts[0].startswith(b"MS1 "):
            return got
        if parts is not None:
            got.append(_header_or_none(parts) or parts)


@pytest.mark.parametrize("step", [1, 7, 100, 683, 2300, 8192, 65536])
def test_read_batch_gives_what_read_gives_however_the_bytes_are_cut(step: int) -> None:
    expected = by_read(wire_over(STREAM))
    uids = [m.uid for m in expected if isinstance(m, FetchedMessage)]
    assert uids == list(range(1, 80)) and len(expected) == 81  # and EXISTS, the flag update
    assert by_batch(wire_over(STREAM, step)) == expected


def test_read_batch_takes_nothing_past_the_tagged_line() -> None:
    after = b"* 9 EXISTS\r\n* BYE idle too long\r\n"
    wire = wire_over(STREAM + after, step=65536)
    by_batch(wire)
    assert wire._file.read() == after  # still there for the next reader (imapclient, IDLE)


def test_messages_before_a_bye_come_first_then_the_drop() -> None:
    wire = wire_over(dovecot(1) + dovecot(2) + b"* BYE server shutting down\r\n" + dovecot(3))
    found: list[FetchedMessage] = []
    with pytest.raises(ConnectionLost, match="ended the session: server shutting down"):
        wire.read_batch(parse.header_run, found)
    assert [m.uid for m in found] == [1, 2]
    assert wire.broken
    with pytest.raises(ConnectionLost, match="lost earlier"):
        wire.read_batch(parse.header_run, [])


@pytest.mark.parametrize("cut", [10, 150, 168, 169 + 10, 169 + 150, 169 + 168])
def test_a_connection_closed_mid_response_is_a_connection_lost(cut: int) -> None:
    assert len(dovecot(1)) == 169  # cut in its line, its literal, its closing line
    wire = wire_over((dovecot(1) + dovecot(2))[:cut], step=100)
    found: list[FetchedMessage] = []
    with pytest.raises(ConnectionLost, match="closed the connection"):
        while True:
            wire.read_batch(parse.header_run, found)
    assert wire.broken and len(found) == (cut > 169)


def test_a_timeout_mid_response_is_a_connection_lost() -> None:
    wire = wire_over(dovecot(1)[:50], step=20, error=TimeoutError("The read operation timed out"))
    with pytest.raises(ConnectionLost, match="timed out"):
        wire.read_batch(parse.header_run, [])
    assert wire.broken
