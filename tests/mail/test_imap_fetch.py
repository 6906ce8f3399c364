"""header_run: a bulk header FETCH read from a whole buffer, checked against header_message."""

from __future__ import annotations

from typing import Final

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.mail import imap_parse as parse
from core.mail.imap_fetch import header_run
from core.mailbox import FetchedMessage
from tests.mail.test_imap_parse import HEADER, NOV_27, dovecot_parts


def check_run(data: bytes) -> list[FetchedMessage]:
    """header_run on ``data``: it must stop at a response boundary, agreeing with header_message."""
    got: list[FetchedMessage] = []
    end = header_run(data, 0, got)
    pos = 0
    for message in got:
        parts, pos = parse.split_response(data, pos)
        assert message == parse.header_message(parts)
    assert end == pos
    return got


def test_header_run_reads_consecutive_responses_like_header_message() -> None:
    data = b"".join(b"".join(dovecot_parts(uid, flags)) for uid, flags in enumerate([
        b"\\Seen \\Recent", b"", b"$Label1 \\Flagged", b"\\Seen"
    ], start=1))  # fmt: skip
    got = check_run(data + b"MS3 OK Fetch completed.\r\n")
    assert [m.uid for m in got] == [1, 2, 3, 4]
    assert got[0] == FetchedMessage(1, ("\\Seen",), float(NOV_27), 120, HEADER)


def test_header_run_stops_where_the_data_is_cut() -> None:
    data = b"".join(b"".join(dovecot_parts(uid)) for uid in (1, 2))
    first = len(b"".join(dovecot_parts(1)))
    for cut in range(len(data) + 1):
        got: list[FetchedMessage] = []
        end = header_run(data[:cut], 0, got)
        whole = (cut >= first) + (cut == len(data))
        assert (end, len(got)) == ((0, first, len(data))[whole], whole), cut


def odd_line(old: bytes, new: bytes) -> list[bytes]:
    parts = dovecot_parts()
    return [parts[0].replace(old, new), *parts[1:]]


GMAIL = b"X-GM-THRID 1278455344230334865 X-GM-MSGID 1278455344230334866"


def gmail_parts(
    flags: bytes = b"(\\Seen $Forwarded)", date: bytes = b"27-Nov-2026 05:19:39 +0000"
) -> list[bytes]:
    line = b'* 1 FETCH (%s UID 7 FLAGS %s INTERNALDATE "%s" RFC822.SIZE 120' % (GMAIL, flags, date)
    return [line + b" BODY[HEADER.FIELDS (FROM)] {%d}\r\n" % len(HEADER), HEADER, b")\r\n"]


@pytest.mark.parametrize(
    ("parts", "gm_ids"),
    [
        (gmail_parts(), (1278455344230334866, 1278455344230334865)),
        ([*dovecot_parts()[:2], b" %s)\r\n" % GMAIL], (1278455344230334866, 1278455344230334865)),
        ([b"* 1 FETCH (RFC822.SIZE 120 BODY[HEADER.FIELDS (FROM)] {%d}\r\n" % len(HEADER), HEADER,
          b" INTERNALDATE \"27-Nov-2026 05:19:39 +0000\" FLAGS (\\Seen  $Forwarded) UID 7)\r\n"],
         (None, None)),
        ([b"* 3 FETCH (UID 7 FLAGS () RFC822.SIZE 5 BODY[HEADER.FIELDS (FROM)] {%d}\r\n"
          % len(HEADER), HEADER, b")\r\n"], (None, None)),  # no INTERNALDATE
        (odd_line(b'"27-Nov', b'"  27-Nov'), (None, None)),
        (odd_line(b"UID 7 ", b"UID 6 X-GM-MSGID 1 X-GM-MSGID 2 UID 7 "), (2, None)),  # last wins
    ],
)  # fmt: skip
def test_header_run_reads_other_orders_like_header_message(
    parts: list[bytes], gm_ids: tuple[int | None, int | None]
) -> None:
    got = check_run(b"".join(parts) + b"".join(dovecot_parts(uid=8)))
    assert [m.uid for m in got] == [7, 8]
    assert (got[0].gm_msgid, got[0].gm_thrid) == gm_ids
    assert got[0].header == HEADER


@pytest.mark.parametrize(
    "parts",
    [
        odd_line(b"FLAGS (\\Seen $Forwarded)", b"FLAGS NIL"),
        gmail_parts(flags=b"(\\Seen NIL)"),  # fetch_items drops NIL
        gmail_parts(flags=b"(\\Seen\t$Forwarded)"),
        gmail_parts(flags=b"(\\Seen [x])"),
        gmail_parts(date=b"27-Nov-2026 05:19:39 \\+0000"),
        odd_line(b"}\r\n", b"+}\r\n"),
        odd_line(b"UID 7", b"UID 123456789012345678901"),
        odd_line(b"UID 7 ", b""),
        odd_line(b"UID 7 ", b"UID  7 "),
        odd_line(b"FETCH", b"fetch"),
        odd_line(b"(FROM TO", b"(FROM\rTO"),
        odd_line(b"* 3 ", b"* " + b"9" * 40 + b" "),
        odd_line(b"UID 7 ", b"UID 7 X-GM-LABELS (\\Inbox) "),
        [*dovecot_parts()[:2], b" BODY[] {3}\r\n", b"abc", b")\r\n"],
        [b"* 4 FETCH (UID 4 FLAGS (\\Seen))\r\n"],
        [b"* BYE shutting down\r\n"],
        [b"* 12 EXISTS\r\n"],
    ],
)  # fmt: skip
def test_header_run_leaves_other_shapes_to_the_general_path(parts: list[bytes]) -> None:
    data = b"".join(parts) + b"".join(dovecot_parts(uid=8))
    got: list[FetchedMessage] = []
    assert header_run(data, 0, got) == 0
    assert got == []


def test_header_run_keeps_the_fast_path_quirks() -> None:
    nil_flag = odd_line(b"FLAGS (\\Seen $Forwarded)", b"FLAGS (NIL \\Recent)")
    assert [m.flags for m in check_run(b"".join(nil_flag))] == [("NIL",)]  # as header_message


@pytest.mark.parametrize(
    "date",
    [b"27-Nov-2026 05:19:39 +0000", b" 7-Nov-2026 05:19:39 +0000", b"7-nov-2026 5:19:39 -0130",
     b"29-Feb-2024 23:59:59 +1400", b"31-Feb-2026 05:19:39 +0000", b"27-Foo-2026 05:19:39 +0000",
     b"01-Jan-1970 99:99:99 -9999"],
)  # fmt: skip
def test_header_run_dates_match_parse_internaldate(date: bytes) -> None:
    parts = dovecot_parts()
    parts[0] = parts[0].replace(b"27-Nov-2026 05:19:39 +0000", date)
    got = check_run(b"".join(parts) + b"".join(parts))  # the second one from the memo
    assert [m.internaldate for m in got] == [parse.parse_internaldate(date)] * 2


_PIECES = {  # the first of each is what Dovecot sends; the others are what it never does
    "seq": [b"3", b"0", b"12345678901234567890", b"x", b""],
    "uid": [b"7", b"4294967295", b"123456789012345678901", b""],
    "flags": [b"(\\Seen)", b"()", b"(\\Seen \\Recent $Junk)", b"NIL", b"(NIL)", b"(a\\b)",
              b"(\\Seen", b"( \\Seen  $X )", b"(\\Seen\t$X)", b"(a[b])", b"(\\Seen nil)",
              b'("x")', b"(Vanilla)"],
    "date": [b'"27-Nov-2026 05:19:39 +0000"', b'" 1-Jan-2026 00:00:00 -0130"',
             b'"31-Feb-2026 0:0:0 +0000"', b'"27-Nov-2026  05:19:39 +0000"', b"NIL", b'"x"',
             b'"27-Nov-2026 05:19:39 +0000', b'"27-Nov-2026 05:19:3 +0000"',
             b'"27-Nov-2026 05:19:39 +000"', b'"27-Nov-26 05:19:39 +0000"',
             b'"27-Nov-2026 5:9:39 +0000"', b'"27-Nov-2026 05:19:39 +0000 "',
             b'"127-Nov-2026 05:19:39 +0000"', b'"27-Nov-2026 05:19:39 \\+0000"'],
    "size": [b"120", b"0", b"", b"-1", b"007"],
    "gmail": [b"", b"X-GM-MSGID 1278455344230334866", b"X-GM-THRID 9 X-GM-MSGID 5",
              b"x-gm-msgid 5", b"X-GM-LABELS (\\Inbox)", b"X-GM-MSGID NIL", b"UID 8"],
    "fields": [b"(FROM TO)", b"()", b"(FROM\nTO)", b"(A)]"],
    "plus": [b"", b"+"],
    "skew": [b"0", b"-1", b"1", b"-2", b"2"],
    "tail": [b")\r\n", b" X-GM-MSGID 5)\r\n", b"\r\n", b"))\r\n", b")\n", b")", b" )\r\n"],
}  # fmt: skip
_ODD: Final = st.sampled_from([(name, v) for name, values in _PIECES.items() for v in values])
_ITEM_NAMES: Final = ("UID", "FLAGS", "INTERNALDATE", "RFC822.SIZE", "X-GM")
_ORDER: Final = st.tuples(
    st.permutations(_ITEM_NAMES),
    st.integers(0, len(_ITEM_NAMES)),
    st.sets(st.sampled_from(_ITEM_NAMES)),
)
_DOVECOT_ORDER: Final[tuple[tuple[str, ...], int, set[str]]] = (_ITEM_NAMES, 5, set())


@settings(max_examples=500)
@given(
    shapes=st.lists(
        st.tuples(st.binary(max_size=40), st.none() | _ODD, st.just(_DOVECOT_ORDER) | _ORDER),
        min_size=1, max_size=3,
    ),
    cut=st.integers(0, 10_000),
)  # fmt: skip
def test_header_run_agrees_with_header_message_on_odd_responses(
    shapes: list[tuple[bytes, tuple[str, bytes] | None, tuple[tuple[str, ...], int, set[str]]]],
    cut: int,
) -> None:
    data = b""
    for header, odd, (order, before, missing) in shapes:
        piece = {name: values[0] for name, values in _PIECES.items()} | dict([odd] if odd else [])
        values = {"UID": b"UID " + piece["uid"], "FLAGS": b"FLAGS " + piece["flags"],
                  "INTERNALDATE": b"INTERNALDATE " + piece["date"],
                  "RFC822.SIZE": b"RFC822.SIZE " + piece["size"],
                  "X-GM": piece["gmail"]}  # fmt: skip
        items = [values[name] for name in order if name not in missing and values[name]]
        length = b"%d%s" % (max(0, len(header) + int(piece["skew"])), piece["plus"])
        data += b"* %s FETCH (%sBODY[HEADER.FIELDS %s] {%s}\r\n%s%s%s" % (
            piece["seq"], b"".join(item + b" " for item in items[:before]), piece["fields"],
            length, header, b"".join(b" " + item for item in items[before:]), piece["tail"],
        )  # fmt: skip
    check_run(data)
    check_run(data[:cut])
