"""The one-click actions of the detail pane: log now, create the contact, forward.

Each turns a cached message into an outbox row in one transaction (``core.store.outbox``); the
worker delivers it. The click decides the message on the input its badge was decided from
(``core.store.redecide.decide_row``: the row with every row linked to it, in engine order), and
what is sent is fixed then, as a ``LogRequest``: the parsed addresses, the contacts and the
attributed user that verdict gives (rules sections 5 and 6, as if the message were logged).
Refusals come first and are one line each: already logged, a never-listed contact, nothing to
log it on, no forward address, a body over HubSpot's 2 MB forward limit.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import replace
from pathlib import Path
from typing import NamedTuple

from core.crm.errors import CrmError, NeverLogged
from core.crm.forward import check_size
from core.crm.hubspot_shapes import Direction
from core.crm.log_request import LogRequest, NewContact
from core.crm.policy import check_never_log
from core.i18n import _
from core.mail.local import maildir_file
from core.rules.addresses import Address, normalize_email
from core.rules.directory import CONTACT, USER, Directory
from core.rules.engine import attribute
from core.rules.model import Message
from core.rules.verdict import Verdict
from core.store import outbox
from core.store.accounts import Account, AccountKind
from core.store.directory import load_directory
from core.store.localkeys import file_of_row
from core.store.outbox import Enqueued, Kind
from core.store.queries import received
from core.store.redecide import Decided, decide_row


class ActionRefused(CrmError):
    """The action does not apply to this message; the message says why."""


def _decided(conn: sqlite3.Connection, account: Account, row_id: int) -> Decided:
    """Row ``row_id`` of ``account`` decided as its badge was; refused when it is not there."""
    decided = decide_row(conn, account, row_id)
    if decided is None:
        raise ActionRefused(
            _("Message %(row_id)s is not in the cache of account %(account)r.")
            % {"row_id": row_id, "account": account.name}
        )
    return decided


def idempotency_key(message: Message, date_raw: str | None) -> str:
    """The Message-ID, else a hash of the cached header fields (stable across restarts)."""
    if message.message_id:
        return message.message_id
    fields = [date_raw, message.from_raw, message.subject]
    people = [("from", message.sender)] if message.sender is not None else []
    people += [(kind, a) for kind in ("to", "cc", "bcc") for a in getattr(message, kind)]
    fields += [f"{kind}:{a.raw}" for kind, a in people]
    digest = hashlib.sha256(json.dumps(fields, default=str).encode("utf-8")).hexdigest()
    return f"sha256:{digest[:40]}"


def _split_name(name: str) -> tuple[str, str]:
    first, _space, last = name.strip().partition(" ")
    return first, last.strip()


def _new_contacts(message: Message, verdict: Verdict, directory: Directory) -> list[str]:
    """Who "log now" makes a contact of: the correspondent(s) no one knows yet."""
    facts = verdict.facts
    if facts is None:
        return []
    if facts.outbound:
        people: tuple[Address, ...] = message.recipients
    else:
        people = (message.sender,) if message.sender is not None else ()
    found: list[str] = []
    for a in people:
        email = a.email
        if email is None or directory.kind(email) in (USER, CONTACT):
            continue
        if email in directory.logging_addresses or directory.never_log.matches(email):
            continue
        if email not in found:
            found.append(email)
    return found


def _named(message: Message, emails: list[str]) -> tuple[NewContact, ...]:
    """New contacts with the first and last name written on the email, so they have a name."""
    people = (message.sender, *message.recipients)
    names = {a.email: a.name for a in people if a is not None and a.email and a.name}
    return tuple(NewContact(e, *_split_name(names.get(e, ""))) for e in emails)


def log_request(decided: Decided, received: float | None, text: str = "") -> LogRequest:
    """What a log action sends, fixed at the click (dated by the Date header, else by when
    the server ``received`` it)."""
    m, verdict, directory = decided.message, decided.verdict, decided.directory
    assert verdict.facts is not None
    user, why = attribute(verdict.facts)
    new = [] if verdict.contacts else _new_contacts(m, verdict, directory)
    return LogRequest(
        message_id=m.message_id,
        subject=m.subject,
        in_reply_to=m.in_reply_to,
        references=m.references,
        thread_key=m.thread_key,
        sender=m.sender,
        to=m.to,
        cc=m.cc,
        bcc=m.bcc,
        timestamp=m.date if m.date is not None else received,
        direction=Direction.OUTBOUND if verdict.facts.outbound else Direction.INBOUND,
        contacts=verdict.contacts,
        new_contacts=_named(m, new),
        attributed_to=user,
        attribution=why,
        text=text,
    )


def _check_not_logged(decided: Decided) -> None:
    if decided.stored_logged or decided.verdict.logged:
        raise ActionRefused(_("This email is already logged (or will be): nothing to do."))


def _check_loggable(decided: Decided) -> None:
    """The refusals of the click: what the badge's verdict already shows cannot be logged."""
    _check_not_logged(decided)
    message, verdict, directory = decided.message, decided.verdict, decided.directory
    if message.sender is None and not message.is_draft:
        raise ActionRefused(_("This email has no readable sender: it cannot be logged."))
    if message.is_draft:
        raise ActionRefused(_("A draft cannot be logged before it is sent: add the BCC address."))
    check_never_log(directory, verdict.contacts, message)
    if verdict.contacts:
        return
    facts = verdict.facts
    if facts is not None and (facts.sender_never_listed or any(facts.contacts.values())):
        raise NeverLogged(_("Refusing to log: its contacts are on the Never-log list."))
    if not _new_contacts(message, verdict, directory):
        raise ActionRefused(_("This email has no contact to log it on (only users take part)."))


def log_now(
    conn: sqlite3.Connection, account: Account, row_id: int, *, text: str = "", hold: float = 0.0
) -> Enqueued:
    """Queue "log this email" (creating the correspondent's contact when it has none), due
    after ``hold`` seconds (an Undo's time)."""
    decided = _decided(conn, account, row_id)
    _check_loggable(decided)
    dates = received(conn, row_id)
    request = log_request(decided, dates.internaldate, text)
    if request.timestamp is None:
        raise ActionRefused(_("This email has no date: it cannot be logged."))
    return outbox.enqueue(
        conn, account.id, Kind.LOG, idempotency_key(decided.message, dates.date_raw),
        request.to_json(), row_id=row_id, label=f"Log {_subject(decided.message)}", hold=hold,
    )  # fmt: skip


def _subject(message: Message) -> str:
    return message.subject or "(no subject)"


def create_contact(
    conn: sqlite3.Connection,
    account: Account,
    email: str,
    *,
    name: str = "",
    owner: str | None = None,
    row_id: int | None = None,
    hold: float = 0.0,
) -> Enqueued:
    """Queue "create this contact" (the key is the address: asking twice creates one)."""
    address = normalize_email(email)
    if address is None:
        raise ActionRefused(_("%(email)r is not an email address.") % {"email": email})
    directory = load_directory(conn, account)[0]
    kind = directory.kind(address)
    if kind == USER:
        raise ActionRefused(
            _("%(address)s is a user's address, not a contact.") % {"address": address}
        )
    if kind == CONTACT:
        raise ActionRefused(_("%(address)s is already a contact.") % {"address": address})
    if directory.never_log.matches(address):
        raise NeverLogged(
            _("Refusing to create %(address)s: it is on the Never-log list.") % {"address": address}
        )
    first, last = _split_name(name)
    payload = {"email": address, "first": first, "last": last, "owner": owner}
    return outbox.enqueue(
        conn, account.id, Kind.CREATE_CONTACT, f"contact:{address}", payload, row_id=row_id,
        label=f"Create contact {address}", hold=hold,
    )  # fmt: skip


class ContactCandidate(NamedTuple):
    """Who "Create the contact" would create for a message, before anything is queued: the
    sender of a received email, the first recipient no one knows of a sent one (``role``
    says which, for the menu's words and the confirmation), with the name written on the email
    and the owner it gets. ``bulk``: rules section 7's advisory (the app always asks)."""

    email: str
    name: str
    owner: str | None
    role: str  # "sender" or "recipient"
    bulk: bool


def contact_candidate(
    conn: sqlite3.Connection, account: Account, row_id: int
) -> ContactCandidate | None:
    """The contact "Create the contact" would create for row ``row_id`` (None: everyone on it
    is a contact or a user already)."""
    decided = _decided(conn, account, row_id)
    message = decided.message
    candidates = _new_contacts(message, decided.verdict, decided.directory)
    if not candidates:
        return None
    email = candidates[0]
    people = (message.sender, *message.recipients)
    name = next((a.name for a in people if a is not None and a.email == email), "")
    outbound = decided.verdict.facts is not None and decided.verdict.facts.outbound
    bulk = conn.execute("SELECT bulk FROM messages WHERE id = ?", (row_id,)).fetchone()
    role = "recipient" if outbound else "sender"
    return ContactCandidate(email, name, decided.directory.mailbox_owner, role, bool(bulk[0]))


def create_contact_for(
    conn: sqlite3.Connection, account: Account, row_id: int, *, hold: float = 0.0
) -> Enqueued:
    """Queue the contact of :func:`contact_candidate` (owned by the mailbox owner), due
    after ``hold`` seconds (an Undo's time)."""
    found = contact_candidate(conn, account, row_id)
    if found is None:
        raise ActionRefused(_("Everyone in this email is already a contact or a user."))
    return create_contact(
        conn, account, found.email, name=found.name, owner=found.owner, row_id=row_id, hold=hold
    )


def read_local_raw(conn: sqlite3.Connection, account: Account, row_id: int) -> bytes | None:
    """The original bytes of a Maildir message (None for other kinds or when it is gone)."""
    if account.kind is not AccountKind.MAILDIR or account.path is None:
        return None
    found = file_of_row(conn, row_id)
    path = maildir_file(Path(account.path), *found) if found is not None else None
    return path.read_bytes() if path is not None else None


def forward(
    conn: sqlite3.Connection,
    account: Account,
    row_id: int,
    raw: bytes | None = None,
    *,
    hold: float = 0.0,
) -> Enqueued:
    """Queue "forward to the logging address" with the original bytes (read now if local),
    due after ``hold`` seconds (an Undo's time)."""
    decided = _decided(conn, account, row_id)
    address = decided.directory.account.forward_address
    if not address:
        raise ActionRefused(_("No forward address is set for this account (see the settings)."))
    _check_not_logged(decided)
    check_never_log(decided.directory, decided.verdict.contacts, decided.message)
    if raw is None:
        raw = read_local_raw(conn, account, row_id)
    if raw is None:
        raise ActionRefused(_("The original of this email is not available: open it first."))
    check_size(raw)  # HubSpot: 2 MB of body, attachments apart (up to 50 MB)
    dates = received(conn, row_id)
    request = replace(log_request(decided, dates.internaldate), forward_address=address)
    return outbox.enqueue(
        conn, account.id, Kind.FORWARD, idempotency_key(decided.message, dates.date_raw),
        request.to_json(), row_id=row_id, label=f"Forward {_subject(decided.message)}", raw=raw,
        hold=hold,
    )  # fmt: skip
