"""Accounts: add, list, remove, and open their mail source; passwords only in the keyring."""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Final

from core.i18n import _
from core.mail.secrets import SecretStore, imap_key, oauth2_key
from core.mail.source import MailError, MailSource, Security
from core.store import accounts as store
from core.store.accounts import Account, AccountKind

if TYPE_CHECKING:
    from core.auth.tokens import AccessTokens

_NAME: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@+-]{0,63}")
_HOST: Final = re.compile(r"[A-Za-z0-9._:\[\]-]{1,253}")


class AccountError(ValueError):
    """An account that cannot be added or used as given; the message is one line."""


def default_port(security: Security) -> int:
    return 993 if security is Security.SSL else 143


def check_name(conn: sqlite3.Connection, name: str) -> None:
    if _NAME.fullmatch(name) is None:
        raise AccountError(
            _("bad account name %(name)r: use letters, digits and . _ @ + - (at most 64)")
            % {"name": name}
        )
    if store.get_account(conn, name) is not None:
        raise AccountError(_("an account named %(name)r exists already") % {"name": name})


@dataclass(frozen=True, slots=True)
class Server:
    """Where an IMAP mailbox is: checked by :func:`check_server` before anything is stored."""

    host: str
    port: int
    security: Security
    ca_file: str | None = None


def check_server(
    host: str, port: int | None, security: Security | str, ca_file: str | None
) -> Server:
    """Validate where a mailbox is (raises AccountError with one line)."""
    from core.mail.imap_conn import is_loopback

    try:
        security = Security(security)  # a plain string must meet the same checks as the enum
    except ValueError:
        raise AccountError(
            _("bad security %(security)r: expected ssl, starttls or none") % {"security": security}
        ) from None
    host = host.strip()
    if _HOST.fullmatch(host) is None:
        raise AccountError(_("bad host name %(host)r") % {"host": host})
    if security is Security.NONE and not is_loopback(host):
        raise AccountError(
            _(
                "security 'none' sends the password in clear: only allowed "
                "for a loopback host, not %(host)s"
            )
            % {"host": host}
        )
    if port is not None and not 0 < port < 65536:
        raise AccountError(_("bad port %(port)s: expected 1-65535") % {"port": port})
    if ca_file is not None:
        ca_path = Path(ca_file).expanduser()
        if not ca_path.is_file():
            raise AccountError(_("%(ca_file)s: no such CA file") % {"ca_file": ca_file})
        ca_file = str(ca_path.resolve())
    return Server(host, port if port is not None else default_port(security), security, ca_file)


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
    email: str | None = None,
) -> Account:
    """Validate and add an IMAP account; the password goes to the keyring only."""
    check_name(conn, name)
    server = check_server(host, port, security, ca_file)
    if not user.strip():
        raise AccountError(_("the user name is empty"))
    if not password:
        raise AccountError(_("the password is empty"))
    return _insert(conn, secrets, (imap_key(name), password), name, server, user.strip(), email)


def add_oauth2(
    conn: sqlite3.Connection,
    secrets: SecretStore,
    name: str,
    *,
    server: Server,
    user: str,
    auth: str,
    refresh_token: str,
    email: str | None = None,
) -> Account:
    """Add an account that signs in with OAuth2; its refresh token goes to the keyring only."""
    check_name(conn, name)
    secret = (oauth2_key(name), refresh_token)
    return _insert(conn, secrets, secret, name, server, user, email, auth)


def _insert(
    conn: sqlite3.Connection,
    secrets: SecretStore,
    secret: tuple[str, str],
    name: str,
    server: Server,
    user: str,
    email: str | None,
    auth: str | None = None,
) -> Account:
    """Store the secret in the keyring, then the account (the secret goes if that fails)."""
    secrets.set(*secret)
    try:
        return _insert_row(conn, name, server, user, email, auth)
    except BaseException:
        secrets.delete(secret[0])
        raise


def _insert_row(
    conn: sqlite3.Connection,
    name: str,
    server: Server,
    user: str,
    email: str | None,
    auth: str | None,
) -> Account:
    return store.insert_account(
        conn,
        name,
        AccountKind.IMAP,
        host=server.host,
        port=server.port,
        security=server.security.value,
        user=user,
        ca_file=server.ca_file,
        email=email,
        auth=auth,
    )


def add_local(conn: sqlite3.Connection, name: str, kind: AccountKind, path: str) -> Account:
    """Add a Maildir or mbox account reading ``path``."""
    check_name(conn, name)
    where = Path(path).expanduser()
    if kind is AccountKind.MAILDIR and not (where / "cur").is_dir():
        raise AccountError(_("%(path)s: not a Maildir (no cur/ folder)") % {"path": path})
    if kind is AccountKind.MBOX and not where.exists():
        raise AccountError(_("%(path)s: no such mbox file or folder") % {"path": path})
    if kind is AccountKind.IMAP:
        raise AccountError(_("an IMAP account needs a host"))
    return store.insert_account(conn, name, kind, path=str(where.resolve()))


def find(conn: sqlite3.Connection, name: str) -> Account:
    account = store.get_account(conn, name)
    if account is None:
        raise AccountError(
            _("no account named %(name)r (see: mailscope account list)") % {"name": name}
        )
    return account


def remove(conn: sqlite3.Connection, secrets: SecretStore, name: str) -> None:
    """Remove an account, its cached mail and its password or sign-in."""
    account = find(conn, name)
    store.delete_account(conn, name)
    if account.kind is AccountKind.IMAP:
        secrets.delete(imap_key(name))
        if account.auth is not None:
            from core.auth.tokens import forget

            secrets.delete(oauth2_key(name))
            forget(oauth2_key(name))


def describe(account: Account) -> str:
    """One line for ``account list``."""
    if account.kind is AccountKind.IMAP:
        return _describe_imap(account)
    return f"{account.name}\t{account.kind.value}\t{account.path}"


def _describe_imap(account: Account) -> str:
    """Its server, security and (for a browser sign-in) the provider."""
    how = f"\toauth2 {_provider(account.auth)}" if account.auth is not None else ""
    return (
        f"{account.name}\timap\t{account.user}@{account.host}:{account.port}"
        f"\t{account.security}{how}"
    )


def _provider(auth: str) -> str:
    import json

    try:
        return str(json.loads(auth).get("provider", "?"))
    except ValueError:
        return "?"


def tokens_of(account: Account, secrets: SecretStore) -> AccessTokens:
    """The shared access tokens of an OAuth2 account (renewed from its keyring entry)."""
    from core.auth.providers import OAuthConfig
    from core.auth.tokens import tokens_for
    from core.store.db import home

    assert account.auth is not None
    config = OAuthConfig.from_json(account.auth)
    return tokens_for(oauth2_key(account.name), config, secrets, home())


def open_source(conn: sqlite3.Connection, account: Account, secrets: SecretStore) -> MailSource:
    """Connect to an account's mailbox (raises ``MailError`` with a one-line reason)."""
    if account.kind is AccountKind.IMAP:
        from core.mail.imap import ImapSource
        from core.mail.imap_conn import ImapSettings

        assert account.host is not None and account.user is not None
        settings = ImapSettings(
            host=account.host,
            user=account.user,
            port=account.port,
            security=Security(account.security or Security.SSL.value),
            ca_file=account.ca_file,
        )
        if account.auth is not None:
            return ImapSource(settings, tokens_of(account, secrets))
        password = secrets.get(imap_key(account.name))
        if password is None:
            raise MailError(
                _("no password for %(account)r in the keyring: add the account again")
                % {"account": account.name}
            )
        return ImapSource(settings, password)
    from core.mail.local import LocalSource
    from core.store.localkeys import LocalKeys

    assert account.path is not None
    return LocalSource(account.path, account.kind.value, LocalKeys(conn, account.id))
