"""Warnings before sending: never-listed recipients, a changed thread subject, non-contacts."""

from __future__ import annotations

from core.preview.draft import Composition, compose
from core.preview.warnings import SendWarning, WarningKind, warnings_for
from core.rules.actions import Action
from core.rules.engine import LoggedState, decide
from core.rules.messages import make_message
from core.rules.model import LoggedEntry, LoggingRule, Reason
from core.rules.verdict import Verdict
from tests.preview.people import BCC, directory


def _warn(
    c: Composition,
    rule: LoggingRule = LoggingRule.ALL,
    state: LoggedState | None = None,
    never: tuple[str, ...] = (),
) -> tuple[Verdict, tuple[SendWarning, ...]]:
    d = directory(rule, never)
    message = compose(c)
    verdict = decide(message, d, state or LoggedState())
    return verdict, warnings_for(message, verdict, d)


def test_a_never_listed_recipient_is_left_out_or_stops_the_email() -> None:
    verdict, found = _warn(
        Composition(to="dora@acme.example, fay@solo.example"), never=("solo.example",)
    )
    assert verdict.logged
    (warning,) = found
    assert warning.kind is WarningKind.NEVER_LISTED and warning.address == "fay@solo.example"
    assert warning.text == (
        "Fay Ng (fay@solo.example, a contact; owner: no owner) is on the Never-log list, so the "
        "CRM leaves them out of this email's association."
    )
    verdict, found = _warn(Composition(to="fay@solo.example"), never=("fay@solo.example",))
    assert verdict.reason is Reason.NEVER_LOG
    assert found[0].text.endswith("so this email will never be logged.")


def test_a_reply_with_a_new_subject_warns_and_offers_the_old_one() -> None:
    parent = make_message(
        "p",
        sender="dora@acme.example",
        to=["mia@globex.example"],
        subject="Pilot",
        message_id="<p@acme.example>",
    )
    state = LoggedState([LoggedEntry("<p@acme.example>", "Pilot")])
    typed = Composition(to="dora@acme.example", subject="Pricing", replies_to=parent)
    verdict, found = _warn(typed, LoggingRule.REPLIES_ONLY, state)
    assert verdict.reason is Reason.SUBJECT_CHANGED
    (warning,) = found
    assert warning.kind is WarningKind.SUBJECT_CHANGED
    assert (warning.fixes, warning.subject) == ((Action.RESTORE_SUBJECT,), "Pilot")
    verdict, found = _warn(
        Composition(to="dora@acme.example", subject="Re: Pilot", replies_to=parent),
        LoggingRule.REPLIES_ONLY,
        state,
    )
    assert verdict.reason is Reason.THREAD_REPLY and found == ()


def test_a_stranger_gets_the_bcc_fix_only_when_it_would_help() -> None:
    verdict, found = _warn(Composition(to="stranger@else.example"))
    assert verdict.reason is Reason.NOT_A_CONTACT
    assert found[0].fixes == (Action.ADD_BCC, Action.CREATE_CONTACT)
    assert "so the CRM skips this email." in found[0].text
    assert "(R" not in found[0].text  # issue 15: rule ids stay in the trace, not the warnings
    verdict, found = _warn(Composition(to="stranger@else.example, dora@acme.example"))
    assert verdict.logged and found[0].fixes == (Action.CREATE_CONTACT,)
    verdict, found = _warn(Composition(to="stranger@else.example", bcc=BCC))
    assert verdict.reason is Reason.BCC_ADDRESS
    assert [w.address for w in found] == ["stranger@else.example"]
    assert found[0].fixes == (Action.CREATE_CONTACT,)


def test_users_and_the_logging_address_never_warn() -> None:
    _, found = _warn(Composition(to="ben@globex.example", cc=BCC))
    assert found == ()
