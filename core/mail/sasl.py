"""IMAP sign-in with an OAuth2 access token: SASL XOAUTH2, or OAUTHBEARER (RFC 7628).

XOAUTH2 (Google's and Microsoft's mechanism) is used where advertised, OAUTHBEARER where only
it is. On a refused token the server sends an error challenge (a JSON status); the client must
answer it, with an empty line for XOAUTH2 and ``%x01`` for OAUTHBEARER (RFC 7628 §3.2.3),
before the server says NO. imapclient's own ``oauth2_login`` answers it with the token again,
so this module drives ``AUTHENTICATE`` itself. A refused token is renewed once and tried again;
a second refusal is one line. A connection dropped during the exchange is a server failure,
not a bad token (Dovecot 2.3.19 crashes on some tokens: field notes).
"""

from __future__ import annotations

import json
from typing import Any, Final, Protocol

from imapclient import exceptions as imap_errors  # type: ignore[import-untyped]

from core.i18n import _
from core.mail.source import ConnectError, ConnectionLost, LoginError, SignInNeeded

MECHANISMS: Final = ("XOAUTH2", "OAUTHBEARER")  # in order of preference


class BearerTokens(Protocol):
    """Where access tokens come from (``core.auth.tokens.AccessTokens`` fits)."""

    def token(self) -> str: ...

    def invalidate(self) -> None: ...


def xoauth2_response(user: str, token: str) -> bytes:
    return f"user={user}\x01auth=Bearer {token}\x01\x01".encode()


def oauthbearer_response(user: str, token: str, host: str, port: int) -> bytes:
    identity = user.replace("=", "=3D").replace(",", "=2C")
    return f"n,a={identity},\x01host={host}\x01port={port}\x01auth=Bearer {token}\x01\x01".encode()


class _Exchange:
    """imaplib's authentication callback: the initial response, then the error answer."""

    def __init__(self, mechanism: str, initial: bytes) -> None:
        self.mechanism = mechanism
        self._initial: bytes | None = initial
        self.status = ""  # the server's error challenge, when it sent one

    def __call__(self, challenge: bytes) -> bytes:
        if self._initial is not None and not challenge:
            initial, self._initial = self._initial, None
            return initial
        self._initial = None
        self.status = _status(challenge)
        return b"" if self.mechanism == "XOAUTH2" else b"\x01"


def _status(challenge: bytes) -> str:
    try:
        data: Any = json.loads(challenge)
    except ValueError:
        return ""
    return str(data.get("status", ""))[:40] if isinstance(data, dict) else ""


def choose(capabilities: set[str], wanted: str | None = None) -> str:
    """The mechanism to use among those advertised (``AUTH=...``); ``wanted`` if it is one."""
    offered = [m for m in MECHANISMS if f"AUTH={m}" in capabilities]
    if wanted is not None:
        if wanted.upper() not in offered:
            raise LoginError(
                _("the server does not offer AUTH=%(upper)s") % {"upper": wanted.upper()}
            )
        return wanted.upper()
    if not offered:
        raise LoginError(
            _(
                "the server does not offer OAuth2 sign-in (no AUTH=XOAUTH2 or "
                "AUTH=OAUTHBEARER): use a password or an app password"
            )
        )
    return offered[0]


def _exchange(chosen: str, user: str, token: str, host: str, port: int) -> _Exchange:
    """The AUTHENTICATE exchange of the chosen mechanism, carrying ``token``."""
    if chosen == "XOAUTH2":
        return _Exchange(chosen, xoauth2_response(user, token))
    return _Exchange(chosen, oauthbearer_response(user, token, host, port))


def _refusal(error: Exception, exchange: _Exchange) -> str:
    """The server's refusal in one line, with the SASL status it sent (if any)."""
    status = f"{_clean(str(error))} ({exchange.status})" if exchange.status else ""
    return status or _clean(str(error))


def oauth_login(
    client: Any, user: str, host: str, port: int, tokens: BearerTokens, mechanism: str | None = None
) -> str:
    """Authenticate ``client`` with a token (renewed once if refused); returns the mechanism."""
    names = {c.decode("ascii", "replace").upper() for c in client.capabilities()}
    chosen = choose(names, mechanism)
    status = ""
    for attempt in (1, 2):
        exchange = _exchange(chosen, user, _token(tokens), host, port)
        try:
            client._command_and_check("authenticate", chosen, exchange)
            return chosen
        except imap_errors.IMAPClientAbortError:
            raise ConnectionLost(
                _("%(host)s closed the connection during the sign-in (a server failure)")
                % {"host": host}
            ) from None
        except imap_errors.IMAPClientError as error:
            status = _refusal(error, exchange)
            if attempt == 1:
                tokens.invalidate()  # expired or revoked early: renew once and try again
        except OSError as error:
            raise ConnectionLost(
                _("connection lost while signing in: %(error)s") % {"error": error}
            ) from None
    raise LoginError(
        _("%(host)s refused the OAuth2 sign-in for %(user)s: %(status)s")
        % {"host": host, "user": user, "status": status}
    )


def _token(tokens: BearerTokens) -> str:
    from core.auth.errors import OAuthError, SignInRequired

    try:
        return tokens.token()
    except SignInRequired as error:
        raise SignInNeeded(str(error)) from None
    except OAuthError as error:
        raise ConnectError(
            "oauth2", _("cannot renew the sign-in: %(error)s") % {"error": error}
        ) from None


def _clean(text: str) -> str:
    if text.startswith(("b'", 'b"')):
        text = text[2:-1]
    return " ".join(text.split())[:200]
