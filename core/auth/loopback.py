"""The browser's way back: a one-shot HTTP listener on 127.0.0.1 (RFC 8252 §7.3).

The listener binds the loopback address only (never every interface), on any free port unless
an app registration pinned one, without SO_REUSEADDR so no other program shares the port. It
accepts exactly one answer: at the redirect path, with the Host the redirect names, with each
parameter once, and with the ``state`` Mailscope sent (compared in constant time). Any other
answer ends the sign-in with one line, and the code it carried is never exchanged. It logs
nothing: the query holds the authorization code.
"""

from __future__ import annotations

import errno
import hmac
import html
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Final
from urllib.parse import parse_qs, urlsplit

from core.auth.errors import Cancelled, OAuthError, SignInTimeout, StateMismatch
from core.i18n import _

HOST: Final = "127.0.0.1"
_TICK: Final = 0.2  # how often a wait looks at the cancel event
_PAGE: Final = (
    "<!doctype html><html><head><meta charset='utf-8'><title>Mailscope</title></head>"
    "<body style='font-family:sans-serif;margin:3em'><h2>{title}</h2><p>{text}</p></body></html>"
)


class _Server(HTTPServer):
    allow_reuse_address = False  # never share the port with another program
    timeout = _TICK

    def __init__(self, port: int) -> None:
        super().__init__((HOST, port), _Handler)
        self.expected_state = ""
        self.path_wanted = "/"
        self.check_issuer: Callable[[str], bool] | None = None
        self.outcome: tuple[str, OAuthError | None] | None = None  # (code, error)


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    timeout = 3  # a browser's idle preconnection must not hold the listener

    def do_GET(self) -> None:
        server = self.server
        url = urlsplit(self.path)
        host = self.headers.get("Host", "")
        if url.path != server.path_wanted or host != f"{HOST}:{server.server_port}":
            self._reply(404, "Not found", "This is not a Mailscope sign-in address.")
            return
        if server.outcome is not None:
            self._reply(409, "Already answered", "Go back to Mailscope.")
            return
        server.outcome = _judge(url.query, server)
        if server.outcome[1] is None:
            self._reply(200, "Signed in", "You can close this tab and go back to Mailscope.")
        else:
            self._reply(400, "Sign-in failed", f"{server.outcome[1]} Go back to Mailscope.")

    def _reply(self, status: int, title: str, text: str) -> None:
        body = _PAGE.format(title=html.escape(title), text=html.escape(text)).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("Referrer-Policy", "no-referrer")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Silent: the request line carries the authorization code."""


def _judge(query: str, server: _Server) -> tuple[str, OAuthError | None]:
    """The code of a valid answer, or the error that ends the sign-in."""
    try:
        fields = parse_qs(query, keep_blank_values=True, max_num_fields=30)
    except ValueError:
        return "", OAuthError(_("the sign-in answer could not be read."))
    if any(len(values) > 1 for values in fields.values()):
        return "", OAuthError(_("the sign-in answer repeats a parameter: refused."))
    one = {name: values[0] for name, values in fields.items()}
    if not hmac.compare_digest(one.get("state", "").encode(), server.expected_state.encode()):
        return "", StateMismatch(
            "the browser brought back an answer to a sign-in Mailscope did not start"
            " (state mismatch): nothing was accepted; sign in again."
        )
    issuer = one.get("iss")  # RFC 9207: when the server names itself, it must be the right one
    if issuer is not None and server.check_issuer is not None and not server.check_issuer(issuer):
        return "", OAuthError(
            _("the answer came from another issuer (%(issuer)s): refused.")
            % {"issuer": issuer[:80]}
        )
    if "error" in one:
        reason = one.get("error_description") or one["error"]
        if one["error"] == "access_denied":
            return "", OAuthError(_("the sign-in was declined in the browser."))
        return "", OAuthError(
            _("the provider refused the sign-in: %(join)s")
            % {"join": " ".join(reason.split())[:200]}
        )
    if not one.get("code"):
        return "", OAuthError(_("the sign-in answer carries no authorization code."))
    return one["code"], None


def _duration(seconds: float) -> str:
    if seconds >= 60:
        minutes = round(seconds / 60)
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    return f"{seconds:g} second{'s' if seconds != 1 else ''}"


class RedirectReceiver:
    """Listens for the one redirect of a sign-in; use as a context manager."""

    def __init__(self, port: int = 0, *, path: str = "/") -> None:
        try:
            self._server = _Server(port)
        except OSError as error:
            if error.errno in (errno.EADDRINUSE, errno.EACCES):
                raise OAuthError(
                    _(
                        "port %(port)s on %(host)s is in use by another program, so "
                        "the browser could not bring the sign-in back: close that "
                        "program, or set no fixed port"
                    )
                    % {"port": port, "host": HOST}
                ) from None
            raise OAuthError(
                _("cannot listen on %(host)s:%(port)s: %(strerror)s")
                % {"host": HOST, "port": port, "strerror": error.strerror}
            ) from None
        self._server.path_wanted = path
        self.port: int = self._server.server_port
        self.redirect_uri = f"http://{HOST}:{self.port}{path}"

    def wait(
        self,
        state: str,
        *,
        timeout: float,
        cancel: threading.Event | None = None,
        check_issuer: Callable[[str], bool] | None = None,
    ) -> str:
        """The authorization code of the answer carrying ``state``; raises OAuthError."""
        server = self._server
        server.expected_state, server.check_issuer = state, check_issuer
        deadline = time.monotonic() + timeout
        while server.outcome is None:
            if cancel is not None and cancel.is_set():
                raise Cancelled(_("the sign-in was cancelled."))
            if time.monotonic() >= deadline:
                raise SignInTimeout(
                    f"no answer from the browser within {_duration(timeout)} (was it closed?):"
                    " sign in again when you are ready."
                )
            server.handle_request()
        code, error = server.outcome
        if error is not None:
            raise error
        return code

    def close(self) -> None:
        self._server.server_close()

    def __enter__(self) -> RedirectReceiver:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
