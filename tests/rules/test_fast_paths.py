"""The rules core's fast paths give exactly what its general paths give, on any text."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.rules import addresses, encoded_words
from core.rules.dates import _parse, parse_date
from core.rules.threads import (
    clean_message_id,
    clean_references,
    read_in_reply_to,
    read_references,
    split_message_ids,
)

# Pieces of dates, well and badly formed: weekdays, days, months, years (ASCII and Arabic-
# Indic digits), times, zones (out of range too), comments, ISO forms, odd whitespace.
_DATE_PIECES = st.sampled_from(
    ["Wed, ", "wed,", "Wed,  ", "Xx1, ", "", "1", "01", "31", "32", "00", "\u0661", "Jan", "jAN",
     "Feb", "Xyz", "2025", "1969", "0001", "9999", "25", "00:00:00", "23:59:59", "24:00:00",
     "12:60:00", "12:00:99", "12:00", "1:00:00", "+0000", "-0000", "+2359", "+9999", "-0130",
     "+0060", "UTC", " (UTC)", "2025-01-01T10:00:00", "Z", " ", "  ", "\t", "\xa0", ":"]
)  # fmt: skip
_DATES = st.one_of(
    st.lists(_DATE_PIECES, max_size=12).map(" ".join),
    st.lists(_DATE_PIECES, max_size=12).map("".join),
    st.tuples(*[_DATE_PIECES] * 6).map(lambda p: "{}{} {} {} {} {}".format(*p)),
    st.text(max_size=40),
)


@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_DATES)
def test_parse_date_fast_path_equals_the_general_path(value: str) -> None:
    expected = _parse(value.strip()) if value and len(value) <= 256 else None
    assert parse_date(value) == expected


def test_common_dates() -> None:
    assert parse_date("Wed, 01 Jan 2025 00:00:52 +0000") == 1735689652.0
    assert parse_date(" Wed, 1 Jan 2025 01:00:52 +0100 ") == 1735689652.0
    assert parse_date("1 Jan 2025 00:00:52 -0000") == 1735689652.0
    assert parse_date("Wed, 01 Jan 2025 24:00:00 +0000") == _parse(
        "Wed, 01 Jan 2025 24:00:00 +0000"
    )


_IDS = st.lists(
    st.sampled_from(["<1@x>", "<2@x>", "<", ">", " ", "\t", "\r\n", "\x00", "\xa0", "x", "(c)"]),
    max_size=8,
).map("".join)


@settings(max_examples=1000, deadline=None)
@given(st.one_of(_IDS, st.text(max_size=30)))
def test_reading_ids_equals_splitting_then_cleaning(value: str) -> None:
    ids = split_message_ids(value)
    assert read_in_reply_to(value) == (clean_message_id(ids[0]) if ids else None)
    assert read_references(value) == clean_references(ids)


# Pieces of address lists: names in several scripts, encoded words, quotes, escapes, angles,
# commas, specials, whitespace of all kinds, controls, and well and badly formed addresses.
_ADDRESS_PIECES = st.sampled_from(
    ["Lea Martin", "Léa", "Иван", "王伟", "=?utf-8?B?TMOpYQ==?=", "=?utf-8?q?L=C3=A9a?=",
     "=?iso-8859-1?Q?Ma=EBlle?= ", '"', '"Smith, John"', '"a\\"b"', '"\\', "\\", "<", ">",
     "<lea@x.example>", "<Lea@X.Example>", "lea@x.example", "a.b@c.d", "a..b@c", "@x", "a@",
     "a@b@c", "<a@[1.2.3.4]>", "[", "]", ",", ", ", " ,", ";", ":", "g:", "(c)", "(", ")", " ",
     "  ", "\t", "\xa0", "\r\n ", "\n", "\x00", "\x7f", "@", ".", "buyer@bank.example ",
     "<a..b@c>", "<.a@b>", "a@b.", "\x1c", "\x85", '"q\\\\,r"', '"=?utf-8?q?a=2Cb?="',
     "=?x?q?\x01?="]
)  # fmt: skip
_ADDRESS_LISTS = st.one_of(
    st.lists(_ADDRESS_PIECES, max_size=10).map("".join),
    st.lists(
        st.tuples(
            st.sampled_from(["", " ", '"', "Ann ", "=?utf-8?B?5p2O5aic?= ", '"Doe, J" ']),
            st.sampled_from(
                ["<a@x.example>", "b@y.example", "<c@z>", "<d@@e>", "<é@x.fr>", "<f..g@h>"]
            ),
            st.sampled_from(["", " ", "\t", "x"]),
        ).map("".join),
        min_size=1,
        max_size=4,
    ).map(",".join),
    st.text(max_size=40),
)


@settings(max_examples=4000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_ADDRESS_LISTS)
def test_address_fast_path_equals_the_general_path(value: str) -> None:
    fast = addresses._fast(value)
    if fast is not None:
        assert fast == addresses._general(value)


def test_common_address_lists_take_the_fast_path() -> None:
    common = [
        "Lea Martin <lea@x.example>",
        '"Smith, John" <js@y.example>, =?utf-8?B?5p2O5aic?= <na.li@z.example>',
        "<a@b.example>, c@d.example ,\t e@f.example",
        "buyer@bank.example <x@y.example>",  # no: a phrase with @ takes the general path
    ]
    taken = [addresses._fast(value) is not None for value in common]
    assert taken == [True, True, True, False]
    assert addresses.parse_mailbox("buyer@bank.example <x@y.example>") == addresses.Address(
        "x@y.example", "buyer@bank.example", "buyer@bank.example <x@y.example>"
    )


def _decode_words_before(value: str) -> str:
    """decode_words as it was written first (regex callbacks all the way), the reference."""
    import base64
    import binascii
    import re

    def q(text: str) -> bytes:
        raw = text.replace("_", " ").encode("ascii", "replace")
        return re.sub(rb"=([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), raw)

    def b(text: str) -> bytes:
        try:
            return base64.b64decode(text + "=" * (-len(text) % 4), validate=False)
        except (binascii.Error, ValueError):
            return text.encode("ascii", "replace")

    def word(match: re.Match[str]) -> str:
        charset = match.group(1).split("*", 1)[0]
        data = b(match.group(3)) if match.group(2) in "Bb" else q(match.group(3))
        try:
            return data.decode(charset, "replace")
        except (LookupError, ValueError):
            return data.decode("latin-1")

    if "=?" in value:
        value = re.sub(r"(\?=)[ \t\r\n]+(?==\?[^?\s]+\?[QqBb]\?)", r"\1", value)
        value = re.sub(r"=\?([^?\s]+)\?([QqBb])\?([^?\s]*)\?=", word, value)
    return encoded_words.sanitize(value)


_WORD_PIECES = st.sampled_from(
    ["=?", "?=", "=?utf-8?", "=?UTF-8*fr?", "=?x-unknown?", "=?koi8-r?", "B?", "q?", "Q?",
     "TMOpYQ==", "TMOpYQ", "w6k", "!!", "=C3=A9", "=c3=a9", "=3", "=", "==", "=ZZ", "_", "a",
     " ", "\t", "\r\n ", "\n", "é", "?", "=?utf-8?q?a_b?=", "=?utf-8?b?5p2O?=", "\x00"]
)  # fmt: skip


@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.lists(_WORD_PIECES, max_size=12).map("".join), st.text(max_size=30)))
def test_decode_words_equals_its_first_writing(value: str) -> None:
    assert encoded_words.decode_words(value) == _decode_words_before(value)


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet=" \t\r\n\xa0\u2028\x1c.@ab", max_size=30))
def test_obsolete_white_space_goes_as_the_first_writing_removed_it(text: str) -> None:
    import re

    # The first writing, quadratic on a long run of blanks: each blank was a new start.
    assert addresses._OBS_SPACE.sub("", text) == re.sub(r"\s*([.@])\s*", r"\1", text)


_ROUTE_PIECES = st.sampled_from([" ", "\t", ",", " ,", "@", "@a", "@b.c", "a", ".", " . ", "!"])


@settings(max_examples=3000, deadline=None)
@given(st.lists(_ROUTE_PIECES, max_size=12).map("".join))
def test_a_source_route_is_read_as_the_first_writing_read_it(text: str) -> None:
    import re

    # The first writing, exponential on a run of ", ": each comma could end a repetition.
    route = rf"[\s,]*{addresses._ROUTE_DOMAIN}(?:\s*,[\s,]*(?:{addresses._ROUTE_DOMAIN})?)*\s*"
    assert (addresses._ROUTE.fullmatch(text) is None) == (re.fullmatch(route, text) is None)


_SUBJECT_PIECES = st.sampled_from(
    [" ", "\t", "\xa0", "re", "RE", "r", "fw", "antw", ":", "[1]", "(2)", "[", "]", "[a]", "(", "x"]
)


@settings(max_examples=3000, deadline=None)
@given(st.lists(_SUBJECT_PIECES, max_size=10).map("".join))
def test_subject_prefixes_are_read_as_the_first_writing_read_them(text: str) -> None:
    import re

    from core.rules.subjects import _LEADING, _PREFIXES

    # The first writing, quadratic on a run of blanks after a prefix with no colon.
    first = re.compile(rf"\s*(?:{_PREFIXES}\s*(?:\[\d+\]|\(\d+\))?\s*:|\[[^\[\]]*\])", re.I)
    for pos in range(len(text) + 1):
        found, expected = _LEADING.match(text, pos), first.match(text, pos)
        assert (found and found.end()) == (expected and expected.end()), pos
