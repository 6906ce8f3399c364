"""The one-click actions of the detail pane: log now, create the contact, forward.

Each turns a cached message into an outbox row in one transaction (``core.crm.outbox``); the
worker delivers it. What is sent is fixed at the click: the contacts and the attributed user
the engine gives now (rules sections 5 and 6, as if the message were logged), the addresses as
written. Refusals come first and are one line each: already logged, a never-listed contact,
nothing to log it on, no forward address, a body over HubSpot's 2 MB forward limit.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.crm import outbox
from core.crm.errors import CrmError, NeverLogged
from core.crm.forward import check_size
from core.crm.hubspot import check_never_log
from core.crm.hubspot_shapes import Direction
from core.crm.outbox import Enqueued, Kind
from core.mail.local import maildir_file
from core.rules.addresses import Address, normalize_email
from core.rules.directory import CONTACT, USER, Directory
from core.rules.engine import attribute, decide
from core.rules.model import Folder, Message
from core.rules.threads import thread_key
from core.rules.verdict import Verdict
from core.store.accounts import Account, AccountKind
from core.store.directory import load_directory
from core.store.queries import MessageRecord, message_record


class ActionRefused(CrmError):
    """The action does not apply to this message; the message says why."""


@dataclass(frozen=True, slots=True)
class Cached:
    """A cached message as the engine sees it, with its stored verdict and raw fields."""

    row: int
    message: Message
    record: MessageRecord
    stored_logged: bool | None


def _address(a: Any) -> Address:
    return Address(a.email, a.name, a.raw)


def load_cached(conn: sqlite3.Connection, account: Account, row: int) -> Cached:
    """The cache row ``row`` of ``account``; ``ActionRefused`` when it is not there."""
    record = message_record(conn, row)
    if record is None or record.columns.get("account_id") != account.id:
        raise ActionRefused(f"Message {row} is not in the cache of account {account.name!r}.")
    c = record.columns
    refs = tuple(str(c["refs"]).split("\n")) if c.get("refs") else ()
    senders = record.of("from")
    message = Message(
        id=str(row),
        folder=Folder(str(c["folder_role"])),
        date=c["date"],  # type: ignore[arg-type]
        sender=_address(senders[0]) if senders else None,
        to=tuple(_address(a) for a in record.of("to")),
        cc=tuple(_address(a) for a in record.of("cc")),
        bcc=tuple(_address(a) for a in record.of("bcc")),
        subject=c["subject"],  # type: ignore[arg-type]
        subject_key=str(c["subject_key"] or ""),
        message_id=c["message_id"],  # type: ignore[arg-type]
        in_reply_to=c["in_reply_to"],  # type: ignore[arg-type]
        references=refs,
        thread_key=thread_key(c["message_id"], c["in_reply_to"], refs),  # type: ignore[arg-type]
        from_raw=c["from_raw"],  # type: ignore[arg-type]
    )
    logged = c.get("logged")
    return Cached(row, message, record, None if logged is None else bool(logged))


def idempotency_key(cached: Cached) -> str:
    """The Message-ID, else a hash of the cached header fields (stable across restarts)."""
    if cached.message.message_id:
        return cached.message.message_id
    c = cached.record.columns
    fields = [c.get("date_raw"), c.get("from_raw"), c.get("subject")]
    fields += [f"{a.kind}:{a.raw}" for a in cached.record.addresses]
    digest = hashlib.sha256(json.dumps(fields, default=str).encode("utf-8")).hexdigest()
    return f"sha256:{digest[:40]}"


def _raw(addresses: tuple[Address, ...]) -> list[str]:
    return [a.raw for a in addresses]


def _display_names(message: Message) -> dict[str, tuple[str, str]]:
    """First and last name of each named address on the email, so a new contact has a name."""
    people = (message.sender, *message.recipients)
    return {a.email: _split_name(a.name) for a in people if a is not None and a.email and a.name}


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


def _decide(
    conn: sqlite3.Connection, account: Account, cached: Cached
) -> tuple[Directory, Verdict]:
    directory, state = load_directory(conn, account)
    return directory, decide(cached.message, directory, state)


def log_payload(cached: Cached, directory: Directory, verdict: Verdict) -> dict[str, Any]:
    """What a log action sends, fixed at the click."""
    m = cached.message
    assert verdict.facts is not None
    user, why = attribute(verdict.facts)
    received = cached.record.columns.get("internaldate")
    return {
        "message_id": m.message_id,
        "subject": m.subject,
        "in_reply_to": m.in_reply_to,
        "references": list(m.references),
        "thread_key": m.thread_key,
        "contacts": list(verdict.contacts),
        "new_contacts": [] if verdict.contacts else _new_contacts(m, verdict, directory),
        "new_contact_names": _display_names(m),
        "attributed_to": user,
        "attribution": why.value,
        "timestamp": m.date if m.date is not None else received,
        "direction": (Direction.OUTBOUND if verdict.facts.outbound else Direction.INBOUND).value,
        "from": m.sender.raw if m.sender is not None else None,
        "to": _raw(m.to),
        "cc": _raw(m.cc),
        "bcc": _raw(m.bcc),
    }


def _check_loggable(cached: Cached, directory: Directory, verdict: Verdict) -> None:
    if cached.stored_logged or verdict.logged:
        raise ActionRefused("This email is already logged (or will be): nothing to do.")
    if cached.message.sender is None and not cached.message.is_draft:
        raise ActionRefused("This email has no readable sender: it cannot be logged.")
    if cached.message.is_draft:
        raise ActionRefused("A draft cannot be logged before it is sent: add the BCC address.")
    check_never_log(directory, verdict.contacts, cached.message)
    if verdict.contacts:
        return
    facts = verdict.facts
    if facts is not None and (facts.sender_never_listed or any(facts.contacts.values())):
        raise NeverLogged("Refusing to log: its contacts are on the Never-log list.")
    if not _new_contacts(cached.message, verdict, directory):
        raise ActionRefused("This email has no contact to log it on (only users take part).")


def log_now(conn: sqlite3.Connection, account: Account, row: int, *, text: str = "") -> Enqueued:
    """Queue "log this email" (creating the correspondent's contact when it has none)."""
    cached = load_cached(conn, account, row)
    directory, verdict = _decide(conn, account, cached)
    _check_loggable(cached, directory, verdict)
    payload = log_payload(cached, directory, verdict)
    if payload["timestamp"] is None:
        raise ActionRefused("This email has no date: it cannot be logged.")
    payload["text"] = text
    label = f"Log {cached.message.subject or '(no subject)'}"
    return outbox.enqueue(
        conn, account.id, Kind.LOG, idempotency_key(cached), payload, message=row, label=label
    )


def _split_name(name: str) -> tuple[str, str]:
    first, _, last = name.strip().partition(" ")
    return first, last.strip()


def create_contact(
    conn: sqlite3.Connection,
    account: Account,
    email: str,
    *,
    name: str = "",
    owner: str | None = None,
    row: int | None = None,
) -> Enqueued:
    """Queue "create this contact" (the key is the address: asking twice creates one)."""
    address = normalize_email(email)
    if address is None:
        raise ActionRefused(f"{email!r} is not an email address.")
    directory = load_directory(conn, account)[0]
    kind = directory.kind(address)
    if kind == USER:
        raise ActionRefused(f"{address} is a user's address, not a contact.")
    if kind == CONTACT:
        raise ActionRefused(f"{address} is already a contact.")
    if directory.never_log.matches(address):
        raise NeverLogged(f"Refusing to create {address}: it is on the Never-log list.")
    first, last = _split_name(name)
    payload = {"email": address, "first": first, "last": last, "owner": owner}
    return outbox.enqueue(
        conn,
        account.id,
        Kind.CREATE_CONTACT,
        f"contact:{address}",
        payload,
        message=row,
        label=f"Create contact {address}",
    )


def create_contact_for(conn: sqlite3.Connection, account: Account, row: int) -> Enqueued:
    """Queue the contact for a message's correspondent (owned by the mailbox owner)."""
    cached = load_cached(conn, account, row)
    directory, verdict = _decide(conn, account, cached)
    candidates = _new_contacts(cached.message, verdict, directory)
    if not candidates:
        raise ActionRefused("Everyone in this email is already a contact or a user.")
    email = candidates[0]
    people = (cached.message.sender, *cached.message.recipients)
    name = next((a.name for a in people if a is not None and a.email == email), "")
    return create_contact(conn, account, email, name=name, owner=directory.mailbox_owner, row=row)


def read_local_raw(conn: sqlite3.Connection, account: Account, row: int) -> bytes | None:
    """The original bytes of a Maildir message (None for other kinds or when it is gone)."""
    if account.kind is not AccountKind.MAILDIR or account.path is None:
        return None
    found = conn.execute(
        "SELECT f.name, k.key FROM messages m JOIN folders f ON f.id = m.folder_id"
        " JOIN local_keys k ON k.folder_id = m.folder_id AND k.uid = m.uid WHERE m.id = ?",
        (row,),
    ).fetchone()
    if found is None:
        return None
    path = maildir_file(Path(account.path), str(found[0]), str(found[1]))
    return path.read_bytes() if path is not None else None


def forward(
    conn: sqlite3.Connection, account: Account, row: int, raw: bytes | None = None
) -> Enqueued:
    """Queue "forward to the logging address" with the original bytes (read now if local)."""
    cached = load_cached(conn, account, row)
    directory, verdict = _decide(conn, account, cached)
    address = directory.account.forward_address
    if not address:
        raise ActionRefused("No forward address is set for this account (see the settings).")
    if cached.stored_logged or verdict.logged:
        raise ActionRefused("This email is already logged (or will be): nothing to do.")
    check_never_log(directory, verdict.contacts, cached.message)
    if raw is None:
        raw = read_local_raw(conn, account, row)
    if raw is None:
        raise ActionRefused("The original of this email is not available: open it first.")
    check_size(raw)  # HubSpot: 2 MB of body, attachments apart (up to 50 MB)
    payload = log_payload(cached, directory, verdict)
    payload["forward_address"] = address
    label = f"Forward {cached.message.subject or '(no subject)'}"
    return outbox.enqueue(
        conn,
        account.id,
        Kind.FORWARD,
        idempotency_key(cached),
        payload,
        message=row,
        label=label,
        raw=raw,
    )
