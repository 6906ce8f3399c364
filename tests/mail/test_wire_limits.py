"""The wire's limits, bytes in and values out: sizes, numbers, ranges, deadlines, the watchdog."""

from __future__ import annotations

import io
import itertools
import socket
import tracemalloc

import pytest

from core.mail import imap_parse as parse
from core.mail.headers import prepare
from core.mail.imap_fetch import uid_batches
from core.mail.source import ConnectionLost
from core.mail.wire_limits import (
    UID_MAX,
    BoundedReader,
    Clock,
    Cut,
    ServerError,
    SyncTimeout,
    Unresponsive,
    WireLimits,
    literal_size,
    number,
    server_text,
    uid_ranges,
    watchdog,
)
from core.mailbox import FetchedMessage
from core.rules.model import Folder
from tests.mail.test_imap_wire import Chunked

SMALL = WireLimits(line=100, header=50, literal=200, command=5.0)


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def reader(data: bytes, limits: WireLimits = SMALL, step: int = 7) -> BoundedReader:
    return BoundedReader(io.BufferedReader(Chunked(data, step), 16), None, Clock(30.0, limits))


@pytest.mark.parametrize(
    ("text", "top", "value"),
    [(b"0", 10, 0), (b"4294967295", UID_MAX, UID_MAX), (b"00012", 12, 12)],
)
def test_numbers_in_range_are_read(text: bytes, top: int, value: int) -> None:
    assert number(text, top, "a UID") == value


@pytest.mark.parametrize(
    "text", [b"4294967296", b"1" * 21, b"9" * 5000, b"-1", b"", b"12a", "١٢".encode()]
)
def test_numbers_out_of_range_or_not_numbers_are_a_server_error(text: bytes) -> None:
    with pytest.raises(ServerError, match=r"the server sent a UID .*out of range \(at most"):
        number(text, UID_MAX, "a UID")


def test_literal_sizes_are_range_checked() -> None:
    assert literal_size(b"* 1 FETCH (BODY[] {12}\r\n") == 12
    assert literal_size(b"A1 APPEND x {12+}\r\n") == 12
    assert literal_size(b"* OK {12}\n") is None  # as the parser: a literal ends in CRLF
    with pytest.raises(ServerError, match="a literal size"):
        literal_size(b"* 1 FETCH (BODY[] {%s}\r\n" % (b"9" * 5000))


def test_a_line_over_the_limit_stops_before_reading_it_all() -> None:
    wire = reader(b"* OK " + b"x" * 10_000 + b"\r\n")
    with pytest.raises(ServerError, match="a line over 100 bytes"):
        wire.response()
    assert wire.file.raw.pos <= 101 + 16  # type: ignore[attr-defined]  # the rest: never read


def test_a_header_literal_over_the_limit_is_cut_at_a_line_end_and_the_rest_read() -> None:
    header = b"From: a@x.example\r\nSubject: " + b"s" * 200 + b"\r\n\r\n"
    data = b"* 1 FETCH (UID 1 BODY[HEADER] {%d}\r\n%s)\r\n* 2 EXISTS\r\n" % (len(header), header)
    wire = reader(data, step=3)
    parts = wire.response(cut=True)
    assert isinstance(parts[1], Cut) and parts[1] == b"From: a@x.example\r\n"
    assert parts[1].size == len(header) and parts[2] == b")\r\n"
    assert wire.response() == [b"* 2 EXISTS\r\n"]  # in step with the server
    fetched = parse.header_message(parts)
    assert fetched is not None and "header-cut" in prepare(fetched, Folder.INBOX).flagged


def test_another_literal_over_its_limit_is_refused() -> None:
    with pytest.raises(ServerError, match="a literal of 201 bytes"):
        reader(b"* 1 FETCH (BODY[] {201}\r\n" + b"x" * 201 + b")\r\n").response()
    assert reader(b"* 1 FETCH (BODY[] {60}\r\n" + b"x" * 60 + b")\r\n").response()[1] == b"x" * 60


def test_a_prefix_already_taken_comes_first() -> None:
    wire = reader(b"yz)\r\n* 3 EXISTS\r\n")
    head = b"* 1 FETCH (BODY[] {3}\r\nx"  # the line and a byte of the literal, taken before
    assert wire.response(head, cut=True) == [head[:-1], b"xyz", b")\r\n"]
    assert wire.response() == [b"* 3 EXISTS\r\n"]


def test_a_closed_connection_mid_literal_is_a_connection_lost() -> None:
    with pytest.raises(ConnectionLost, match="closed the connection"):
        reader(b"* 1 FETCH (BODY[] {30}\r\nshort").response()


def test_deadlines_name_what_ran_out() -> None:
    clock = FakeClock()
    timer = Clock(30.0, SMALL, now=clock)
    timer.start(b"UID FETCH 1:5 (UID)")
    assert timer.budget() == 5.0  # the command's time left, under the idle timeout
    clock.now = 4.0
    timer.renew()  # progress: five more seconds
    clock.now = 8.9
    assert timer.budget() == pytest.approx(0.1)
    clock.now = 9.0
    with pytest.raises(ServerError, match="did not finish UID FETCH and sent nothing new for 5 s"):
        timer.budget()
    timer.sync_due = 9.0
    assert isinstance(timer.overdue(), SyncTimeout)
    timer.sync_due, timer.command_due = 100.0, 100.0
    assert isinstance(timer.overdue(), Unresponsive)  # neither ran out: the idle timeout did
    assert "stopped answering during UID FETCH for 30 s" in str(timer.overdue())


def test_uid_ranges_are_clamped_and_bounded_never_listed() -> None:
    assert uid_ranges(b"1:4294967295", 10, 100) == [range(1, 11)]
    assert uid_ranges(b"9:3,12", 20, 100) == [range(3, 10), range(12, 13)]
    with pytest.raises(ServerError, match="more than 5 UIDs"):
        uid_ranges(b"1:100", 1000, 5)
    with pytest.raises(ServerError, match="a UID"):
        uid_ranges(b"1:99999999999", 10, 100)


def test_uid_batches_cut_a_huge_range_lazily() -> None:
    tracemalloc.start()
    batches = uid_batches(range(1, 2**40), 5000)
    first = list(itertools.islice(batches, 2))
    count = sum(1 for _ in uid_batches(range(1, 50_000_001), 5000))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert first == [b"1:5000", b"5001:10000"] and count == 10_000
    assert peak < 1_000_000  # 50 million UIDs were never a list
    last = list(uid_batches(range(UID_MAX - 3, 2**40), 5000))
    assert last == [b"%d:%d" % (UID_MAX - 3, UID_MAX)]  # nothing past 32 bits is asked for
    assert list(uid_batches([3, 1, 2, 2**33, 7], 5000)) == [b"1:3,7"]


def test_server_text_is_one_short_printable_line() -> None:
    assert server_text(b"going\r\naway\x1b[31m now\x00") == "going away [31m now"
    long = server_text(b"x" * 10_000)
    assert len(long) == 160 and long.endswith("…")


def test_the_watchdog_ends_a_read_that_would_wait_forever() -> None:
    left, right = socket.socketpair()
    try:
        with watchdog(left, 0.2) as fired:
            assert left.recv(10) == b""  # shut down under the read
        assert fired
        with watchdog(right, 5.0) as fired:
            pass
        assert not fired
    finally:
        left.close()
        right.close()


def test_a_cut_header_is_flagged_and_a_whole_one_is_not() -> None:
    whole = FetchedMessage(1, (), None, 10, b"From: a@x.example\r\n\r\n")
    cut = whole._replace(header=Cut(b"From: a@x.example\r\n", 10_000_000))
    assert "header-cut" not in prepare(whole, Folder.INBOX).flagged
    assert "header-cut" in prepare(cut, Folder.INBOX).flagged


def test_idle_may_outlast_the_command_time() -> None:
    """IDLE is open as long as asked: news after the command time still wakes it."""
    import threading
    import time
    from types import SimpleNamespace

    from core.mail.imap_conn import Wire
    from core.mail.imap_idle import idle_once

    ours, server = socket.socketpair()

    def serve() -> None:
        assert server.recv(100).startswith(b"MS1 IDLE")
        server.sendall(b"+ idling\r\n")
        time.sleep(0.8)  # past the 0.3 s command time
        server.sendall(b"* 5 EXISTS\r\n")
        assert server.recv(100) == b"DONE\r\n"
        server.sendall(b"MS1 OK IDLE terminated\r\n")

    thread = threading.Thread(target=serve)
    thread.start()
    imap = SimpleNamespace(sock=ours, file=ours.makefile("rb"), send=ours.sendall)
    wire = Wire(SimpleNamespace(_imap=imap), WireLimits(command=0.3), idle=5.0)
    try:
        assert idle_once(wire, time.monotonic() + 3.0, None) is True
    finally:
        thread.join(5)
        ours.close()
        server.close()
