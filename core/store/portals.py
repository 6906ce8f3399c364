"""What Mailscope learnt about a HubSpot portal, in the cache (``hubspot_portals``; no secret).

The rows of ``core.crm.hubspot_portal``: the key property found (checked once, on the first
log), and who connected the portal with which scopes.
"""

from __future__ import annotations

import json
import sqlite3
import time
from typing import NamedTuple

from core.store.transaction import write


class PortalRow(NamedTuple):
    key_property: str | None
    legacy_property: bool
    property_note: str
    checked_at: float | None  # None: the key property was not checked yet
    user_email: str | None
    scopes: tuple[str, ...]


def load_portal(conn: sqlite3.Connection, portal: str) -> PortalRow | None:
    row = conn.execute(
        "SELECT key_property, legacy_property, property_note, checked_at, user_email, scopes"
        " FROM hubspot_portals WHERE portal = ?",
        (portal,),
    ).fetchone()
    if row is None:
        return None
    key, legacy, note, checked, user, scopes = row
    return PortalRow(
        key, bool(legacy), note or "", checked, user, tuple(json.loads(scopes or "[]"))
    )


def save_key_property(
    conn: sqlite3.Connection, portal: str, key_property: str | None, legacy: bool, note: str
) -> None:
    """What the first log found of the portal's key properties (now)."""
    with write(conn):
        conn.execute(
            "INSERT INTO hubspot_portals (portal, key_property, legacy_property, property_note,"
            " checked_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (portal) DO UPDATE SET"
            " key_property = excluded.key_property,"
            " legacy_property = excluded.legacy_property,"
            " property_note = excluded.property_note, checked_at = excluded.checked_at",
            (portal, key_property, int(legacy), note, time.time()),
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
