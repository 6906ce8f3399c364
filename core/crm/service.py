"""One interface over an account's CRM side: settings, directory, ledger, where it logs.

``CrmService(conn, account)`` reads and changes the account settings (logging rule, Never-log
list, BCC and forward addresses: account access required), the current user's personal
Never-log list (everyone), users and contacts (the local CRM, or a refresh from HubSpot), and
the logged ledger. Every change commits in one transaction and re-decides the cached messages
at once (``core.store.verdicts.settle``); each call returns the ``Settled`` counts.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, replace

from core.crm.errors import CrmError
from core.crm.permissions import Permission, PermissionDenied, account_permission
from core.inputs import BadInput
from core.rules.addresses import normalize_email
from core.rules.directory import Directory
from core.rules.engine import LoggedState
from core.rules.model import AccountSettings, Contact, LoggingRule, User
from core.store import ledger
from core.store.accounts import Account
from core.store.db import write
from core.store.directory import DEFAULT_OWNER, has_directory, load_directory
from core.store.directory_index import reindex, unindex
from core.store.redecide import mark_account, mark_addresses
from core.store.verdicts import Settled, settle

_Change = Callable[[AccountSettings], AccountSettings]


class CrmKind:
    LOCAL = "local"
    HUBSPOT = "hubspot"


@dataclass(frozen=True, slots=True)
class CrmConfig:
    """Where an account logs (no secret here: the token and SMTP password are in the keyring)."""

    crm: str = CrmKind.LOCAL
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


_CONFIG_FIELDS = tuple(CrmConfig.__dataclass_fields__)


def _j(values: Iterable[str]) -> str:
    return json.dumps(list(values), ensure_ascii=False)


def clean_entries(entries: Iterable[str]) -> tuple[str, ...]:
    """Never-log entries trimmed, lower-cased, deduplicated; raises on an unusable one."""
    kept: list[str] = []
    for written in entries:
        text = written.strip().lower()
        if not text:
            continue
        if "@" in text.lstrip("@") and normalize_email(text) is None:
            raise BadInput(f"{written!r} is neither an email address nor a domain")
        if text not in kept:
            kept.append(text)
    return tuple(kept)


class CrmService:
    """Settings, directory and ledger of one account, over the cache's SQLite connection."""

    def __init__(self, conn: sqlite3.Connection, account: Account) -> None:
        self.conn = conn
        self.account = account

    # -- reading ---------------------------------------------------------------------------

    def directory(self) -> Directory:
        return load_directory(self.conn, self.account)[0]

    def state(self) -> LoggedState:
        return load_directory(self.conn, self.account)[1]

    def settings(self) -> AccountSettings:
        return self.directory().account

    def current_user(self) -> User:
        """The mailbox owner (the user the app acts as); created when the directory is new."""
        self._ensure_directory()
        directory = self.directory()
        user = directory.users.get(directory.mailbox_owner)
        if user is None:
            raise CrmError(
                f"The mailbox owner {directory.mailbox_owner!r} is not in the directory: "
                "import a directory that lists them."
            )
        return user

    def permission(self) -> Permission:
        """May the current user change the account settings? (with the reason if not)."""
        if not has_directory(self.conn, self.account.id):
            return Permission(True)  # a fresh local CRM: its only user is its admin
        return account_permission(self.directory())

    def ledger(self) -> list[ledger.LedgerEntry]:
        return ledger.entries(self.conn, self.account.id)

    def config(self) -> CrmConfig:
        row = self.conn.execute(
            f"SELECT {', '.join(_CONFIG_FIELDS)} FROM crm_settings WHERE account_id = ?",
            (self.account.id,),
        ).fetchone()
        return CrmConfig(*row) if row is not None else CrmConfig()

    # -- account settings (account access) -------------------------------------------------

    def set_logging_rule(self, rule: LoggingRule) -> Settled:
        return self._change_account(lambda a: replace(a, logging_rule=rule))

    def set_account_never_log(self, entries: Iterable[str]) -> Settled:
        cleaned = clean_entries(entries)
        touched = set(cleaned) ^ set(self.settings().never_log)  # N2 changes only for them
        return self._change_account(lambda a: replace(a, never_log=cleaned), touched)

    def add_account_never_log(self, entries: Iterable[str]) -> Settled:
        return self.set_account_never_log((*self.settings().never_log, *entries))

    def remove_account_never_log(self, entries: Iterable[str]) -> Settled:
        gone = set(clean_entries(entries))
        return self.set_account_never_log(e for e in self.settings().never_log if e not in gone)

    def apply_settings(self, settings: AccountSettings) -> Settled:
        """Every account setting at once, checked, with one re-decision (the connect dialog)."""
        for value in (settings.bcc_address, settings.forward_address):
            if value and normalize_email(value) is None:
                raise BadInput(f"{value!r} is not an email address")
        cleaned = replace(settings, never_log=clean_entries(settings.never_log))
        return self._change_account(lambda _: cleaned)

    def set_create_contacts(self, enabled: bool) -> Settled:
        """HubSpot's beta "Create new contacts from logged emails" (rules R9b)."""
        return self._change_account(lambda a: replace(a, create_contacts=enabled))

    def set_addresses(self, *, bcc: str | None, forward: str | None) -> Settled:
        for value in (bcc, forward):
            if value and normalize_email(value) is None:
                raise BadInput(f"{value!r} is not an email address")
        now = self.settings()
        touched = {e for e in (bcc, forward, now.bcc_address, now.forward_address) if e}
        return self._change_account(
            lambda a: replace(a, bcc_address=bcc or None, forward_address=forward or None),
            touched,
        )

    def set_config(self, config: CrmConfig) -> None:
        """Where the account logs; needs account access (it changes what the team's log does)."""
        self.permission().check()
        with write(self.conn):
            self.conn.execute("DELETE FROM crm_settings WHERE account_id = ?", (self.account.id,))
            marks = ", ".join("?" * (len(_CONFIG_FIELDS) + 1))
            self.conn.execute(
                f"INSERT INTO crm_settings (account_id, {', '.join(_CONFIG_FIELDS)})"
                f" VALUES ({marks})",
                (self.account.id, *(getattr(config, f) for f in _CONFIG_FIELDS)),
            )

    def mark_loaded(self, when: float) -> None:
        """The CRM's users and contacts were loaded at ``when`` (a read: no permission needed)."""
        with write(self.conn):
            self.conn.execute(
                "INSERT INTO crm_settings (account_id, loaded_at) VALUES (?, ?)"
                " ON CONFLICT (account_id) DO UPDATE SET loaded_at = excluded.loaded_at",
                (self.account.id, when),
            )

    def replace_users(
        self,
        users: Sequence[User],
        settings: AccountSettings | None = None,
        *,
        as_policy: bool = False,
    ) -> Settled:
        """Replace the users (and settings); needs account access unless ``as_policy``.

        A team policy is how the rules reach a rep: ``core.crm.policy`` checks it instead.
        """
        if not as_policy:
            self.permission().check()
        owner = self._owner_id()
        if owner not in {u.id for u in users}:
            raise CrmError(f"The new users do not include the mailbox owner {owner!r}.")
        with write(self.conn):
            self._write_head(settings or self.settings(), owner)
            self._write_users(users)
            self._unsettle()
        return self._settle()

    def refresh_people(
        self, users: Sequence[User], contacts: Sequence[Contact], mailbox_owner: str
    ) -> Settled:
        """The CRM's users and contacts as they are now (a HubSpot refresh): read, not a setting."""
        if mailbox_owner not in {u.id for u in users}:
            raise CrmError(f"The mailbox owner {mailbox_owner!r} is not among the CRM's users.")
        self._ensure_directory()
        with write(self.conn):
            self.conn.execute(
                "UPDATE directory SET mailbox_owner = ? WHERE account_id = ?",
                (mailbox_owner, self.account.id),
            )
            self._write_users(users)
            self.conn.execute(
                "DELETE FROM directory_contacts WHERE account_id = ?", (self.account.id,)
            )
            unindex(self.conn, self.account.id)
            self.upsert_contacts_in_transaction(contacts)
            self._unsettle()  # contacts that left the CRM matter too
        return self._settle()

    # -- the current user's personal list (everyone) ----------------------------------------

    def set_personal_never_log(self, entries: Iterable[str]) -> Settled:
        cleaned = clean_entries(entries)
        user = self.current_user()
        with write(self.conn):
            self.conn.execute(
                "UPDATE directory_users SET never_log = ? WHERE account_id = ? AND id = ?",
                (_j(cleaned), self.account.id, user.id),
            )
            self._unsettle(set(cleaned) ^ set(user.never_log))
        return self._settle()

    def add_personal_never_log(self, entries: Iterable[str]) -> Settled:
        return self.set_personal_never_log((*self.current_user().never_log, *entries))

    def remove_personal_never_log(self, entries: Iterable[str]) -> Settled:
        gone = set(clean_entries(entries))
        kept = [e for e in self.current_user().never_log if e not in gone]
        return self.set_personal_never_log(kept)

    # -- contacts (the local CRM) -----------------------------------------------------------

    def upsert_contacts(self, contacts: Sequence[Contact]) -> Settled:
        """Add or update contacts by id (the CSV import, a created contact, a CRM refresh)."""
        return self.import_contacts([contacts])

    def import_contacts(self, chunks: Iterable[Sequence[Contact]]) -> Settled:
        """Upsert contacts as a file is read (a CSV stream), in one transaction: all or none."""
        self._ensure_directory()
        with write(self.conn):
            for chunk in chunks:
                self.upsert_contacts_in_transaction(chunk)
        return self._settle()

    def upsert_contacts_in_transaction(self, contacts: Sequence[Contact]) -> None:
        """``upsert_contacts`` inside the caller's transaction; the caller settles afterwards."""
        start = self.conn.execute(
            "SELECT coalesce(max(position), -1) + 1 FROM directory_contacts WHERE account_id = ?",
            (self.account.id,),
        ).fetchone()[0]
        self.conn.executemany(
            "INSERT INTO directory_contacts (account_id, id, email, name, additional_emails,"
            " owner, position) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (account_id, id) DO UPDATE"
            " SET email = excluded.email, name = excluded.name,"
            " additional_emails = excluded.additional_emails, owner = excluded.owner",
            [
                (self.account.id, c.id, c.email, c.name, _j(c.additional_emails), c.owner, n)
                for n, c in enumerate(contacts, start=int(start))
            ],
        )
        self._unsettle(reindex(self.conn, self.account.id, contacts))  # others cannot change

    def contact_for(self, email: str) -> Contact | None:
        directory = self.directory()
        found = directory.contact_of.get(normalize_email(email) or "")
        return directory.contacts.get(found) if found is not None else None

    def settle(self) -> Settled:
        return self._settle()

    # -- inside ----------------------------------------------------------------------------

    def _change_account(self, change: _Change, touched: Collection[str] | None = None) -> Settled:
        self._ensure_directory()
        self.permission().check()
        settings = change(self.settings())
        with write(self.conn):
            self._write_head(settings, self._owner_id())
            self._unsettle(touched)
        return self._settle()

    def _owner_id(self) -> str:
        return self.directory().mailbox_owner

    def _ensure_directory(self) -> None:
        """A fresh local CRM: default settings, the account's user as owner and admin."""
        if has_directory(self.conn, self.account.id):
            return
        owner = User(
            id=DEFAULT_OWNER,
            email=self.account.user or "",
            name=self.account.name,
            account_access=True,
        )
        with write(self.conn):
            if has_directory(self.conn, self.account.id):
                return
            self._write_head(AccountSettings(), DEFAULT_OWNER)
            self._write_users((owner,))

    def _write_head(self, a: AccountSettings, owner: str) -> None:
        self.conn.execute(
            "INSERT INTO directory (account_id, logging_rule, never_log, bcc_address,"
            " forward_address, mailbox_owner, imported_at, create_contacts)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (account_id) DO UPDATE SET logging_rule = excluded.logging_rule,"
            " never_log = excluded.never_log, bcc_address = excluded.bcc_address,"
            " forward_address = excluded.forward_address,"
            " create_contacts = excluded.create_contacts",
            (
                self.account.id,
                a.logging_rule.value,
                _j(a.never_log),
                a.bcc_address,
                a.forward_address,
                owner,
                time.time(),
                int(a.create_contacts),
            ),
        )

    def _write_users(self, users: Sequence[User]) -> None:
        self.conn.execute("DELETE FROM directory_users WHERE account_id = ?", (self.account.id,))
        self.conn.executemany(
            "INSERT OR IGNORE INTO directory_users (account_id, id, email, name, connected,"
            " aliases, personal_email_access, account_access, never_log, position)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    self.account.id,
                    u.id,
                    u.email,
                    u.name,
                    _j(u.connected),
                    _j(u.aliases),
                    int(u.personal_email_access),
                    int(u.account_access),
                    _j(u.never_log),
                    n,
                )
                for n, u in enumerate(users)
            ],
        )

    def _unsettle(self, touched: Collection[str] | None = None) -> None:
        """What a change may re-decide: messages carrying ``touched`` (addresses, domains), else
        all; marked in the change's transaction, settled writing only verdicts that change."""
        if touched is None:
            mark_account(self.conn, self.account.id)
        else:
            mark_addresses(self.conn, self.account.id, touched)

    def _settle(self) -> Settled:
        return settle(self.conn, self.account)


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


__all__ = [
    "CrmConfig",
    "CrmKind",
    "CrmService",
    "PermissionDenied",
    "clean_entries",
    "has_crm_people",
]
