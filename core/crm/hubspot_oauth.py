"""Signing in to HubSpot through a public app: the browser, a loopback redirect, the tokens.

The authorization-code flow of HubSpot's OAuth docs with PKCE (``code_challenge`` S256; the
token endpoint takes ``code_verifier``) and a ``state`` checked on return. The browser comes
back to ``http://localhost:PORT/oauth-callback``; HubSpot matches redirect URIs exactly, so
the port is fixed per app (the app's settings list the same URI), unlike the any-port loopback
that Microsoft and Google allow. The required scopes are asked for in ``scope`` and the ones
Mailscope can do without in ``optional_scope`` (``core.crm.hubspot_shapes``).

A small module over ``http.server`` and httpx rather than authlib: the flow is four calls and
the loopback receiver is the part no library gives a desktop app.
"""

from __future__ import annotations

import base64
import hashlib
import http.server
import secrets
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Final
from urllib.parse import parse_qs, urlencode, urlsplit

from core.crm.errors import AuthError, CrmError
from core.crm.hubspot_auth import INTROSPECT_PATH, Grant, OAuthApp, grant_of, post_form
from core.i18n import _

DEFAULT_PORT: Final = 47613
CALLBACK_PATH: Final = "/oauth-callback"
_PAGE: Final = (
    "<!doctype html><meta charset=utf-8><title>Mailscope</title>"
    "<p style='font:16px sans-serif;margin:3em'>{text}</p>"
)


class SignInCancelled(CrmError):
    """The rep closed the sign-in (or it timed out): nothing was stored."""


@dataclass(frozen=True, slots=True)
class SignIn:
    """One sign-in attempt: the URL to open, and what its answer must carry."""

    url: str
    redirect_uri: str
    state: str = field(repr=False)
    verifier: str = field(repr=False)


@dataclass(frozen=True, slots=True)
class TokenInfo:
    """``POST /oauth/v3/token/introspect``: the portal, the signed-in user and the scopes."""

    hub_id: str | None
    user: str | None
    hub_domain: str | None
    scopes: tuple[str, ...]


def redirect_uri(port: int) -> str:
    return f"http://localhost:{port}{CALLBACK_PATH}"


def start_sign_in(
    app: OAuthApp, port: int, scopes: Sequence[str], optional: Sequence[str] = ()
) -> SignIn:
    """The authorize URL with a fresh ``state`` and PKCE verifier."""
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
    state = secrets.token_urlsafe(24)
    query = {
        "client_id": app.client_id,
        "redirect_uri": redirect_uri(port),
        "scope": " ".join(scopes),
        "state": state,
        "code_challenge": challenge.rstrip(b"=").decode("ascii"),
        "code_challenge_method": "S256",
    }
    if optional:
        query["optional_scope"] = " ".join(optional)
    return SignIn(f"{app.authorize_url}?{urlencode(query)}", redirect_uri(port), state, verifier)


class LoopbackReceiver:
    """Waits on localhost for the browser to come back with ``code`` and ``state``."""

    def __init__(self, port: int = DEFAULT_PORT) -> None:
        self._answer: dict[str, str] = {}
        self._arrived = threading.Event()
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                receiver._handle(self)

            def log_message(self, format: str, *args: Any) -> None:
                return  # the query holds the code: never log it

        try:
            self._server = http.server.HTTPServer(("127.0.0.1", port), Handler)
        except OSError as error:
            raise CrmError(
                _(
                    "Cannot wait for HubSpot's answer on port %(port)s "
                    "(%(strerror)s): close the other program using it, or set "
                    "another port for the app."
                )
                % {"port": port, "strerror": error.strerror}
            ) from None
        self.port = int(self._server.server_address[1])
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def _handle(self, request: http.server.BaseHTTPRequestHandler) -> None:
        parts = urlsplit(request.path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        if parts.path != CALLBACK_PATH or not ({"code", "error"} & query.keys()):
            request.send_error(404)
            return
        done = "code" in query
        text = (
            _("Mailscope is connected to HubSpot: you can close this tab.")
            if done
            else ("HubSpot did not connect Mailscope. You can close this tab and try again.")
        )
        body = _PAGE.format(text=text).encode("utf-8")
        request.send_response(200)
        request.send_header("Content-Type", "text/html; charset=utf-8")
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        request.wfile.write(body)
        if not self._arrived.is_set():
            self._answer = query
            self._arrived.set()

    def wait(
        self, state: str, timeout: float = 300.0, cancel: threading.Event | None = None
    ) -> str:
        """The authorization code; raises when cancelled, refused, timed out or forged."""
        deadline = time.monotonic() + timeout
        while not self._arrived.wait(0.2):
            if (cancel is not None and cancel.is_set()) or time.monotonic() > deadline:
                raise SignInCancelled(_("The HubSpot sign-in was cancelled or timed out."))
        answer = self._answer
        if answer.get("state") != state:
            raise AuthError(_("HubSpot's answer did not match this sign-in: try again."))
        if "error" in answer:
            reason = answer.get("error_description") or answer["error"]
            raise AuthError(
                _("HubSpot did not allow the sign-in (%(reason)s).") % {"reason": reason[:160]}
            )
        return answer["code"]

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def exchange_code(app: OAuthApp, sign_in: SignIn, code: str, now: float | None = None) -> Grant:
    """Trade the authorization code for tokens (``grant_type=authorization_code``)."""
    form = {
        "grant_type": "authorization_code",
        "client_id": app.client_id,
        "client_secret": app.client_secret,
        "redirect_uri": sign_in.redirect_uri,
        "code": code,
        "code_verifier": sign_in.verifier,
    }
    data = post_form(app, app.token_url, form)
    return grant_of(data, time.time() if now is None else now)


def introspect(app: OAuthApp, access_token: str) -> TokenInfo:
    """Who the token is for, and with which scopes."""
    form = {
        "client_id": app.client_id,
        "client_secret": app.client_secret,
        "token": access_token,
        "token_type_hint": "access_token",
    }
    data = post_form(app, app.api_url.rstrip("/") + INTROSPECT_PATH, form)
    hub = data.get("hub_id")
    return TokenInfo(
        str(hub) if hub is not None else None,
        str(data["user"]) if data.get("user") else None,
        str(data["hub_domain"]) if data.get("hub_domain") else None,
        tuple(str(s) for s in data.get("scopes") or ()),
    )


def sign_in(
    app: OAuthApp,
    open_browser: Callable[[str], object],
    *,
    scopes: Sequence[str],
    optional: Sequence[str] = (),
    port: int = DEFAULT_PORT,
    timeout: float = 300.0,
    cancel: threading.Event | None = None,
) -> Grant:
    """The whole flow: open the browser, wait for the redirect, exchange the code."""
    receiver = LoopbackReceiver(port)
    try:
        attempt = start_sign_in(app, receiver.port, scopes, optional)
        open_browser(attempt.url)
        code = receiver.wait(attempt.state, timeout, cancel)
    finally:
        receiver.close()
    return exchange_code(app, attempt, code)
