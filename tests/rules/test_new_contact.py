"""R9b (spec v1.3): with "Create new contacts from logged emails" on, R9 becomes "logged, and
a contact is created" for the participants who are neither users, contacts nor never-listed."""

from __future__ import annotations

from typing import Any

from core.rules.model import AccountSettings, LoggingRule, Reason, Rule
from core.rules.trace import render_trace
from tests.rules.builders import LEA, decide_doc, msg, scenario

OUT = "Mia Rossi <mia@globex.example>"
STRANGER = "Sam New <sam@newco.example>"


def _doc(*messages: dict[str, Any], create: bool = True, **kwargs: Any) -> dict[str, Any]:
    doc = scenario(*messages, **kwargs)
    doc["account"]["create_contacts"] = create
    return doc


def _one(message: dict[str, Any], **kwargs: Any) -> Any:
    (verdict,) = decide_doc(_doc(message, **kwargs))
    return verdict


def test_the_product_default_is_log_all_without_contact_creation() -> None:
    settings = AccountSettings()
    assert settings.logging_rule is LoggingRule.ALL  # HubSpot's default since 13 April 2026
    assert settings.create_contacts is False


def test_r9b_logs_an_email_to_a_new_address_and_attributes_it() -> None:
    v = _one(msg("m", folder="sent", sender=OUT, to=[STRANGER]))
    assert (v.logged, v.reason, v.rule) == (True, Reason.NEW_CONTACT, Rule.R9B)
    assert v.contacts == ()  # section 5: only existing contacts are listed
    assert (v.attributed_to, v.attribution.value) == ("u-mia", "sender")


def test_r9b_inbound_from_a_new_address_counts_for_its_recipient() -> None:
    v = _one(msg("m", sender=STRANGER, to=["mia@globex.example"]))
    assert (v.reason, v.attributed_to, v.attribution.value) == (
        Reason.NEW_CONTACT,
        "u-mia",
        "single_recipient",
    )


def test_without_the_option_it_stays_r9_not_a_contact() -> None:
    v = _one(msg("m", folder="sent", sender=OUT, to=[STRANGER]), create=False)
    assert (v.logged, v.reason, v.rule) == (False, Reason.NOT_A_CONTACT, Rule.R9)


def test_never_listed_users_and_unreadable_addresses_create_nothing() -> None:
    never = _one(
        msg("m", folder="sent", sender=OUT, to=["x@spam-corp.example"]),
        never_log=["spam-corp.example"],
    )
    assert (never.logged, never.reason) == (False, Reason.NOT_A_CONTACT)
    garbled = _one(msg("m", folder="sent", sender=OUT, to=["not an address"]))
    assert garbled.reason is Reason.NOT_A_CONTACT
    internal = _one(msg("m", folder="sent", sender=OUT, to=["raj@globex.example"]))
    assert internal.reason is Reason.INTERNAL  # R6 comes first


def test_earlier_rules_still_win_over_r9b() -> None:
    replies_only = _one(msg("m", folder="sent", sender=OUT, to=[STRANGER]), rule="replies_only")
    assert replies_only.reason is Reason.REPLIES_ONLY  # R5: the option only changes R9
    with_contact = _one(msg("m", folder="sent", sender=OUT, to=[STRANGER, LEA["email"]]))
    assert (with_contact.reason, with_contact.contacts) == (Reason.LOG_ALL_CONTACT, ("c-lea",))
    no_access = _one(msg("m", sender=STRANGER, to=["noa@globex.example"]), owner="u-noa")
    assert no_access.reason is Reason.NO_EMAIL_ACCESS  # R7


def test_a_logged_r9b_email_makes_its_replies_thread_replies() -> None:
    first = msg("a", folder="sent", sender=OUT, to=[STRANGER], message_id="<a@x>")
    reply = msg(
        "b",
        sender=STRANGER,
        to=["mia@globex.example"],
        subject="Re: hello",
        message_id="<b@x>",
        in_reply_to="<a@x>",
        date="2026-03-02T10:00:00Z",
    )
    first["subject"] = "hello"
    verdicts = {v.id: v for v in decide_doc(_doc(first, reply, rule="replies_only"))}
    assert verdicts["a"].reason is Reason.REPLIES_ONLY
    verdicts = {v.id: v for v in decide_doc(_doc(first, reply))}
    assert verdicts["a"].reason is Reason.NEW_CONTACT
    assert verdicts["b"].reason is Reason.THREAD_REPLY


def test_the_trace_cites_r9b_and_names_the_new_addresses() -> None:
    v = _one(msg("m", folder="sent", sender=OUT, to=[STRANGER]))
    lines = [step.text for step in render_trace(v)]
    rules = [line.split(":")[0] for line in lines if line[:1] == "R"]
    assert rules[-1] == "R9b" and "R9" not in rules
    assert "sam@newco.example" in lines[-3] and lines[-3].startswith("R9b:")
    assert "the contacts the CRM creates (sam@newco.example)" in lines[-2]
    skipped = _one(
        msg("m", folder="sent", sender=OUT, to=["x@spam-corp.example"]),
        never_log=["spam-corp.example"],
    )
    rules = [s.text.split(":")[0] for s in render_trace(skipped) if s.text[:1] == "R"]
    assert rules[-2:] == ["R9b", "R9"]


def test_scenario_files_keep_replies_only_as_their_default() -> None:
    doc = scenario(msg("m", folder="sent", sender=OUT, to=[LEA["email"]]))
    del doc["account"]["logging_rule"]
    (verdict,) = decide_doc(doc)
    assert verdict.reason is Reason.REPLIES_ONLY
