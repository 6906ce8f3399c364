"""The HubSpot connector: owners and contacts in, logged emails and new contacts out.

``HubSpotClient`` speaks the CRM v3 API over one ``httpx.Client`` (one client per worker thread;
httpx's sync client is not shared across threads here). The private-app token is read from the
OS keyring by the caller (``core.crm.secrets``) and passed in; it is sent only as
``Authorization: Bearer ...`` and never appears in a repr, a log line or an error message.

Idempotency: every email created carries its key (the Message-ID, or the outbox's key when the
message has none) in the ``mailscope_message_id`` email property (see ``core.crm.hubspot_shapes``;
``ensure_message_id_property`` creates it once per portal). ``find_email(key)`` searches it, and
``create_email`` searches it before every re-send after an ambiguous failure (a timeout after
the request left, a 500/502/504). HubSpot's search index can lag a few seconds behind a create,
so a caller holding ``OutcomeUnknown`` should wait a little before its own ``find_email``.

The HubSpot API does not apply the Never-log list to integrations: ``create_email`` runs
``check_never_log`` first and refuses, before any request, an email with a never-listed contact.
"""

from __future__ import annotations

from collections.abc import Iterator
from types import TracebackType
from typing import Any, Final

from core.crm.errors import CrmUnavailable, NeverLogged, OutcomeUnknown, Rejected
from core.crm.hubspot_shapes import (
    CONTACT_PROPERTIES,
    MESSAGE_ID_PROPERTY,
    EmailToLog,
    Owner,
    contact_body,
    email_body,
    existing_contact_id,
    next_after,
    parse_contact,
    parse_owner,
    search_body,
)
from core.crm.hubspot_transport import DEFAULT_BASE_URL, RetryPolicy, Transport
from core.rules.addresses import normalize_email
from core.rules.directory import Directory
from core.rules.model import Contact, Message, User

PAGE_SIZE: Final = 100
_MAX_PAGES: Final = 10_000  # 1,000,000 records: a loop guard against a server repeating a cursor

__all__ = ["HubSpotClient", "check_never_log"]


def check_never_log(
    directory: Directory, contact_ids: tuple[str, ...], message: Message | None = None
) -> None:
    """Raise ``NeverLogged`` when a contact to associate is on the effective Never-log list.

    With ``message``, only the addresses through which a contact takes part in it count (N2);
    without, any address of the contact does. An id missing from the directory is refused too:
    what cannot be checked is not logged.
    """
    taking_part: set[str] | None = None
    if message is not None:
        people = (message.sender, *message.to, *message.cc, *message.bcc)
        taking_part = {a.email for a in people if a is not None and a.email is not None}
    for contact_id in contact_ids:
        contact = directory.contacts.get(contact_id)
        if contact is None:
            raise NeverLogged(
                f"Refusing to log to contact {contact_id}: it is not in the directory, so the "
                "Never-log list cannot be checked; refresh the contacts."
            )
        for address in _addresses(contact):
            if taking_part is not None and address not in taking_part:
                continue
            if directory.never_log.matches(address):
                raise NeverLogged(
                    f"Refusing to log: {contact.label} <{address}> is on the Never-log list."
                )


def _addresses(contact: Contact) -> Iterator[str]:
    for written in (contact.email, *contact.additional_emails):
        if (email := normalize_email(written)) is not None:
            yield email


class HubSpotClient:
    """CRM v3 owners, contacts and emails for one portal, within its rate limits."""

    def __init__(
        self,
        token: str,
        *,
        base_url: str = DEFAULT_BASE_URL,
        policy: RetryPolicy | None = None,
        message_id_property: str = MESSAGE_ID_PROPERTY,
    ) -> None:
        self._transport = Transport(token, base_url, policy)
        self._key_property = message_id_property

    def __repr__(self) -> str:
        return f"HubSpotClient({self._transport!r})"

    def __enter__(self) -> HubSpotClient:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._transport.close()

    def portal_id(self) -> str:
        """The portal (account) id the token belongs to: the "test connection" call."""
        details = self._transport.get("/account-info/v3/details")
        portal = details.get("portalId")
        if portal is None:
            raise CrmUnavailable("HubSpot answered without the portal id.")
        return str(portal)

    def owners(self, *, archived: bool = False) -> tuple[Owner, ...]:
        """All owners of the portal (``GET /crm/v3/owners``, every page)."""
        params = {"archived": "true" if archived else "false"}
        return tuple(parse_owner(item) for item in self._pages("/crm/v3/owners", params))

    def users(self) -> tuple[User, ...]:
        """The active owners as directory users (user id = owner id)."""
        return tuple(owner.as_user() for owner in self.owners() if not owner.archived)

    def contacts(self) -> tuple[Contact, ...]:
        """All contacts with their emails, additional emails, owner and names, every page."""
        params = {"properties": ",".join(CONTACT_PROPERTIES)}
        items = self._pages("/crm/v3/objects/contacts", params)
        return tuple(parse_contact(item) for item in items)

    def find_email(self, key: str) -> str | None:
        """The id of the email logged earlier under this key (Message-ID), or None."""
        page = self._transport.call(
            "POST", "/crm/v3/objects/emails/search", body=search_body(key, self._key_property)
        )
        for item in page.get("results") or ():
            if (item.get("properties") or {}).get(self._key_property) == key:
                return str(item["id"])
        return None

    def create_email(
        self,
        email: EmailToLog,
        directory: Directory,
        *,
        message: Message | None = None,
        check_first: bool = False,
    ) -> str:
        """Log an email on its contacts; return its HubSpot id.

        Refuses a never-listed contact before any request. ``check_first`` looks for the key
        before creating (the outbox sets it when an earlier attempt's outcome is unknown).
        Raises ``OutcomeUnknown`` when the last attempt may or may not have been applied.
        """
        check_never_log(directory, email.contact_ids, message)
        if check_first and (found := self.find_email(email.key)) is not None:
            return found
        created = self._transport.call(
            "POST",
            "/crm/v3/objects/emails",
            body=email_body(email, self._key_property),
            idempotent=False,
            before_retry=lambda: self._found(email.key),
        )
        if not (email_id := str(created.get("id") or "")):
            # A 2xx without an id: something was accepted, but what cannot be told.
            raise OutcomeUnknown("HubSpot answered without the id of the logged email.")
        return email_id

    def _found(self, key: str) -> dict[str, Any] | None:
        found = self.find_email(key)
        return {"id": found} if found is not None else None

    def create_contact(
        self, email: str, first: str = "", last: str = "", owner_id: str | None = None
    ) -> str:
        """Create a contact and return its id; an existing one (409) returns the existing id."""
        try:
            created = self._transport.call(
                "POST", "/crm/v3/objects/contacts", body=contact_body(email, first, last, owner_id)
            )
        except Rejected as error:
            if error.status == 409 and (existing := existing_contact_id(error.detail)):
                return existing
            raise
        if not (contact_id := str(created.get("id") or "")):
            raise CrmUnavailable("HubSpot answered without the id of the new contact.")
        return contact_id

    def ensure_message_id_property(self) -> None:
        """Create the text property that keeps the Message-ID on emails (once per portal)."""
        body = {
            "name": self._key_property,
            "label": "Mailscope Message-ID",
            "description": "The Message-ID of the logged email, set by Mailscope.",
            "groupName": "emailinformation",
            "type": "string",
            "fieldType": "text",
        }
        try:
            self._transport.call("POST", "/crm/v3/properties/emails", body=body)
        except Rejected as error:
            if error.status != 409:
                raise

    def _pages(self, path: str, params: dict[str, str]) -> Iterator[dict[str, Any]]:
        after: str | None = None
        seen: set[str] = set()
        for _ in range(_MAX_PAGES):
            query: dict[str, str | int] = {**params, "limit": PAGE_SIZE}
            if after is not None:
                query["after"] = after
            page = self._transport.get(path, query)
            yield from page.get("results") or ()
            after = next_after(page)
            if after is None or after in seen:
                return
            seen.add(after)
