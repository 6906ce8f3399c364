"""The directory for now: account settings, users, contacts and the logged ledger per account.

Filled by ``mailscope directory import`` from the directory part of a scenario file; the CRM
issue will fill it in richer ways behind the same two calls, ``import_directory`` and
``load_directory``. The ledger is keyed by Message-ID, so it survives a folder's UIDVALIDITY
reset.
"""

from __future__ import annotations

import copy
import json
import sqlite3
import time
from collections.abc import Mapping, Sequence
from typing import Any

from core.i18n import _
from core.rules.directory import Directory
from core.rules.engine import LoggedState
from core.rules.model import AccountSettings, Contact, LoggedEntry, LoggingRule, Scenario, User
from core.store import directory_index
from core.store.accounts import Account
from core.store.transaction import write

DEFAULT_OWNER = "owner"


def directory_schema() -> Mapping[str, Any]:
    """The scenario schema with ``messages`` optional: a directory file is a scenario's head."""
    from core.rules.scenario import scenario_schema  # reading files only: not on a sync's path

    schema = copy.deepcopy(dict(scenario_schema()))
    schema["required"] = [name for name in schema["required"] if name != "messages"]
    return schema


def parse_directory(doc: Any) -> Scenario:
    """Validate a directory document; raises ``ScenarioError`` naming the bad field."""
    from core.rules.scenario import ScenarioError, scenario_from_dict, validate

    validate(doc, directory_schema())
    if doc.get("messages"):
        raise ScenarioError("messages", _("a directory file holds no messages"))
    return scenario_from_dict({**doc, "messages": []})


def _j(values: Any) -> str:
    return json.dumps(list(values), ensure_ascii=False)


def _user_row(account_id: int, position: int, u: User) -> tuple[object, ...]:
    return (
        account_id,
        u.id,
        u.email,
        u.name,
        _j(u.connected),
        _j(u.aliases),
        u.personal_email_access,
        u.account_access,
        _j(u.never_log),
        position,
    )


def import_directory(conn: sqlite3.Connection, account_id: int, scenario: Scenario) -> None:
    """Replace the account's directory and imported ledger; its verdicts become stale.

    Ledger rows logged another way (from the app, HubSpot, the outbox) are kept: a directory
    file does not know them, and re-importing one must not erase them. An imported entry whose
    Message-ID is already logged that way leaves the existing row as it is.
    """
    with write(conn):
        _forget_imported(conn, account_id)
        _insert_head(conn, account_id, scenario)
        conn.executemany(
            "INSERT OR IGNORE INTO directory_users VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [_user_row(account_id, n, u) for n, u in enumerate(scenario.users)],
        )
        _insert_contacts(conn, account_id, scenario.contacts)
        _insert_imported_ledger(conn, account_id, scenario.logged)
        directory_index.mark_stale(conn, account_id)


def _forget_imported(conn: sqlite3.Connection, account_id: int) -> None:
    """The account's directory and its imported ledger rows go (the others stay)."""
    for table in ("directory", "directory_users", "directory_contacts"):
        conn.execute(f"DELETE FROM {table} WHERE account_id = ?", (account_id,))
    conn.execute("DELETE FROM logged WHERE account_id = ? AND source = 'import'", (account_id,))


def _insert_head(conn: sqlite3.Connection, account_id: int, scenario: Scenario) -> None:
    """The directory's head row: the account settings and the mailbox owner."""
    a = scenario.account
    conn.execute(
        "INSERT INTO directory (account_id, logging_rule, never_log, bcc_address,"
        " forward_address, mailbox_owner, imported_at, create_contacts)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            account_id,
            a.logging_rule.value,
            _j(a.never_log),
            a.bcc_address,
            a.forward_address,
            scenario.mailbox_owner,
            time.time(),
            int(a.create_contacts),
        ),
    )


def _insert_contacts(
    conn: sqlite3.Connection, account_id: int, contacts: Sequence[Contact]
) -> None:
    """The contacts, the first of each id kept, and their addresses indexed."""
    first = {c.id: (n, c) for n, c in reversed(list(enumerate(contacts)))}
    conn.executemany(
        "INSERT INTO directory_contacts VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (account_id, c.id, c.email, c.name, _j(c.additional_emails), c.owner, n)
            for n, c in first.values()
        ],
    )
    directory_index.unindex(conn, account_id)
    directory_index.index_contacts(conn, account_id, first.values())


def _insert_imported_ledger(
    conn: sqlite3.Connection, account_id: int, logged: Sequence[LoggedEntry]
) -> None:
    """The file's ledger entries, source 'import'; a Message-ID already logged is left as is."""
    conn.executemany(
        "INSERT OR IGNORE INTO logged (account_id, message_id, subject, in_reply_to, refs,"
        " contacts, source) VALUES (?, ?, ?, ?, ?, ?, 'import')",
        [
            (
                account_id,
                e.message_id,
                e.subject,
                e.in_reply_to,
                _j(e.references),
                _j(e.contacts),
            )
            for e in logged
        ],
    )


def _strings(text: str) -> tuple[str, ...]:
    return tuple(str(v) for v in json.loads(text))


def _default(conn: sqlite3.Connection, account: Account) -> Directory:
    """No directory imported yet: the default settings, the account's user as the only user."""
    owner = User(id=DEFAULT_OWNER, email=account.user or "", name=account.name)
    index = directory_index.StoredContacts(conn, account.id)
    return Directory(AccountSettings(), (owner,), (), DEFAULT_OWNER, index=index)


def load_directory(conn: sqlite3.Connection, account: Account) -> tuple[Directory, LoggedState]:
    """The account's directory and logged ledger, as the engine reads them.

    Contacts are not loaded: the directory looks them up in the cache's index as the engine
    asks (``core.store.directory_index``), on ``conn``, so it is used on ``conn``'s thread.
    """
    state = _logged_state(conn, account.id)
    head = conn.execute(
        "SELECT logging_rule, never_log, bcc_address, forward_address, mailbox_owner,"
        " create_contacts FROM directory WHERE account_id = ?",
        (account.id,),
    ).fetchone()
    if head is None:
        return _default(conn, account), state
    users = _users(conn, account.id)
    index = directory_index.StoredContacts(conn, account.id)  # looked up, not loaded
    return Directory(_settings(head), users, (), str(head[4]), index=index), state


def _settings(head: Sequence[Any]) -> AccountSettings:
    """The account settings of the directory's head row."""
    return AccountSettings(LoggingRule(head[0]), _strings(head[1]), head[2], head[3], bool(head[5]))


def _logged_state(conn: sqlite3.Connection, account_id: int) -> LoggedState:
    """The account's ledger, in the order it was written."""
    return LoggedState(
        LoggedEntry(str(mid), subject, reply, _strings(refs), _strings(contacts), date)
        for mid, subject, reply, refs, contacts, date in conn.execute(
            # An email logged from the app is dated by its cached copy (R4 then sees it only
            # from that date on); an imported entry stays undated, as in a scenario file.
            "SELECT l.message_id, l.subject, l.in_reply_to, l.refs, l.contacts,"
            " CASE WHEN l.source = 'import' THEN NULL ELSE (SELECT min(m.date) FROM messages m"
            " WHERE m.message_id = l.message_id AND m.folder_id IN"
            " (SELECT id FROM folders WHERE account_id = l.account_id)) END"
            " FROM logged l WHERE l.account_id = ? ORDER BY l.rowid",
            (account_id,),
        )
    )


def _users(conn: sqlite3.Connection, account_id: int) -> list[User]:
    """The account's users, in their position order."""
    return [
        User(
            id=uid,
            email=email,
            name=name,
            connected=_strings(connected),
            aliases=_strings(aliases),
            personal_email_access=bool(access),
            account_access=bool(admin),
            never_log=_strings(never),
        )
        for uid, email, name, connected, aliases, access, admin, never in conn.execute(
            "SELECT id, email, name, connected, aliases, personal_email_access, account_access,"
            " never_log FROM directory_users WHERE account_id = ? ORDER BY position",
            (account_id,),
        )
    ]


def has_directory(conn: sqlite3.Connection, account_id: int) -> bool:
    row = conn.execute("SELECT 1 FROM directory WHERE account_id = ?", (account_id,))
    return row.fetchone() is not None


# -- writes of the CRM service (core.crm.service), each in the caller's transaction ----------


def write_settings(
    conn: sqlite3.Connection, account_id: int, a: AccountSettings, owner: str
) -> None:
    """The account settings and its mailbox owner (the directory's head row)."""
    conn.execute(
        "INSERT INTO directory (account_id, logging_rule, never_log, bcc_address,"
        " forward_address, mailbox_owner, imported_at, create_contacts)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (account_id) DO UPDATE SET logging_rule = excluded.logging_rule,"
        " never_log = excluded.never_log, bcc_address = excluded.bcc_address,"
        " forward_address = excluded.forward_address,"
        " create_contacts = excluded.create_contacts",
        (account_id, a.logging_rule.value, _j(a.never_log), a.bcc_address, a.forward_address,
         owner, time.time(), int(a.create_contacts)),
    )  # fmt: skip


def write_users(conn: sqlite3.Connection, account_id: int, users: Sequence[User]) -> None:
    """Replace the account's users, in this order."""
    conn.execute("DELETE FROM directory_users WHERE account_id = ?", (account_id,))
    conn.executemany(
        "INSERT OR IGNORE INTO directory_users (account_id, id, email, name, connected,"
        " aliases, personal_email_access, account_access, never_log, position)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [_user_row(account_id, n, u) for n, u in enumerate(users)],
    )


def set_mailbox_owner(conn: sqlite3.Connection, account_id: int, owner: str) -> None:
    conn.execute("UPDATE directory SET mailbox_owner = ? WHERE account_id = ?", (owner, account_id))


def set_personal_never_log(
    conn: sqlite3.Connection, account_id: int, user_id: str, entries: Sequence[str]
) -> None:
    conn.execute(
        "UPDATE directory_users SET never_log = ? WHERE account_id = ? AND id = ?",
        (_j(entries), account_id, user_id),
    )


def remove_contacts(conn: sqlite3.Connection, account_id: int) -> None:
    """Every contact of the account goes (a refresh then writes the CRM's)."""
    conn.execute("DELETE FROM directory_contacts WHERE account_id = ?", (account_id,))
    directory_index.unindex(conn, account_id)


def upsert_contacts(
    conn: sqlite3.Connection, account_id: int, contacts: Sequence[Contact]
) -> set[str]:
    """Add or update contacts by id, after the others; returns the addresses whose contact may
    have changed (``directory_index.reindex``: the messages carrying them are decided again)."""
    start = conn.execute(
        "SELECT coalesce(max(position), -1) + 1 FROM directory_contacts WHERE account_id = ?",
        (account_id,),
    ).fetchone()[0]
    conn.executemany(
        "INSERT INTO directory_contacts (account_id, id, email, name, additional_emails,"
        " owner, position) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (account_id, id) DO UPDATE"
        " SET email = excluded.email, name = excluded.name,"
        " additional_emails = excluded.additional_emails, owner = excluded.owner",
        [
            (account_id, c.id, c.email, c.name, _j(c.additional_emails), c.owner, n)
            for n, c in enumerate(contacts, start=int(start))
        ],
    )
    return directory_index.reindex(conn, account_id, contacts)
