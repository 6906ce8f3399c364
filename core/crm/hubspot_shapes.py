"""HubSpot's JSON shapes (CRM v3 owners, contacts, emails) to and from Mailscope's values. Pure.

The Message-ID of a logged email is kept in a dedicated text property of the email object,
``mailscope_message_id`` by default (HubSpot documents no writable Message-ID property, and
``hs_email_headers`` cannot be searched reliably). ``find_email`` searches it with ``EQ``.
"""

from __future__ import annotations

import enum
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final

from core.rules.addresses import Address
from core.rules.directory import USER, Directory
from core.rules.model import Contact, Folder, Message, User, Verdict

EMAIL_TO_CONTACT: Final = 198  # HUBSPOT_DEFINED association type: email -> contact
MESSAGE_ID_PROPERTY: Final = "mailscope_message_id"
CONTACT_PROPERTIES: Final = (
    "email",
    "hs_additional_emails",
    "hubspot_owner_id",
    "firstname",
    "lastname",
)
_EXISTING_ID = re.compile(r"Existing ID:\s*(\d+)", re.IGNORECASE)

Json = dict[str, Any]


class Direction(enum.StrEnum):
    """``hs_email_direction``: sent by the rep, or received from the contact."""

    OUTBOUND = "EMAIL"
    INBOUND = "INCOMING_EMAIL"


@dataclass(frozen=True, slots=True)
class Owner:
    """A HubSpot owner; its ``id`` is what ``hubspot_owner_id`` takes (not ``user_id``)."""

    id: str
    email: str
    first_name: str = ""
    last_name: str = ""
    user_id: int | None = None
    archived: bool = False

    @property
    def name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)

    def as_user(self) -> User:
        """The directory user for this owner (user id = owner id)."""
        return User(id=self.id, email=self.email, name=self.name)


@dataclass(frozen=True, slots=True)
class EmailToLog:
    """Everything ``create_email`` sends; ``key`` is the Message-ID or the outbox's key."""

    key: str
    timestamp: float  # seconds since the epoch
    direction: Direction
    owner_id: str | None
    contact_ids: tuple[str, ...]
    subject: str = ""
    text: str = ""
    sender: Address | None = None
    to: tuple[Address, ...] = ()
    cc: tuple[Address, ...] = ()
    bcc: tuple[Address, ...] = ()


def email_to_log(
    message: Message,
    verdict: Verdict,
    directory: Directory,
    *,
    text: str = "",
    key: str | None = None,
    received: float | None = None,
) -> EmailToLog:
    """The email to create for a message, with the verdict's contacts and attributed user.

    ``key`` defaults to the Message-ID; ``received`` is the time used when the Date is missing.
    Raises ``ValueError`` when there is neither (the outbox always supplies both).
    """
    key = key or message.message_id
    timestamp = message.date if message.date is not None else received
    if not key or timestamp is None:
        raise ValueError("an email to log needs an idempotency key and a time")
    sender = message.sender
    outbound = message.folder in (Folder.SENT, Folder.DRAFTS) or (
        sender is not None and directory.kind(sender.email) == USER
    )
    return EmailToLog(
        key=key,
        timestamp=timestamp,
        direction=Direction.OUTBOUND if outbound else Direction.INBOUND,
        owner_id=verdict.attributed_to,
        contact_ids=verdict.contacts,
        subject=message.subject or "",
        text=text,
        sender=sender,
        to=message.to,
        cc=message.cc,
        bcc=message.bcc,
    )


def iso_timestamp(epoch: float) -> str:
    """``hs_timestamp`` in UTC ISO 8601 with milliseconds."""
    moment = datetime.fromtimestamp(epoch, tz=UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _person(address: Address) -> Json:
    first, _, last = address.name.strip().partition(" ")
    return {"email": address.email or address.raw, "firstName": first, "lastName": last.strip()}


def email_headers(email: EmailToLog) -> str:
    """``hs_email_headers``: the documented JSON string (from, to, cc, bcc)."""
    headers: Json = {
        "from": _person(email.sender) if email.sender is not None else {},
        "to": [_person(a) for a in email.to],
        "cc": [_person(a) for a in email.cc],
        "bcc": [_person(a) for a in email.bcc],
    }
    return json.dumps(headers, ensure_ascii=False)


def email_body(email: EmailToLog, message_id_property: str = MESSAGE_ID_PROPERTY) -> Json:
    """The ``POST /crm/v3/objects/emails`` body: properties and contact associations."""
    properties: Json = {
        "hs_timestamp": iso_timestamp(email.timestamp),
        "hs_email_direction": email.direction.value,
        "hs_email_subject": email.subject,
        "hs_email_text": email.text,
        "hs_email_headers": email_headers(email),
        message_id_property: email.key,
    }
    if email.owner_id:
        properties["hubspot_owner_id"] = email.owner_id
    return {"properties": properties, "associations": associations(email.contact_ids)}


def associations(contact_ids: Iterable[str]) -> list[Json]:
    """Email-to-contact associations (type 198, HUBSPOT_DEFINED)."""
    kind = {"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": EMAIL_TO_CONTACT}
    return [{"to": {"id": cid}, "types": [dict(kind)]} for cid in contact_ids]


def search_body(key: str, message_id_property: str = MESSAGE_ID_PROPERTY) -> Json:
    """The ``POST /crm/v3/objects/emails/search`` body that finds an email by its key."""
    return {
        "filterGroups": [
            {"filters": [{"propertyName": message_id_property, "operator": "EQ", "value": key}]}
        ],
        "properties": [message_id_property, "hs_timestamp"],
        "limit": 1,
    }


def contact_body(email: str, first: str, last: str, owner_id: str | None) -> Json:
    """The ``POST /crm/v3/objects/contacts`` body."""
    properties: Json = {"email": email, "firstname": first, "lastname": last}
    if owner_id:
        properties["hubspot_owner_id"] = owner_id
    return {"properties": properties}


def existing_contact_id(detail: str) -> str | None:
    """The id in a 409 "Contact already exists. Existing ID: 123" message."""
    match = _EXISTING_ID.search(detail)
    return match.group(1) if match else None


def _text(value: object) -> str:
    return str(value).strip() if value is not None else ""


def parse_owner(item: Mapping[str, Any]) -> Owner:
    """One entry of ``GET /crm/v3/owners`` results."""
    user_id = item.get("userId")
    return Owner(
        id=_text(item.get("id")),
        email=_text(item.get("email")),
        first_name=_text(item.get("firstName")),
        last_name=_text(item.get("lastName")),
        user_id=user_id if isinstance(user_id, int) else None,
        archived=bool(item.get("archived", False)),
    )


def parse_contact(item: Mapping[str, Any]) -> Contact:
    """One entry of ``GET /crm/v3/objects/contacts`` results (the five properties asked for)."""
    props = item.get("properties") or {}
    name = " ".join(p for p in (_text(props.get("firstname")), _text(props.get("lastname"))) if p)
    extra = _text(props.get("hs_additional_emails"))
    return Contact(
        id=_text(item.get("id")),
        email=_text(props.get("email")),
        name=name,
        additional_emails=tuple(e.strip() for e in extra.split(";") if e.strip()),
        owner=_text(props.get("hubspot_owner_id")) or None,
    )


def next_after(page: Mapping[str, Any]) -> str | None:
    """The ``paging.next.after`` cursor of a page, None on the last page."""
    paging = page.get("paging") or {}
    after = (paging.get("next") or {}).get("after")
    return _text(after) or None
