"""A verdict's trace: the facts and the rules checked, in order, as sentences a rep understands.

Rendered from the ``Facts`` the engine decided on, so the words cannot drift from the decision.
The sentences are in the process's language (core/i18n.py); rule ids stay as they are.
"""

from __future__ import annotations

from core.i18n import LazyString, _, lazy_gettext, ngettext, pgettext
from core.rules.addresses import normalize_email
from core.rules.engine import inbound_recipients, new_participants, others
from core.rules.model import Attribution, Reason, Rule
from core.rules.verdict import Facts, Step, Verdict
from core.rules.vocabulary import headline

_ORDER = tuple(Rule)


def _names(facts: Facts, contact_ids: list[str] | tuple[str, ...]) -> str:
    d = facts.directory
    return ", ".join(d.contact_label(cid) for cid in contact_ids)


def _labelled(rule: str, text: str) -> str:
    """ "R4: it belongs to a logged thread..." (the rule id as it is)."""
    # TRANSLATORS: a rule id (R0..R9b, A1, A2) and what it found; French: "%(rule)s : %(text)s".
    return pgettext("trace", "%(rule)s: %(text)s") % {"rule": rule, "text": text}


def _contact_line(facts: Facts) -> str:
    d = facts.directory
    if not facts.contacts:
        return _("No contact of the CRM takes part in this email.")
    parts = []
    for cid, never in facts.contacts.items():
        contact = d.contacts[cid]
        owner = d.user_label(contact.owner) if contact.owner else _("no owner")
        values = {"contact": contact.label, "owner": owner}
        if never:
            parts.append(_("%(contact)s (owner: %(owner)s, on the Never-log list)") % values)
        else:
            parts.append(_("%(contact)s (owner: %(owner)s)") % values)
    # TRANSLATORS: between the contacts of a list that already uses commas.
    listed = pgettext("list", "; ").join(parts)
    return ngettext(
        "Contact on this email: %(contacts)s.", "Contacts on this email: %(contacts)s.", len(parts)
    ) % {"contacts": listed}


def _facts_steps(facts: Facts) -> list[Step]:
    d, message = facts.directory, facts.message
    steps: list[Step] = []
    if message.sender is None or message.sender.email is None:
        if facts.sender is not None:
            text = _(
                "This draft has no readable From: it would be sent from "
                "%(user)s's address (%(address)s)."
            ) % {"user": d.user_label(d.mailbox_owner), "address": facts.sender}
            steps.append(Step("D1", text))
        else:
            raw = message.from_raw if message.from_raw else _("missing")
            text = _("The From header cannot be read as an address (%(raw)r).") % {"raw": raw}
            steps.append(Step("N1", text))
    else:
        steps.append(Step("N3", _("From: %(sender)s.") % {"sender": d.describe(facts.sender)}))
    if facts.sender is not None:
        if facts.outbound:
            user = d.user_label(facts.sending_user)
            steps.append(Step("D1", _("Outbound: sent by %(user)s.") % {"user": user}))
        else:
            owner = d.user_label(d.mailbox_owner)
            text = _("Inbound: the sender is not a user; received in %(user)s's mailbox.")
            steps.append(Step("D1", text % {"user": owner}))
    steps.append(Step("D2", _contact_line(facts)))
    return steps


def _rule_step(rule: Rule, facts: Facts, verdict: Verdict) -> Step:
    fired = rule is verdict.rule
    text = _RULE_TEXT[rule](facts, verdict, fired)
    return Step(rule.value, _labelled(rule.value, text))


def _r0(f: Facts, v: Verdict, fired: bool) -> str:
    if fired:
        assert f.logged_entry is not None
        return _("this email (%(id)s) is already logged in the CRM.") % {
            "id": f.logged_entry.message_id
        }
    return _("this email has not been logged yet.")


def _r1(f: Facts, v: Verdict, fired: bool) -> str:
    if fired:
        return _("without a readable sender the CRM cannot log this email; it stays flagged here.")
    return _("the sender's address is readable.")


def _r2(f: Facts, v: Verdict, fired: bool) -> str:
    listed = [cid for cid, never in f.contacts.items() if never]
    if fired:
        if not f.outbound and f.sender_never_listed:
            return _("the sender %(address)s is on the Never-log list, so it is never logged.") % {
                "address": f.sender
            }
        return _("every contact on this email is on the Never-log list, so it is never logged.")
    if listed:
        return ngettext(
            "%(names)s on the Never-log list will be left out; "
            "the other contacts can still be logged.",
            "%(names)s on the Never-log list will be left out; "
            "the other contacts can still be logged.",
            len(listed),
        ) % {"names": _names(f, listed)}
    if not f.directory.never_log:
        return _("the Never-log list is empty.")
    return _("nobody on this email is on the Never-log list.")


def _r3(f: Facts, v: Verdict, fired: bool) -> str:
    d = f.directory
    if fired:
        values = {"address": f.logging_address, "user": d.user_label(f.sending_user)}
        if v.logged:
            return (
                _(
                    "it is sent to the logging address %(address)s, and %(user)s has "
                    "personal email access, so the CRM logs it."
                )
                % values
            )
        return (
            _(
                "it is sent to the logging address %(address)s, but %(user)s lacks the "
                "personal email access permission, so the CRM ignores it."
            )
            % values
        )
    if not f.outbound:
        return _("received mail, so the BCC address does not apply.")
    if not d.logging_addresses:
        return _("the account has no BCC or forwarding address set.")
    return _("the BCC address is not among the recipients.")


def _r4(f: Facts, v: Verdict, fired: bool) -> str:
    if fired:
        assert f.same_subject is not None
        subject = f.same_subject.subject
        if subject is None:
            return _("it belongs to a logged thread, so it is logged as a reply.")
        return _(
            "it belongs to a logged thread with the same subject (%(subject)r), so it is logged."
        ) % {"subject": subject}
    if f.thread_matches:
        return _(
            "it belongs to a logged thread, but the subject changed (%(old)r became "
            "%(new)r), so it is not treated as a reply."
        ) % {"old": f.thread_matches[0].subject, "new": f.message.subject}
    return _("it is not part of a thread the CRM has logged.")


def _r5(f: Facts, v: Verdict, fired: bool) -> str:
    if fired and v.reason is Reason.SUBJECT_CHANGED:
        return _(
            "the account logs replies only, and with its new subject this email starts "
            "a new thread."
        )
    if fired:
        return _("the account logs replies only and this message starts a new thread.")
    return _("the account logs all emails with contacts.")


def _r6(f: Facts, v: Verdict, fired: bool) -> str:
    if fired:
        return _("everybody else on it is a user of the account: internal email is not logged.")
    if not f.outbound:
        return _("received mail, so it is not internal.")
    outsider = next(
        (a for a in others(f) if a.email is None or a.email not in f.directory.user_of), None
    )
    if outsider is None:
        return _("it has no other participant, so it is not internal.")
    return _("%(address)s is outside the team, so it is not internal.") % {
        "address": outsider.email or outsider.raw
    }


def _r7(f: Facts, v: Verdict, fired: bool) -> str:
    user = f.directory.user_label(f.capturing_user)
    if fired:
        return _(
            "%(user)s lacks the personal email access permission, so their connected "
            "mailbox logs nothing."
        ) % {"user": user}
    return _("%(user)s has personal email access.") % {"user": user}


def _r8(f: Facts, v: Verdict, fired: bool) -> str:
    if not fired:
        if f.outbound:
            return _("none of its recipients is a contact (that is not on the Never-log list).")
        return _("the sender is not a contact.")
    if f.outbound:
        return ngettext(
            "sent to a contact (%(names)s), so it is logged.",
            "sent to a contact (%(names)s), so it is logged.",
            len(v.contacts),
        ) % {"names": _names(f, v.contacts)}
    return _("the sender is a contact, so it is logged.")


def _r9(f: Facts, v: Verdict, fired: bool) -> str:
    if f.directory.account.create_contacts:
        return _(
            "nobody on it is a contact or a new address the CRM could create one for, so the "
            "CRM skips it."
        )
    return _(
        "the CRM skips it. Use the sales extension, the BCC address, or log it here "
        "(which creates the contact)."
    )


def _r9b(f: Facts, v: Verdict, fired: bool) -> str:
    if not fired:
        return _(
            "the account creates contacts from logged emails (beta), but everyone on it is a "
            "user, on the Never-log list, or unreadable."
        )
    new = new_participants(f)
    return ngettext(
        "the account creates contacts from logged emails (beta), so the CRM logs it and "
        "creates a contact for %(addresses)s.",
        "the account creates contacts from logged emails (beta), so the CRM logs it and "
        "creates a contact for %(addresses)s.",
        len(new),
    ) % {"addresses": ", ".join(new)}


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
        text = _(
            "With no contact of its own, it is associated with its thread's contacts: %(names)s."
        )
        return Step("S5", text % {"names": names})
    if v.rule is Rule.R9B:
        values = {"names": names, "new": ", ".join(new_participants(f))}
        if names:
            text = _("Associated with %(names)s and the contacts the CRM creates (%(new)s).")
        else:
            text = _("Associated with the contacts the CRM creates (%(new)s).")
        return Step("S5", text % values)
    if v.logged:
        if names:
            return Step("S5", _("Associated with: %(names)s.") % {"names": names})
        return Step("S5", _("Associated with no contact."))
    if names:
        text = _("Logging it by hand would associate it with: %(names)s.")
        return Step("S5", text % {"names": names})
    return Step("S5", _("Logging it by hand would associate it with no existing contact."))


def _attribution_step(f: Facts, v: Verdict) -> Step:
    d = f.directory
    user = d.user_label(v.attributed_to)
    why = v.attribution
    if why is Attribution.SENDER:
        text = _("sent mail counts for its sender, %(user)s.") % {"user": user}
        return Step("A1", _labelled("A1", text))
    count, users = inbound_recipients(f.message, d, f.sender)
    values = {
        "user": user,
        "count": count,
        "users": len(users),
        "names": ", ".join(d.user_label(u) for u in users),
    }
    if why is Attribution.SINGLE_RECIPIENT:
        text = _("%(user)s is its only recipient, so it counts for them.")
    elif why is Attribution.ONLY_USER_RECIPIENT:
        text = ngettext(
            "%(user)s is the only user among its %(count)d recipient, so it counts for them.",
            "%(user)s is the only user among its %(count)d recipients, so it counts for them.",
            count,
        )
    elif why is Attribution.CONTACT_OWNER:
        text = ngettext(
            "%(users)d user is on it (%(names)s), so it counts for the "
            "owner of the sender's contact record, %(user)s.",
            "%(users)d users are on it (%(names)s), so it counts for the "
            "owner of the sender's contact record, %(user)s.",
            len(users),
        )
    elif why is Attribution.NO_CONTACT_OWNER:
        text = ngettext(
            "%(users)d user is on it (%(names)s) and the sender has no "
            "contact owner, so it counts for nobody.",
            "%(users)d users are on it (%(names)s) and the sender has no "
            "contact owner, so it counts for nobody.",
            len(users),
        )
    else:
        text = _(
            "no user is among its To and Cc recipients, so it counts for the "
            "mailbox owner, %(user)s."
        )
    return Step("A2", _labelled("A2", text % values))


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


def via_forward(facts: Facts | None) -> bool:
    """R3 fired on the account's forward address, not its BCC address."""
    if facts is None or facts.logging_address is None:
        return False
    forward = facts.directory.account.forward_address
    return forward is not None and facts.logging_address == normalize_email(forward)


def summary(verdict: Verdict) -> str:
    """The verdict in one sentence (``core.rules.vocabulary.headline``): "Already logged: ...",
    "Will be logged: ..." or "Won't be logged: ..."."""
    return headline(verdict.logged, verdict.reason, via_forward(verdict.facts))


# English, untranslated: kept for callers that still read it; the rep's words are
# ``core.rules.vocabulary.reason_sentence``.


# Lazy: built at import, translated where used (an f-string or ``%`` turns it into text).
REASON_TEXT: dict[Reason, LazyString] = {
    Reason.ALREADY_LOGGED: lazy_gettext("it is already in the CRM"),
    Reason.UNPARSEABLE: lazy_gettext("the sender's address cannot be read"),
    Reason.NEVER_LOG: lazy_gettext("it is on the Never-log list"),
    Reason.BCC_ADDRESS: lazy_gettext("it is sent to the BCC address"),
    Reason.THREAD_REPLY: lazy_gettext("it is a reply in a logged thread"),
    Reason.SUBJECT_CHANGED: lazy_gettext(
        "the subject changed, so it is no longer a reply to the logged thread"
    ),
    Reason.REPLIES_ONLY: lazy_gettext("the account logs replies only and this starts a new thread"),
    Reason.INTERNAL: lazy_gettext("it is internal to the team"),
    Reason.NO_EMAIL_ACCESS: lazy_gettext("the user lacks personal email access"),
    Reason.LOG_ALL_CONTACT: lazy_gettext("it is with a contact and the account logs all emails"),
    Reason.NOT_A_CONTACT: lazy_gettext("nobody on it is a contact"),
    Reason.NEW_CONTACT: lazy_gettext(
        "the CRM creates a contact for a new address on it and logs it"
    ),
}
