"""Properties of the whole engine, over generated mailboxes (hypothesis)."""

from __future__ import annotations

import os
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.rules.builders import scenario, verdicts

ADDRESSES = [
    "Mia Rossi <mia@globex.example>",
    "m.rossi@globex.example",
    "raj@globex.example",
    "noa@globex.example",
    "Lea <lea@customer.example>",
    "tom@customer.example",
    "ola@spam-corp.example",
    "dora@acme.example",
    "d.schmidt@acme-mail.example",
    "sam@elsewhere.example",
    "x@rival.example",
    "777@bcc.hubspot.com",
    "garbage",
    "undisclosed-recipients:;",
]
SUBJECTS = ["Quote", "Re: Quote", "RE: quote", "Fwd: Quote", "Invoice", "Re: Invoice", None]
FOLDERS = ["inbox", "sent", "archive", "other"]
NEVER_LOG = [
    "spam-corp.example",
    "rival.example",
    "tom@customer.example",
    "acme.example",
    "customer.example",
    "globex.example",
]
IDS = [f"<m{i}@x>" for i in range(12)]


@st.composite
def emails(draw: st.DrawFn, index: int) -> dict[str, Any]:
    """One email's content; its Message-ID (when it has one) is its own."""
    return {
        "from": draw(st.sampled_from([*ADDRESSES, None])),
        "to": draw(st.lists(st.sampled_from(ADDRESSES), max_size=3)),
        "cc": draw(st.lists(st.sampled_from(ADDRESSES), max_size=2)),
        "bcc": draw(st.lists(st.sampled_from(ADDRESSES), max_size=1)),
        "subject": draw(st.sampled_from(SUBJECTS)),
        "message_id": draw(st.sampled_from([IDS[index], None])),
        "in_reply_to": draw(st.sampled_from([*IDS, None])),
        "references": draw(st.lists(st.sampled_from(IDS), max_size=2)),
    }


@st.composite
def mailboxes(draw: st.DrawFn) -> dict[str, Any]:
    """A mailbox of distinctly dated messages; some are copies of the same email (same
    Message-ID, same content) in several folders, as a mailbox has. Two different emails never
    share a Message-ID: which of them the CRM logged first would decide R0 and R4 otherwise."""
    contents = [draw(emails(i)) for i in range(draw(st.integers(1, 8)))]
    count = draw(st.integers(1, 10))
    hours = draw(st.lists(st.integers(0, 500), min_size=count, max_size=count, unique=True))
    messages = [
        {
            "id": f"m{i}",
            "folder": draw(st.sampled_from(FOLDERS)),
            "date": f"2026-01-{1 + hour // 24:02d}T{hour % 24:02d}:00:00Z",
            **draw(st.sampled_from(contents)),
        }
        for i, hour in enumerate(hours)
    ]
    logged = [
        {
            "message_id": mid,
            "subject": draw(st.sampled_from(SUBJECTS)),
            "contacts": draw(st.lists(st.sampled_from(["c-lea", "c-tom"]), max_size=1)),
        }
        for mid in draw(st.lists(st.sampled_from(IDS), max_size=3, unique=True))
    ]
    return {
        "messages": messages,
        "logged": logged,
        "rule": draw(st.sampled_from(["all", "replies_only"])),
        "never_log": draw(st.lists(st.sampled_from(NEVER_LOG), max_size=2)),
        "owner": draw(st.sampled_from(["u-mia", "u-raj", "u-noa"])),
    }


def run(box: dict[str, Any], **changes: Any) -> dict[str, dict[str, Any]]:
    args = {**box, **changes}
    return verdicts(
        scenario(
            *args["messages"],
            rule=args["rule"],
            never_log=args["never_log"],
            logged=args["logged"],
            owner=args["owner"],
        )
    )


# PROPERTY_EXAMPLES=3000 for a longer hunt by hand.
FAST = settings(
    max_examples=int(os.environ.get("PROPERTY_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@FAST
@given(box=mailboxes(), data=st.data())
def test_verdicts_do_not_depend_on_input_order_of_distinctly_dated_messages(
    box: dict[str, Any], data: st.DataObject
) -> None:
    shuffled = data.draw(st.permutations(box["messages"]))
    assert run(box) == run(box, messages=shuffled)


@FAST
@given(box=mailboxes(), entry=st.sampled_from(NEVER_LOG))
def test_adding_a_never_log_entry_never_turns_a_message_logged(
    box: dict[str, Any], entry: str
) -> None:
    before = run(box)
    after = run(box, never_log=[*box["never_log"], entry])
    for mid, verdict in after.items():
        if verdict["logged"]:
            assert before[mid]["logged"], (mid, before[mid], verdict)


@FAST
@given(box=mailboxes())
def test_every_message_logged_under_replies_only_is_logged_under_all(box: dict[str, Any]) -> None:
    replies_only = run(box, rule="replies_only")
    everything = run(box, rule="all")
    for mid, verdict in replies_only.items():
        if verdict["logged"]:
            assert everything[mid]["logged"], (mid, verdict, everything[mid])


@FAST
@given(box=mailboxes())
def test_verdicts_are_well_formed(box: dict[str, Any]) -> None:
    for verdict in run(box).values():
        assert verdict["contacts"] == sorted(set(verdict["contacts"]))
        if not verdict["logged"]:
            assert verdict["attributed_to"] is None and verdict["attribution"] is None
        else:
            assert verdict["attribution"] is not None
