"""The HubSpot connector: owners and contacts in; emails, contacts and properties out.

``HubSpotClient`` speaks the CRM v3 and associations v4 APIs over one ``httpx.Client`` (one
client per worker thread). Its bearer comes from a ``TokenSource`` (``core.crm.hubspot_auth``:
a Service Key or private-app token, or OAuth tokens it refreshes); the secret is sent only in
the ``Authorization`` header and never appears in a repr, a log line or an error message.

This module holds the calls, one per documented endpoint. Logging an email exactly once
(which of them to use, in which order, after a crash) is ``core.crm.hubspot_emails``; the
connection check of the "Connect HubSpot" dialog is ``core.crm.hubspot_connect``.

The HubSpot API does not apply the Never-log list to integrations: the delivery checks it
(``core.crm.policy.check_never_log``) before any email is created.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from types import TracebackType
from typing import Final
from urllib.parse import quote

from core.crm.errors import CrmError, CrmUnavailable, OutcomeUnknown, Rejected
from core.crm.hubspot_auth import TokenSource
from core.crm.hubspot_shapes import (
    CONTACT_PROPERTIES,
    Owner,
    contact_body,
    existing_contact_id,
    next_after,
    parse_contact,
    parse_owner,
)
from core.crm.hubspot_transport import DEFAULT_BASE_URL, Json, RetryPolicy, Transport
from core.i18n import _
from core.rules.model import Contact, User

PAGE_SIZE: Final = 100
_MAX_PAGES: Final = 10_000  # 1,000,000 records: a loop guard against a server repeating a cursor
_BATCH: Final = 100  # inputs per batch read (the v3/v4 batch endpoints take up to 100)

Progress = Callable[[int], None]

__all__ = ["Cancelled", "HubSpotClient"]


class Cancelled(CrmError):
    """The rep cancelled a long load; nothing it read was stored."""


class HubSpotClient:
    """CRM v3 owners, contacts, emails and properties of one portal, within its rate limits."""

    def __init__(
        self,
        auth: TokenSource | str,
        *,
        base_url: str = DEFAULT_BASE_URL,
        policy: RetryPolicy | None = None,
    ) -> None:
        self.transport = Transport(auth, base_url, policy)

    def __repr__(self) -> str:
        return f"HubSpotClient({self.transport!r})"

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
        self.transport.close()

    # -- the portal and its people -----------------------------------------------------------

    def details(self) -> Json:
        """``GET /account-info/v3/details``: portal id, time zone, UI domain."""
        return self.transport.get("/account-info/v3/details")

    def portal_id(self) -> str:
        """The portal (account) id the token belongs to: the "test connection" call."""
        portal = self.details().get("portalId")
        if portal is None:
            raise CrmUnavailable("HubSpot answered without the portal id.")
        return str(portal)

    def owners(self, *, archived: bool = False) -> tuple[Owner, ...]:
        """All owners of the portal (``GET /crm/v3/owners``, every page)."""
        params = {"archived": "true" if archived else "false"}
        return tuple(parse_owner(item) for item in self._pages("/crm/v3/owners", params))

    def owner_by_email(self, email: str) -> Owner | None:
        """The owner with this address (``GET /crm/v3/owners?email=``), None when none."""
        page = self.transport.get("/crm/v3/owners", {"email": email, "limit": 1})
        found = [parse_owner(item) for item in page.get("results") or ()]
        return found[0] if found else None

    def users(self) -> tuple[User, ...]:
        """The active owners as directory users (user id = owner id)."""
        return tuple(owner.as_user() for owner in self.owners() if not owner.archived)

    def contacts(
        self, progress: Progress | None = None, cancel: threading.Event | None = None
    ) -> tuple[Contact, ...]:
        """All contacts with their emails, owner and names, every page; ``progress(count)``
        after each page; ``Cancelled`` as soon as ``cancel`` is set."""
        params = {"properties": ",".join(CONTACT_PROPERTIES)}
        found: list[Contact] = []
        for page in self._page_lists("/crm/v3/objects/contacts", params):
            if cancel is not None and cancel.is_set():
                raise Cancelled(_("Loading the contacts was cancelled: nothing was changed."))
            found += [parse_contact(item) for item in page]
            if progress is not None:
                progress(len(found))
        return tuple(found)

    def create_contact(
        self, email: str, first: str = "", last: str = "", owner_id: str | None = None
    ) -> str:
        """Create a contact and return its id; an existing one (409) returns the existing id."""
        try:
            created = self.transport.call(
                "POST", "/crm/v3/objects/contacts", body=contact_body(email, first, last, owner_id)
            )
        except Rejected as error:
            if error.status == 409 and (existing := existing_contact_id(error.detail)):
                return existing
            raise
        if not (contact_id := str(created.get("id") or "")):
            raise CrmUnavailable("HubSpot answered without the id of the new contact.")
        return contact_id

    # -- emails ---------------------------------------------------------------------------

    def email_property(self, name: str) -> Json | None:
        """``GET /crm/v3/properties/emails/{name}``; None when the portal has no such property."""
        return self._get_or_none(f"/crm/v3/properties/emails/{quote(name, safe='')}")

    def create_email_property(self, body: Json) -> Json:
        """``POST /crm/v3/properties/emails`` (needs a ``crm.schemas.*.write`` scope)."""
        return self.transport.call("POST", "/crm/v3/properties/emails", body=body)

    def create_email(
        self, body: Json, before_retry: Callable[[], Json | None] | None = None
    ) -> str:
        """``POST /crm/v3/objects/emails`` with its associations; the new email's id.

        ``before_retry`` looks for the email before any re-send after an ambiguous failure.
        """
        created = self.transport.call(
            "POST", "/crm/v3/objects/emails", body=body, idempotent=False, before_retry=before_retry
        )
        if not (email_id := str(created.get("id") or "")):
            # A 2xx without an id: something was accepted, but what cannot be told.
            raise OutcomeUnknown("HubSpot answered without the id of the logged email.")
        return email_id

    def email_by_key(self, key: str, id_property: str) -> str | None:
        """``GET /crm/v3/objects/emails/{key}?idProperty=``: by a unique property, not search."""
        path = f"/crm/v3/objects/emails/{quote(key, safe='')}"
        found = self._get_or_none(path, {"idProperty": id_property})
        return None if found is None else (str(found.get("id") or "") or None)

    def _get_or_none(self, path: str, params: Mapping[str, str] | None = None) -> Json | None:
        """``GET path``; None when HubSpot answers 404 (no such object or property)."""
        try:
            return self.transport.get(path, params)
        except Rejected as error:
            if error.status == 404:
                return None
            raise

    def search_emails(self, body: Json) -> list[Json]:
        """``POST /crm/v3/objects/emails/search`` (eventually consistent: see hubspot_emails)."""
        page = self.transport.call("POST", "/crm/v3/objects/emails/search", body=body)
        return list(page.get("results") or ())

    # -- associations and other objects -----------------------------------------------------

    def associations(
        self, from_type: str, to_type: str, ids: Iterable[str]
    ) -> dict[str, list[Json]]:
        """``POST /crm/v4/associations/{from}/{to}/batch/read``: id -> its ``to`` entries."""
        found: dict[str, list[Json]] = {}
        for chunk in _chunks(list(dict.fromkeys(ids))):
            body = {"inputs": [{"id": oid} for oid in chunk]}
            path = f"/crm/v4/associations/{from_type}/{to_type}/batch/read"
            answer = self.transport.call("POST", path, body=body)
            for result in answer.get("results") or ():
                source = str((result.get("from") or {}).get("id") or "")
                found.setdefault(source, []).extend(result.get("to") or ())
        return found

    def read_objects(
        self, object_type: str, ids: Iterable[str], properties: list[str]
    ) -> list[Json]:
        """``POST /crm/v3/objects/{type}/batch/read`` with these properties."""
        found: list[Json] = []
        for chunk in _chunks(list(dict.fromkeys(ids))):
            body = {"properties": properties, "inputs": [{"id": oid} for oid in chunk]}
            path = f"/crm/v3/objects/{object_type}/batch/read"
            found += self.transport.call("POST", path, body=body).get("results") or ()
        return found

    # -- paging ---------------------------------------------------------------------------

    def _page_lists(self, path: str, params: dict[str, str]) -> Iterator[list[Json]]:
        after: str | None = None
        seen: set[str] = set()
        for _page in range(_MAX_PAGES):
            query: dict[str, str | int] = {**params, "limit": PAGE_SIZE}
            if after is not None:
                query["after"] = after
            page = self.transport.get(path, query)
            yield list(page.get("results") or ())
            after = next_after(page)
            if after is None or after in seen:
                return
            seen.add(after)

    def _pages(self, path: str, params: dict[str, str]) -> Iterator[Json]:
        for page in self._page_lists(path, params):
            yield from page


def _chunks(ids: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(ids), _BATCH):
        yield ids[start : start + _BATCH]
