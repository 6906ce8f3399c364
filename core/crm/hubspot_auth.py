"""How Mailscope proves who it is to HubSpot: a static token, or OAuth tokens it refreshes.

HubSpot stopped letting accounts create legacy private apps (28 Sep 2026 for new accounts,
26 Oct 2026 for the others: the developer changelog, "Legacy Private App Creation Being
Disabled"). What replaces them for an in-account integration is a **Service Key** (Settings ›
Integrations › Service keys; scoped like a private app, static, no refresh). A public app uses
**OAuth**: its access token expires (``expires_in``, 30 minutes at HubSpot) and is refreshed
with the refresh token. All of them go in the same ``Authorization: Bearer`` header, so the
transport asks a ``TokenSource`` for the current bearer before every request.

``OAuthSession`` refreshes ahead of ``expires_in`` (HubSpot's usage guidelines: apps keep the
time-to-live and refresh by it; a 401 is not the signal to refresh) and hands every new token
to ``save`` (the keyring, ``core.mail.secrets``, through :func:`store_oauth`): tokens and the
app's client secret live in the keyring only. Nothing here prints a secret; errors name the
portal or the app, never a value.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Final, Protocol

from core.crm.errors import AuthError, CrmUnavailable
from core.i18n import _, lazy_gettext
from core.mail.secrets import SecretStore, hubspot_app_key, hubspot_key, hubspot_oauth_key

DEFAULT_AUTHORIZE_URL: Final = "https://app.hubspot.com/oauth/authorize"
TOKEN_PATH: Final = "/oauth/v3/token"  # HubSpot-public-api-spec-collection, Auth/Oauth v3
INTROSPECT_PATH: Final = "/oauth/v3/token/introspect"
REFRESH_MARGIN: Final = 300.0  # refresh when less than this many seconds are left


class TokenSource(Protocol):
    """Gives the bearer for the next request; ``kind`` is "token" or "oauth"."""

    @property
    def kind(self) -> str: ...

    def bearer(self) -> str: ...

    def secrets(self) -> tuple[str, ...]:
        """Every secret value it holds, for the transport to redact from server echoes."""
        ...


class StaticToken:
    """A Service Key or a (legacy) private-app access token: static, sent as it is."""

    kind: Final = "token"

    def __init__(self, token: str) -> None:
        token = token.strip() if token else ""
        if not token:
            raise AuthError(_("No HubSpot token: paste a Service Key (or sign in) to connect."))
        self._token = token

    def __repr__(self) -> str:
        return "StaticToken()"

    def bearer(self) -> str:
        return self._token

    def secrets(self) -> tuple[str, ...]:
        return (self._token,)


@dataclass(frozen=True, slots=True)
class OAuthTokens:
    """An OAuth grant as kept in the keyring; ``expires_at`` is wall-clock seconds."""

    access_token: str = field(repr=False)
    refresh_token: str = field(repr=False)
    expires_at: float

    def to_json(self) -> str:
        return json.dumps(
            {"access": self.access_token, "refresh": self.refresh_token, "expires": self.expires_at}
        )

    @classmethod
    def from_json(cls, text: str) -> OAuthTokens:
        data = json.loads(text)
        return cls(str(data["access"]), str(data["refresh"]), float(data["expires"]))


@dataclass(frozen=True, slots=True)
class OAuthApp:
    """The public app Mailscope signs in through (the client secret comes from the keyring)."""

    client_id: str
    client_secret: str = field(repr=False)
    api_url: str = "https://api.hubapi.com"
    authorize_url: str = DEFAULT_AUTHORIZE_URL

    @property
    def token_url(self) -> str:
        return self.api_url.rstrip("/") + TOKEN_PATH


@dataclass(frozen=True, slots=True)
class Grant:
    """What a token answer says besides the tokens: the portal, the user and the scopes."""

    tokens: OAuthTokens
    hub_id: str | None
    user_id: str | None
    scopes: tuple[str, ...]


def post_form(app: OAuthApp, url: str, form: dict[str, str], timeout: float = 30.0) -> Any:
    """POST a form to HubSpot's OAuth endpoints; the JSON answer, or a one-line error."""
    import httpx  # here: the command line's start-up does not pay for it

    try:
        with httpx.Client(timeout=timeout) as http:
            response = http.post(url, data=form, headers={"Accept": "application/json"})
    except httpx.HTTPError as error:
        reason = type(error).__name__
        raise CrmUnavailable(f"Cannot reach HubSpot's sign-in service ({reason}).") from None
    try:
        data = response.json()
    except ValueError:
        data = {}
    if response.status_code >= 500:
        raise CrmUnavailable(f"HubSpot's sign-in service is failing ({response.status_code}).")
    if response.status_code >= 400 or not isinstance(data, dict):
        said = (data.get("message") or data.get("error")) if isinstance(data, dict) else None
        raise AuthError(
            _(
                "HubSpot refused the sign-in of app %(client_id)s "
                "(%(status_code)s: %(said)s): connect HubSpot again."
            )
            % {
                "client_id": app.client_id,
                "status_code": response.status_code,
                "said": str(said or "no details")[:160],
            }
        )
    return data


def grant_of(data: dict[str, Any], now: float, previous_refresh: str = "") -> Grant:
    """Read an ``AccessTokenResponse`` (access_token, refresh_token, expires_in, hub_id...)."""
    access = str(data.get("access_token") or "")
    refresh = str(data.get("refresh_token") or previous_refresh)
    if not access or not refresh:
        raise AuthError(_("HubSpot's sign-in answer has no token: connect HubSpot again."))
    expires_in = float(data.get("expires_in") or 0)
    scopes = data.get("scopes") or data.get("scope") or ()
    if isinstance(scopes, str):
        scopes = scopes.split()
    hub = data.get("hub_id")
    user = data.get("user_id")
    return Grant(
        OAuthTokens(access, refresh, now + expires_in),
        str(hub) if hub is not None else None,
        str(user) if user is not None else None,
        tuple(str(s) for s in scopes),
    )


class OAuthSession:
    """OAuth tokens of one portal, refreshed before they expire and saved after each refresh."""

    kind: Final = "oauth"

    def __init__(
        self,
        app: OAuthApp,
        tokens: OAuthTokens,
        save: Callable[[OAuthTokens], None],
        *,
        now: Callable[[], float] = time.time,
        margin: float = REFRESH_MARGIN,
    ) -> None:
        self._app = app
        self._tokens = tokens
        self._save = save
        self._now = now
        self._margin = margin
        self._lock = threading.Lock()
        self.refreshes = 0

    def __repr__(self) -> str:
        return f"OAuthSession(client_id={self._app.client_id!r})"

    @property
    def tokens(self) -> OAuthTokens:
        return self._tokens

    def bearer(self) -> str:
        with self._lock:
            if self._tokens.expires_at - self._margin <= self._now():
                self._refresh()
            return self._tokens.access_token

    def secrets(self) -> tuple[str, ...]:
        t = self._tokens
        return (t.access_token, t.refresh_token, self._app.client_secret)

    def _refresh(self) -> None:
        form = {
            "grant_type": "refresh_token",
            "client_id": self._app.client_id,
            "client_secret": self._app.client_secret,
            "refresh_token": self._tokens.refresh_token,
        }
        data = post_form(self._app, self._app.token_url, form)
        grant = grant_of(data, self._now(), self._tokens.refresh_token)
        self._tokens = grant.tokens
        self.refreshes += 1
        self._save(grant.tokens)


# -- in the keyring ---------------------------------------------------------------------------

_CONNECT_AGAIN: Final = lazy_gettext("connect HubSpot again (CRM › Connect HubSpot…).")


def stored_token(secrets: SecretStore, portal: str) -> str:
    """The portal's Service Key or private-app token; ``AuthError`` when none is stored."""
    token = secrets.get(hubspot_key(portal))
    if not token:
        raise AuthError(
            _("No HubSpot token is stored for portal %(portal)s: %(connect_again)s")
            % {"portal": portal, "connect_again": _CONNECT_AGAIN}
        )
    return token


def store_token(secrets: SecretStore, portal: str, token: str) -> None:
    token = token.strip()
    if not token:
        raise AuthError(_("The HubSpot token is empty."))
    secrets.set(hubspot_key(portal), token)


def forget_portal(secrets: SecretStore, portal: str) -> None:
    """The portal's token and sign-in leave the keyring (forgetting twice is fine)."""
    secrets.delete(hubspot_key(portal))
    secrets.delete(hubspot_oauth_key(portal))


def stored_oauth(secrets: SecretStore, portal: str) -> OAuthTokens:
    """The portal's OAuth tokens; ``AuthError`` when none (or unreadable ones) are stored."""
    text = secrets.get(hubspot_oauth_key(portal))
    try:
        if text:
            return OAuthTokens.from_json(text)
    except (ValueError, KeyError, TypeError):
        pass
    raise AuthError(
        _("No HubSpot sign-in is stored for portal %(portal)s: %(connect_again)s")
        % {"portal": portal, "connect_again": _CONNECT_AGAIN}
    )


def store_oauth(secrets: SecretStore, portal: str, tokens: OAuthTokens) -> None:
    secrets.set(hubspot_oauth_key(portal), tokens.to_json())


def stored_client_secret(secrets: SecretStore, client_id: str) -> str:
    secret = secrets.get(hubspot_app_key(client_id))
    if not secret:
        raise AuthError(
            _("No client secret is stored for the HubSpot app %(client_id)s: %(connect_again)s")
            % {"client_id": client_id, "connect_again": _CONNECT_AGAIN}
        )
    return secret


def store_client_secret(secrets: SecretStore, client_id: str, secret: str) -> None:
    if not secret.strip():
        raise AuthError(_("The HubSpot app's client secret is empty."))
    secrets.set(hubspot_app_key(client_id), secret.strip())
