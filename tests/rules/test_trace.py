"""Traces and suggested actions: every verdict explains itself in the order rules were checked."""

from __future__ import annotations

import pytest

from core.rules.actions import Action, suggested_actions
from core.rules.model import Reason
from core.rules.scenario import scenario_from_dict
from core.rules.trace import REASON_TEXT, render_trace, summary
from tests.rules.builders import LEA, MIA, RAJ, decide_doc, msg, scenario

OUT = "Mia Rossi <mia@globex.example>"


def _trace(message: dict[str, object], **kwargs: object) -> list[str]:
    (verdict,) = decide_doc(scenario(message, **kwargs))  # type: ignore[arg-type]
    return [step.text for step in render_trace(verdict)]


def test_trace_names_people_and_lists_rules_in_order() -> None:
    dora = {"id": "c-dora", "name": "Dora Schmidt", "email": "dora@acme.example", "owner": "u-ben"}
    ben = {"id": "u-ben", "name": "Ben Okafor", "email": "ben@globex.example"}
    lines = _trace(
        msg("m", sender="dora@acme.example", to=["mia@globex.example"]),
        rule="replies_only",
        users=[MIA, RAJ, ben],
        contacts=[dora],
    )
    assert "Dora Schmidt (owner: Ben Okafor)" in lines[2]
    assert [line[:3] for line in lines if line[:1] == "R"] == [
        "R0:",
        "R1:",
        "R2:",
        "R3:",
        "R4:",
        "R5:",
    ]
    assert lines[-2].startswith("R5: the account logs replies only and this message starts")


def test_trace_of_a_logged_inbound_email_ends_with_its_attribution() -> None:
    lines = _trace(
        msg("m", sender="lea@customer.example", to=["mia@globex.example", "raj@globex.example"])
    )
    assert lines[-1].startswith("A2: 2 users are on it (Mia Rossi, Raj Patel)")
    assert "Raj Patel" in lines[-1]
    assert any(line.startswith("R8: the sender is a contact") for line in lines)


def test_trace_of_an_unparseable_sender() -> None:
    lines = _trace(msg("m", sender="alice@x)<bob@y>", to=["mia@globex.example"]))
    assert "cannot be read" in lines[0]
    assert lines[-2].startswith("R1:")


def test_trace_of_never_log_partial() -> None:
    lines = _trace(
        msg("m", folder="sent", sender=OUT, to=["ola@spam-corp.example", LEA["email"]]),
        never_log=["spam-corp.example"],
    )
    r2 = next(line for line in lines if line.startswith("R2:"))
    assert "left out" in r2


@pytest.mark.parametrize("reason", list(Reason))
def test_every_reason_has_a_sentence(reason: Reason) -> None:
    assert REASON_TEXT[reason]


def test_summary_sentence() -> None:
    (verdict,) = decide_doc(scenario(msg("m", folder="sent", sender=OUT, to=["x@y.example"])))
    assert summary(verdict) == "Won't be logged: nobody on it is a contact."


@pytest.mark.parametrize(
    ("folder", "fields", "actions"),
    [
        ("sent", {"to": ["x@y.example"]}, (Action.LOG_NOW, Action.CREATE_CONTACT)),
        ("drafts", {"to": ["x@y.example"]}, (Action.ADD_BCC,)),
        ("sent", {"to": [LEA["email"]], "rule": "replies_only"}, (Action.LOG_NOW,)),
        ("drafts", {"to": [LEA["email"]], "rule": "replies_only"}, (Action.ADD_BCC,)),
        ("sent", {"to": [LEA["email"]]}, ()),  # logged: nothing to do
        ("sent", {"to": ["raj@globex.example"]}, ()),  # internal
        (
            "drafts",
            {
                "to": [LEA["email"]],
                "in_reply_to": "<q@x>",
                "subject": "New",
                "rule": "replies_only",
            },
            (Action.RESTORE_SUBJECT,),
        ),
        (
            "sent",
            {
                "to": [LEA["email"]],
                "in_reply_to": "<q@x>",
                "subject": "New",
                "rule": "replies_only",
            },
            (Action.LOG_NOW,),
        ),
    ],
)
def test_section_7_suggested_actions(
    folder: str, fields: dict[str, object], actions: tuple[Action, ...]
) -> None:
    rule = fields.pop("rule", "all")
    doc = scenario(
        msg("m", folder=folder, sender=OUT, **fields),
        rule=rule,  # type: ignore[arg-type]
        logged=[{"message_id": "<q@x>", "subject": "Quote"}],
    )
    parsed = scenario_from_dict(doc)
    (verdict,) = decide_doc(doc)
    assert suggested_actions(parsed.messages[0], verdict) == actions


def test_no_access_asks_an_admin() -> None:
    doc = scenario(msg("m", folder="sent", sender="noa@globex.example", to=[LEA["email"]]))
    (verdict,) = decide_doc(doc)
    assert suggested_actions(scenario_from_dict(doc).messages[0], verdict) == (Action.ASK_ADMIN,)


def test_trace_of_not_a_contact_says_why_r8_did_not_fire() -> None:
    lines = _trace(msg("m", folder="sent", sender=OUT, to=["sam@elsewhere.example"]))
    assert (
        lines[-3] == "R8: none of its recipients is a contact (that is not on the Never-log list)."
    )
    assert lines[-2].startswith("R9: the CRM skips it.")
    inbound = _trace(msg("m", sender="sam@elsewhere.example", to=["mia@globex.example"]))
    assert inbound[-3] == "R8: the sender is not a contact."
