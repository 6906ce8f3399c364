"""The cache's schema as named, transactional migrations (recorded in the ``migrations`` table).

A migration is applied at most once, in its own ``BEGIN IMMEDIATE`` transaction, so two
processes opening a fresh file at the same time cannot both apply it. Never edit a published
migration: add a new one.

Compactness (budget: under 2 KB per message): a message's To, Cc and Bcc are packed into
columns of its row (``core.store.packed``), normalised, with their raw text only when they
could not be parsed (a valid one's raw text is rebuilt as ``Name <email>``); message-id links
for incremental re-decisions are 64-bit hashes.
"""

from __future__ import annotations

import importlib
import itertools
import sqlite3
import time
from collections.abc import Callable, Iterator
from typing import Final

Migration = Callable[[sqlite3.Connection], None]

_INITIAL: Final = """
CREATE TABLE accounts (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('imap', 'maildir', 'mbox')),
    host TEXT,
    port INTEGER,
    security TEXT CHECK (security IS NULL OR security IN ('ssl', 'starttls', 'none')),
    user TEXT,
    ca_file TEXT,
    path TEXT,
    created_at REAL NOT NULL
);
CREATE TABLE folders (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    display TEXT NOT NULL,
    role TEXT NOT NULL,
    skipped INTEGER NOT NULL DEFAULT 0,
    special_use TEXT,
    uidvalidity INTEGER,
    uidnext INTEGER,
    highestmodseq INTEGER,
    resets INTEGER NOT NULL DEFAULT 0,
    synced_at REAL,
    error TEXT,
    UNIQUE (account_id, name)
);
CREATE TABLE messages (
    id INTEGER PRIMARY KEY,
    folder_id INTEGER NOT NULL REFERENCES folders(id) ON DELETE CASCADE,
    uidvalidity INTEGER NOT NULL,
    uid INTEGER NOT NULL,
    flags TEXT NOT NULL DEFAULT '',
    internaldate REAL,
    size INTEGER,
    date REAL,
    sort_date REAL,
    date_raw TEXT,
    from_raw TEXT,
    from_email TEXT,
    from_name TEXT,
    subject TEXT,
    subject_key TEXT,
    message_id TEXT,
    in_reply_to TEXT,
    refs TEXT,
    list_id TEXT,
    list_unsubscribe TEXT,
    precedence TEXT,
    auto_submitted TEXT,
    flagged_parse TEXT,
    gm_msgid INTEGER,
    gm_thrid INTEGER,
    logged INTEGER,
    reason TEXT,
    rule TEXT,
    contacts TEXT,
    attributed_to TEXT,
    attribution TEXT,
    decided_at REAL,
    UNIQUE (folder_id, uidvalidity, uid)
);
CREATE INDEX messages_by_date ON messages (folder_id, sort_date);
CREATE INDEX messages_by_reason ON messages (folder_id, reason, sort_date);
CREATE INDEX messages_by_logged ON messages (folder_id, logged, sort_date);
CREATE INDEX messages_by_message_id ON messages (message_id);
CREATE INDEX messages_by_subject ON messages (subject_key);
CREATE TABLE addresses (
    message INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    kind INTEGER NOT NULL,
    position INTEGER NOT NULL,
    email TEXT,
    name TEXT NOT NULL DEFAULT '',
    raw TEXT,
    PRIMARY KEY (message, kind, position)
) WITHOUT ROWID;
CREATE INDEX addresses_by_email ON addresses (email);
CREATE TABLE links (
    ref INTEGER NOT NULL,
    message INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    PRIMARY KEY (ref, message)
) WITHOUT ROWID;
CREATE INDEX links_by_message ON links (message);
CREATE TABLE local_keys (
    folder_id INTEGER NOT NULL REFERENCES folders(id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    uid INTEGER NOT NULL,
    PRIMARY KEY (folder_id, key)
) WITHOUT ROWID;
CREATE TABLE directory (
    account_id INTEGER PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
    logging_rule TEXT NOT NULL,
    never_log TEXT NOT NULL,
    bcc_address TEXT,
    forward_address TEXT,
    mailbox_owner TEXT NOT NULL,
    imported_at REAL NOT NULL
);
CREATE TABLE directory_users (
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    email TEXT NOT NULL,
    name TEXT NOT NULL DEFAULT '',
    connected TEXT NOT NULL DEFAULT '[]',
    aliases TEXT NOT NULL DEFAULT '[]',
    personal_email_access INTEGER NOT NULL DEFAULT 1,
    account_access INTEGER NOT NULL DEFAULT 0,
    never_log TEXT NOT NULL DEFAULT '[]',
    position INTEGER NOT NULL,
    PRIMARY KEY (account_id, id)
);
CREATE TABLE directory_contacts (
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    email TEXT NOT NULL,
    name TEXT NOT NULL DEFAULT '',
    additional_emails TEXT NOT NULL DEFAULT '[]',
    owner TEXT,
    position INTEGER NOT NULL,
    PRIMARY KEY (account_id, id)
);
CREATE TABLE logged (
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    message_id TEXT NOT NULL,
    subject TEXT,
    in_reply_to TEXT,
    refs TEXT NOT NULL DEFAULT '[]',
    contacts TEXT NOT NULL DEFAULT '[]',
    source TEXT NOT NULL DEFAULT 'import',
    logged_at REAL,
    PRIMARY KEY (account_id, message_id)
);
"""


def _script(sql: str) -> Migration:
    def apply(conn: sqlite3.Connection) -> None:
        for statement in sql.split(";"):
            if statement.strip():
                conn.execute(statement)

    return apply


def _in(module: str, name: str) -> Migration:
    """The migration ``core.store.<module>.<name>`` (a function, or SQL for :func:`_script`),
    imported when it is applied: every command opens the cache, and what those modules import
    is not start-up's."""

    def apply(conn: sqlite3.Connection) -> None:
        found = getattr(importlib.import_module(f"core.store.{module}"), name)
        (_script(found) if isinstance(found, str) else found)(conn)

    return apply


# The CRM side (core.crm): the ledger's thread key, attributed user and CRM id; where each
# account logs (local CRM or HubSpot, SMTP for forwards; secrets stay in the keyring); the
# durable outbox of manual actions, one row per idempotency key.
_CRM_OUTBOX: Final = """
ALTER TABLE logged ADD COLUMN thread_key TEXT;
ALTER TABLE logged ADD COLUMN attributed_to TEXT;
ALTER TABLE logged ADD COLUMN crm_id TEXT;
CREATE INDEX logged_by_thread ON logged (account_id, thread_key);
CREATE TABLE crm_settings (
    account_id INTEGER PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
    crm TEXT NOT NULL DEFAULT 'local' CHECK (crm IN ('local', 'hubspot')),
    hubspot_portal TEXT,
    hubspot_url TEXT,
    smtp_host TEXT,
    smtp_port INTEGER,
    smtp_security TEXT,
    smtp_user TEXT,
    smtp_ca_file TEXT,
    smtp_sender TEXT
);
CREATE TABLE crm_outbox (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('log', 'create_contact', 'forward')),
    key TEXT NOT NULL,
    message INTEGER,
    label TEXT NOT NULL DEFAULT '',
    payload TEXT NOT NULL,
    raw BLOB,
    state TEXT NOT NULL
        CHECK (state IN ('pending', 'sending', 'done', 'failed', 'cancelled')),
    attempts INTEGER NOT NULL DEFAULT 0,
    unknown INTEGER NOT NULL DEFAULT 0,
    owner TEXT,
    error TEXT,
    result TEXT,
    next_at REAL NOT NULL,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL,
    UNIQUE (account_id, kind, key)
);
CREATE INDEX crm_outbox_by_state ON crm_outbox (state, next_at)
"""

# A local mbox file's last scan: when its size and mtime are unchanged, the scan's summary
# answers ``status`` without reading the file again (a later process included).
_LOCAL_STAMPS: Final = """
CREATE TABLE local_stamps (
    folder_id INTEGER PRIMARY KEY REFERENCES folders(id) ON DELETE CASCADE,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    uidnext INTEGER NOT NULL,
    messages INTEGER NOT NULL,
    fingerprint INTEGER NOT NULL
)
"""


# A local folder's last listing (core.mail.local_listing): what its next scan is matched with.
_LOCAL_LISTINGS: Final = """
CREATE TABLE local_listings (
    folder_id INTEGER PRIMARY KEY REFERENCES folders(id) ON DELETE CASCADE,
    data BLOB NOT NULL
)
"""


# Change detection reads a folder's (UID, flags) and the unsettled rows on every sync: both
# from small indexes rather than the rows themselves (a 100k folder's rows are ~150 MB of
# pages; issue 10). The second holds only undecided rows, so it is nearly empty. (IF NOT
# EXISTS: core.store.bulk builds deferred indexes by their names, these included.)
_CHANGE_INDEXES: Final = """
CREATE INDEX IF NOT EXISTS messages_flags ON messages (folder_id, uidvalidity, uid, flags);
CREATE INDEX IF NOT EXISTS messages_undecided ON messages (folder_id) WHERE decided_at IS NULL"""

# HubSpot for real (issue 14): the account's "Create new contacts from logged emails" beta (R9b);
# how an account reaches HubSpot (a token: Service Key or private app; or OAuth through a public
# app), when its directory was last loaded and how often; which exactly-once path each outbox row
# took and when its create last left; what Mailscope learnt about each portal once (whether its
# unique Message-ID property can be used, who connected it and with which scopes). No secret.
_HUBSPOT: Final = """
ALTER TABLE directory ADD COLUMN create_contacts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE crm_settings ADD COLUMN hubspot_auth TEXT;
ALTER TABLE crm_settings ADD COLUMN hubspot_client_id TEXT;
ALTER TABLE crm_settings ADD COLUMN loaded_at REAL;
ALTER TABLE crm_settings ADD COLUMN refresh_minutes INTEGER;
ALTER TABLE crm_outbox ADD COLUMN path TEXT;
ALTER TABLE crm_outbox ADD COLUMN sent_at REAL;
CREATE TABLE hubspot_portals (
    portal TEXT PRIMARY KEY,
    key_property TEXT,
    legacy_property INTEGER NOT NULL DEFAULT 0,
    property_note TEXT,
    checked_at REAL,
    user_email TEXT,
    scopes TEXT
)
"""


def _packed_lists(conn: sqlite3.Connection) -> Iterator[tuple[object, ...]]:
    """(to_list, cc_list, bcc_list, message) of every message with recipients in ``addresses``."""
    from core.rules.addresses import Address  # only for this migration: start-up stays light
    from core.store.packed import pack

    rows = conn.execute(
        "SELECT message, kind, email, name, raw FROM addresses WHERE kind IN (1, 2, 3)"
        " ORDER BY message, kind, position"
    )
    for message, group in itertools.groupby(rows, key=lambda row: int(row[0])):
        lists: list[list[Address]] = [[], [], []]
        for _, kind, email, name, raw in group:
            if raw is None:  # a valid address: its raw text is rebuilt, as the readers did
                raw = f"{name} <{email}>" if name else (email or "")
            lists[int(kind) - 1].append(Address(email, name, raw))
        yield (*(pack(found) for found in lists), message)


def _packed_addresses(conn: sqlite3.Connection) -> None:
    """To, Cc and Bcc move from the ``addresses`` table (one row each) into packed columns of
    the message row: one write per message instead of about five, ~300 bytes less each.
    The sender was always in ``from_raw``, ``from_email`` and ``from_name``."""
    for column in ("to_list", "cc_list", "bcc_list"):
        conn.execute(f"ALTER TABLE messages ADD COLUMN {column} TEXT")
    packed = _packed_lists(conn)
    while chunk := list(itertools.islice(packed, 10_000)):
        conn.executemany(
            "UPDATE messages SET to_list = ?, cc_list = ?, bcc_list = ? WHERE id = ?", chunk
        )
    conn.execute("DROP INDEX addresses_by_email")
    conn.execute("DROP TABLE addresses")


# The search (``core.store.queries.where``) reads the columns it matches from this index rather
# than from the rows: a folder's search scans ~20 MB in date order instead of ~150 MB of rows
# and then a sort (issue 15). ``id`` makes the order the table's (date, then id).
_SEARCH_INDEX: Final = """
CREATE INDEX IF NOT EXISTS messages_search ON messages
    (folder_id, sort_date, id, subject, from_name, from_email, to_list, cc_list, bcc_list)"""


# An account's email address (the one the user typed) and how it signs in: NULL for a
# password in the keyring, else a JSON object without any secret (core.auth.providers).
_ACCOUNT_AUTH: Final = """
ALTER TABLE accounts ADD COLUMN email TEXT;
ALTER TABLE accounts ADD COLUMN auth TEXT
"""


MIGRATIONS: Final[tuple[tuple[str, Migration], ...]] = (
    ("0001_initial", _script(_INITIAL)),
    ("0100_crm_outbox", _script(_CRM_OUTBOX)),
    ("0200_local_stamps", _script(_LOCAL_STAMPS)),
    ("0300_packed_addresses", _packed_addresses),
    ("0400_account_auth", _script(_ACCOUNT_AUTH)),
    ("0410_hubspot", _script(_HUBSPOT)),
    # The directory's contacts indexed by address, and the settle's marks (issue #11).
    ("0420_directory_index", _in("directory_index", "build")),
    ("0430_change_indexes", _script(_CHANGE_INDEXES)),
    # Rules section 7's advisories: bulk and needs-action columns, indexed (issue 15).
    ("0500_advisories", _in("advisory_columns", "MIGRATION")),
    ("0510_search_index", _script(_SEARCH_INDEX)),
    ("0520_local_listings", _script(_LOCAL_LISTINGS)),
    ("0530_automatic_senders", _in("advisory_columns", "MORE_SENDERS")),
    ("0540_search_text", _in("search_index", "migrate")),  # the search's trigram index (issue 15)
    ("0550_message_counts", _in("counts", "migrate")),  # the sidebar's counts kept (issue 15)
    # A bulk load no longer defers messages_flags (core.store.bulk): a cache whose load under
    # an earlier version was cut short would never get it back from bulk.restore.
    ("0560_flags_index_kept", _script(_CHANGE_INDEXES.strip().splitlines()[0])),
)


def applied(conn: sqlite3.Connection) -> list[str]:
    """The names of the migrations applied to this database, in order."""
    rows = conn.execute("SELECT name FROM migrations ORDER BY rowid").fetchall()
    return [str(name) for (name,) in rows]


def migrate(conn: sqlite3.Connection) -> list[str]:
    """Apply the pending migrations, each in its own transaction; returns the names applied."""
    conn.execute(
        "CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at REAL NOT NULL)"
    )
    done = set(applied(conn))
    new: list[str] = []
    for name, apply in MIGRATIONS:
        if name not in done and _apply(conn, name, apply):
            new.append(name)
    return new


def _apply(conn: sqlite3.Connection, name: str, apply: Migration) -> bool:
    """Apply one migration in its own transaction; False when another process had applied it."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        # Another process may have applied it while we waited for the write lock.
        if conn.execute("SELECT 1 FROM migrations WHERE name = ?", (name,)).fetchone():
            conn.execute("ROLLBACK")
            return False
        apply(conn)
        conn.execute("INSERT INTO migrations (name, applied_at) VALUES (?, ?)", (name, time.time()))
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
    return True
