"""Access tokens in memory, refresh tokens in the keyring: renewal before expiry, refusal."""

from __future__ import annotations

import time

import pytest

from core.auth.discovery import discover
from core.auth.errors import SignInRequired
from core.auth.flow import Tokens, sign_in
from core.auth.tokens import EARLY, AccessTokens
from core.mail.secrets import KeyringStore
from tests.helpers.oauth import CLIENT_ID, Browser, OAuthServer

KEY = "oauth2:work"


class Clock:
    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


def signed_in(
    oauth: OAuthServer, secrets: KeyringStore, clock: Clock
) -> tuple[AccessTokens, Tokens]:
    provider = discover(oauth.issuer, CLIENT_ID)
    tokens = sign_in(provider, login_hint="rep@example.test", open_url=Browser(), timeout=20)
    assert tokens.refresh_token is not None
    secrets.set(KEY, tokens.refresh_token)
    source = AccessTokens(KEY, secrets, lambda: provider, clock=clock)
    source.seed(tokens)
    return source, tokens


def test_the_token_is_renewed_60_seconds_before_it_expires(
    oauth: OAuthServer, secrets: KeyringStore
) -> None:
    clock = Clock()
    source, first = signed_in(oauth, secrets, clock)
    clock.now = first.expires_at - EARLY - 1  # 61 s left: still good
    assert source.token() == first.access_token and source.renewals == 0
    clock.now = first.expires_at - EARLY + 1  # 59 s left: renewed
    second = source.token()
    assert second != first.access_token and source.renewals == 1
    assert [r["grant_type"] for r in oauth.requests()] == ["authorization_code", "refresh_token"]
    # The provider rotated the refresh token: the new one is in the keyring, the old one gone.
    stored = secrets.get(KEY)
    assert stored and stored != first.refresh_token
    assert source.token() == second and source.renewals == 1  # in memory until it ages


def test_a_refused_token_is_renewed_once_on_request(
    oauth: OAuthServer, secrets: KeyringStore
) -> None:
    source, first = signed_in(oauth, secrets, Clock())
    source.invalidate()  # what the IMAP login does after a refusal
    assert source.token() != first.access_token and source.renewals == 1


def test_a_refused_refresh_asks_to_sign_in_again(oauth: OAuthServer, secrets: KeyringStore) -> None:
    source, first = signed_in(oauth, secrets, Clock())
    oauth.revoke()
    source.invalidate()
    with pytest.raises(SignInRequired) as caught:
        source.token()
    text = str(caught.value)
    assert text == (
        "127.0.0.1 no longer accepts this sign-in (it expired or was revoked): sign in again"
    )
    assert first.refresh_token is not None and first.refresh_token not in text
    assert secrets.get(KEY) == first.refresh_token  # kept: a later "Sign in again" replaces it


def test_no_stored_sign_in_is_one_line(oauth: OAuthServer, secrets: KeyringStore) -> None:
    source = AccessTokens(KEY, secrets, lambda: discover(oauth.issuer, CLIENT_ID))
    with pytest.raises(SignInRequired, match="no sign-in is stored for this account"):
        source.token()
