"""normalize_decoded: the N4 key of a decoded subject, as normalize_subject gives it."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.rules.encoded_words import decode_words
from core.rules.subjects import normalize_decoded, normalize_subject

# Subject pieces: prefixes and tags in several spellings, encoded words (one that decodes to
# another encoded word), control and non-breaking characters, runs of spaces.
_PIECES = st.sampled_from(
    ["Re:", "RE: ", "Fwd:", "fw :", "AW:", "Re[2]:", "Re(3):", "[Sales]", "[", "]", " ", "  ",
     "\t", "\xa0", "\u2028", "\x00", "\r\n", "quote", "Été", "#1", ":", "=?utf-8?q?caf=C3=A9?=",
     "=?utf-8?q?=3D=3Futf-8=3Fq=3Fx=3F=3D?=", "=?", "?=", "=?utf-8?b?UmU6IHg=?="]
)  # fmt: skip
_SUBJECTS = st.one_of(st.lists(_PIECES, max_size=10).map("".join), st.text(max_size=30))


@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_SUBJECTS)
def test_normalize_decoded_equals_normalize_subject(subject: str) -> None:
    decoded = decode_words(subject)
    assert normalize_decoded(decoded) == normalize_subject(decoded)


def test_a_long_plain_subject() -> None:
    subject = "Re: " + "a  b " * 2000
    assert normalize_decoded(subject) == normalize_subject(subject) == ("a b " * 2000).strip()
