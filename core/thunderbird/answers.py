"""A verdict as the add-in shows it: the verdict fields of rules section 8, the rep-facing
sentence, the badge's tone, the people on the email and the fixes.

Codes (``reason``, ``attribution``, ``tone``, ``kind``) are the contract; the add-in words them
in the rep's language. The English texts (``sentence``, ``attribution_text``) are the same
words as the app's.
"""

from __future__ import annotations

from typing import Any

from core.i18n import _, lazy_gettext, untranslated
from core.rules.actions import ACTION_TEXT, Action
from core.rules.addresses import Address
from core.rules.advisories import advisories
from core.rules.directory import Directory
from core.rules.model import Attribution, Message
from core.rules.trace import summary
from core.rules.verdict import Verdict
from core.rules.vocabulary import status

# Lazy: translated where used, in the host's language (the add-in words the codes itself).
_ATTRIBUTION_TEXT = {
    Attribution.SENDER: lazy_gettext("Counts for %(user)s, who sends it."),
    Attribution.SINGLE_RECIPIENT: lazy_gettext("Counts for %(user)s, its only recipient."),
    Attribution.ONLY_USER_RECIPIENT: lazy_gettext(
        "Counts for %(user)s, the only user among its recipients."
    ),
    Attribution.CONTACT_OWNER: (
        lazy_gettext(
            "Counts for %(user)s, the sender's contact owner, because several users received it."
        )
    ),
    Attribution.NO_CONTACT_OWNER: (
        lazy_gettext(
            "Counts for nobody: several users received it and the sender has no contact owner."
        )
    ),
    Attribution.MAILBOX_OWNER: (
        lazy_gettext(
            "Counts for %(user)s, the mailbox owner, because no user is among its recipients."
        )
    ),
}


def _english_summary(verdict: Verdict) -> str:
    with untranslated():  # the add-in's contract is English (it words codes itself)
        return summary(verdict)


def tone(logged: bool, reason: str, bulk: bool = False) -> str:
    """The badge's tone, the app's status (``core.rules.vocabulary.status``): will_log,
    needs_action (a fix exists, and no bulk advisory quiets it: rules section 7) or wont_log."""
    return status(logged, reason, bulk).value


def attribution_text(verdict: Verdict, d: Directory) -> str:
    """Whose activity report the email counts in, and why (rules section 6)."""
    if not verdict.logged or verdict.attribution is None:
        return _("Not logged, so it counts in nobody's activity report.")
    return _ATTRIBUTION_TEXT[verdict.attribution] % {"user": d.user_label(verdict.attributed_to)}


def contact_list(contact_ids: tuple[str, ...], d: Directory) -> list[dict[str, Any]]:
    return [_contact(cid, d) for cid in contact_ids]


def _contact(cid: str, d: Directory) -> dict[str, Any]:
    contact = d.contacts.get(cid)
    owner = contact.owner if contact is not None else None
    return {
        "id": cid,
        "name": d.contact_label(cid),
        "email": contact.email if contact is not None else None,
        "owner": owner,
        "owner_name": d.user_label(owner) if owner else None,
    }


def verdict_fields(verdict: Verdict, d: Directory, bulk: bool = False) -> dict[str, Any]:
    """The verdict (rules section 8), its sentence and tone, with names beside the ids, and
    section 7's advisories (``bulk``: newsletters, lists, automatic notifications)."""
    who = verdict.attributed_to
    return {
        "logged": verdict.logged,
        "reason": verdict.reason.value,
        "rule": verdict.rule.value,
        "sentence": _english_summary(verdict),
        "tone": tone(verdict.logged, verdict.reason.value, bulk),
        "advisories": [a.value for a in advisories(bulk)],
        "contacts": list(verdict.contacts),
        "contact_details": contact_list(verdict.contacts, d),
        "attributed_to": who,
        "attributed_to_name": d.user_label(who) if who is not None else None,
        "attribution": verdict.attribution.value if verdict.attribution else None,
        "attribution_text": attribution_text(verdict, d),
    }


def people(message: Message, d: Directory) -> list[dict[str, Any]]:
    """Everyone on the email once, in header order: who they are to the CRM."""
    found: list[dict[str, Any]] = []
    seen: set[str] = set()
    for field, addresses in _header_fields(message):
        for a in addresses:
            if a.email is None or a.email in seen:
                continue
            seen.add(a.email)
            found.append(_person(field, a.email, a.name, d))
    return found


def _header_fields(message: Message) -> tuple[tuple[str, tuple[Address, ...]], ...]:
    """The address fields of the email, in header order, each by its name."""
    sender = (message.sender,) if message.sender is not None else ()
    return (("from", sender), ("to", message.to), ("cc", message.cc), ("bcc", message.bcc))


def _person(field: str, email: str, name: str, d: Directory) -> dict[str, Any]:
    kind = "logging_address" if email in d.logging_addresses else d.kind(email)
    user_id = d.user_of.get(email)
    contact_id = d.contact_of.get(email) if user_id is None else None
    contact = d.contacts.get(contact_id) if contact_id else None
    owner = contact.owner if contact is not None else None
    return {
        "field": field,
        "email": email,
        "name": _label(d, user_id, contact_id, name or email),
        "kind": kind,
        "id": user_id or contact_id,
        "owner_name": d.user_label(owner) if owner else None,
        "never_log": d.never_log.matches(email),
    }


def _label(d: Directory, user_id: str | None, contact_id: str | None, fallback: str) -> str:
    """The user's or the contact's name, else the name on the email (or its address)."""
    if user_id is not None:
        return d.user_label(user_id)
    if contact_id is not None:
        return d.contact_label(contact_id)
    return fallback


def action_list(
    actions: tuple[Action, ...], unavailable: dict[Action, str]
) -> list[dict[str, Any]]:
    """The fixes, each with its label and, when it cannot run here, why not."""
    return [
        {
            "action": a.value,
            "label": str(ACTION_TEXT[a]),
            "available": a not in unavailable,
            "why_not": unavailable.get(a),
        }
        for a in actions
    ]
