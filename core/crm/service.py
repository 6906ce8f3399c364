"""One interface over an account's CRM side: settings, directory, ledger, where it logs.

``CrmService(conn, account)`` reads and changes the account settings (logging rule, Never-log
list, BCC and forward addresses: account access required), the current user's personal
Never-log list (everyone), users and contacts (the local CRM, or a refresh from HubSpot), and
the logged ledger. Every change commits in one transaction and re-decides the cached messages
at once (``core.store.verdicts.settle``); each call returns the ``Settled`` counts.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import replace

from core.crm.errors import CrmError
from core.crm.permissions import Permission, PermissionDenied, account_permission
from core.i18n import _
from core.inputs import BadInput
from core.rules.addresses import normalize_email
from core.rules.directory import Directory
from core.rules.engine import LoggedState
from core.rules.model import AccountSettings, Contact, LoggingRule, User
from core.store import directory as stored
from core.store import ledger
from core.store.accounts import Account
from core.store.crm_settings import (
    CrmConfig,
    CrmKind,
    has_crm_people,
    load_config,
    mark_loaded,
    save_config,
)
from core.store.directory import DEFAULT_OWNER, has_directory, load_directory
from core.store.redecide import mark_account, mark_addresses
from core.store.transaction import write
from core.store.verdicts import Settled, settle

_Change = Callable[[AccountSettings], AccountSettings]


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
                _(
                    "The mailbox owner %(mailbox_owner)r is not in the directory: "
                    "import a directory that lists them."
                )
                % {"mailbox_owner": directory.mailbox_owner}
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
        return load_config(self.conn, self.account.id)

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
        save_config(self.conn, self.account.id, config)

    def mark_loaded(self, when: float) -> None:
        """The CRM's users and contacts were loaded at ``when`` (a read: no permission needed)."""
        mark_loaded(self.conn, self.account.id, when)

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
            raise CrmError(
                _("The new users do not include the mailbox owner %(owner)r.") % {"owner": owner}
            )
        with write(self.conn):
            stored.write_settings(self.conn, self.account.id, settings or self.settings(), owner)
            stored.write_users(self.conn, self.account.id, users)
            self._unsettle()
        return self._settle()

    def refresh_people(
        self, users: Sequence[User], contacts: Sequence[Contact], mailbox_owner: str
    ) -> Settled:
        """The CRM's users and contacts as they are now (a HubSpot refresh): read, not a setting."""
        if mailbox_owner not in {u.id for u in users}:
            raise CrmError(
                _("The mailbox owner %(mailbox_owner)r is not among the CRM's users.")
                % {"mailbox_owner": mailbox_owner}
            )
        self._ensure_directory()
        with write(self.conn):
            stored.set_mailbox_owner(self.conn, self.account.id, mailbox_owner)
            stored.write_users(self.conn, self.account.id, users)
            stored.remove_contacts(self.conn, self.account.id)
            self.upsert_contacts_in_transaction(contacts)
            self._unsettle()  # contacts that left the CRM matter too
        return self._settle()

    # -- the current user's personal list (everyone) ----------------------------------------

    def set_personal_never_log(self, entries: Iterable[str]) -> Settled:
        cleaned = clean_entries(entries)
        user = self.current_user()
        with write(self.conn):
            stored.set_personal_never_log(self.conn, self.account.id, user.id, cleaned)
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
        touched = stored.upsert_contacts(self.conn, self.account.id, contacts)
        self._unsettle(touched)  # the other contacts' messages cannot change

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
            stored.write_settings(self.conn, self.account.id, settings, self._owner_id())
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
            stored.write_settings(self.conn, self.account.id, AccountSettings(), DEFAULT_OWNER)
            stored.write_users(self.conn, self.account.id, (owner,))

    def _unsettle(self, touched: Collection[str] | None = None) -> None:
        """What a change may re-decide: messages carrying ``touched`` (addresses, domains), else
        all; marked in the change's transaction, settled writing only verdicts that change."""
        if touched is None:
            mark_account(self.conn, self.account.id)
        else:
            mark_addresses(self.conn, self.account.id, touched)

    def _settle(self) -> Settled:
        return settle(self.conn, self.account)


__all__ = [
    "CrmConfig",
    "CrmKind",
    "CrmService",
    "PermissionDenied",
    "clean_entries",
    "has_crm_people",
]
