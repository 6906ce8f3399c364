"""What "log now" and "forward" send, fixed at the click: a frozen, typed outbox payload.

The click decides the message on the input its badge was decided from
(``core.store.redecide.decide_row``) and keeps, in a :class:`LogRequest`, the message's parsed
addresses and what that verdict says: its contacts, the contacts "log now" creates, and the
attributed user. The outbox row holds it as JSON (:meth:`LogRequest.to_json`, addresses as
``[email, name, raw]``) and the delivery reads it back (:meth:`LogRequest.from_json`) without
parsing an address again. A row queued by Mailscope 0.2 or earlier holds the addresses as
written (``"from"``, ``"to"``...): those are parsed once, when it is read (:func:`_legacy`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from core.crm.hubspot_shapes import Direction
from core.rules.addresses import Address, parse_address_list, parse_mailbox
from core.rules.model import Attribution

VERSION: Final = 1  # the "request" field of the JSON; absent from 0.2's rows


@dataclass(frozen=True, slots=True)
class NewContact:
    """A correspondent no one knows yet, whom "log now" makes a contact of, with their name."""

    email: str
    first: str = ""
    last: str = ""


@dataclass(frozen=True, slots=True)
class LogRequest:
    """One email to log (or forward) as the click decided it."""

    message_id: str | None
    subject: str | None
    in_reply_to: str | None
    references: tuple[str, ...]
    thread_key: str | None
    sender: Address | None
    to: tuple[Address, ...]
    cc: tuple[Address, ...]
    bcc: tuple[Address, ...]
    timestamp: float | None  # None: undated (a forward still goes)
    direction: Direction
    contacts: tuple[str, ...]  # the verdict's contacts (rules section 5)
    new_contacts: tuple[NewContact, ...]  # made contacts of when there are none
    attributed_to: str | None  # the verdict's attribution (section 6), as if logged
    attribution: Attribution | None
    text: str = ""  # the body as text, for HubSpot's hs_email_text
    forward_address: str | None = None  # a forward: the CRM's logging address

    @property
    def participants(self) -> frozenset[str]:
        """The emails taking part (From, To, Cc, Bcc): those the Never-log check looks at."""
        people = (self.sender, *self.to, *self.cc, *self.bcc)
        return frozenset(a.email for a in people if a is not None and a.email is not None)

    def to_json(self) -> dict[str, Any]:
        """The outbox row's payload."""
        return {
            "request": VERSION,
            "message_id": self.message_id,
            "subject": self.subject,
            "in_reply_to": self.in_reply_to,
            "references": list(self.references),
            "thread_key": self.thread_key,
            "sender": _address_json(self.sender) if self.sender is not None else None,
            **{kind: [_address_json(a) for a in getattr(self, kind)] for kind in _LISTS},
            "timestamp": self.timestamp,
            "direction": self.direction.value,
            "contacts": list(self.contacts),
            "new_contacts": [[c.email, c.first, c.last] for c in self.new_contacts],
            "attributed_to": self.attributed_to,
            "attribution": self.attribution.value if self.attribution is not None else None,
            "text": self.text,
            "forward_address": self.forward_address,
        }

    @classmethod
    def from_json(cls, doc: Mapping[str, Any]) -> LogRequest:
        """A payload read back from the outbox (0.2's layout included)."""
        if doc.get("request") != VERSION:
            return _legacy(doc)
        sender = doc.get("sender")
        why = doc.get("attribution")
        return cls(
            message_id=doc.get("message_id"),
            subject=doc.get("subject"),
            in_reply_to=doc.get("in_reply_to"),
            references=tuple(doc.get("references") or ()),
            thread_key=doc.get("thread_key"),
            sender=_address(sender) if sender is not None else None,
            to=_addresses(doc.get("to")),
            cc=_addresses(doc.get("cc")),
            bcc=_addresses(doc.get("bcc")),
            timestamp=_when(doc.get("timestamp")),
            direction=Direction(doc["direction"]),
            contacts=tuple(doc.get("contacts") or ()),
            new_contacts=tuple(NewContact(*c) for c in doc.get("new_contacts") or ()),
            attributed_to=doc.get("attributed_to"),
            attribution=Attribution(why) if why else None,
            text=str(doc.get("text") or ""),
            forward_address=doc.get("forward_address"),
        )


_LISTS: Final = ("to", "cc", "bcc")


def _when(value: object) -> float | None:
    return None if value is None else float(str(value))


def _address_json(a: Address) -> list[str | None]:
    return [a.email, a.name, a.raw]


def _address(value: Sequence[str | None]) -> Address:
    email, name, raw = value
    return Address(email, name or "", raw or "")


def _addresses(values: Sequence[Sequence[str | None]] | None) -> tuple[Address, ...]:
    return tuple(_address(v) for v in values or ())


def _parsed(written: Sequence[str] | None) -> list[list[str | None]]:
    return [_address_json(a) for value in written or () for a in parse_address_list(value)]


def _legacy(doc: Mapping[str, Any]) -> LogRequest:
    """A row queued by 0.2: addresses as written (parsed here, once), names on the side."""
    names: Mapping[str, Sequence[str]] = doc.get("new_contact_names") or {}
    sender = parse_mailbox(doc.get("from"))
    return LogRequest.from_json({
        **doc,
        "request": VERSION,
        "sender": _address_json(sender) if sender is not None else None,
        **{kind: _parsed(doc.get(kind)) for kind in _LISTS},
        "new_contacts": [[e, *(names.get(e) or ("", ""))] for e in doc.get("new_contacts") or ()],
    })  # fmt: skip
