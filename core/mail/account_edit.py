"""Changing an IMAP account's server settings in place (the cache stays; the keyring keeps the
password): the "Edit" of the desktop's Accounts dialog.

A change of server or user makes the cached folders another mailbox's: the folders' sync
state is reset so the next sync starts over, and nothing cached is kept that the new server
did not send. A changed password only goes to the keyring.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from core.i18n import _
from core.mail.accounts import AccountError, find
from core.mail.secrets import SecretStore, imap_key
from core.mail.source import Security
from core.store.accounts import Account, AccountKind, get_account, set_server


def _security(value: Security | str) -> Security:
    try:
        return Security(value)
    except ValueError:
        raise AccountError(
            _("bad security %(value)r: expected ssl, starttls or none") % {"value": value}
        ) from None


def _check_host(host: str, chosen: Security) -> None:
    """A host name without spaces; a clear-text connection only to this machine."""
    from core.mail.imap_conn import is_loopback

    if not host or any(c.isspace() for c in host):
        raise AccountError(f"bad host name {host!r}")
    if chosen is Security.NONE and not is_loopback(host):
        raise AccountError(
            _("security 'none' sends the password in clear: not allowed for %(host)s")
            % {"host": host}
        )


def update_imap(
    conn: sqlite3.Connection,
    secrets: SecretStore,
    name: str,
    *,
    host: str,
    user: str,
    port: int,
    security: Security | str,
    ca_file: str | None = None,
    password: str | None = None,
) -> Account:
    """Save new server settings for an IMAP account (``password`` None: keep the stored one)."""
    account = find(conn, name)
    if account.kind is not AccountKind.IMAP:
        raise AccountError(
            _("%(name)s is a local mailbox: it has no server settings") % {"name": name}
        )
    chosen = _security(security)
    host, user = host.strip(), user.strip()
    _check_host(host, chosen)
    if not 0 < port < 65536:
        raise AccountError(_("bad port %(port)s: expected 1-65535") % {"port": port})
    if not user:
        raise AccountError(_("the user name is empty"))
    if ca_file and not Path(ca_file).expanduser().is_file():
        raise AccountError(_("%(ca_file)s: no such CA file") % {"ca_file": ca_file})
    set_server(conn, account, host=host, user=user, port=port, security=chosen.value,
               ca_file=ca_file or None)  # fmt: skip
    if password:
        secrets.set(imap_key(name), password)
    updated = get_account(conn, name)
    assert updated is not None
    return updated
