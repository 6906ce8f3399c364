"""The IMAP response parsers: bytes in, values out, including odd servers."""

from __future__ import annotations

import calendar
import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.mail import imap_parse as parse
from core.mail.folders import ListEntry
from core.mailbox import FetchedMessage, FlagChange

HEADER = b"From: a@example.com\r\nSubject: hi\r\n\r\n"
NOV_27 = calendar.timegm((2026, 11, 27, 5, 19, 39))


def dovecot_parts(
    uid: int = 7, flags: bytes = b"\\Seen $Forwarded", header: bytes = HEADER
) -> list[bytes]:
    line = (
        b'* 3 FETCH (UID %d FLAGS (%s) INTERNALDATE "27-Nov-2026 05:19:39 +0000" RFC822.SIZE 120'
        b" BODY[HEADER.FIELDS (FROM TO SUBJECT)] {%d}\r\n" % (uid, flags, len(header))
    )
    return [line, header, b")\r\n"]


def test_dovecot_shaped_fetch_takes_the_fast_path() -> None:
    got = parse.header_message(dovecot_parts())
    assert got == FetchedMessage(7, ("\\Seen", "$Forwarded"), float(NOV_27), 120, HEADER)


def test_recent_is_never_reported() -> None:
    got = parse.header_message(dovecot_parts(flags=b"\\Seen \\Recent"))
    assert got is not None and got.flags == ("\\Seen",)


def test_items_in_another_order_with_gmail_ids() -> None:
    line = b"* 1 FETCH (X-GM-THRID 1278455344230334865 BODY[HEADER.FIELDS (From)] {%d}\r\n" % len(
        HEADER
    )
    tail = (
        b" FLAGS (\\Answered) UID 42 X-GM-MSGID 1278455344230334866 RFC822.SIZE 9"
        b' INTERNALDATE " 1-Jan-2026 00:00:00 -0130")\r\n'
    )
    got = parse.header_message([line, HEADER, tail])
    assert got == FetchedMessage(
        uid=42,
        flags=("\\Answered",),
        internaldate=float(calendar.timegm((2026, 1, 1, 1, 30, 0))),
        size=9,
        header=HEADER,
        gm_msgid=1278455344230334866,
        gm_thrid=1278455344230334865,
    )


def test_literals_for_any_item_and_nil_header() -> None:
    date = b"27-Nov-2026 05:19:39 +0000"
    parts = [
        b"* 9 FETCH (INTERNALDATE {%d}\r\n" % len(date),
        date,
        b" UID 5 FLAGS () BODY[HEADER.FIELDS (FROM)] NIL RFC822.SIZE 0)\r\n",
    ]
    assert parse.header_message(parts) == FetchedMessage(5, (), float(NOV_27), 0, b"")


def test_quoted_header_value_is_unescaped() -> None:
    line = b'* 9 FETCH (UID 5 BODY[HEADER.FIELDS (SUBJECT)] "Subject: a \\"b\\" \\\\")\r\n'
    got = parse.header_message([line])
    assert got is not None and got.header == b'Subject: a "b" \\'


def test_unsolicited_flag_update_is_not_a_message() -> None:
    assert parse.header_message([b"* 4 FETCH (UID 4 FLAGS (\\Seen))\r\n"]) is None
    assert parse.header_message([b"* 4 FETCH (FLAGS (\\Seen))\r\n"]) is None


def test_header_with_parentheses_brackets_and_braces_inside_the_literal() -> None:
    odd = b'Subject: (a) [b] {3}\r\nFrom: "x)" <x@y>\r\n\r\n'
    got = parse.header_message(dovecot_parts(header=odd))
    assert got is not None and got.header == odd


def test_fast_and_generic_paths_agree() -> None:
    parts = dovecot_parts(flags=b"\\Seen \\Flagged $Label1")
    fast = parse.header_message(parts)
    generic = parse.fetch_items(parts)
    assert generic is not None
    assert fast == parse.message_from_items(generic[1])


@given(
    uid=st.integers(1, 2**32 - 1),
    flags=st.lists(st.sampled_from(["\\Seen", "\\Answered", "$Forwarded", "Junk"]), max_size=3),
    header=st.binary(max_size=300),
)
def test_any_header_bytes_come_back_unchanged(uid: int, flags: list[str], header: bytes) -> None:
    parts = dovecot_parts(uid, " ".join(flags).encode(), header)
    got = parse.header_message(parts)
    assert got is not None
    assert (got.uid, got.flags, got.header) == (uid, tuple(flags), header)


def test_flag_change_with_modseq() -> None:
    parsed = parse.fetch_items([b"* 2 FETCH (UID 8 FLAGS (\\Seen \\Recent) MODSEQ (12345))\r\n"])
    assert parsed is not None
    assert parse.flag_change(parsed[1]) == FlagChange(8, ("\\Seen",), 12345)


@pytest.mark.parametrize(
    "line",
    [
        b"* 2 FETCH (UID 8 FLAGS (\\Seen \\Recent) MODSEQ (12345))\r\n",  # fast path
        b"* 2 FETCH (MODSEQ (12345) FLAGS (\\Seen) UID 8)\r\n",  # any order: generic path
    ],
)
def test_flag_responses(line: bytes) -> None:
    assert parse.flag_response([line]) == FlagChange(8, ("\\Seen",), 12345)


def test_flag_response_without_modseq_or_uid() -> None:
    assert parse.flag_response([b"* 1 FETCH (UID 3 FLAGS ())\r\n"]) == FlagChange(3, ())
    assert parse.flag_response([b"* 1 FETCH (FLAGS (\\Seen))\r\n"]) is None
    assert parse.flag_response([b"* 1 EXPUNGE\r\n"]) is None


def test_unbalanced_response_is_a_parse_error() -> None:
    with pytest.raises(parse.ParseError):
        parse.header_message([b"* 1 FETCH (UID 1 FLAGS (\\Seen)\r\n"])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (b"27-Nov-2026 05:19:39 +0000", NOV_27),
        (b" 7-Nov-2026 05:19:39 +0000", NOV_27 - 20 * 86400),
        (b"27-nov-2026 06:19:39 +0100", NOV_27),
        (b"27-Nov-2026 05:19:39 -0030", NOV_27 + 1800),
        (b"31-Feb-2026 05:19:39 +0000", None),
        (b"27-Foo-2026 05:19:39 +0000", None),
        (b"yesterday", None),
    ],
)
def test_internaldate(text: bytes, expected: int | None) -> None:
    got = parse.parse_internaldate(text)
    assert got == (None if expected is None else float(expected))


def test_list_entries() -> None:
    assert parse.parse_list([b'* LIST (\\HasNoChildren \\Sent) "/" Sent\r\n']) == ListEntry(
        ("\\HasNoChildren", "\\Sent"), "/", "Sent"
    )
    assert parse.parse_list([b'* LIST () "." "Sent Items"\r\n']) == ListEntry((), ".", "Sent Items")
    assert parse.parse_list([b"* LIST (\\Noselect) NIL {7}\r\n", b"[Gmail]", b"\r\n"]) == (
        ListEntry(("\\Noselect",), None, "[Gmail]")
    )
    assert parse.parse_list([b"* SEARCH 1 2\r\n"]) is None


def test_response_codes() -> None:
    assert parse.response_code(b"* OK [UIDNEXT 42] Predicted\r\n") == (b"UIDNEXT", b"42")
    assert parse.response_code(b"* 3 EXISTS\r\n") is None


def test_runs_and_batches_keep_commands_short() -> None:
    assert parse.runs([5, 1, 2, 3, 3, 9, 10]) == [(1, 3), (5, 5), (9, 10)]
    assert list(parse.batches([1, 2, 3, 5, 7, 8], max_uids=3)) == [b"1:3", b"5,7:8"]
    assert list(parse.batches(range(1, 100_001), max_uids=5000))[:2] == [b"1:5000", b"5001:10000"]
    sparse = list(parse.batches(range(1, 200_000, 2), max_uids=10**6, max_chars=1000))
    assert all(len(batch) <= 1000 for batch in sparse)
    assert sum(len(batch.split(b",")) for batch in sparse) == 100_000
    assert [parse.sequence_top(b) for b in parse.batches([1, 2, 3, 5, 7, 8, 12], 3)] == [3, 8, 12]


def test_literal_size_and_quote() -> None:
    assert parse.literal_size(b"* 1 FETCH (BODY[] {123}\r\n") == 123
    assert parse.literal_size(b"* 1 FETCH (BODY[] {123+}\r\n") == 123
    assert parse.literal_size(b"* OK done\r\n") is None
    assert parse.quote('a "b" \\c') == b'"a \\"b\\" \\\\c"'


@given(
    line=st.one_of(
        st.binary(max_size=120),
        st.lists(
            st.sampled_from(
                [b"* ", b"1 ", b"FETCH ", b"(", b")", b"UID ", b"7 ", b"FLAGS ", b"NIL ",
                 b'"x\\"y" ', b"BODY[HEADER] ", b"{3}", b"\\Seen ", b"[", b"]", b"MODSEQ "]
            ),
            max_size=25,
        ).map(b"".join),
    ),
    literal=st.binary(max_size=10),
)  # fmt: skip
def test_garbage_never_crashes_the_parsers(line: bytes, literal: bytes) -> None:
    parts = [line + b"\r\n"]
    if line.endswith(b"}"):
        parts = [line + b"\r\n", literal, b")\r\n"]
    for parser in (parse.header_message, parse.flag_response, parse.parse_list):
        with contextlib.suppress(parse.ParseError):  # the one error parsers may raise
            parser(parts)


def responses(data: bytes) -> list[list[bytes]]:
    """The whole responses of ``data``, split as Wire.read splits them."""
    found: list[list[bytes]] = []
    pos = 0
    while True:
        parts, end = parse.split_response(data, pos)
        if not parts:
            return found
        found.append(parts)
        pos = end


def test_split_response_gives_read_parts_or_what_is_missing() -> None:
    parts = dovecot_parts()
    data = b"".join(parts) + b"MS1 OK done\r\n"
    assert parse.split_response(data) == (parts, len(b"".join(parts)))
    assert parse.split_response(data, len(b"".join(parts))) == ([b"MS1 OK done\r\n"], len(data))
    assert parse.split_response(parts[0][:10]) == ([], 0)  # a line still unfinished
    assert parse.split_response(parts[0] + HEADER[:5]) == ([], len(HEADER) - 5)
    assert parse.split_response(parts[0] + HEADER) == ([], 0)  # the closing line is missing
    assert responses(data) == [parts, [b"MS1 OK done\r\n"]]
