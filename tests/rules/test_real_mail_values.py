"""Header values from real mail (issue 10), as tables: found by syncing public test corpora and
comparing with Python's ``email`` package, plus RFC 5322's own examples (Appendix A).

Impossible dates and zones give "no date" (never a date guessed into another day); RFC 5322
4.4's obsolete address forms, which receivers must accept, are read; a header line of UTF-8
with a stray byte keeps its UTF-8. And what we must keep refusing stays refused.
"""

from __future__ import annotations

import calendar

import pytest

from core.mail.header_bytes import decode_bytes
from core.mail.headers import prepare
from core.mail.source import FetchedMessage
from core.rules.addresses import parse_address_list
from core.rules.dates import parse_date
from core.rules.model import Folder


def _utc(y: int, mo: int, d: int, h: int, mi: int, s: int = 0, east: int = 0) -> float:
    return float(calendar.timegm((y, mo, d, h, mi, s, 0, 0, 0)) - east)


DATES = [
    # (text, seconds or None)
    ("Wed, 15 Dec 2010 59:10 -0500", None),  # the stdlib fallback stored it two days late
    ("Wed, 15 Dec 2010 10:10 -3000", None),  # a zone out of range
    ("Wed, 15 Dec 2010 10:10:00 +2400", None),
    ("Wed, 15 Dec 2010 10:60:00 +0000", None),
    ("Wed, 15 Dec 2010 10:10:61 +0000", None),
    ("Thu, 31 Feb 2011 10:00:00 +0000", None),  # no such day (timegm would roll to March)
    ("Tue, 29 Feb 2011 10:00:00 +0000", None),
    ("32 Jan 2025 10:00:00 +0000", None),
    ("Wed, 15 Foo 2010 10:10:00 +0000", None),
    ("the day after", None),
    ("Wed, 15 Dec 2010 10:10 -0500", _utc(2010, 12, 15, 15, 10)),
    ("Tue, 29 Feb 2028 10:00:00 +0000", _utc(2028, 2, 29, 10, 0)),
    ("Wed, 15 Dec 2010 23:59:60 +0000", _utc(2010, 12, 15, 23, 59, 60)),  # a leap second
    # RFC 5322 Appendix A and 4.3's obsolete forms
    ("Fri, 21 Nov 1997 09:55:06 -0600", _utc(1997, 11, 21, 15, 55, 6)),
    ("Thu, 13 Feb 1969 23:32:54 -0330", _utc(1969, 2, 14, 3, 2, 54)),
    ("21 Nov 97 09:55:06 GMT", _utc(1997, 11, 21, 9, 55, 6)),
    ("Fri, 21 Nov 1997 09(comment):   55  :  06 -0600", _utc(1997, 11, 21, 15, 55, 6)),
    ("Mon, 3 Mar 03 09:41:12 EST", _utc(2003, 3, 3, 14, 41, 12)),
    ("Wednesday, 15-Dec-2010 10:10:00 PDT", _utc(2010, 12, 15, 17, 10)),
    ("15 Dec 2010 10:10 Z", _utc(2010, 12, 15, 10, 10)),
    ("15 Dec 2010 10:10:00 M", _utc(2010, 12, 15, 10, 10)),  # military: "-0000" (4.3)
    ("15 Dec 2010 10:10:00 CET", _utc(2010, 12, 15, 10, 10)),  # unknown names too
    ("15 Dec 2010 10:10:00", _utc(2010, 12, 15, 10, 10)),  # no zone: UTC
    ("Wed Dec 15 10:10:00 2010", _utc(2010, 12, 15, 10, 10)),  # asctime's order
    ("1 Jan 2025 10:00:00 +0100 (CET)", _utc(2025, 1, 1, 9, 0)),
    ("2025-01-01T10:00:00+01:00", _utc(2025, 1, 1, 9, 0)),
]


@pytest.mark.parametrize(("text", "expected"), DATES)
def test_dates(text: str, expected: float | None) -> None:
    assert parse_date(text) == expected


ADDRESSES = [
    # (header value, [(email, display name), ...])
    ("<@relay.example:mary@example.net>", [("mary@example.net", "")]),  # a source route
    ("Mary <@a.example,@b.example:mary@example.net>", [("mary@example.net", "Mary")]),
    ("jdoe@test . example", [("jdoe@test.example", "")]),
    ("John Doe <jdoe@test . example>", [("jdoe@test.example", "John Doe")]),
    ("Joe Q. Public <john.q.public@example.com>", [("john.q.public@example.com", "Joe Q. Public")]),
    (
        "Pete(A nice \\) chap) <pete(his account)@silly.test(his host)>",
        [("pete@silly.test", "Pete")],
    ),
    (
        '"Giant; \\"Big\\" Box" <sysservices@example.net>',
        [("sysservices@example.net", 'Giant; "Big" Box')],
    ),
    (
        "A Group:Ed Jones <c@a.test>,joe@where.test,John <jdoe@one.test>;",
        [("c@a.test", "Ed Jones"), ("joe@where.test", ""), ("jdoe@one.test", "John")],
    ),
    # kept refused: a phrase is no address, and a name never passes for one
    ("Big Bug bb@bug.com", [(None, "")]),
    ("buyer@bank.example <x@y.example>", [("x@y.example", "buyer@bank.example")]),
    ("alice@x)<bob@y>", [(None, "alice@x")]),
    ("<@a.example:b@c:d@e>", [(None, "")]),
    ("<a@b,c@d>", [(None, "")]),
]


@pytest.mark.parametrize(("value", "expected"), ADDRESSES)
def test_addresses(value: str, expected: list[tuple[str | None, str]]) -> None:
    assert [(a.email, a.name) for a in parse_address_list(value)] == expected


LINES = [
    # (raw bytes, decoded text): stray bytes as cp1252, each UTF-8 run as UTF-8
    ("Réunion à Genève".encode() + b" \xe9t\xe9", "Réunion à Genève été"),
    ("Léa Müller".encode("latin-1"), "Léa Müller"),
    (b"caf\xc3\xa9 \x80 \xc3", "café € Ã"),
    (b"\x81\x8d", "\x81\x8d"),  # undefined in cp1252: latin-1
]


@pytest.mark.parametrize(("raw", "text"), LINES)
def test_a_line_with_stray_bytes_keeps_its_utf8(raw: bytes, text: str) -> None:
    assert decode_bytes(raw) == (text, True)
    block = b"From: a@x.example\r\nSubject: " + raw + b"\r\n\r\n"
    prepared = prepare(FetchedMessage(1, (), None, 0, block), Folder.INBOX)
    assert prepared.message.subject == text and "8bit" in prepared.flagged


def test_a_date_that_cannot_be_real_is_kept_raw_and_flagged() -> None:
    block = b"From: a@x.example\r\nDate: Wed, 15 Dec 2010 59:10 -0500\r\n\r\n"
    prepared = prepare(FetchedMessage(1, (), 1_292_425_800.0, 0, block), Folder.INBOX)
    assert prepared.message.date is None and "date" in prepared.flagged
    date_raw = prepared.row[6]
    assert date_raw == "Wed, 15 Dec 2010 59:10 -0500"  # kept as written, sorted by arrival
