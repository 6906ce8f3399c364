"""The suggested fix for a verdict (rules section 7): for the interface, not part of the verdict."""

from __future__ import annotations

import enum
from typing import Final

from core.i18n import LazyString, lazy_gettext
from core.rules.advisories import quieted, suggests_never_log
from core.rules.model import Message, Reason
from core.rules.verdict import Verdict


class Action(enum.StrEnum):
    LOG_NOW = "log_now"
    CREATE_CONTACT = "create_contact"
    ADD_BCC = "add_bcc"
    RESTORE_SUBJECT = "restore_subject"
    ASK_ADMIN = "ask_admin"
    ADD_SENDER_TO_NEVER_LOG = "add_sender_to_never_log"  # section 7's bulk advisory


_SENT_OR_RECEIVED: dict[Reason, tuple[Action, ...]] = {
    Reason.NOT_A_CONTACT: (Action.LOG_NOW, Action.CREATE_CONTACT),
    Reason.REPLIES_ONLY: (Action.LOG_NOW,),
    Reason.SUBJECT_CHANGED: (Action.LOG_NOW,),
    Reason.NO_EMAIL_ACCESS: (Action.ASK_ADMIN,),
}
_DRAFT: dict[Reason, tuple[Action, ...]] = {
    Reason.NOT_A_CONTACT: (Action.ADD_BCC,),
    Reason.REPLIES_ONLY: (Action.ADD_BCC,),
    Reason.SUBJECT_CHANGED: (Action.RESTORE_SUBJECT,),
    Reason.NO_EMAIL_ACCESS: (Action.ASK_ADMIN,),
}

# Section 7: the reasons with a fix, so "needs action" unless a bulk advisory quiets them.
NEEDS_ACTION_REASONS: Final = frozenset(_SENT_OR_RECEIVED)

# English names (the add-in's contract and logs); the rep's words are
# ``core.rules.vocabulary.action_label``.
ACTION_TEXT: dict[Action, LazyString] = {
    Action.LOG_NOW: lazy_gettext("Log now"),
    Action.CREATE_CONTACT: lazy_gettext("Create the contact"),
    Action.ADD_BCC: lazy_gettext("Add the BCC address"),
    Action.RESTORE_SUBJECT: lazy_gettext("Restore the thread's subject"),
    Action.ASK_ADMIN: lazy_gettext("Ask an account admin"),
    Action.ADD_SENDER_TO_NEVER_LOG: lazy_gettext("Add the sender to the Never-log list"),
}


def suggested_actions(message: Message, verdict: Verdict, bulk: bool = False) -> tuple[Action, ...]:
    """Section 7: what the rep can do about a verdict; empty when nothing is needed.

    ``bulk`` (section 7's advisory): a bulk ``not_a_contact`` or ``replies_only`` message needs
    nothing; a bulk message that will be logged suggests adding its sender to the Never-log
    list."""
    if verdict.logged:
        return (Action.ADD_SENDER_TO_NEVER_LOG,) if suggests_never_log(True, bulk) else ()
    if quieted(verdict.reason, bulk):
        return ()
    table = _DRAFT if message.is_draft else _SENT_OR_RECEIVED
    return table.get(verdict.reason, ())


def needs_action(message: Message, verdict: Verdict, bulk: bool = False) -> bool:
    """Whether a verdict is a gap a rep can fix (the "needs action" filter): a fix exists and
    it is not the bulk advisory's Never-log suggestion."""
    if verdict.logged or quieted(verdict.reason, bulk):
        return False
    return verdict.reason in NEEDS_ACTION_REASONS
