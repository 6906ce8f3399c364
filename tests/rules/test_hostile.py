"""Hostile input: headers from strangers never make the core raise, and stay fast."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from core.rules.addresses import parse_address_list
from core.rules.subjects import normalize_subject
from core.rules.trace import render_trace
from tests.rules.builders import decide_doc, msg, one, scenario, verdicts

HOSTILE_FROM = [
    "alice@x)<bob@y>",
    "a@x;<b@y>",
    '"ceo@corp" <attacker@evil>',
    "=?utf-8?q?Doe=2C_John?= <john@x>",
    "(" * 500 + "x" + ")" * 500 + " lea@customer.example",
    "(" * 5000 + "never closed lea@customer.example",
    "undisclosed-recipients:;",
    "lea@customer.example\r\nBcc: victim@y",
    "lea@customer.example\x00",
    "=?utf-8?b?" + "A" * 10001 + "?= <x@y>",
    "=?x-unknown-charset?q?abc?= <x@y>",
    "=?utf-8?q?=0D=0A?= <x@y>",
    "\\",
    '"',
    "<",
    "[",
    "@",
    ":",
    ";",
    # Each of these took the parser's regular expressions quadratic or exponential time: a
    # run of ", " in a source route (40 of them: days), long runs of blanks (seconds).
    "<@relay" + ", " * 40 + "!:lea@customer.example>",
    " " * 20_000 + "lea@customer.example" + " " * 20_000 + "x",
    " " * 20_000 + "x",
]


def test_hostile_from_headers_decide_without_raising() -> None:
    messages = [
        msg(f"m{i}", sender=s, to=["mia@globex.example"]) for i, s in enumerate(HOSTILE_FROM)
    ]
    result = verdicts(scenario(*messages))
    assert len(result) == len(HOSTILE_FROM)
    by_sender = dict(zip(HOSTILE_FROM, result.values(), strict=True))
    assert by_sender["alice@x)<bob@y>"]["reason"] == "unparseable"
    assert by_sender["a@x;<b@y>"]["reason"] == "unparseable"
    assert by_sender["lea@customer.example\r\nBcc: victim@y"]["reason"] == "unparseable"
    assert by_sender["(" * 500 + "x" + ")" * 500 + " lea@customer.example"]["reason"] == (
        "log_all_contact"
    )


def test_display_name_never_impersonates() -> None:
    v = one(
        msg("m", sender='"lea@customer.example" <attacker@evil.example>', to=["mia@globex.example"])
    )
    assert (v["reason"], v["contacts"]) == ("not_a_contact", [])


def test_a_32000_address_to_is_one_message_with_every_address() -> None:
    to = ", ".join(f"Person {i} <p{i}@d{i % 97}.example>" for i in range(32_000))
    assert len(parse_address_list(to)) == 32_000
    v = one(
        msg("m", folder="sent", sender="mia@globex.example", to=[to + ", lea@customer.example"])
    )
    assert (v["reason"], v["contacts"]) == ("log_all_contact", ["c-lea"])


def test_subject_with_crlf_nul_and_32000_encoded_words() -> None:
    assert normalize_subject("Re: a\r\nb\x00c") == "a b c"
    # 200,000 blanks after a prefix and no colon: a minute when each blank was a new cut
    assert normalize_subject("Re" + " " * 200_000 + "x") == "re x"
    assert normalize_subject("Re" + " " * 200_000 + ": x") == "x"
    words = " ".join(["=?utf-8?q?ab?="] * 32_000)
    assert normalize_subject(words) == "ab" * 32_000
    v = one(
        msg(
            "m",
            sender="lea@customer.example",
            to=["mia@globex.example"],
            subject="Re:\r\n\x00" + words,
        )
    )
    assert v["reason"] == "log_all_contact"


FIELD = st.text(max_size=60) | st.sampled_from(HOSTILE_FROM)


@settings(max_examples=300, deadline=None)
@given(
    sender=st.none() | FIELD,
    to=st.lists(FIELD, max_size=4),
    subject=st.none() | FIELD,
    message_id=st.none() | FIELD,
    in_reply_to=st.none() | FIELD,
    references=st.lists(FIELD, max_size=3),
    date=st.none() | FIELD,
    folder=st.sampled_from(["inbox", "sent", "drafts", "archive", "other"]),
)
def test_no_text_makes_the_core_raise(
    sender: str | None,
    to: list[str],
    subject: str | None,
    message_id: str | None,
    in_reply_to: str | None,
    references: list[str],
    date: str | None,
    folder: str,
) -> None:
    message = msg(
        "m",
        folder=folder,
        date=date,
        sender=sender,
        to=to,
        cc=to[:1],
        bcc=to[1:2],
        subject=subject,
        message_id=message_id,
        in_reply_to=in_reply_to,
        references=references,
    )
    logged = [{"message_id": message_id or "<x>", "subject": subject}]
    for rule in ("all", "replies_only"):
        doc = scenario(message, rule=rule, never_log=to[:1], logged=logged if to else [])
        (verdict,) = decide_doc(doc)
        assert verdict.id == "m"
        assert all(step.text for step in render_trace(verdict))
