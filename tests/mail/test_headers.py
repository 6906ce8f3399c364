"""The header parser: bytes in, values out, never raising, never dropping a header."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.mail.header_bytes import decode_bytes
from core.mail.headers import parse_block, prepare, to_message
from core.mail.source import FetchedMessage
from core.rules.model import Folder
from core.store import cache


def _prepare(block: bytes, folder: Folder = Folder.INBOX):  # type: ignore[no-untyped-def]
    return prepare(FetchedMessage(1, (), None, len(block), block), folder)


def test_plain_block() -> None:
    block = (
        b"From: =?utf-8?q?L=C3=A9a?= <Lea@Initech.example>\r\n"
        b"To: mia@globex.example,\r\n raj@globex.example\r\n"
        b"Subject: Re: [Sales] Quote\r\n"
        b"Date: Mon, 7 Oct 2024 09:00:00 +0200\r\n"
        b"Message-ID: <1@initech.example>\r\n"
        b"In-Reply-To: <0@globex.example> (comment)\r\n"
        b"References: <r@x>\r\n <0@globex.example>\r\n"
        b"X-Other: ignored\r\n\r\n"
    )
    n = _prepare(block)
    m = n.message
    assert m.sender is not None and (m.sender.email, m.sender.name) == (
        "lea@initech.example",
        "Léa",
    )
    assert [a.email for a in m.to] == ["mia@globex.example", "raj@globex.example"]
    assert m.subject == "Re: [Sales] Quote" and m.subject_key == "quote"
    assert m.date == 1728284400.0
    assert (m.message_id, m.in_reply_to, m.references) == (
        "<1@initech.example>",
        "<0@globex.example>",
        ("<r@x>", "<0@globex.example>"),
    )
    assert m.thread_key == "<r@x>"
    assert n.flagged == ()
    assert "x-other" not in parse_block(block).fields


def test_raw_8bit_utf8_and_latin1() -> None:
    n = _prepare("From: Léa <lea@x.example>\nSubject: Été\n".encode())
    assert n.message.subject == "Été" and "8bit" not in n.flagged
    n = _prepare("From: Léa <lea@x.example>\nSubject: Été\n".encode("latin-1"))
    assert n.message.subject == "Été" and "8bit" in n.flagged
    assert n.message.sender is not None and n.message.sender.name == "Léa"
    assert decode_bytes(b"\x81\x8d") == ("\x81\x8d", True)  # undefined in cp1252


def test_duplicates_keep_the_first_and_join_lists() -> None:
    n = _prepare(
        b"From: a@x.example\r\nFrom: b@x.example\r\nSubject: one\r\nSubject: two\r\n"
        b"To: c@x.example\r\nTo: d@x.example\r\nReferences: <1@x>\r\nReferences: <2@x>\r\n"
    )
    assert n.message.sender is not None and n.message.sender.email == "a@x.example"
    assert n.message.subject == "one"
    assert [a.email for a in n.message.to] == ["c@x.example", "d@x.example"]
    assert n.message.references == ("<1@x>", "<2@x>")
    assert {"duplicate-from", "duplicate-subject"} <= set(n.flagged)


def test_no_headers_at_all() -> None:
    for block in (b"", b"\r\n", b"garbage without colon\r\n\r\n"):
        n = _prepare(block)
        assert n.message.sender is None and n.message.message_id is None
        assert {"no-from", "no-message-id"} <= set(n.flagged)
    assert "line" in _prepare(b"garbage without colon\r\n").flagged


def test_bad_date_and_unparseable_from_are_flagged_and_kept_raw() -> None:
    block = b"From: not an address\r\nDate: yesterday-ish\r\nMessage-ID: nobrackets\r\n"
    n = _prepare(block)
    assert {"from", "date", "message-id"} <= set(n.flagged)
    assert parse_block(block).fields["date"] == "yesterday-ish"
    assert cache._row(1, 1, n)[8] == "yesterday-ish"  # date_raw: kept as it could not be read
    assert n.message.from_raw == "not an address"
    assert n.message.message_id == "nobrackets"


def test_crlf_and_nul_in_encoded_words_become_spaces() -> None:
    n = _prepare(
        b"From: =?utf-8?q?Evil=0D=0ABcc:_x=00y?= <e@x.example>\r\nSubject: =?utf-8?b?YQ0KYg==?=\r\n"
    )
    assert n.message.sender is not None
    assert n.message.sender.email == "e@x.example"
    assert "\r" not in n.message.sender.name and "\n" not in n.message.sender.name
    assert "\x00" not in n.message.sender.name
    assert n.message.subject == "a  b"


def test_500_nested_comments_do_not_recurse() -> None:
    n = _prepare(b"From: " + b"(" * 500 + b"x" + b")" * 500 + b" a@x.example\r\n")
    assert n.message.sender is not None and n.message.sender.email == "a@x.example"
    n = _prepare(b"From: " + b"(" * 500 + b"a@x.example\r\n")
    assert n.message.sender is not None and n.message.sender.email is None
    assert "from" in n.flagged


def test_one_megabyte_header_is_kept_whole() -> None:
    big = b"Subject: " + b"=?utf-8?q?ab?= " * 70_000 + b"\r\nTo: " + b"a@x.example, " * 80_000
    n = _prepare(big + b"\r\nFrom: z@x.example\r\n")
    assert len(big) > 1_000_000
    assert n.message.subject == "ab" * 70_000
    assert len(n.message.to) == 80_000
    assert n.message.sender is not None and n.message.sender.email == "z@x.example"


def test_a_header_folded_200000_times_is_read_in_linear_time() -> None:
    folds = b"".join(b"\r\n <%d@x>" % i for i in range(200_000))
    block = b"From: a@x.example\r\nReferences: <r@x>" + folds + b"\r\n\r\n"
    start = time.perf_counter()
    n = _prepare(block)
    assert time.perf_counter() - start < 2  # 0.06 s; with each fold joined as read, 7-14 s
    assert len(n.message.references) == 200_001 and n.message.thread_key == "<r@x>"


def test_folding_with_lf_only_and_tabs() -> None:
    parsed = parse_block(b"Subject: a\n\tb\nFrom: x@y.example\n")
    assert parsed.fields == {"subject": "a\tb", "from": "x@y.example"}


def test_draft_message_role() -> None:
    m = to_message("7", Folder.DRAFTS, parse_block(b"To: a@x.example\r\n"))
    assert m.is_draft and m.id == "7"


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_any_bytes_never_raise(block: bytes) -> None:
    n = _prepare(block)
    assert isinstance(n.flagged, tuple)
    for value in parse_block(block).fields.values():
        assert "\n" not in value and "\r" not in value and "\x00" not in value


@pytest.mark.parametrize("name", ["from", "to", "cc", "bcc", "subject", "date", "list-id"])
def test_header_names_are_case_insensitive(name: str) -> None:
    parsed = parse_block(f"{name.upper()}: v\r\n".encode())
    assert parsed.fields == {name: "v"}


_ATOMS = st.sampled_from(
    ["a@x.example", "B <b@y.example>", '"c, d" <c@z>', "(note) e@x", "g: h@x;", "<i@x, j@x>",
     "=?utf-8?q?L=C3=A9a?= <l@x>", "bad", "", " ", "k@[1.2.3.4]", "m\\,n@x", "<o@x",
     "x> <p@x", "q>", "r@x>"]
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(_ATOMS, max_size=6), st.sampled_from([",", ", ", " ,"]))
def test_splitting_address_lists_parses_the_same(atoms: list[str], sep: str) -> None:
    """The per-element split (for memoisation) never changes what the rules core reads."""
    from core.mail.headers import _one
    from core.rules.addresses import parse_address_list

    value = sep.join(atoms)
    split = tuple(a for part in _one(value) for a in parse_address_list(part))
    assert split == parse_address_list(value)


def _reference(block: bytes) -> tuple[dict[str, str], set[str]]:
    """The obvious line loop the one-regex parser must agree with."""
    import re

    from core.mail.header_bytes import decode_bytes
    from core.mail.headers import _LISTS, WANTED
    from core.rules.encoded_words import sanitize

    text, eight_bit = decode_bytes(block)
    fields: dict[str, str] = {}
    flags = {"8bit"} if eight_bit else set()
    for line in re.split(r"\r?\n(?![ \t])", text):
        name, colon, value = line.partition(":")
        name = name.rstrip(" \t")
        if not colon or re.fullmatch(r"[!-9;-~]+", name) is None:
            if line.strip():
                flags.add("line")
            continue
        key = name.lower()
        if key not in WANTED:
            continue
        value = sanitize(re.sub(r"\r?\n(?=[ \t])", "", value)).strip()
        if key in fields:
            if key in _LISTS:
                sep = " " if key == "references" else ", "
                fields[key] = f"{fields[key]}{sep}{value}" if fields[key] else value
            else:
                flags.add(f"duplicate-{key}")
            continue
        fields[key] = value
    return fields, flags


_LINES = st.sampled_from(
    [b"From: a@x", b"To: b@y", b"Subject: s", b" cont", b"\t tab", b"junk line",
     b"Bad Name: v", b"", b"References: <1@x>", b"SUBJECT : t", b"X-Other: o", b"\xe9t\xe9",
     b":nocolonname", b"\r", b"Subject: a\rb", b"To: x\x00y", b"From:", b"Cc: \r", b" \r", b" "]
)  # fmt: skip


def test_a_stray_line_is_found_when_a_blank_continuation_ends_the_block() -> None:
    # The folded blank line belongs to From; the stray first line must still be flagged.
    block = b" cont\r\nFrom: a@x\r\n \r\n"
    assert parse_block(block).flagged == ("line",)
    assert _reference(block) == ({"from": "a@x"}, {"line"})
    assert parse_block(b"From: a@x\r\n \r\n\r\n").flagged == ()


@settings(max_examples=500, deadline=None)
@given(st.lists(_LINES, max_size=8), st.sampled_from([b"\r\n", b"\n", b"\r\n\r\n"]))
def test_parse_block_agrees_with_a_plain_line_loop(lines: list[bytes], sep: bytes) -> None:
    block = sep.join(lines) + sep
    parsed = parse_block(block)
    assert (parsed.fields, set(parsed.flagged)) == _reference(block)
