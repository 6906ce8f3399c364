"""The rules core's fast paths give exactly what its general paths give, on any text."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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
