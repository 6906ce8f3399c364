"""The header parser's fast paths read exactly what its general paths read, on any input."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.mail.headers import _parse_text, _plain_fields, _text, parse_block

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
    text, eight_bit = _text(block)
    assert parse_block(block) == _parse_text(text, eight_bit)


def test_common_blocks_take_the_fast_path() -> None:
    for block in (
        b"From: A <a@x>\r\nTo: b@y, C <c@z>\r\nReferences: <1@x>\r\n <2@x>\r\n\r\n",
        "From: Léa <léa@x>\nSubject: Été\nX-Other: o\n".encode(),
        b"",
    ):
        assert _plain_fields(_text(block)[0]) is not None
    for block in (
        b"Subject\r\n : x\r\n",  # a fold after a stray line is no field
        b"Subject: a\r\n\r\n b\r\n",  # nor is a fold after a blank line
        b"Subject : a\r\n",
        b"Subject: a\r\n\tb\r\n",
        b"From: a\r\nFrom: b\r\n",
        b"From: a\nTo: b\r\n",
    ):
        assert _plain_fields(_text(block)[0]) is None, block
