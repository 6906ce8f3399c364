"""Adding the BCC header: one header added or extended, every other byte unchanged."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.preview.bcc import BccError, add_bcc, has_address

BCC = "123@bcc.crm.example"
BODY = b"Hello,\r\n\r\nsee attached.\r\n"


def test_a_new_field_goes_just_before_the_empty_line_with_the_same_line_ending() -> None:
    raw = b"From: a@x.example\r\nTo: b@y.example\r\nSubject: Hi\r\n\r\n" + BODY
    assert add_bcc(raw, BCC) == (
        b"From: a@x.example\r\nTo: b@y.example\r\nSubject: Hi\r\nBcc: " + BCC.encode() + b"\r\n"
        b"\r\n" + BODY
    )


def test_lf_messages_get_an_lf_line() -> None:
    raw = b"From: a@x.example\nSubject: Hi\n\nbody\n"
    assert (
        add_bcc(raw, BCC) == b"From: a@x.example\nSubject: Hi\nBcc: " + BCC.encode() + b"\n\nbody\n"
    )


def test_an_existing_folded_bcc_is_extended_at_the_end_of_its_last_line() -> None:
    raw = b"BCC: one@x.example,\r\n two@x.example\r\nSubject: Hi\r\n\r\nbody"
    assert add_bcc(raw, BCC) == (
        b"BCC: one@x.example,\r\n two@x.example, " + BCC.encode() + b"\r\nSubject: Hi\r\n\r\nbody"
    )


def test_an_empty_bcc_gets_the_address() -> None:
    raw = b"Bcc:\r\nSubject: Hi\r\n\r\nbody"
    assert add_bcc(raw, BCC) == b"Bcc: " + BCC.encode() + b"\r\nSubject: Hi\r\n\r\nbody"


def test_already_a_recipient_changes_nothing() -> None:
    raw = b"To: b@y.example\r\nBcc: Logging <" + BCC.upper().encode() + b">\r\n\r\nbody"
    assert has_address(raw, BCC)
    assert add_bcc(raw, BCC) is raw


def test_a_bcc_line_in_the_body_is_not_the_header() -> None:
    raw = b"Subject: Hi\r\n\r\nBcc: someone@else.example\r\n"
    assert (
        add_bcc(raw, BCC)
        == b"Subject: Hi\r\nBcc: " + BCC.encode() + b"\r\n\r\nBcc: someone@else.example\r\n"
    )


@pytest.mark.parametrize("bad", ["", "no-at", "a@b\r\nX-Evil: 1", "é@x.example", "a b@x.example"])
def test_a_bad_address_is_refused(bad: str) -> None:
    with pytest.raises(BccError):
        add_bcc(b"Subject: Hi\r\n\r\n", bad)


_name = st.from_regex(r"X-[A-Za-z]{1,8}", fullmatch=True)
_value = st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=40)


@st.composite
def messages(draw: st.DrawFn) -> bytes:
    eol = draw(st.sampled_from([b"\r\n", b"\n"]))
    fields = draw(st.lists(st.tuples(_name, _value, st.booleans()), min_size=1, max_size=8))
    lines = []
    for name, value, folded in fields:
        line = f"{name}: {value}".encode()
        if folded:
            line += eol + b"\t" + value.encode()
        lines.append(line + eol)
    body = draw(st.binary(max_size=200))
    return b"".join(lines) + eol + body


@given(messages())
def test_only_the_added_line_differs(raw: bytes) -> None:
    out = add_bcc(raw, BCC)
    # Removing the one Bcc line gives the input back, byte for byte.
    line_start = out.find(b"\nBcc: ") + 1
    assert line_start > 0
    line_end = out.index(b"\n", line_start) + 1
    assert out[line_start:line_end].rstrip(b"\r\n") == b"Bcc: " + BCC.encode()
    assert out[:line_start] + out[line_end:] == raw
    assert has_address(out, BCC)
