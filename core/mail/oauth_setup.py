"""Connecting an OAuth2 account: sign in, prove the token on the server, then store it.

Used by ``mailscope account add --oauth2`` and ``account login``, and by the account dialog.
Nothing is stored until the server accepted the new token, and then only the refresh token,
in the keyring; the access token stays in memory (``core.auth.tokens``).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from core.auth.errors import OAuthError
from core.auth.flow import SIGN_IN_TIMEOUT, Tokens, sign_in
from core.auth.providers import OAuthConfig, OAuthProvider, default_config
from core.auth.tokens import AccessTokens, provider_for, tokens_for
from core.i18n import _
from core.mail import accounts
from core.mail.accounts import AccountError, Server
from core.mail.imap_conn import ImapSettings
from core.mail.secrets import SecretStore, oauth2_key
from core.store import accounts as store
from core.store.accounts import Account


@dataclass(frozen=True, slots=True)
class SignedIn:
    """A finished sign-in: the provider and its tokens (in memory; repr hides them)."""

    config: OAuthConfig
    provider: OAuthProvider
    tokens: Tokens


class _Seeded:
    """Bearer tokens for the proof login: the sign-in's own access token, once."""

    def __init__(self, tokens: Tokens) -> None:
        self._token: str | None = tokens.access_token

    def token(self) -> str:
        if self._token is None:
            raise OAuthError(_("the server refused the new sign-in's token"))
        return self._token

    def invalidate(self) -> None:
        self._token = None


def config_for(
    kind: str, folder: Path, *, client_id: str | None = None, issuer: str | None = None
) -> OAuthConfig:
    """The sign-in config of a new account (raises AccountError for a missing issuer/client)."""
    if kind == "custom":
        if not issuer or not client_id:
            raise AccountError(_("--oauth2 custom needs --issuer URL and --client-id ID"))
        return OAuthConfig("custom", client_id, issuer=issuer)
    if kind not in ("google", "microsoft"):
        raise AccountError(
            _("unknown sign-in provider %(kind)r: google, microsoft or custom") % {"kind": kind}
        )
    base = default_config(kind, folder)
    return OAuthConfig(kind, client_id or base.client_id, tenant=base.tenant)


def run_sign_in(
    config: OAuthConfig,
    folder: Path,
    *,
    email: str,
    open_url: Callable[[str], object],
    timeout: float = SIGN_IN_TIMEOUT,
    cancel: threading.Event | None = None,
) -> SignedIn:
    """The browser sign-in for ``config`` (raises OAuthError with one line)."""
    provider = provider_for(config, folder)
    tokens = sign_in(provider, login_hint=email, open_url=open_url, timeout=timeout, cancel=cancel)
    if not tokens.refresh_token:
        raise OAuthError(
            _("%(provider_label)s gave no refresh token: Mailscope could not stay signed in")
            % {"provider_label": provider.label}
        )
    return SignedIn(config, provider, tokens)


def prove(server: Server, user: str, signed: SignedIn, timeout: float = 30.0) -> int:
    """Log in with the new token and count the folders (raises MailError)."""
    from core.mail.imap import ImapSource

    settings = ImapSettings(
        server.host, user, server.port, server.security, server.ca_file, timeout
    )
    with ImapSource(settings, _Seeded(signed.tokens)) as source:
        return len(source.folders())


def save(
    conn: sqlite3.Connection,
    secrets: SecretStore,
    name: str,
    *,
    server: Server,
    user: str,
    email: str,
    signed: SignedIn,
) -> Account:
    """Store the account and its refresh token; its access token goes to the shared tokens."""
    assert signed.tokens.refresh_token is not None
    account = accounts.add_oauth2(
        conn,
        secrets,
        name,
        server=server,
        user=user,
        auth=signed.config.to_json(),
        refresh_token=signed.tokens.refresh_token,
        email=email,
    )
    _shared(account, secrets, signed).seed(signed.tokens)
    return account


def login_again(
    conn: sqlite3.Connection, secrets: SecretStore, account: Account, signed: SignedIn
) -> None:
    """Replace an account's sign-in after ``account login`` (the cache is untouched)."""
    assert signed.tokens.refresh_token is not None
    secrets.set(oauth2_key(account.name), signed.tokens.refresh_token)
    store.set_auth(conn, account.name, signed.config.to_json())
    fresh = store.get_account(conn, account.name)
    assert fresh is not None
    _shared(fresh, secrets, signed).seed(signed.tokens)


def _shared(account: Account, secrets: SecretStore, signed: SignedIn) -> AccessTokens:
    from core.store.db import home

    return tokens_for(oauth2_key(account.name), signed.config, secrets, home())


def account_config(account: Account) -> OAuthConfig:
    if account.auth is None:
        raise AccountError(
            _("%(account)s signs in with a password: nothing to sign in again")
            % {"account": account.name}
        )
    return OAuthConfig.from_json(account.auth)
