"""What a rep should know before sending, each with the fixes the app offers.

Three warnings (issue 6): a recipient on the Never-log list; a reply whose subject no longer
matches its logged thread (so R4 will not fire); a recipient who is not a contact (R9), with
"add the BCC address" and "create the contact" as fixes. In plain words: the rule ids stay in
the trace (issue 15).
"""

from __future__ import annotations

import enum
from typing import NamedTuple

from core.i18n import _
from core.rules.actions import Action, suggested_actions
from core.rules.directory import Directory
from core.rules.model import Message, Reason, Rule
from core.rules.verdict import Verdict


class WarningKind(enum.StrEnum):
    NEVER_LISTED = "never_listed"
    SUBJECT_CHANGED = "subject_changed"
    NOT_A_CONTACT = "not_a_contact"


class SendWarning(NamedTuple):
    """One warning: what, about whom, and the fixes (``restore_subject`` carries ``subject``)."""

    kind: WarningKind
    text: str
    address: str | None = None
    fixes: tuple[Action, ...] = ()
    subject: str | None = None  # the thread's subject, for the restore-subject fix


def _never_listed(message: Message, d: Directory, verdict: Verdict) -> list[SendWarning]:
    found: list[SendWarning] = []
    seen: set[str] = set()
    for a in message.recipients:
        email = a.email
        if email is None or email in seen or email in d.logging_addresses:
            continue
        seen.add(email)
        if d.never_log.matches(email):
            if verdict.reason is Reason.NEVER_LOG:
                text = _("%(who)s is on the Never-log list, so this email will never be logged.")
            else:
                text = _(
                    "%(who)s is on the Never-log list, so the CRM leaves them out of this "
                    "email's association."
                )
            text %= {"who": d.describe(email)}
            found.append(SendWarning(WarningKind.NEVER_LISTED, text, email))
    return found


def _subject_changed(verdict: Verdict) -> list[SendWarning]:
    facts = verdict.facts
    if facts is None or not facts.thread_matches or facts.same_subject is not None:
        return []
    if verdict.rule is Rule.R0:
        return []
    old = next((m.subject for m in facts.thread_matches if m.subject), None)
    text = _(
        "This replies to a logged thread, but its subject no longer matches (%(old)r became "
        "%(new)r), so the CRM will not treat it as a reply."
    ) % {"old": old, "new": facts.message.subject}
    fixes = (Action.RESTORE_SUBJECT,) if old else ()
    return [SendWarning(WarningKind.SUBJECT_CHANGED, text, None, fixes, old)]


def _not_contacts(message: Message, d: Directory, verdict: Verdict) -> list[SendWarning]:
    draft_fixes = suggested_actions(message, verdict) if message.is_draft else ()
    can_bcc = Action.ADD_BCC in draft_fixes and d.account.bcc_address is not None
    fixes = (Action.ADD_BCC, Action.CREATE_CONTACT) if can_bcc else (Action.CREATE_CONTACT,)
    found: list[SendWarning] = []
    seen: set[str] = set()
    for a in message.recipients:
        email = a.email
        if email is None or email in seen or email in d.logging_addresses:
            continue
        seen.add(email)
        if email in d.user_of or email in d.contact_of or d.never_log.matches(email):
            continue
        if verdict.reason is Reason.NOT_A_CONTACT:
            text = _(
                "%(address)s is not a contact, and nobody else on it is, so the CRM skips "
                "this email."
            )
        elif verdict.logged:
            text = _(
                "%(address)s is not a contact, so this email will not be associated with them."
            )
        else:
            text = _(
                "%(address)s is not a contact, so logging this email would not be associated "
                "with them."
            )
        text %= {"address": email}
        found.append(SendWarning(WarningKind.NOT_A_CONTACT, text, email, fixes))
    return found


def warnings_for(
    message: Message, verdict: Verdict, directory: Directory
) -> tuple[SendWarning, ...]:
    """The warnings of an email about to be sent, in the order a rep should read them."""
    return (
        *_never_listed(message, directory, verdict),
        *_subject_changed(verdict),
        *_not_contacts(message, directory, verdict),
    )
