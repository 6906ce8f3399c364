"""An account's access token: in memory only, renewed from the refresh token in the keyring.

A token is renewed 60 seconds before it expires, and once more when a server refused it
(:meth:`AccessTokens.invalidate`, then :meth:`AccessTokens.token`). A provider that rotates
refresh tokens (Microsoft) has the new one written back to the keyring at once. One
:class:`AccessTokens` per account is shared by the whole process (:func:`tokens_for`), so the
app's periodic syncs and the forward to the CRM reuse one access token instead of renewing it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Final, Protocol

from core.auth.errors import SignInRequired
from core.auth.flow import Tokens, refresh
from core.auth.providers import OAuthConfig, OAuthProvider, preset
from core.i18n import _

EARLY: Final = 60.0  # renew this many seconds before the expiry the provider announced


class Secrets(Protocol):
    """The two keyring calls used here (``core.mail.secrets.KeyringStore`` fits)."""

    def get(self, key: str) -> str | None: ...

    def set(self, key: str, secret: str) -> None: ...


def provider_for(config: OAuthConfig, folder: Path) -> OAuthProvider:
    """The provider an account signs in with (a preset, or discovered from its issuer)."""
    if config.provider == "custom":
        from core.auth.discovery import discover

        if not config.issuer:
            raise SignInRequired(_("this account has no issuer URL: add it again"))
        return discover(config.issuer, config.client_id)
    return preset(config, folder)


class AccessTokens:
    """The current access token of one account (thread-safe)."""

    def __init__(
        self,
        key: str,
        secrets: Secrets,
        provider: Callable[[], OAuthProvider],
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.key = key  # the refresh token's keyring key
        self._secrets = secrets
        self._provider_factory = provider
        self._provider: OAuthProvider | None = None
        self._clock = clock
        self._tokens: Tokens | None = None
        self._lock = threading.Lock()
        self.renewals = 0  # how many times the refresh token was used (for the curious)

    def __repr__(self) -> str:
        return f"AccessTokens({self.key!r})"

    @property
    def provider(self) -> OAuthProvider:
        if self._provider is None:
            self._provider = self._provider_factory()
        return self._provider

    def token(self) -> str:
        """A token valid for at least another minute (renewed first when needed)."""
        with self._lock:
            current = self._tokens
            if current is None or current.expires_at - EARLY <= self._clock():
                current = self._renew()
            return current.access_token

    def invalidate(self) -> None:
        """The server refused the current token: the next ``token()`` renews it."""
        with self._lock:
            self._tokens = None

    def seed(self, tokens: Tokens) -> None:
        """Start from a fresh sign-in's tokens (its refresh token is stored by the caller)."""
        with self._lock:
            self._tokens = tokens

    def _renew(self) -> Tokens:
        stored = self._stored_refresh_token()
        tokens = refresh(self.provider, stored, self._clock())
        self.renewals += 1
        if tokens.refresh_token and tokens.refresh_token != stored:
            self._secrets.set(self.key, tokens.refresh_token)
        self._tokens = tokens
        return tokens

    def _stored_refresh_token(self) -> str:
        """The refresh token in the keyring; SignInRequired when there is none."""
        stored = self._secrets.get(self.key)
        if not stored:
            raise SignInRequired(_("no sign-in is stored for this account: sign in again"))
        return stored


_REGISTRY: dict[tuple[str, str], AccessTokens] = {}
_REGISTRY_LOCK = threading.Lock()


def tokens_for(key: str, config: OAuthConfig, secrets: Secrets, folder: Path) -> AccessTokens:
    """The process's shared :class:`AccessTokens` for a refresh-token key and sign-in config."""
    with _REGISTRY_LOCK:
        found = _REGISTRY.get((key, config.to_json()))
        if found is None:
            found = AccessTokens(key, secrets, lambda: provider_for(config, folder))
            _REGISTRY[(key, config.to_json())] = found
        found._secrets = secrets  # the refresh token is always read from the caller's store
        return found


def forget(key: str | None = None) -> None:
    """Drop the in-memory tokens of a refresh-token key (of every key when None)."""
    with _REGISTRY_LOCK:
        for entry in [k for k in _REGISTRY if key is None or k[0] == key]:
            del _REGISTRY[entry]
