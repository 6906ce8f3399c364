"""The values the rules core reads: settings, directory entries, logged entries, messages.

Everything here is immutable. Messages arrive already parsed and normalised (see
``core.rules.messages``): the engine never parses. What it gives back (a ``Verdict`` and the
``Facts`` it was decided from) is in ``core.rules.verdict``, above the directory it refers to.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from core.rules.addresses import Address


class LoggingRule(enum.StrEnum):
    REPLIES_ONLY = "replies_only"
    ALL = "all"


class Folder(enum.StrEnum):
    INBOX = "inbox"
    SENT = "sent"
    DRAFTS = "drafts"
    ARCHIVE = "archive"
    OTHER = "other"


class Rule(enum.StrEnum):
    """The rule that decided a verdict, as numbered in rules.md section 4."""

    R0 = "R0"
    R1 = "R1"
    R2 = "R2"
    R3 = "R3"
    R4 = "R4"
    R5 = "R5"
    R6 = "R6"
    R7 = "R7"
    R8 = "R8"
    R9 = "R9"
    R9B = "R9b"


class Reason(enum.StrEnum):
    ALREADY_LOGGED = "already_logged"
    UNPARSEABLE = "unparseable"
    NEVER_LOG = "never_log"
    BCC_ADDRESS = "bcc_address"
    THREAD_REPLY = "thread_reply"
    SUBJECT_CHANGED = "subject_changed"
    REPLIES_ONLY = "replies_only"
    INTERNAL = "internal"
    NO_EMAIL_ACCESS = "no_email_access"
    LOG_ALL_CONTACT = "log_all_contact"
    NOT_A_CONTACT = "not_a_contact"
    NEW_CONTACT = "new_contact"


class Attribution(enum.StrEnum):
    """Why a logged message counts for a user (rules section 6, A1-A2)."""

    SENDER = "sender"
    SINGLE_RECIPIENT = "single_recipient"
    ONLY_USER_RECIPIENT = "only_user_recipient"
    CONTACT_OWNER = "contact_owner"
    NO_CONTACT_OWNER = "no_contact_owner"
    MAILBOX_OWNER = "mailbox_owner"


@dataclass(frozen=True, slots=True)
class AccountSettings:
    """An account's logging settings (rules section 1).

    ``logging_rule`` defaults to ``all``: HubSpot's default for every account since 13 April
    2026 (spec v1.3). Scenario files keep their own default, ``replies_only``
    (``core.rules.scenario``). ``create_contacts`` is HubSpot's beta "Create new contacts from
    logged emails" (R9b), off unless the account opted in.
    """

    logging_rule: LoggingRule = LoggingRule.ALL
    never_log: tuple[str, ...] = ()
    bcc_address: str | None = None
    forward_address: str | None = None
    create_contacts: bool = False


@dataclass(frozen=True, slots=True)
class User:
    id: str
    email: str
    name: str = ""
    connected: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    personal_email_access: bool = True
    account_access: bool = False
    never_log: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return self.name or self.email


@dataclass(frozen=True, slots=True)
class Contact:
    id: str
    email: str
    name: str = ""
    additional_emails: tuple[str, ...] = ()
    owner: str | None = None

    @property
    def label(self) -> str:
        return self.name or self.email


class LoggedEntry(NamedTuple):
    """An email the CRM has already logged, keyed by its Message-ID.

    ``date`` is the logged email's own date when known (the app's ledger knows it; a scenario's
    ``logged`` list does not). A dated entry is a thread match (R4) only for messages dated
    at or after it: logging a reply by hand does not make its thread's earlier messages
    replies to it [decision]. An undated entry is seen by every message.
    """

    message_id: str
    subject: str | None = None
    in_reply_to: str | None = None
    references: tuple[str, ...] = ()
    contacts: tuple[str, ...] = ()
    date: float | None = None


@dataclass(frozen=True, slots=True, init=False)
class Message:
    """One message, parsed and normalised once; everything the engine reads.

    ``date`` is seconds since the epoch or None when missing or unparseable; ``subject`` is the
    decoded subject and ``subject_key`` its N4 form; ids are cleaned (N5).
    """

    id: str
    folder: Folder = Folder.INBOX
    date: float | None = None
    sender: Address | None = None
    to: tuple[Address, ...] = ()
    cc: tuple[Address, ...] = ()
    bcc: tuple[Address, ...] = ()
    subject: str | None = None
    subject_key: str = ""
    message_id: str | None = None
    in_reply_to: str | None = None
    references: tuple[str, ...] = ()
    thread_key: str | None = None
    from_raw: str | None = None
    recipients: tuple[Address, ...] = field(default=(), compare=False, repr=False)
    links: tuple[str, ...] = field(default=(), compare=False, repr=False)

    def __init__(
        self,
        id: str,
        folder: Folder = Folder.INBOX,
        date: float | None = None,
        sender: Address | None = None,
        to: tuple[Address, ...] = (),
        cc: tuple[Address, ...] = (),
        bcc: tuple[Address, ...] = (),
        subject: str | None = None,
        subject_key: str = "",
        message_id: str | None = None,
        in_reply_to: str | None = None,
        references: tuple[str, ...] = (),
        thread_key: str | None = None,
        from_raw: str | None = None,
        recipients: tuple[Address, ...] = (),
        links: tuple[str, ...] = (),
    ) -> None:
        # Written by hand: the frozen dataclass __init__ pays object.__setattr__ per field
        # (2.6 us a message); the slots' own setters take a third of that. ``recipients`` and
        # ``links`` are computed, whatever is passed (``dataclasses.replace`` passes them):
        # To, Cc and Bcc together, and the ids this message replies to (References, then
        # In-Reply-To), read by the engine for every decision.
        _set_id(self, id)
        _set_folder(self, folder)
        _set_date(self, date)
        _set_sender(self, sender)
        _set_to(self, to)
        _set_cc(self, cc)
        _set_bcc(self, bcc)
        _set_subject(self, subject)
        _set_subject_key(self, subject_key)
        _set_message_id(self, message_id)
        _set_in_reply_to(self, in_reply_to)
        _set_references(self, references)
        _set_thread_key(self, thread_key)
        _set_from_raw(self, from_raw)
        _set_recipients(self, (*to, *cc, *bcc))
        if in_reply_to is not None and in_reply_to not in references:
            references = (*references, in_reply_to)
        _set_links(self, references)

    @property
    def is_draft(self) -> bool:
        return self.folder is Folder.DRAFTS


def _setter(name: str) -> Callable[[Message, Any], None]:
    """The setter of one of Message's slots (the class is frozen: assignment raises)."""
    setter: Callable[[Message, Any], None] = vars(Message)[name].__set__
    return setter


_set_id = _setter("id")
_set_folder = _setter("folder")
_set_date = _setter("date")
_set_sender = _setter("sender")
_set_to = _setter("to")
_set_cc = _setter("cc")
_set_bcc = _setter("bcc")
_set_subject = _setter("subject")
_set_subject_key = _setter("subject_key")
_set_message_id = _setter("message_id")
_set_in_reply_to = _setter("in_reply_to")
_set_references = _setter("references")
_set_thread_key = _setter("thread_key")
_set_from_raw = _setter("from_raw")
_set_recipients = _setter("recipients")
_set_links = _setter("links")


class _Building:
    """A ``Message`` being built by ``build_message``: its slots, in its order, without its
    frozen ``__setattr__`` (so the same layout, and its class may become ``Message``)."""

    __slots__ = Message.__slots__


_new = object.__new__  # looked up once: build_message runs for every message read or synced


def build_message(
    id: str,
    folder: Folder,
    date: float | None,
    sender: Address | None,
    to: tuple[Address, ...],
    cc: tuple[Address, ...],
    bcc: tuple[Address, ...],
    subject: str | None,
    subject_key: str,
    message_id: str | None,
    in_reply_to: str | None,
    references: tuple[str, ...],
    thread_key: str | None,
    from_raw: str | None,
) -> Message:
    """``Message(...)`` of these fields: the same value, built in 0.4 us instead of 1.0 us.

    Each slot is stored as a plain attribute of a ``_Building`` (no setter calls), then the
    object becomes a ``Message``, the same layout (Python checks it), frozen from then on.
    ``recipients`` and ``links`` are computed as ``Message.__init__`` computes them.
    """
    m: Any = _new(_Building)
    m.id = id
    m.folder = folder
    m.date = date
    m.sender = sender
    m.to = to
    m.cc = cc
    m.bcc = bcc
    m.subject = subject
    m.subject_key = subject_key
    m.message_id = message_id
    m.in_reply_to = in_reply_to
    m.references = references
    m.thread_key = thread_key
    m.from_raw = from_raw
    m.recipients = (*to, *cc, *bcc)
    if in_reply_to is not None and in_reply_to not in references:
        references = (*references, in_reply_to)
    m.links = references
    m.__class__ = Message
    built: Message = m
    return built


@dataclass(frozen=True, slots=True)
class Scenario:
    """An account's settings, directory, logged ledger and one mailbox's messages."""

    account: AccountSettings
    users: tuple[User, ...]
    contacts: tuple[Contact, ...]
    mailbox_owner: str
    logged: tuple[LoggedEntry, ...] = ()
    messages: tuple[Message, ...] = field(default=())
