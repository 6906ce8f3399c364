"""Reply-all prediction: rule A2 on each contact's reply, one row per A2 branch."""

from __future__ import annotations

import pytest

from core.preview.draft import Composition, compose
from core.preview.replyall import predict, reply_all
from core.rules.engine import LoggedState, decide
from core.rules.model import Attribution, Reason
from tests.preview.people import directory

# (sender, to, cc, contact replying, expected user, expected branch, words in the sentence)
CASES = [
    (
        None,  # a draft without From: the owner's (D1)
        "dora@acme.example",
        "",
        "c-dora",
        "u-mia",
        Attribution.SINGLE_RECIPIENT,
        "If Dora Diaz replies to all, it counts for Mia Rossi, its only recipient.",
    ),
    (
        "mia@globex.example",
        "dora@acme.example, eve@acme.example",
        "",
        "c-dora",
        "u-mia",
        Attribution.ONLY_USER_RECIPIENT,
        "If Dora Diaz replies to all, it counts for Mia Rossi, the only user among its two "
        "recipients.",
    ),
    (
        "mia@globex.example",
        "dora@acme.example",
        "Ben Okafor <ben@globex.example>",
        "c-dora",
        "u-ben",
        Attribution.CONTACT_OWNER,
        "If Dora Diaz replies to all, it counts for Ben Okafor, Dora Diaz's owner, because two "
        "users are on the thread.",
    ),
    (
        "mia@globex.example",
        "fay@solo.example",
        "ben@globex.example, cat@globex.example",
        "c-fay",
        None,
        Attribution.NO_CONTACT_OWNER,
        "If Fay Ng replies to all, it counts for nobody: three users are on the thread and "
        "Fay Ng has no contact owner.",
    ),
    (
        "Sales team <sales@globex.example>",  # a team address, no user's
        "dora@acme.example",
        "",
        "c-dora",
        "u-mia",
        Attribution.MAILBOX_OWNER,
        "If Dora Diaz replies to all, it counts for Mia Rossi, the mailbox owner, because no "
        "user is among its recipients.",
    ),
]


@pytest.mark.parametrize(("sender", "to", "cc", "contact", "user", "why", "text"), CASES)
def test_every_a2_branch(
    sender: str | None,
    to: str,
    cc: str,
    contact: str,
    user: str | None,
    why: Attribution,
    text: str,
) -> None:
    d = directory()
    message = compose(Composition(to=to, cc=cc, subject="Pilot", sender=sender))
    state = LoggedState()
    verdict = decide(message, d, state)
    found = {p.contact_id: p for p in predict(message, verdict, d, state)}
    prediction = found[contact]
    assert (prediction.attributed_to, prediction.attribution) == (user, why)
    assert prediction.sentence.startswith(text)


def test_reply_goes_to_the_sender_with_the_others_in_cc_and_never_the_bcc() -> None:
    message = compose(
        Composition(
            to="dora@acme.example, eve@acme.example",
            cc="ben@globex.example",
            bcc="fay@solo.example",
            subject="Pilot",
            sender="mia@globex.example",
        )
    )
    assert message.sender is not None
    dora = message.to[0]
    reply = reply_all(message, dora, message.sender)
    assert reply.sender == dora
    assert [a.email for a in reply.to] == ["mia@globex.example"]
    assert [a.email for a in reply.cc] == ["eve@acme.example", "ben@globex.example"]
    assert reply.in_reply_to == message.message_id
    assert reply.subject == "Re: Pilot"


def test_one_prediction_per_contact_in_to_cc_and_bcc_and_none_for_users() -> None:
    d = directory()
    message = compose(
        Composition(
            to="dora@acme.example, ben@globex.example",
            cc="unknown@else.example",
            bcc="fay@solo.example",
            subject="x",
            sender="mia@globex.example",
        )
    )
    verdict = decide(message, d, LoggedState())
    assert [p.contact_id for p in predict(message, verdict, d, LoggedState())] == [
        "c-dora",
        "c-fay",
    ]


def test_the_reply_follows_a_logged_email_and_not_an_unlogged_one() -> None:
    d = directory()
    logged = compose(Composition(to="dora@acme.example", subject="Hi", sender="mia@globex.example"))
    verdict = decide(logged, d, LoggedState())
    assert verdict.logged
    (reply,) = predict(logged, verdict, d, LoggedState())
    assert (reply.logged, reply.reason) == (True, Reason.THREAD_REPLY)

    skipped = compose(Composition(to="nobody@else.example", cc="dora@acme.example", subject="Hi"))
    d_replies = directory(never_log=("acme.example",))
    verdict = decide(skipped, d_replies, LoggedState())
    assert not verdict.logged
    (reply,) = predict(skipped, verdict, d_replies, LoggedState())
    assert not reply.logged
    assert "would not be logged" in reply.sentence


def test_prediction_leaves_the_state_unchanged() -> None:
    d = directory()
    state = LoggedState()
    message = compose(Composition(to="dora@acme.example", subject="Hi"))
    predict(message, decide(message, d, state), d, state)
    assert state.by_id == {}
