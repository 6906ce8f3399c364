"""Thunderbird's autoconfig format (config-v1.1.xml): fetched from the domain, parsed safely.

The document is read with defusedxml (no DTD, no entity expansion: a "billion laughs" file is
refused, not expanded) and at most 256 KB of it. Only IMAP servers are read; a server without
TLS is skipped unless it is on loopback, since Mailscope never sends a password in clear.
"""

from __future__ import annotations

import ssl
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

from core.i18n import _
from core.mail.source import Security

MAX_BYTES: Final = 256 * 1024
_SOCKETS: Final = {"SSL": Security.SSL, "STARTTLS": Security.STARTTLS, "PLAIN": Security.NONE}
Route = Callable[[str, int], tuple[str, int]]  # where to connect for (host, port)


class AutoconfigError(Exception):
    """The document is missing, unreadable or names no usable IMAP server: one line."""


@dataclass(frozen=True, slots=True)
class ImapServer:
    """An incoming IMAP server a document names."""

    host: str
    port: int
    security: Security
    username: str  # placeholders filled in
    oauth2: bool  # the document says this server signs in with OAuth2


def urls(domain: str, email: str) -> list[str]:
    """Where Thunderbird looks, in order (the address is sent over HTTPS only)."""
    return [
        f"https://autoconfig.{domain}/mail/config-v1.1.xml?emailaddress={email}",
        f"https://{domain}/.well-known/autoconfig/mail/config-v1.1.xml",
        f"http://autoconfig.{domain}/mail/config-v1.1.xml",
    ]


def _fill(text: str, email: str) -> str:
    local, _at, domain = email.partition("@")
    return (
        text.replace("%EMAILADDRESS%", email)
        .replace("%EMAILLOCALPART%", local)
        .replace("%EMAILDOMAIN%", domain)
    ).strip()


def parse(document: bytes, email: str) -> list[ImapServer]:
    """The IMAP servers of a config-v1.1.xml document (raises AutoconfigError)."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, fromstring

    try:
        root: Any = fromstring(document, forbid_dtd=True)
    except (ParseError, DefusedXmlException, ValueError) as error:
        reason = type(error).__name__
        raise AutoconfigError(
            _("not a readable autoconfig document (%(reason)s)") % {"reason": reason}
        ) from None
    servers = []
    for node in root.iterfind("./emailProvider/incomingServer[@type='imap']"):
        server = _server(node, email)
        if server is not None:
            servers.append(server)
    return servers


def _server(node: Any, email: str) -> ImapServer | None:
    """An ``incomingServer`` element as a server; None when it lacks a usable host, port or
    socket type."""
    host = _fill(node.findtext("hostname") or "", email)
    security = _SOCKETS.get((node.findtext("socketType") or "").strip().upper())
    port = _port(node.findtext("port"))
    if not host or security is None or port is None:
        return None
    auths = {(a.text or "").strip().lower() for a in node.iterfind("authentication")}
    username = _fill(node.findtext("username") or "%EMAILADDRESS%", email)
    return ImapServer(host, port, security, username, "oauth2" in auths)


def _port(text: str | None) -> int | None:
    """A TCP port number, or None."""
    try:
        port = int((text or "").strip())
    except ValueError:
        return None
    return port if 0 < port < 65536 else None


def fetch(url: str, *, timeout: float, route: Route | None, ca_file: str | None) -> bytes:
    """GET ``url`` (at most 3 redirects, 256 KB); raises AutoconfigError with one line."""
    import httpx

    context = ssl.create_default_context(cafile=ca_file)
    transport = routed_transport(context, route)
    try:
        with (
            httpx.Client(
                transport=transport, timeout=timeout, follow_redirects=True, max_redirects=3
            ) as client,
            client.stream("GET", url) as response,
        ):
            if response.status_code != 200:
                raise AutoconfigError(
                    _("HTTP %(status_code)s") % {"status_code": response.status_code}
                )
            body = b""
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > MAX_BYTES:
                    raise AutoconfigError(_("the document is larger than 256 KB"))
            return body
    except httpx.HTTPError as error:
        raise AutoconfigError(_http_reason(error)) from None


def _http_reason(error: Exception) -> str:
    import httpx

    if isinstance(error, httpx.TimeoutException):
        return _("no answer in time")
    if isinstance(error, httpx.ConnectError):
        text = str(error)
        if "CERTIFICATE_VERIFY_FAILED" in text or "certificate" in text.lower():
            return _("its certificate is not valid for it")
        return _("cannot connect")
    if isinstance(error, httpx.TooManyRedirects):
        return _("too many redirects")
    return type(error).__name__


def routed_transport(context: ssl.SSLContext, route: Route | None) -> Any:
    """An httpx transport connecting where ``route`` says; TLS still checks the URL's host."""
    import httpcore
    import httpx

    transport = httpx.HTTPTransport(verify=context)
    if route is None:
        return transport
    where: Route = route

    class Backend(httpcore.SyncBackend):
        def connect_tcp(self, host: str, port: int, *args: Any, **kwargs: Any) -> Any:
            target, target_port = where(host, port)
            return super().connect_tcp(target, target_port, *args, **kwargs)

    # httpx builds its pool without a way to pass a network backend: give it one.
    transport._pool = httpcore.ConnectionPool(ssl_context=context, network_backend=Backend())
    return transport
