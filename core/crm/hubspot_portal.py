"""What Mailscope learnt about a HubSpot portal once, remembered in the cache (no secret).

Whether the portal's unique key property can be used (``core.crm.hubspot_emails``: checked
once, on the first log, not on every start nor on a refresh), and who connected it with which
scopes (the "Connect HubSpot" check). Reconnecting forgets it, so a scope granted since is
noticed.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from core.crm.hubspot_emails import KeyStrategy
from core.store import portals
from core.store.portals import save_connection

__all__ = ["PortalInfo", "load", "save_connection", "save_strategy"]


@dataclass(frozen=True, slots=True)
class PortalInfo:
    portal: str
    strategy: KeyStrategy | None  # None: not checked yet
    checked_at: float | None
    user_email: str | None
    scopes: tuple[str, ...]


def load(conn: sqlite3.Connection, portal: str) -> PortalInfo | None:
    row = portals.load_portal(conn, portal)
    if row is None:
        return None
    return PortalInfo(portal, _strategy(row), row.checked_at, row.user_email, row.scopes)


def _strategy(row: portals.PortalRow) -> KeyStrategy | None:
    """The key strategy the portal was checked for; None when it was not checked yet."""
    if row.checked_at is None:
        return None
    return KeyStrategy(row.key_property, row.legacy_property, row.property_note)


def save_strategy(conn: sqlite3.Connection, portal: str, strategy: KeyStrategy) -> None:
    portals.save_key_property(
        conn, portal, strategy.key_property, strategy.legacy_property, strategy.note
    )
