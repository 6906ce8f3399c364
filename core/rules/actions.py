"""The suggested fix for a verdict (rules section 7): for the interface, not part of the verdict."""

from __future__ import annotations

import enum

from core.i18n import LazyString, lazy_gettext
from core.rules.model import Message, Reason
from core.rules.verdict import Verdict


class Action(enum.StrEnum):
    LOG_NOW = "log_now"
    CREATE_CONTACT = "create_contact"
    ADD_BCC = "add_bcc"
    RESTORE_SUBJECT = "restore_subject"
    ASK_ADMIN = "ask_admin"


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

# Lazy: built at import, translated where used (``str()`` gives the text).
ACTION_TEXT: dict[Action, LazyString] = {
    Action.LOG_NOW: lazy_gettext("Log now"),
    Action.CREATE_CONTACT: lazy_gettext("Create the contact"),
    Action.ADD_BCC: lazy_gettext("Add the BCC address"),
    Action.RESTORE_SUBJECT: lazy_gettext("Restore the thread's subject"),
    Action.ASK_ADMIN: lazy_gettext("Ask an account admin"),
}


def suggested_actions(message: Message, verdict: Verdict) -> tuple[Action, ...]:
    """Section 7: what the rep can do about a verdict; empty when nothing is needed."""
    if verdict.logged:
        return ()
    table = _DRAFT if message.is_draft else _SENT_OR_RECEIVED
    return table.get(verdict.reason, ())


def needs_action(message: Message, verdict: Verdict) -> bool:
    """Whether a verdict has a fix a rep can apply (the "needs action" filter)."""
    return bool(suggested_actions(message, verdict))
