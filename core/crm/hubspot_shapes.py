"""HubSpot's JSON shapes (CRM v3 owners, contacts, emails) to and from Mailscope's values. Pure.

The key of a logged email (its Message-ID, or the outbox's key) goes in a dedicated email
property when the portal has one: ``mailscope_message_key``, created with ``hasUniqueValue``
so it can be read by key (``GET /crm/v3/objects/emails/{key}?idProperty=``) without search,
and a duplicate create is refused (409). ``hasUniqueValue`` cannot be changed once set, hence a
new name beside the earlier, non-unique ``mailscope_message_id``. Without either (no
``crm.schemas.*.write`` scope), an email is found by search on what it was created with: its
``hs_timestamp``, whose milliseconds carry a fingerprint of the key, subject and direction.

Scopes, from the specs' ``security`` lists: emails need ``crm.objects.contacts.read``/``write``,
owners ``crm.objects.owners.read``. Reading companies and deals (to attach them, as BCC logging
does) and creating the property are optional: Mailscope works without them.
"""

from __future__ import annotations

import enum
import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final

from core.rules.addresses import Address
from core.rules.directory import USER, Directory
from core.rules.model import Contact, Folder, Message, User
from core.rules.verdict import Verdict

EMAIL_TO_CONTACT: Final = 198  # HUBSPOT_DEFINED association types (associations v4 guide)
EMAIL_TO_COMPANY: Final = 186
EMAIL_TO_DEAL: Final = 210
KEY_PROPERTY: Final = "mailscope_message_key"  # unique (hasUniqueValue), read by key
MESSAGE_ID_PROPERTY: Final = "mailscope_message_id"  # the earlier, non-unique property
REQUIRED_SCOPES: Final = (
    "crm.objects.contacts.read",
    "crm.objects.contacts.write",
    "crm.objects.owners.read",
)
OPTIONAL_SCOPES: Final = (
    "crm.objects.companies.read",
    "crm.objects.deals.read",
    "crm.schemas.contacts.write",
)
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


def iso_ms(milliseconds: int) -> str:
    """Milliseconds since the epoch as ``hs_timestamp`` (exact: no float on the way)."""
    moment = datetime.fromtimestamp(milliseconds // 1000, tz=UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{milliseconds % 1000:03d}Z"


def stamp_ms(email: EmailToLog) -> int:
    """The ``hs_timestamp`` sent, in milliseconds: the date's second, and a fingerprint of the
    key in the milliseconds (a Date header has none), so search can tell this email apart."""
    digest = hashlib.sha256(email.key.encode("utf-8")).digest()
    return int(email.timestamp) * 1000 + int.from_bytes(digest[:4], "big") % 1000


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


def email_properties(email: EmailToLog, key_property: str | None) -> Json:
    """The properties of the email object (the key in ``key_property`` when there is one)."""
    properties: Json = {
        "hs_timestamp": iso_ms(stamp_ms(email)),
        "hs_email_direction": email.direction.value,
        "hs_email_subject": email.subject,
        "hs_email_text": email.text,
        "hs_email_headers": email_headers(email),
    }
    if key_property:
        properties[key_property] = email.key
    if email.owner_id:
        properties["hubspot_owner_id"] = email.owner_id
    return properties


def email_body(
    email: EmailToLog,
    key_property: str | None = KEY_PROPERTY,
    companies: Iterable[str] = (),
    deals: Iterable[str] = (),
) -> Json:
    """The ``POST /crm/v3/objects/emails`` body: properties and every association at once."""
    links = [
        *associations(email.contact_ids, EMAIL_TO_CONTACT),
        *associations(companies, EMAIL_TO_COMPANY),
        *associations(deals, EMAIL_TO_DEAL),
    ]
    return {"properties": email_properties(email, key_property), "associations": links}


def associations(ids: Iterable[str], type_id: int = EMAIL_TO_CONTACT) -> list[Json]:
    """Associations of the new email to ``ids`` of one HUBSPOT_DEFINED type."""
    kind = {"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": type_id}
    return [{"to": {"id": oid}, "types": [dict(kind)]} for oid in ids]


def search_body(key: str, message_id_property: str = MESSAGE_ID_PROPERTY) -> Json:
    """The ``POST /crm/v3/objects/emails/search`` body that finds an email by its key."""
    return {
        "filterGroups": [
            {"filters": [{"propertyName": message_id_property, "operator": "EQ", "value": key}]}
        ],
        "properties": [message_id_property, "hs_timestamp"],
        "limit": 1,
    }


def fingerprint_search_body(email: EmailToLog) -> Json:
    """Search by what the email was created with: its stamped time, direction and subject."""
    filters = [
        {"propertyName": "hs_timestamp", "operator": "EQ", "value": str(stamp_ms(email))},
        {"propertyName": "hs_email_direction", "operator": "EQ", "value": email.direction.value},
    ]
    if email.subject:
        filters.append(
            {"propertyName": "hs_email_subject", "operator": "EQ", "value": email.subject}
        )
    return {
        "filterGroups": [{"filters": filters}],
        "properties": ["hs_timestamp", "hs_email_subject", "hs_email_headers"],
        "limit": 10,
    }


def same_email(item: Mapping[str, Any], email: EmailToLog) -> bool:
    """Whether a search hit is this email: same sender in ``hs_email_headers``."""
    props = item.get("properties") or {}
    try:
        headers = json.loads(str(props.get("hs_email_headers") or "{}"))
    except ValueError:
        return False
    sent = (headers.get("from") or {}).get("email") if isinstance(headers, dict) else None
    mine = (email.sender.email or email.sender.raw) if email.sender is not None else None
    return sent == mine


def key_property_body(name: str = KEY_PROPERTY) -> Json:
    """``POST /crm/v3/properties/emails``: a unique text property for the key."""
    return {
        "name": name,
        "label": "Mailscope message key",
        "description": "The Message-ID of the logged email, set by Mailscope (unique).",
        "groupName": "emailinformation",
        "type": "string",
        "fieldType": "text",
        "hasUniqueValue": True,
    }


def required_scopes(data: Mapping[str, Any]) -> tuple[str, ...]:
    """The scopes a 403 ``MISSING_SCOPES`` names: ``errors[].context.requiredScopes``."""
    found: list[str] = []
    for detail in data.get("errors") or ():
        context = detail.get("context") if isinstance(detail, dict) else None
        for scope in (context or {}).get("requiredScopes") or ():
            if str(scope) not in found:
                found.append(str(scope))
    return tuple(found)


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
