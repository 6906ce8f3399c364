"""The fake HubSpot's OAuth: authorize, the code and refresh grants, introspection.

A mixin of ``tests.helpers.hubspot_server.FakeHubSpot``. ``/oauth/authorize`` redirects at once
with a code, as npm's oauth2-mock-server does, so an HTTP client can play the browser. The
token endpoint checks the client secret, the redirect URI and the PKCE verifier, and issues
access tokens that expire after ``access_ttl`` seconds (HubSpot: 1800) with the scopes asked
for (the optional ones too, unless ``refuse_optional``).
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from werkzeug import Request, Response

if TYPE_CHECKING:
    from tests.helpers.hubspot_server import FakeHubSpot, Seen

    _Base = FakeHubSpot
else:
    _Base = object

Json = dict[str, Any]


@dataclass(slots=True)
class _Code:
    client_id: str
    redirect_uri: str
    challenge: str
    scopes: frozenset[str]


class OAuthRoutes(_Base):
    """Public apps, their codes and tokens."""

    def init_oauth(self) -> None:
        self.apps: dict[str, str] = {}  # client id -> client secret
        self.access_ttl = 1800.0
        self.refuse_optional = False
        self.user_email = "mia@globex.example"
        self._codes: dict[str, _Code] = {}
        self._refresh: dict[str, frozenset[str]] = {}  # refresh token -> scopes
        self.issued: list[str] = []  # access tokens, oldest first

    def add_app(self, client_id: str, secret: str) -> None:
        self.apps[client_id] = secret

    def oauth_answer(self, request: Request, seen: Seen) -> Response:
        if seen.path == "/oauth/authorize":
            return self._authorize(seen.query)
        form = seen.body or {}
        secret = self.apps.get(form.get("client_id", ""))
        if secret is None or secret != form.get("client_secret"):
            return self.reply(401, {"status": "BAD_CLIENT_ID", "message": "unknown client"})
        if seen.path == "/oauth/v3/token":
            return self._token(form)
        if seen.path == "/oauth/v3/token/introspect":
            return self._introspect(form.get("token", ""))
        return self.reply(404, {"status": "error", "message": "no such OAuth route"})

    def _authorize(self, query: dict[str, str]) -> Response:
        scopes = set(query.get("scope", "").split())
        if not self.refuse_optional:
            scopes |= set(query.get("optional_scope", "").split())
        code = secrets.token_urlsafe(16)
        self._codes[code] = _Code(
            query["client_id"], query["redirect_uri"], query["code_challenge"], frozenset(scopes)
        )
        target = f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query['state']})}"
        return Response(status=302, headers={"Location": target})

    def _token(self, form: dict[str, str]) -> Response:
        grant = form.get("grant_type")
        if grant == "authorization_code":
            code = self._codes.pop(form.get("code", ""), None)
            if code is None or code.redirect_uri != form.get("redirect_uri"):
                return self.reply(400, {"status": "BAD_AUTH_CODE", "message": "bad code"})
            digest = hashlib.sha256(form.get("code_verifier", "").encode()).digest()
            if base64.urlsafe_b64encode(digest).rstrip(b"=").decode() != code.challenge:
                return self.reply(400, {"status": "BAD_AUTH_CODE", "message": "bad verifier"})
            refresh = secrets.token_urlsafe(24)
            self._refresh[refresh] = code.scopes
            return self._issue(refresh, code.scopes)
        if grant == "refresh_token":
            scopes = self._refresh.get(form.get("refresh_token", ""))
            if scopes is None:
                return self.reply(400, {"status": "BAD_REFRESH_TOKEN", "message": "revoked"})
            return self._issue(form["refresh_token"], scopes)
        return self.reply(400, {"status": "error", "message": f"unsupported grant {grant}"})

    def _issue(self, refresh: str, scopes: frozenset[str]) -> Response:
        access = "CJ" + secrets.token_urlsafe(48)
        self.add_token(access, scopes, self.access_ttl)
        self.issued.append(access)
        return self.reply(
            200,
            {
                "token_type": "bearer",
                "token_use": "access_token",
                "access_token": access,
                "refresh_token": refresh,
                "expires_in": int(self.access_ttl),
                "hub_id": self.portal_id,
                "user_id": 5501,
                "scopes": sorted(scopes),
            },
        )

    def _introspect(self, token: str) -> Response:
        grant = self.grants.get(token)
        if grant is None:
            return self.reply(200, {"active": False})
        left = (grant.expires_at or time.monotonic()) - time.monotonic()
        return self.reply(
            200,
            {
                "active": left > 0,
                "token_use": "access_token",
                "hub_id": self.portal_id,
                "hub_domain": "globex.example",
                "user": self.user_email,
                "user_id": 5501,
                "scopes": sorted(grant.scopes),
                "expires_in": int(max(left, 0)),
            },
        )
