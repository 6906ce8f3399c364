"""Refresh an account's users and contacts from HubSpot (owners become users, ids kept)."""

from __future__ import annotations

from dataclasses import replace

from core.crm.errors import CrmError
from core.crm.hubspot import HubSpotClient
from core.crm.service import CrmService
from core.rules.addresses import normalize_email
from core.rules.model import User
from core.store.verdicts import Settled


def _addresses(user: User) -> set[str]:
    found = (normalize_email(a) for a in (user.email, *user.connected, *user.aliases))
    return {a for a in found if a is not None}


def refresh_from_hubspot(service: CrmService, client: HubSpotClient) -> Settled:
    """Owners and contacts from the portal; what HubSpot does not know about a user is kept.

    A user matched by address keeps their connected addresses, aliases, permissions and
    personal Never-log list; the mailbox owner is the owner sharing an address with the
    current one.
    """
    before = service.directory()
    me = service.current_user()
    known = {address: user for user in before.users.values() for address in _addresses(user)}
    users: list[User] = []
    owner_id: str | None = None
    for fresh in client.users():
        email = normalize_email(fresh.email)
        old = known.get(email) if email is not None else None
        merged = fresh if old is None else replace(old, id=fresh.id, email=fresh.email)
        users.append(merged)
        if email is not None and email in _addresses(me):
            owner_id = fresh.id
    if owner_id is None:
        raise CrmError(
            f"None of the HubSpot owners has the address {me.email}: "
            "connect the portal this mailbox belongs to."
        )
    return service.refresh_people(users, client.contacts(), owner_id)
