"""The header stream over a scripted server: any cut of the bytes, odd responses, order, BYE."""

from __future__ import annotations

import io
from types import SimpleNamespace

import pytest

from core.mail import imap
from core.mail.imap import Capabilities, ImapSource
from core.mail.imap_conn import Wire
from core.mail.imap_fetch import header_or_none as _header_or_none
from core.mail.imap_fetch import header_run
from core.mail.source import ConnectionLost, MailError
from core.mail.wire_limits import Unresponsive
from core.mailbox import FetchedMessage

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
        b"* OK [ALERT] " + b"long " * 40_000 + b"\r\n",  # a line over many reads
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
        parts = wire.read_batch(header_run, found)
        got += found
        if parts is not None and parts[0].startswith(b"MS1 "):
            return got
        if parts is not None:
            got.append(_header_or_none(parts) or parts)


@pytest.mark.parametrize("step", [1, 7, 100, 683, 2300, 8192, 65536])
def test_read_batch_gives_what_read_gives_however_the_bytes_are_cut(step: int) -> None:
    expected = by_read(wire_over(STREAM))
    uids = [m.uid for m in expected if isinstance(m, FetchedMessage)]
    assert uids == list(range(1, 80)) and len(expected) == 82  # and EXISTS, ALERT, a flag update
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
        wire.read_batch(header_run, found)
    assert [m.uid for m in found] == [1, 2]
    assert wire.broken
    with pytest.raises(ConnectionLost, match="lost earlier"):
        wire.read_batch(header_run, [])


@pytest.mark.parametrize("cut", [10, 150, 168, 169 + 10, 169 + 150, 169 + 168])
def test_a_connection_closed_mid_response_is_a_connection_lost(cut: int) -> None:
    assert len(dovecot(1)) == 169  # cut in its line, its literal, its closing line
    wire = wire_over((dovecot(1) + dovecot(2))[:cut], step=100)
    found: list[FetchedMessage] = []
    with pytest.raises(ConnectionLost, match="closed the connection"):
        while True:
            wire.read_batch(header_run, found)
    assert wire.broken and len(found) == (cut > 169)


def test_a_timeout_mid_response_is_a_stall() -> None:
    wire = wire_over(dovecot(1)[:50], step=20, error=TimeoutError("The read operation timed out"))
    with pytest.raises(Unresponsive, match="stopped answering during a command for 30 s"):
        wire.read_batch(header_run, [])
    assert wire.broken


# -- the pipelined header stream over a scripted server ---------------------------------------


def scripted_source(
    script: bytes, monkeypatch: pytest.MonkeyPatch
) -> tuple[ImapSource, list[bytes]]:
    """An ImapSource whose server answers with ``script`` (tags MS1, MS2... as sent)."""
    monkeypatch.setattr(imap, "FETCH_BATCH", 3)  # UIDs 1:3 go as MS1, 4:6 as MS2, 7:9 as MS3
    sent: list[bytes] = []
    reader = io.BufferedReader(Chunked(script, 50), 8192)
    client = SimpleNamespace(_imap=SimpleNamespace(file=reader, send=sent.append), shutdown=list)
    source = ImapSource.__new__(ImapSource)
    source.wire, source._client, source._selected = Wire(client), client, ("INBOX", True)
    source.capabilities = Capabilities.from_names(set())
    return source, sent


def test_interleaved_commands_still_come_out_in_uid_order(monkeypatch: pytest.MonkeyPatch) -> None:
    # What Dovecot does with two FETCHes in flight when the client keeps up.
    script = b"".join([dovecot(1), dovecot(4), dovecot(5), dovecot(6), b"MS2 OK done\r\n",
                       dovecot(2), dovecot(7), dovecot(3), b"MS1 OK done\r\n", dovecot(8),
                       b"* 9 EXISTS\r\n", dovecot(9), b"MS3 OK done\r\n"])  # fmt: skip
    source, sent = scripted_source(script, monkeypatch)
    assert [m.uid for m in source.fetch_headers("INBOX", range(1, 10))] == list(range(1, 10))
    assert [line.split(b" (")[0] for line in sent] == [
        b"MS1 UID FETCH 1:3", b"MS2 UID FETCH 4:6", b"MS3 UID FETCH 7:9"
    ]  # fmt: skip


def test_stopping_while_later_messages_wait_drains_the_commands(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    script = b"".join([dovecot(4), dovecot(1), dovecot(5), dovecot(2), dovecot(6), dovecot(3),
                       b"MS1 OK done\r\nMS2 OK done\r\n", b"* 2 EXPUNGE\r\n"])  # fmt: skip
    source, _ = scripted_source(script, monkeypatch)
    stream = source.fetch_headers("INBOX", range(1, 7))
    assert [next(stream).uid for _ in range(2)] == [1, 2]
    stream.close()  # type: ignore[attr-defined]
    assert not source.wire.broken and source.wire._file.read() == b"* 2 EXPUNGE\r\n"


def test_a_refused_command_stops_the_stream_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    script = b"".join([dovecot(1), dovecot(4), b"MS1 NO [SERVERBUG] oops\r\n", dovecot(5),
                       dovecot(6), b"MS2 OK done\r\n"])  # fmt: skip
    source, _ = scripted_source(script, monkeypatch)
    got: list[int] = []
    with pytest.raises(MailError, match="refused the command: NO \\[SERVERBUG\\] oops"):
        got.extend(m.uid for m in source.fetch_headers("INBOX", range(1, 7)))
    assert got == [1]  # 4 came early; after the refusal nothing more is handed out
    assert not source.wire.broken and source.wire._file.read() == b""


def test_a_bye_mid_stream_hands_over_what_came_before_it(monkeypatch: pytest.MonkeyPatch) -> None:
    script = b"".join([dovecot(1), dovecot(4), dovecot(2), b"* BYE shutting down\r\n"])
    source, _ = scripted_source(script, monkeypatch)
    got: list[int] = []
    with pytest.raises(ConnectionLost, match="ended the session: shutting down"):
        got.extend(m.uid for m in source.fetch_headers("INBOX", range(1, 7)))
    assert got == [1, 2] and source._client is None and source.wire.broken
