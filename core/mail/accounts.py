"""Accounts: add, list, remove, and open their mail source; passwords only in the keyring."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from typing import Final

from core.mail.secrets import SecretStore, imap_key
from core.mail.source import MailError, MailSource, Security
from core.store import accounts as store
from core.store.accounts import Account, AccountKind

_NAME: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@+-]{0,63}")
_HOST: Final = re.compile(r"[A-Za-z0-9._:\[\]-]{1,253}")


class AccountError(ValueError):
    """An account that cannot be added or used as given; the message is one line."""


def default_port(security: Security) -> int:
    return 993 if security is Security.SSL else 143


def _check_name(conn: sqlite3.Connection, name: str) -> None:
    if _NAME.fullmatch(name) is None:
        raise AccountError(
            f"bad account name {name!r}: use letters, digits and . _ @ + - (at most 64)"
        )
    if store.get_account(conn, name) is not None:
        raise AccountError(f"an account named {name!r} exists already")


def add_imap(
    conn: sqlite3.Connection,
    secrets: SecretStore,
    name: str,
    *,
    host: str,
    user: str,
    password: str,
    port: int | None = None,
    security: Security = Security.SSL,
    ca_file: str | None = None,
) -> Account:
    """Validate and add an IMAP account; the password goes to the keyring only."""
    from core.mail.imap_conn import is_loopback

    _check_name(conn, name)
    try:
        security = Security(security)  # a plain string must meet the same checks as the enum
    except ValueError:
        raise AccountError(f"bad security {security!r}: expected ssl, starttls or none") from None
    host = host.strip()
    if _HOST.fullmatch(host) is None:
        raise AccountError(f"bad host name {host!r}")
    if security is Security.NONE and not is_loopback(host):
        raise AccountError(
            f"security 'none' sends the password in clear: only allowed for a loopback host,"
            f" not {host}"
        )
    if port is not None and not 0 < port < 65536:
        raise AccountError(f"bad port {port}: expected 1-65535")
    if not user.strip():
        raise AccountError("the user name is empty")
    if not password:
        raise AccountError("the password is empty")
    if ca_file is not None:
        ca_path = Path(ca_file).expanduser()
        if not ca_path.is_file():
            raise AccountError(f"{ca_file}: no such CA file")
        ca_file = str(ca_path.resolve())
    secrets.set(imap_key(name), password)
    try:
        return store.insert_account(
            conn,
            name,
            AccountKind.IMAP,
            host=host,
            port=port if port is not None else default_port(security),
            security=security.value,
            user=user.strip(),
            ca_file=ca_file,
        )
    except BaseException:
        secrets.delete(imap_key(name))
        raise


def add_local(conn: sqlite3.Connection, name: str, kind: AccountKind, path: str) -> Account:
    """Add a Maildir or mbox account reading ``path``."""
    _check_name(conn, name)
    where = Path(path).expanduser()
    if kind is AccountKind.MAILDIR and not (where / "cur").is_dir():
        raise AccountError(f"{path}: not a Maildir (no cur/ folder)")
    if kind is AccountKind.MBOX and not where.exists():
        raise AccountError(f"{path}: no such mbox file or folder")
    if kind is AccountKind.IMAP:
        raise AccountError("an IMAP account needs a host")
    return store.insert_account(conn, name, kind, path=str(where.resolve()))


def find(conn: sqlite3.Connection, name: str) -> Account:
    account = store.get_account(conn, name)
    if account is None:
        raise AccountError(f"no account named {name!r} (see: mailscope account list)")
    return account


def remove(conn: sqlite3.Connection, secrets: SecretStore, name: str) -> None:
    """Remove an account, its cached mail and its password."""
    account = find(conn, name)
    store.delete_account(conn, name)
    if account.kind is AccountKind.IMAP:
        secrets.delete(imap_key(name))


def describe(account: Account) -> str:
    """One line for ``account list``."""
    if account.kind is AccountKind.IMAP:
        return (
            f"{account.name}\timap\t{account.user}@{account.host}:{account.port}"
            f"\t{account.security}"
        )
    return f"{account.name}\t{account.kind.value}\t{account.path}"


def open_source(conn: sqlite3.Connection, account: Account, secrets: SecretStore) -> MailSource:
    """Connect to an account's mailbox (raises ``MailError`` with a one-line reason)."""
    if account.kind is AccountKind.IMAP:
        from core.mail.imap import ImapSource
        from core.mail.imap_conn import ImapSettings

        password = secrets.get(imap_key(account.name))
        if password is None:
            raise MailError(
                f"no password for {account.name!r} in the keyring: add the account again"
            )
        assert account.host is not None and account.user is not None
        settings = ImapSettings(
            host=account.host,
            user=account.user,
            port=account.port,
            security=Security(account.security or Security.SSL.value),
            ca_file=account.ca_file,
        )
        return ImapSource(settings, password)
    from core.mail.local import LocalSource
    from core.store.localkeys import LocalKeys

    assert account.path is not None
    return LocalSource(account.path, account.kind.value, LocalKeys(conn, account.id))
