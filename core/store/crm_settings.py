"""Where each account logs, in the cache (``crm_settings``): the local CRM or a HubSpot portal,
the SMTP server of forwards, when the CRM's people were last loaded. No secret: the token and
the SMTP password are in the keyring (``core.mail.secrets``).
"""

from __future__ import annotations

import enum
import sqlite3
from dataclasses import dataclass

from core.store.transaction import write


class CrmKind(enum.StrEnum):
    """Where an account logs."""

    LOCAL = "local"
    HUBSPOT = "hubspot"


@dataclass(frozen=True, slots=True)
class CrmConfig:
    """Where an account logs (no secret here: the token and SMTP password are in the keyring)."""

    crm: CrmKind = CrmKind.LOCAL
    hubspot_portal: str | None = None
    hubspot_url: str | None = None
    smtp_host: str | None = None
    smtp_port: int | None = None
    smtp_security: str | None = None
    smtp_user: str | None = None
    smtp_ca_file: str | None = None
    smtp_sender: str | None = None
    hubspot_auth: str | None = None  # "token" (Service Key, private app) or "oauth"
    hubspot_client_id: str | None = None  # the public app signed in through (OAuth)
    loaded_at: float | None = None  # when owners and contacts were last loaded from the CRM
    refresh_minutes: int | None = None  # how often to reload them (None: the default)


_FIELDS = tuple(CrmConfig.__dataclass_fields__)


def load_config(conn: sqlite3.Connection, account_id: int) -> CrmConfig:
    """The account's CRM settings (the defaults when none are stored)."""
    row = conn.execute(
        f"SELECT {', '.join(_FIELDS)} FROM crm_settings WHERE account_id = ?", (account_id,)
    ).fetchone()
    if row is None:
        return CrmConfig()
    return CrmConfig(CrmKind(row[0] or CrmKind.LOCAL), *row[1:])


def save_config(conn: sqlite3.Connection, account_id: int, config: CrmConfig) -> None:
    """Replace the account's CRM settings (one transaction)."""
    with write(conn):
        conn.execute("DELETE FROM crm_settings WHERE account_id = ?", (account_id,))
        marks = ", ".join("?" * (len(_FIELDS) + 1))
        conn.execute(
            f"INSERT INTO crm_settings (account_id, {', '.join(_FIELDS)}) VALUES ({marks})",
            (account_id, *(getattr(config, f) for f in _FIELDS)),
        )


def mark_loaded(conn: sqlite3.Connection, account_id: int, when: float) -> None:
    """The CRM's users and contacts were loaded at ``when``."""
    with write(conn):
        conn.execute(
            "INSERT INTO crm_settings (account_id, loaded_at) VALUES (?, ?)"
            " ON CONFLICT (account_id) DO UPDATE SET loaded_at = excluded.loaded_at",
            (account_id, when),
        )


def has_crm_people(conn: sqlite3.Connection, account_id: int) -> bool:
    """Whether an account's verdicts rest on a CRM's people: contacts known, or loaded once.

    Without, every verdict would be a guess ("not a contact" for everyone): the window shows a
    banner instead of them.
    """
    loaded = conn.execute(
        "SELECT 1 FROM crm_settings WHERE account_id = ? AND loaded_at IS NOT NULL", (account_id,)
    ).fetchone()
    if loaded is not None:
        return True
    found = conn.execute(
        "SELECT 1 FROM directory_contacts WHERE account_id = ? LIMIT 1", (account_id,)
    ).fetchone()
    return found is not None
