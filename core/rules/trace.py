"""A verdict's trace: the facts and the rules checked, in order, as sentences a rep understands.

Rendered from the ``Facts`` the engine decided on, so the words cannot drift from the decision.
"""

from __future__ import annotations

from core.rules.engine import inbound_recipients, new_participants, others
from core.rules.model import Attribution, Reason, Rule
from core.rules.verdict import Facts, Step, Verdict

_ORDER = tuple(Rule)


def _names(facts: Facts, contact_ids: list[str] | tuple[str, ...]) -> str:
    d = facts.directory
    return ", ".join(d.contact_label(cid) for cid in contact_ids)


def _contact_line(facts: Facts) -> str:
    d = facts.directory
    if not facts.contacts:
        return "No contact of the CRM takes part in this email."
    parts = []
    for cid, never in facts.contacts.items():
        contact = d.contacts[cid]
        owner = d.user_label(contact.owner) if contact.owner else "no owner"
        flag = ", on the Never-log list" if never else ""
        parts.append(f"{contact.label} (owner: {owner}{flag})")
    noun = "Contact" if len(parts) == 1 else "Contacts"
    return f"{noun} on this email: {'; '.join(parts)}."


def _facts_steps(facts: Facts) -> list[Step]:
    d, message = facts.directory, facts.message
    steps: list[Step] = []
    if message.sender is None or message.sender.email is None:
        if facts.sender is not None:
            steps.append(
                Step(
                    "D1",
                    f"This draft has no readable From: it would be sent from "
                    f"{d.user_label(d.mailbox_owner)}'s address ({facts.sender}).",
                )
            )
        else:
            raw = message.from_raw if message.from_raw else "missing"
            steps.append(Step("N1", f"The From header cannot be read as an address ({raw!r})."))
    else:
        steps.append(Step("N3", f"From: {d.describe(facts.sender)}."))
    if facts.sender is not None:
        if facts.outbound:
            steps.append(Step("D1", f"Outbound: sent by {d.user_label(facts.sending_user)}."))
        else:
            owner = d.user_label(d.mailbox_owner)
            steps.append(
                Step("D1", f"Inbound: the sender is not a user; received in {owner}'s mailbox.")
            )
    steps.append(Step("D2", _contact_line(facts)))
    return steps


def _rule_step(rule: Rule, facts: Facts, verdict: Verdict) -> Step:
    fired = rule is verdict.rule
    text = _RULE_TEXT[rule](facts, verdict, fired)
    return Step(rule.value, f"{rule.value}: {text}")


def _r0(f: Facts, v: Verdict, fired: bool) -> str:
    if fired:
        assert f.logged_entry is not None
        return f"this email ({f.logged_entry.message_id}) is already logged in the CRM."
    return "this email has not been logged yet."


def _r1(f: Facts, v: Verdict, fired: bool) -> str:
    if fired:
        return "without a readable sender the CRM cannot log this email; it stays flagged here."
    return "the sender's address is readable."


def _r2(f: Facts, v: Verdict, fired: bool) -> str:
    listed = [cid for cid, never in f.contacts.items() if never]
    if fired:
        if not f.outbound and f.sender_never_listed:
            return f"the sender {f.sender} is on the Never-log list, so it is never logged."
        return "every contact on this email is on the Never-log list, so it is never logged."
    if listed:
        return (
            f"{_names(f, listed)} on the Never-log list will be left out; "
            "the other contacts can still be logged."
        )
    if not f.directory.never_log:
        return "the Never-log list is empty."
    return "nobody on this email is on the Never-log list."


def _r3(f: Facts, v: Verdict, fired: bool) -> str:
    d = f.directory
    if fired:
        user = d.user_label(f.sending_user)
        if v.logged:
            return (
                f"it is sent to the logging address {f.logging_address}, and {user} has "
                "personal email access, so the CRM logs it."
            )
        return (
            f"it is sent to the logging address {f.logging_address}, but {user} lacks the "
            "personal email access permission, so the CRM ignores it."
        )
    if not f.outbound:
        return "received mail, so the BCC address does not apply."
    if not d.logging_addresses:
        return "the account has no BCC or forwarding address set."
    return "the BCC address is not among the recipients."


def _r4(f: Facts, v: Verdict, fired: bool) -> str:
    if fired:
        assert f.same_subject is not None
        subject = f.same_subject.subject
        if subject is None:
            return "it belongs to a logged thread, so it is logged as a reply."
        return (
            f"it belongs to a logged thread with the same subject ({subject!r}), so it is logged."
        )
    if f.thread_matches:
        old = f.thread_matches[0].subject
        return (
            f"it belongs to a logged thread, but the subject changed ({old!r} became "
            f"{f.message.subject!r}), so it is not treated as a reply."
        )
    return "it is not part of a thread the CRM has logged."


def _r5(f: Facts, v: Verdict, fired: bool) -> str:
    if fired and v.reason is Reason.SUBJECT_CHANGED:
        return (
            "the account logs replies only, and with its new subject this email starts "
            "a new thread."
        )
    if fired:
        return "the account logs replies only and this message starts a new thread."
    return "the account logs all emails with contacts."


def _r6(f: Facts, v: Verdict, fired: bool) -> str:
    if fired:
        return "everybody else on it is a user of the account: internal email is not logged."
    if not f.outbound:
        return "received mail, so it is not internal."
    outsider = next(
        (a for a in others(f) if a.email is None or a.email not in f.directory.user_of), None
    )
    if outsider is None:
        return "it has no other participant, so it is not internal."
    return f"{outsider.email or outsider.raw} is outside the team, so it is not internal."


def _r7(f: Facts, v: Verdict, fired: bool) -> str:
    user = f.directory.user_label(f.capturing_user)
    if fired:
        return (
            f"{user} lacks the personal email access permission, so their connected "
            "mailbox logs nothing."
        )
    return f"{user} has personal email access."


def _r8(f: Facts, v: Verdict, fired: bool) -> str:
    if not fired:
        if f.outbound:
            return "none of its recipients is a contact (that is not on the Never-log list)."
        return "the sender is not a contact."
    if f.outbound:
        return f"sent to a contact ({_names(f, v.contacts)}), so it is logged."
    return "the sender is a contact, so it is logged."


def _r9(f: Facts, v: Verdict, fired: bool) -> str:
    if f.directory.account.create_contacts:
        return (
            "nobody on it is a contact or a new address the CRM could create one for, so the "
            "CRM skips it."
        )
    return (
        "the CRM skips it. Use the sales extension, the BCC address, or log it here "
        "(which creates the contact)."
    )


def _r9b(f: Facts, v: Verdict, fired: bool) -> str:
    if not fired:
        return (
            "the account creates contacts from logged emails (beta), but everyone on it is a "
            "user, on the Never-log list, or unreadable."
        )
    new = ", ".join(new_participants(f))
    return (
        f"the account creates contacts from logged emails (beta), so the CRM logs it and "
        f"creates a contact for {new}."
    )


_RULE_TEXT = {
    Rule.R0: _r0,
    Rule.R1: _r1,
    Rule.R2: _r2,
    Rule.R3: _r3,
    Rule.R4: _r4,
    Rule.R5: _r5,
    Rule.R6: _r6,
    Rule.R7: _r7,
    Rule.R8: _r8,
    Rule.R9: _r9,
    Rule.R9B: _r9b,
}


def _association_step(f: Facts, v: Verdict) -> Step:
    names = _names(f, v.contacts)
    if (
        v.logged
        and v.contacts
        and v.rule in (Rule.R0, Rule.R4)
        and not any(not never for never in f.contacts.values())
    ):
        return Step(
            "S5",
            f"With no contact of its own, it is associated with its thread's contacts: {names}.",
        )
    if v.rule is Rule.R9B:
        new = ", ".join(new_participants(f))
        known = f"{names} and " if names else ""
        return Step("S5", f"Associated with {known}the contacts the CRM creates ({new}).")
    if v.logged:
        return Step("S5", f"Associated with: {names}." if names else "Associated with no contact.")
    if names:
        return Step("S5", f"Logging it by hand would associate it with: {names}.")
    return Step("S5", "Logging it by hand would associate it with no existing contact.")


def _attribution_step(f: Facts, v: Verdict) -> Step:
    d = f.directory
    user = d.user_label(v.attributed_to)
    why = v.attribution
    if why is Attribution.SENDER:
        return Step("A1", f"A1: sent mail counts for its sender, {user}.")
    count, users = inbound_recipients(f.message, d, f.sender)
    if why is Attribution.SINGLE_RECIPIENT:
        return Step("A2", f"A2: {user} is its only recipient, so it counts for them.")
    if why is Attribution.ONLY_USER_RECIPIENT:
        return Step(
            "A2",
            f"A2: {user} is the only user among its {count} recipients, so it counts for them.",
        )
    names = ", ".join(d.user_label(u) for u in users)
    if why is Attribution.CONTACT_OWNER:
        return Step(
            "A2",
            f"A2: {len(users)} users are on it ({names}), so it counts for the "
            f"owner of the sender's contact record, {user}.",
        )
    if why is Attribution.NO_CONTACT_OWNER:
        return Step(
            "A2",
            f"A2: {len(users)} users are on it ({names}) and the sender has no "
            "contact owner, so it counts for nobody.",
        )
    return Step(
        "A2",
        f"A2: no user is among its To and Cc recipients, so it counts for the "
        f"mailbox owner, {user}.",
    )


def render_trace(verdict: Verdict) -> tuple[Step, ...]:
    """The facts, each rule checked up to the one that fired, association and attribution."""
    facts = verdict.facts
    if facts is None:
        return ()
    steps = _facts_steps(facts)
    rules = _ORDER[: _ORDER.index(verdict.rule) + 1]
    if verdict.rule is Rule.R9B:  # R9b is the exception to R9: R9 itself did not fire
        rules = tuple(r for r in rules if r is not Rule.R9)
    elif verdict.rule is Rule.R9 and facts.directory.account.create_contacts:
        rules = (*rules[:-1], Rule.R9B, Rule.R9)
    for rule in rules:
        steps.append(_rule_step(rule, facts, verdict))
    steps.append(_association_step(facts, verdict))
    if verdict.logged:
        steps.append(_attribution_step(facts, verdict))
    return tuple(steps)


def summary(verdict: Verdict) -> str:
    """The verdict in one sentence: "Will be logged: ..." or "Won't be logged: ..."."""
    head = "Will be logged" if verdict.logged else "Won't be logged"
    return f"{head}: {REASON_TEXT[verdict.reason]}."


REASON_TEXT: dict[Reason, str] = {
    Reason.ALREADY_LOGGED: "it is already in the CRM",
    Reason.UNPARSEABLE: "the sender's address cannot be read",
    Reason.NEVER_LOG: "it is on the Never-log list",
    Reason.BCC_ADDRESS: "it is sent to the BCC address",
    Reason.THREAD_REPLY: "it is a reply in a logged thread",
    Reason.SUBJECT_CHANGED: "the subject changed, so it is no longer a reply to the logged thread",
    Reason.REPLIES_ONLY: "the account logs replies only and this starts a new thread",
    Reason.INTERNAL: "it is internal to the team",
    Reason.NO_EMAIL_ACCESS: "the user lacks personal email access",
    Reason.LOG_ALL_CONTACT: "it is with a contact and the account logs all emails",
    Reason.NOT_A_CONTACT: "nobody on it is a contact",
    Reason.NEW_CONTACT: "the CRM creates a contact for a new address on it and logs it",
}
