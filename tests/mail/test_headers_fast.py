"""The header parser's fast paths read exactly what its general paths read, on any input."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.mail import headers
from core.mail.header_bytes import decode_bytes
from core.mail.headers import _parse_text, _plain_values, prepare
from core.mail.list_split import may_split
from core.mailbox import FetchedMessage
from core.rules.addresses import Address, fast_element, parse_address_list
from core.rules.model import Folder
from core.store.cache import row
from core.store.packed import pack
from tests.helpers.reference_headers import columns, parse_block, problems, to_message
from tests.rules.test_fast_paths import _DATES

# Pieces that make header-like blocks, good and hostile: names in several spellings, a name
# with a space, folds with spaces and tabs, blank lines, bare CR and LF, NUL and other
# controls, non-breaking and line separators, raw 8-bit bytes.
_PIECES = st.sampled_from(
    [b"From", b"from", b"FROM", b"To", b"Subject", b"subject ", b"Message-ID", b"X-Other",
     b"References", b"Cc", b"Bad Name", b":", b": ", b" ", b"\t", b"\r", b"\n", b"\r\n",
     b"\r\n ", b"\n ", b"\r\n\t", b"\r\n\r\n", b"\x00", b"\x0b", b"\x1c", b"\x7f", b"\x85",
     b"\xc2\xa0", b"\xe2\x80\xa8", b"\xe9", b"\xff", b"a@x", b"<1@x>", b"=?utf-8?q?a?=", b";"]
)  # fmt: skip
_NAMES = st.sampled_from(
    [b"From", b"from", b"TO", b"Subject", b"Subject ", b"X-Other", b"References", b"Cc",
     b"Bad Name", b"", b" From", b"\tTo"]
)  # fmt: skip
_VALUES = st.sampled_from(
    [b" a@x", b"", b" ", b" <1@x>", b" a\rb", b" a\nb", b" a\tb", b" \xe9", b" \xc2\xa0x",
     b"x:y", b" a\x00", b" B <b@y>, c@z"]
)  # fmt: skip
_SEPARATORS = st.sampled_from(
    [b"\r\n", b"\r\n", b"\r\n", b"\n", b"\r\n ", b"\n ", b"\r\n\t", b"\r\n\r\n", b"\r"]
)
_LINES = st.tuples(_NAMES, st.sampled_from([b":", b":", b""]), _VALUES, _SEPARATORS).map(b"".join)

BLOCKS = st.one_of(
    st.lists(_LINES, max_size=10).map(b"".join),
    st.lists(_PIECES, max_size=40).map(b"".join),
    st.binary(max_size=300),
)


@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(BLOCKS)
def test_parse_block_fast_path_equals_the_regex_pass(block: bytes) -> None:
    text, eight_bit = decode_bytes(block)
    assert parse_block(block) == _parse_text(text, eight_bit)


def test_common_blocks_take_the_fast_path() -> None:
    for block in (
        b"From: A <a@x>\r\nTo: b@y, C <c@z>\r\nReferences: <1@x>\r\n <2@x>\r\n\r\n",
        "From: Léa <léa@x>\nSubject: Été\nX-Other: o\n".encode(),
        b"",
    ):
        assert _plain_values(decode_bytes(block)[0]) is not None
    for block in (
        b"Subject\r\n : x\r\n",  # a fold after a stray line is no field
        b"Subject: a\r\n\r\n b\r\n",  # nor is a fold after a blank line
        b"Subject : a\r\n",
        b"Subject: a\r\n\tb\r\n",
        b"From: a\r\nFrom: b\r\n",
        b"From: a\nTo: b\r\n",
    ):
        assert _plain_values(decode_bytes(block)[0]) is None, block


# Field values, good and hostile, as the rules core reads them.
_ADDRESSES = st.sampled_from(
    ["a@x.example", "B <b@y.example>", '"c, d" <c@z>', "(note) e@x", "g: h@x;", "<i@x, j@x>",
     "=?utf-8?q?L=C3=A9a?= <l@x>", "bad", "", " ", "k@[1.2.3.4]", "m\\,n@x", "<o@x", ">p<",
     "Q <q@x> r", "s@x)", "Léa <léa@x>", "t@x\x00", "u@x\rv", "N\x1em <a@x>", "<a\x1f@x>",
     "x\x1cy", "=?utf-8?q?a=1Db?= <ab@x>"]
)  # fmt: skip
_SUBJECTS = st.sampled_from(
    ["Re: [Sales] Fwd: Quote", "quote", "=?utf-8?q?Re=3A_caf=C3=A9?=", "a\tb", "", " x ",
     "RE:RE: x\xa0y", "=?utf-8?b?YQ0KYg==?="]
)  # fmt: skip
_LIST_VALUES = st.lists(_ADDRESSES, max_size=4).flatmap(
    lambda atoms: st.sampled_from([",", ", ", " ,", ";"]).map(lambda sep: sep.join(atoms))
)
_FIELD_VALUES = {
    "From": _ADDRESSES,
    "To": _LIST_VALUES,
    "Cc": _LIST_VALUES,
    "Bcc": _LIST_VALUES,
    "Subject": _SUBJECTS,
    "Date": _DATES,
    "Message-ID": st.sampled_from(["<1@x>", " <2@x> ", "nobrackets", "", "<", "<a>b<c>"]),
    "In-Reply-To": st.sampled_from(["<1@x>", "<0@x> (comment)", "x", "", "<a><b>", "<\xa0>"]),
    "References": st.sampled_from(["<1@x>", "<1@x> <2@x>", "<1@x>\t<2@x>", "x y", "", "<\xa0>"]),
}
_HEADER_LINES = st.sampled_from(sorted(_FIELD_VALUES)).flatmap(
    lambda name: _FIELD_VALUES[name].map(lambda value: f"{name}: {value}")
)
_MESSAGES = st.one_of(
    st.lists(_HEADER_LINES, max_size=9).map(lambda lines: "\r\n".join(lines).encode()),
    BLOCKS,
)


@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_MESSAGES, st.sampled_from(list(Folder)))
def test_prepare_equals_to_message_and_problems(block: bytes, folder: Folder) -> None:
    new = prepare(FetchedMessage(7, ("\\Seen",), 1.0, len(block), block, 8, 9), folder)
    parsed = _parse_text(*decode_bytes(block))
    message = to_message("7", folder, parsed)
    assert new.message == message
    assert (new.message.recipients, new.message.links) == (message.recipients, message.links)
    assert new.flagged == problems(parsed, message)
    assert new[:4] == (7, ("\\Seen",), 1.0, len(block)) and new[6:8] == (8, 9)
    # the row the store builds of it, as the general one builds it from the fields
    assert row(3, 4, new) == (3, 4, *columns(*new[:8], parsed.fields))


# Elements of address lists around quoted strings: commas, angles, specials, escapes and
# quotes inside them and around them, quotes never closed, encoded words.
_QUOTED_ELEMENTS = st.sampled_from(
    ['"Brown, James" <jb@x.example>', ' "Doe, J" <d@y>', '"a,b"@x', '<"a,b"@x>', '"x" <a@b>',
     '"a\\",b" <c@d>', '"', ' "a, ', 'b" <c@d>', '"<a@b>, c" <d@e>', '"a" "b" <c@d>',
     '"(c), d" <e@f>', '"g: h," i@j;', "k@l", " <m@n>", "", " ", "o <p@q", '"r" <s@t> u',
     '"=?utf-8?q?L=C3=A9a,?=" <l@x>', '<a "b>" c', '"\\', "x> <y@z", '"t\r\n u" <v@w>',
     '(c "d) e@f', '[g"] h@i', '"j" <k@l>>', '"m"n <o@p>', '"a\\" <x@y>', ' "b\\\\" <c@d>']
)  # fmt: skip


@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        st.lists(_QUOTED_ELEMENTS, min_size=1, max_size=5).map(",".join),
        st.text(alphabet='"<>,;:()[]\\@ ab\r\n', max_size=30),
    )
)
def test_a_list_read_by_element_equals_the_list_read_whole(value: str) -> None:
    addresses, bad, text, _ = headers._read_list(value)
    whole = parse_address_list(value)
    assert (addresses, bad, text) == (whole, any(a.email is None for a in whole), pack(whole))


# One element as a mailbox writes it: names plain, quoted (commas, escapes, specials and
# encoded words inside), blanks around, bare and bracketed addresses, and broken ones.
_ELEMENTS = st.one_of(
    _QUOTED_ELEMENTS,
    st.tuples(
        st.sampled_from(["", " ", "\t", " Ann Lee ", "Ann\tLee", "=?utf-8?B?5p2O5aic?= ",
                         '"Doe, J" ', '"a\\"b" ', '"a\\\\b" ', '"(c) [d]: e;" ', '"" ',
                         "Ann (c) ", "Ann: ", "\xa0Ann ", '"N\x85" ', "=?utf-8?q?a=1Eb?= "]),
        st.sampled_from(["<a@x.example>", "b@y.example", "<C@Z>", "<d@@e>", "<é@x.fr>",
                         "<f..g@h>", "<a@[1.2.3.4]>", "<a@x", "a@x>"]),
        st.sampled_from(["", " ", "\t", "x", " ,"]),
    ).map("".join),
    st.text(alphabet='"<>,;:()[]\\@ ab\t\xa0', max_size=20),
)  # fmt: skip


@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_ELEMENTS)
def test_an_element_reads_as_the_parser_and_may_split_read_it(value: str) -> None:
    # _read_part's fast path (one common element) against the general reading of the element
    found = headers._read_part(value)
    whole = parse_address_list(value)
    assert found == (whole, any(a.email is None for a in whole), pack(whole), may_split(value))


def test_common_elements_take_the_one_element_fast_path() -> None:
    common = ["Sam Rivera <sam@x.example>", ' "Rivera, Sam" <sam@x.example>', " s@x.example",
              '"a\\"b" <c@d.example>']  # fmt: skip
    assert [fast_element(value) is not None for value in common] == [True] * 4
    assert [fast_element(v) for v in ("a@x, b@y", "(c) a@x", "<a@x", "")] == [None] * 4
    assert fast_element(common[3]) == (Address("c@d.example", 'a"b', common[3]), True)


def test_quoted_names_do_not_make_a_list_read_whole() -> None:
    value = '"Brown, James" <jb@x.example>, "Sam" <sam@y.example>, c@z.example'
    headers._PARTS.clear()
    addresses, _, _, _ = headers._read_list(value)
    assert [a.email for a in addresses] == ["jb@x.example", "sam@y.example", "c@z.example"]
    assert sorted(headers._PARTS) == [' "Sam" <sam@y.example>', " c@z.example", value[:29]]
