"""One vocabulary for verdicts: the plain words a rep reads, everywhere.

The badges, the filters, What-if, Activity and the command line's ``--format table`` name a
verdict with these words and no rule id: rule ids (R0..R9b, A1, A2) stay in the trace's
technical details and in ``--trace``. Every string is marked for translation (``core.i18n``,
docs/i18n.md) and translated when the function is called.

    status(logged, reason, bulk)        -> Status (will log / won't log / needs action / deciding)
    status_label(Status)                -> "Needs action"
    reason_label(reason)                -> "Never-log list"          (the badge's name)
    reason_sentence(reason)             -> "it is on the Never-log list"
    headline(logged, reason)            -> "Won't be logged: it is on the Never-log list."
    advisory_label(Advisory)            -> "Bulk mail"
    advisory_sentence(Advisory, logged) -> what the advisory means for this verdict
    action_label(Action)                -> "Log now"
    logging_rule_label(LoggingRule)     -> "Log replies only"
    folder_label(role, display)         -> "Inbox" (a well-known folder), else its own name

``via_forward``: R3 fired on the account's forward address rather than its BCC address.
"""

from __future__ import annotations

import enum

from core.i18n import _, pgettext
from core.rules.actions import NEEDS_ACTION_REASONS, Action
from core.rules.advisories import Advisory, quieted
from core.rules.model import Folder, LoggingRule, Reason


class Status(enum.StrEnum):
    """A verdict's state as the badge and the filters show it."""

    WILL_LOG = "will_log"
    WONT_LOG = "wont_log"
    NEEDS_ACTION = "needs_action"
    DECIDING = "deciding"


def status(logged: bool | None, reason: Reason | str | None, bulk: bool = False) -> Status:
    """Will log, won't log, needs action (a gap the rep can fix, section 7), or deciding."""
    if logged is None or reason is None:
        return Status.DECIDING
    if logged:
        return Status.WILL_LOG
    if Reason(reason) in NEEDS_ACTION_REASONS and not quieted(reason, bulk):
        return Status.NEEDS_ACTION
    return Status.WONT_LOG


def status_label(state: Status) -> str:
    """The name of a state: the badge's tone and the filter menu."""
    names = {
        Status.WILL_LOG: pgettext("status", "Will log"),
        Status.WONT_LOG: pgettext("status", "Won't log"),
        Status.NEEDS_ACTION: pgettext("status", "Needs action"),
        Status.DECIDING: pgettext("status", "Deciding"),
    }
    return names[state]


def reason_label(reason: Reason | str, via_forward: bool = False) -> str:
    """A short name for a reason: the badge, the filter menu, What-if, Activity, tables."""
    reason = Reason(reason)
    if reason is Reason.BCC_ADDRESS and via_forward:
        return pgettext("badge", "Forward address")
    names = {
        Reason.ALREADY_LOGGED: pgettext("badge", "Already logged"),
        Reason.UNPARSEABLE: pgettext("badge", "Unreadable sender"),
        Reason.NEVER_LOG: pgettext("badge", "Never-log list"),
        Reason.BCC_ADDRESS: pgettext("badge", "BCC address"),
        Reason.THREAD_REPLY: pgettext("badge", "Thread reply"),
        Reason.SUBJECT_CHANGED: pgettext("badge", "Subject changed"),
        Reason.REPLIES_ONLY: pgettext("badge", "Replies only"),
        Reason.INTERNAL: pgettext("badge", "Internal"),
        Reason.NO_EMAIL_ACCESS: pgettext("badge", "No email access"),
        Reason.LOG_ALL_CONTACT: pgettext("badge", "Contact"),
        Reason.NOT_A_CONTACT: pgettext("badge", "Not a contact"),
        Reason.NEW_CONTACT: pgettext("badge", "New contact"),
    }
    return names[reason]


def reason_sentence(reason: Reason | str, via_forward: bool = False) -> str:
    """Why, as the end of a sentence ("it is on the Never-log list")."""
    reason = Reason(reason)
    if reason is Reason.BCC_ADDRESS and via_forward:
        return _("it was forwarded to the forward address")
    texts = {
        Reason.ALREADY_LOGGED: _("the CRM already has this email"),
        Reason.UNPARSEABLE: _("the sender's address cannot be read"),
        Reason.NEVER_LOG: _("it is on the Never-log list"),
        Reason.BCC_ADDRESS: _("it is sent to the BCC address"),
        Reason.THREAD_REPLY: _("it is a reply in a logged thread"),
        Reason.SUBJECT_CHANGED: _(
            "the subject changed, so it is no longer a reply to the logged thread"
        ),
        Reason.REPLIES_ONLY: _("the account logs replies only and this starts a new thread"),
        Reason.INTERNAL: _("it is internal to the team"),
        Reason.NO_EMAIL_ACCESS: _("the user lacks personal email access"),
        Reason.LOG_ALL_CONTACT: _("it is with a contact and the account logs all emails"),
        Reason.NOT_A_CONTACT: _("nobody on it is a contact"),
        Reason.NEW_CONTACT: _("the CRM creates a contact for a new address on it and logs it"),
    }
    return texts[reason]


def headline(logged: bool, reason: Reason | str, via_forward: bool = False) -> str:
    """The verdict in one sentence, in the right tense: "Already logged: ...", "Will be
    logged: ..." or "Won't be logged: ..."."""
    why = reason_sentence(reason, via_forward)
    if Reason(reason) is Reason.ALREADY_LOGGED:
        return _("Already logged: %(why)s.") % {"why": why}
    if logged:
        return _("Will be logged: %(why)s.") % {"why": why}
    return _("Won't be logged: %(why)s.") % {"why": why}


def advisory_label(advisory: Advisory) -> str:
    """An advisory's short name (its badge and its filter)."""
    names = {Advisory.BULK: pgettext("advisory", "Bulk mail")}
    return names[advisory]


def advisory_sentence(advisory: Advisory, logged: bool | None) -> str:
    """What an advisory means beside a verdict (rules section 7)."""
    if advisory is Advisory.BULK and logged:
        return _(
            "Bulk mail (a newsletter, a notification or a list): it will be logged. "
            "Add the sender to the Never-log list to keep it out of the CRM."
        )
    return _(
        "Bulk mail (a newsletter, a notification or a list): it needs no action and no "
        "contact is created for it."
    )


def action_label(action: Action) -> str:
    """A fix's name, as a button or a menu item shows it."""
    names = {
        Action.LOG_NOW: _("Log now"),
        Action.CREATE_CONTACT: _("Create the contact"),
        Action.ADD_BCC: _("Add the BCC address"),
        Action.RESTORE_SUBJECT: _("Restore the thread's subject"),
        Action.ASK_ADMIN: _("Ask an account admin"),
        Action.ADD_SENDER_TO_NEVER_LOG: _("Add the sender to the Never-log list"),
    }
    return names[action]


def logging_rule_label(rule: LoggingRule | str) -> str:
    """The account's logging rule, in HubSpot's words."""
    names = {
        LoggingRule.REPLIES_ONLY: _("Log replies only"),
        LoggingRule.ALL: _("Log all emails (from known contacts)"),
    }
    return names[LoggingRule(rule)]


def folder_label(role: Folder | str | None, display: str) -> str:
    """One name for a folder everywhere (sidebar, reading pane, tables): the well-known
    folders by their role ("Inbox", not the server's "INBOX"), any other by its decoded name
    (``display``: IMAP's modified UTF-7 already decoded, ``core.mail.utf7``)."""
    names = {
        Folder.INBOX: pgettext("folder", "Inbox"),
        Folder.SENT: pgettext("folder", "Sent"),
        Folder.DRAFTS: pgettext("folder", "Drafts"),
        Folder.ARCHIVE: pgettext("folder", "Archive"),
    }
    known = role if isinstance(role, Folder) else Folder.__members__.get(str(role).upper())
    return names.get(known, display) if known is not None else display
