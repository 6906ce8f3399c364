"""Refresh an account's users and contacts from HubSpot (owners become users, ids kept).

Read-only in HubSpot: a refresh never creates a property nor writes anything there, so it
works with the read scopes alone. The directory is replaced in one transaction at the end, so
a cancelled or failed load changes nothing; ``loaded_at`` says when it last succeeded.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from core.crm.errors import CrmError
from core.crm.hubspot import HubSpotClient
from core.crm.service import CrmService
from core.i18n import _
from core.rules.addresses import normalize_email
from core.rules.model import User
from core.store.verdicts import Settled


@dataclass(frozen=True, slots=True)
class Loading:
    """Progress of a load: the step ("owners", "contacts", "deciding") and the count so far."""

    step: str
    count: int = 0


def _addresses(user: User) -> set[str]:
    found = (normalize_email(a) for a in (user.email, *user.connected, *user.aliases))
    return {a for a in found if a is not None}


def merge_users(
    before: dict[str, User], me: User, fresh: tuple[User, ...], owner_id: str | None
) -> tuple[list[User], str | None]:
    """HubSpot's owners merged with what HubSpot does not know about them.

    A user matched by address keeps their connected addresses, aliases, permissions and
    personal Never-log list. The mailbox owner is ``owner_id`` when given (the rep chose who
    they are), else the owner sharing an address with the current one; they keep the current
    user's addresses as connected ones, so their own mail stays outbound (D1).
    """
    known = {address: user for user in before.values() for address in _addresses(user)}
    mine = _addresses(me)
    users: list[User] = []
    found: str | None = None
    for user in fresh:
        email = normalize_email(user.email)
        is_me = found is None and (user.id == owner_id if owner_id else email in mine)
        old = me if is_me else (known.get(email) if email is not None else None)
        merged = user if old is None else replace(old, id=user.id, email=user.email)
        if old is not None and user.name:
            merged = replace(merged, name=user.name)
        if is_me:
            found = user.id
            extra = tuple(a for a in (me.email, *me.connected) if a and a != user.email)
            merged = replace(merged, connected=tuple(dict.fromkeys((*merged.connected, *extra))))
        users.append(merged)
    return users, found


def refresh_from_hubspot(
    service: CrmService,
    client: HubSpotClient,
    *,
    owner_id: str | None = None,
    progress: Callable[[Loading], None] | None = None,
    cancel: threading.Event | None = None,
) -> Settled:
    """Owners and contacts from the portal, then the verdicts re-decided; see ``merge_users``."""
    report = progress or (lambda _: None)
    before = service.directory()
    me = service.current_user()
    report(Loading("owners"))
    users, found = merge_users(before.users, me, client.users(), owner_id)
    if found is None:
        raise CrmError(
            _(
                "None of the HubSpot owners has the address %(email)s: choose "
                "who you are in HubSpot (CRM › Connect HubSpot…)."
            )
            % {"email": me.email or "(none)"}
        )
    report(Loading("owners", len(users)))
    contacts = client.contacts(lambda n: report(Loading("contacts", n)), cancel)
    report(Loading("deciding", len(contacts)))
    settled = service.refresh_people(users, contacts, found)
    service.mark_loaded(time.time())
    return settled
