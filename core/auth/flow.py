"""The desktop sign-in of RFC 8252 with PKCE (RFC 7636), and the token endpoint's two calls.

A small module over httpx rather than authlib, for two measured reasons: authlib 1.9's httpx
client is deprecated (it warns on import and is to be removed in favour of another HTTP
package), and importing it took 216-248 ms against 119 ms for httpx alone (``python -X
importtime``, this machine), paid by every ``mailscope sync`` of a signed-in account. What it
would do for us is two form POSTs and a JSON answer; the checks that matter (state, redirect,
issuer, client id, nonce) Mailscope makes itself, in ``loopback`` and ``idtoken``.

Secrets (code, verifier, tokens) live in local variables and in :class:`Tokens`, whose repr
hides them; errors carry the provider's error code, never a request or a response body.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Final
from urllib.parse import urlencode, urlsplit

from core.auth.errors import OAuthError, SignInRequired
from core.auth.idtoken import check_id_token, issuer_matches
from core.auth.loopback import RedirectReceiver
from core.auth.providers import OAuthProvider
from core.i18n import _

SIGN_IN_TIMEOUT: Final = 300.0  # five minutes for the user to sign in in the browser
_HTTP_TIMEOUT: Final = 20.0


@dataclass(frozen=True, slots=True)
class Tokens:
    """What a sign-in or a refresh gave; the tokens never show in a repr."""

    access_token: str = field(repr=False)
    expires_at: float  # time.time() seconds
    refresh_token: str | None = field(default=None, repr=False)
    email: str | None = None  # who signed in, from the ID token


@dataclass(frozen=True, slots=True)
class Pkce:
    """A PKCE pair (RFC 7636 §4.1-4.2): the verifier stays here, the challenge travels."""

    verifier: str = field(repr=False)

    @classmethod
    def new(cls) -> Pkce:
        return cls(secrets.token_urlsafe(64))  # 86 characters of [A-Za-z0-9_-]

    @property
    def challenge(self) -> str:
        digest = hashlib.sha256(self.verifier.encode("ascii")).digest()
        return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")


def authorization_url(
    provider: OAuthProvider, redirect_uri: str, state: str, pkce: Pkce, nonce: str, hint: str
) -> str:
    params = {
        "response_type": "code",
        "client_id": provider.client_id,
        "redirect_uri": redirect_uri,
        "scope": " ".join(provider.scopes),
        "state": state,
        "nonce": nonce,
        "code_challenge": pkce.challenge,
        "code_challenge_method": "S256",
        **dict(provider.extra_params),
    }
    if hint:
        params["login_hint"] = hint
    joiner = "&" if urlsplit(provider.authorization_endpoint).query else "?"
    return provider.authorization_endpoint + joiner + urlencode(params)


def sign_in(
    provider: OAuthProvider,
    *,
    login_hint: str,
    open_url: Callable[[str], object],
    timeout: float = SIGN_IN_TIMEOUT,
    port: int = 0,
    cancel: threading.Event | None = None,
) -> Tokens:
    """Sign in through the browser: ``open_url(url)`` shows the provider's page to the user.

    Raises OAuthError (SignInTimeout, StateMismatch, Cancelled...) with one line.
    """
    state, nonce, pkce = secrets.token_urlsafe(32), secrets.token_urlsafe(16), Pkce.new()
    with RedirectReceiver(port) as receiver:
        url = authorization_url(provider, receiver.redirect_uri, state, pkce, nonce, login_hint)
        open_url(url)
        code = receiver.wait(
            state,
            timeout=timeout,
            cancel=cancel,
            check_issuer=lambda iss: issuer_matches(provider.issuer, iss, _tenant_of(iss)),
        )
    answer = _redeem_code(provider, code, receiver.redirect_uri, pkce)
    email = _who_signed_in(provider, answer, nonce)
    tokens = _tokens(answer, provider, None, time.time())
    return Tokens(tokens.access_token, tokens.expires_at, tokens.refresh_token, email)


def _redeem_code(
    provider: OAuthProvider, code: str, redirect_uri: str, pkce: Pkce
) -> dict[str, Any]:
    """The token endpoint's answer to the authorization code (with the PKCE verifier)."""
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": redirect_uri,
        "client_id": provider.client_id,
        "code_verifier": pkce.verifier,
    }
    return _token_request(provider, form)


def _who_signed_in(provider: OAuthProvider, answer: dict[str, Any], nonce: str) -> str | None:
    """The address in the answer's ID token, once the token is checked (issuer, client, nonce)."""
    if not isinstance(answer.get("id_token"), str):
        raise OAuthError(
            _("%(provider_label)s sent no ID token: cannot check who signed in")
            % {"provider_label": provider.label}
        )
    found = check_id_token(
        answer["id_token"], issuer=provider.issuer, client_id=provider.client_id, nonce=nonce
    )
    return found.get("email") or found.get("preferred_username")


def _tenant_of(issuer: str) -> str | None:
    parts = urlsplit(issuer).path.strip("/").split("/")
    return parts[0] if parts and parts[0] else None


def refresh(provider: OAuthProvider, refresh_token: str, now: float | None = None) -> Tokens:
    """New tokens for a refresh token; SignInRequired when the provider refuses it.

    ``now`` is the clock of the caller, against which the expiry is counted.
    """
    answer = _token_request(provider, _refresh_form(provider, refresh_token))
    return _tokens(answer, provider, refresh_token, time.time() if now is None else now)


def _refresh_form(provider: OAuthProvider, refresh_token: str) -> dict[str, str]:
    """The token request's form of a refresh (RFC 6749 section 6)."""
    return {
        "grant_type": "refresh_token",
        "refresh_token": refresh_token,
        "client_id": provider.client_id,
        "scope": " ".join(provider.scopes),
    }


def _tokens(
    answer: dict[str, Any], provider: OAuthProvider, old_refresh: str | None, now: float
) -> Tokens:
    access = answer.get("access_token")
    if not isinstance(access, str) or not access:
        raise OAuthError(
            _("%(provider_label)s answered without an access token")
            % {"provider_label": provider.label}
        )
    return Tokens(access, now + _lifetime(answer), _refresh_token(answer, old_refresh))


def _lifetime(answer: dict[str, Any]) -> float:
    """The access token's ``expires_in`` seconds; an hour when missing or unreadable."""
    try:
        return float(answer.get("expires_in", 3600))
    except (TypeError, ValueError):
        return 3600.0


def _refresh_token(answer: dict[str, Any], old_refresh: str | None) -> str | None:
    """The new refresh token if the answer has one, else the one refreshed with."""
    fresh = answer.get("refresh_token")
    return fresh if isinstance(fresh, str) and fresh else old_refresh


def _token_request(provider: OAuthProvider, form: dict[str, str]) -> dict[str, Any]:
    """POST to the token endpoint; the answer's JSON, or a one-line error."""
    import httpx

    where = urlsplit(provider.token_endpoint).hostname or provider.label
    try:
        response = httpx.post(
            provider.token_endpoint,
            data=form,
            headers={"Accept": "application/json"},
            timeout=_HTTP_TIMEOUT,
            follow_redirects=False,
        )
    except httpx.HTTPError as error:
        raise OAuthError(
            _("cannot reach %(where)s: %(name)s") % {"where": where, "name": type(error).__name__}
        ) from None
    answer = _json_object(response)
    if answer is None:
        raise OAuthError(
            _("%(where)s answered HTTP %(status_code)s without a JSON body")
            % {"where": where, "status_code": response.status_code}
        )
    if response.status_code != 200 or "error" in answer:
        raise _refused(provider, form["grant_type"], answer, response.status_code)
    return answer


def _json_object(response: Any) -> dict[str, Any] | None:
    """The response's JSON body if it is an object, else None."""
    try:
        answer = response.json()
    except ValueError:
        return None
    return answer if isinstance(answer, dict) else None


def _refused(
    provider: OAuthProvider, grant: str, answer: dict[str, Any], status: int
) -> OAuthError:
    error = str(answer.get("error") or f"HTTP {status}")[:60]
    if grant == "refresh_token" and error in ("invalid_grant", "interaction_required"):
        return SignInRequired(
            _(
                "%(provider_label)s no longer accepts this sign-in (it "
                "expired or was revoked): sign in again"
            )
            % {"provider_label": provider.label}
        )
    return OAuthError(
        _("%(provider_label)s refused the sign-in (%(error)s)")
        % {"provider_label": provider.label, "error": error}
    )
