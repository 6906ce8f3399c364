"""A real SMTP server on loopback (aiosmtpd): STARTTLS or implicit TLS, AUTH, a recording inbox.

``SmtpServer(mode, cert, users)`` starts in a thread: ``starttls`` offers STARTTLS and accepts
AUTH only after it; ``tls`` wraps every connection in TLS from the first byte (port 465 style);
``plain`` offers neither (the client must refuse it). Received messages keep the exact bytes
of DATA (dot-unstuffed, CRLF line endings) and the MAIL FROM options.
"""

from __future__ import annotations

import base64
import socket
import ssl
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

HOST = "127.0.0.1"


@dataclass(frozen=True, slots=True)
class Received:
    """One message as the server got it."""

    mail_from: str
    rcpt_tos: tuple[str, ...]
    content: bytes
    mail_options: tuple[str, ...]


@dataclass
class Inbox:
    """The handler: keeps messages, refuses the recipients listed in ``refuse``."""

    refuse: set[str] = field(default_factory=set)
    messages: list[Received] = field(default_factory=list)
    logins: list[str] = field(default_factory=list)
    bearer: Callable[[str, str], bool] | None = None  # (user, token) -> valid: AUTH XOAUTH2

    async def auth_XOAUTH2(self, server: SMTP, args: list[str]) -> AuthResult:
        """SASL XOAUTH2 as Gmail and Outlook run it: a refusal is a 334 error challenge first."""
        if len(args) > 1:
            raw = base64.b64decode(args[1])
        else:
            raw = await server.challenge_auth("", encode_to_b64=False)
        text = bytes(raw).decode("utf-8", "replace")
        fields = dict(p.split("=", 1) for p in text.split("\x01") if "=" in p)
        user, token = fields.get("user", ""), fields.get("auth", "").removeprefix("Bearer ")
        self.logins.append(user)
        if self.bearer is not None and self.bearer(user, token):
            return AuthResult(success=True, handled=False, auth_data=user)
        error = base64.b64encode(b'{"status":"401","schemes":"bearer"}').decode()
        await server.challenge_auth(error, encode_to_b64=False)  # the client answers ""
        return AuthResult(success=False, handled=False)

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        if address.lower() in self.refuse:
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = envelope.original_content or b""
        self.messages.append(
            Received(
                envelope.mail_from or "",
                tuple(envelope.rcpt_tos),
                bytes(content),
                tuple(envelope.mail_options),
            )
        )
        return "250 2.0.0 Ok: queued"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


class _Controller(Controller):
    """aiosmtpd's controller with our SMTP options (and implicit TLS when asked)."""

    def __init__(self, inbox: Inbox, port: int, smtp_options: dict[str, Any], **kw: Any):
        super().__init__(inbox, hostname=HOST, port=port, ready_timeout=10.0, **kw)
        self._smtp_options = smtp_options

    def factory(self) -> SMTP:
        with warnings.catch_warnings():
            # Implicit TLS wraps the socket below aiosmtpd, which cannot see it and warns.
            warnings.filterwarnings("ignore", "Requiring AUTH while not requiring TLS")
            return SMTP(self.handler, **self._smtp_options)


class SmtpServer:
    """One running server; ``stop()`` when done (the fixture does)."""

    def __init__(
        self,
        mode: str,
        cert: Path,
        key: Path,
        users: dict[str, str] | None = None,
        bearer: Callable[[str, str], bool] | None = None,
    ) -> None:
        self.inbox = Inbox(bearer=bearer)
        self.users = dict(users or {})
        self.port = free_port()
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(str(cert), str(key))
        options: dict[str, Any] = {
            "authenticator": self._authenticate,
            "auth_required": bool(self.users) or bearer is not None,
            "hostname": "mail.test",
        }
        kwargs: dict[str, Any] = {}
        if mode == "starttls":
            options.update(tls_context=context, require_starttls=True)
        elif mode == "tls":
            options.update(auth_require_tls=False)  # the whole connection is already TLS
            kwargs["ssl_context"] = context
        elif mode != "plain":
            raise ValueError(f"unknown mode {mode}")
        self._controller = _Controller(self.inbox, self.port, options, **kwargs)

    def start(self) -> SmtpServer:
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()

    def _authenticate(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any
    ) -> AuthResult:
        if not isinstance(data, LoginPassword):
            return AuthResult(success=False, handled=False)
        login = data.login.decode("utf-8", "replace")
        self.inbox.logins.append(login)
        ok = self.users.get(login) == data.password.decode("utf-8", "replace")
        return AuthResult(success=ok, handled=False)
