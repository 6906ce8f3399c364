"""What Mailscope learnt about a HubSpot portal once, remembered in the cache (no secret).

Whether the portal's unique key property can be used (``core.crm.hubspot_emails``: checked
once, on the first log, not on every start nor on a refresh), and who connected it with which
scopes (the "Connect HubSpot" check). Reconnecting forgets it, so a scope granted since is
noticed.
"""

from __future__ import annotations

import json
import sqlite3
import time
from dataclasses import dataclass

from core.crm.hubspot_emails import KeyStrategy
from core.store.transaction import write


@dataclass(frozen=True, slots=True)
class PortalInfo:
    portal: str
    strategy: KeyStrategy | None  # None: not checked yet
    checked_at: float | None
    user_email: str | None
    scopes: tuple[str, ...]


def load(conn: sqlite3.Connection, portal: str) -> PortalInfo | None:
    row = conn.execute(
        "SELECT key_property, legacy_property, property_note, checked_at, user_email, scopes"
        " FROM hubspot_portals WHERE portal = ?",
        (portal,),
    ).fetchone()
    if row is None:
        return None
    key, legacy, note, checked, user, scopes = row
    strategy = KeyStrategy(key, bool(legacy), note or "") if checked is not None else None
    return PortalInfo(portal, strategy, checked, user, tuple(json.loads(scopes or "[]")))


def save_strategy(conn: sqlite3.Connection, portal: str, strategy: KeyStrategy) -> None:
    with write(conn):
        conn.execute(
            "INSERT INTO hubspot_portals (portal, key_property, legacy_property, property_note,"
            " checked_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (portal) DO UPDATE SET"
            " key_property = excluded.key_property,"
            " legacy_property = excluded.legacy_property,"
            " property_note = excluded.property_note, checked_at = excluded.checked_at",
            (
                portal,
                strategy.key_property,
                int(strategy.legacy_property),
                strategy.note,
                time.time(),
            ),
        )


def save_connection(
    conn: sqlite3.Connection, portal: str, user_email: str | None, scopes: tuple[str, ...]
) -> None:
    """A (re)connection: who and which scopes; the property is checked again on the next log."""
    with write(conn):
        conn.execute(
            "INSERT INTO hubspot_portals (portal, user_email, scopes) VALUES (?, ?, ?)"
            " ON CONFLICT (portal) DO UPDATE SET user_email = excluded.user_email,"
            " scopes = excluded.scopes, key_property = NULL, legacy_property = 0,"
            " property_note = NULL, checked_at = NULL",
            (portal, user_email, json.dumps(list(scopes))),
        )
