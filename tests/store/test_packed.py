"""The packed address lists: round trips, escapes, sharing, and the SQL that reads them."""

from __future__ import annotations

import base64
import sqlite3

from hypothesis import given
from hypothesis import strategies as st

from core.rules.addresses import Address, parse_address_list
from core.store import packed
from core.store.packed import pack, unpack
from tests.helpers.reference_headers import parse_block
from tests.store.builders import stored_address

SPECIALS = "\x1c\x1d\x1e\x1f"

# Any text at all (the separators and the escape included, often), and any email or None.
_text = st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from(SPECIALS + "0123"))
_addresses = st.builds(Address, st.none() | _text, _text, _text)


@given(st.lists(_addresses, max_size=6))
def test_any_addresses_come_back_asstored_address(addresses: list[Address]) -> None:
    text = pack(addresses)
    assert (text is None) == (not addresses)
    assert unpack(text) == tuple(stored_address(a) for a in addresses)
    assert unpack(text, {}) == unpack(text)


@given(st.lists(_addresses.map(stored_address), max_size=6))
def teststored_address_addresses_round_trip_exactly(addresses: list[Address]) -> None:
    assert unpack(pack(addresses)) == tuple(addresses)


@given(st.lists(_addresses, min_size=1, max_size=4), st.lists(_addresses, min_size=1, max_size=4))
def test_a_list_packs_as_its_parts_packed_and_joined(a: list[Address], b: list[Address]) -> None:
    """What ``core.mail.headers`` relies on to pack a list from its memoised elements."""
    assert pack(a + b) == f"{pack(a)}{packed.NEXT}{pack(b)}"


def test_thestored_address_form() -> None:
    found = parse_address_list("Léa Martin <LEA@x.example>, bad address, b@y.example")
    text = pack(found)
    assert text == "Léa Martin\x1flea@x.example\x1e\x1f\x1dbad address\x1e\x1fb@y.example"
    assert unpack(text) == (
        Address("lea@x.example", "Léa Martin", "Léa Martin <lea@x.example>"),
        Address(None, "", "bad address"),
        Address("b@y.example", "", "b@y.example"),
    )
    assert pack([]) is None and unpack(None) == ()


def test_separators_inside_a_field_are_escaped() -> None:
    odd = Address('"a\x1fb"@x.example', "N\x1e\x1c1", "raw")  # parse_address_list can give it
    text = pack([odd, Address(None, "\x1d", "\x1d\x1c")])
    assert text is not None and text.count("\x1e") == 1 and text.count("\x1f") == 2
    assert unpack(text) == (stored_address(odd), Address(None, "\x1d", "\x1d\x1c"))


@given(st.text(max_size=60), st.binary(max_size=30))
def test_synced_headers_never_hold_a_separator(to: str, name: bytes) -> None:
    """Values are sanitised before parsing, and names and raw text after decoding (encoded
    words included), so the escapes are for values that did not come from a sync."""
    quoted = "".join(f"={b:02X}" for b in name)
    words = f"=?utf-8?b?{base64.b64encode(name).decode()}?= =?latin-1?q?{quoted}?="
    block = f"To: {to}\r\nCc: {words} <a@b>, {words}\r\n\r\n".encode()
    fields = parse_block(block).fields
    for value in (fields.get("to"), fields.get("cc")):
        for a in parse_address_list(value):
            assert not set(f"{a.email}{a.name}{a.raw}") & set(SPECIALS)


def test_reader_shares_equal_lists_addresses_and_senders() -> None:
    read = packed.Reader()
    first = read(pack(parse_address_list("a@x.example, B <b@x.example>")))
    again = read(pack(parse_address_list("a@x.example, B <b@x.example>")))
    other = read(pack(parse_address_list("B <b@x.example>")))
    assert first is again and other[0] is first[1]
    assert read(None) == ()
    assert read.sender(None, "a@x.example", None) is read.sender("A", "a@x.example", None)


def test_sender_from_its_columns() -> None:
    assert packed.sender("Léa <LEA@x>", "lea@x", "Léa") == Address("lea@x", "Léa", "Léa <lea@x>")
    assert packed.sender("lea@x", "lea@x", None) == Address("lea@x", "", "lea@x")
    assert packed.sender("Bob <not an address", None, "Bob") == Address(
        None, "Bob", "Bob <not an address"
    )
    assert packed.sender("undisclosed:;", None, None) is None
    assert packed.sender(None, None, None) is None


_synced = st.builds(
    Address,
    st.none() | st.from_regex(r"[a-z0-9.]{1,8}@[a-z]{1,8}\.example", fullmatch=True),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs"))),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs"))),
)


@given(
    st.lists(_synced.map(stored_address), max_size=5), st.text(min_size=1, max_size=4), st.data()
)
def test_sql_over_the_packed_text_agrees_with_unpack(
    addresses: list[Address], typed: str, data: st.DataObject
) -> None:
    emails = [a.email for a in addresses if a.email is not None]
    if emails and data.draw(st.booleans()):  # often a real prefix, not only random text
        typed = emails[-1][: data.draw(st.integers(1, len(emails[-1])))]
    prefix = typed.lower()
    text = pack(addresses)
    first, count, found = (
        sqlite3.connect(":memory:")
        .execute(
            f"SELECT {packed.first_display('?1')}, {packed.count_sql('?1')},"
            f" {packed.email_prefix_sql('?1')}",
            (text, packed.email_needle(prefix)),
        )
        .fetchone()
    )
    a = addresses[0] if addresses else None
    assert first == (None if a is None else a.name or a.email or a.raw)
    assert count == len(addresses)
    assert bool(found) == any(e.startswith(prefix) for e in emails)


def test_the_email_prefix_search_takes_wildcards_literally() -> None:
    conn = sqlite3.connect(":memory:")
    written = pack(parse_address_list("axb@x.example, Percent <p%q@x.example>"))

    def found(prefix: str, text: str | None = written) -> bool:
        sql = f"SELECT {packed.email_prefix_sql('?1')}"
        return bool(conn.execute(sql, (text, packed.email_needle(prefix))).fetchone()[0])

    assert found("axb") and not found("a_b") and not found("a%")
    assert found("p%q@") and not found("percent") and not found("x.example")
    assert not found("\\") and not found("axb", None)
