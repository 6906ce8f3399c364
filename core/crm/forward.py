"""Forward a message to the CRM's logging address, for reps without API access.

The forward is a small ``multipart/mixed`` message whose second part is the original, as a
``message/rfc822`` attachment carrying the original's bytes unchanged (line endings in the CRLF
form SMTP sends anyway; an original from IMAP already has them). It is built by hand, not by
``email.generator``, because a generator re-folds and re-encodes headers and the CRM must see
the exact message. It goes out over SMTP with implicit TLS (port 465) or STARTTLS (587), the
certificate verified against the system CAs or a given CA file, never in clear text (except to
a loopback host with ``Security.NONE``, for tests). The password is passed in by the caller,
from the keyring, and never appears in an error. HubSpot's 2 MB limit on forwarded emails counts
the body, not the attachments, which may go up to 50 MB in all (``measure``): an email with a
3 MB PDF is forwarded; one whose text alone is over 2 MB is refused before connecting.

A timeout after DATA was sent leaves the delivery unknown; ``ForwardError.retryable`` says which
failures are worth retrying later (network, 4xx replies) and which need the user (the rest).
"""

from __future__ import annotations

import contextlib
import ipaddress
import secrets
import smtplib
import socket
import ssl
from collections.abc import Iterator
from dataclasses import dataclass
from email.header import Header
from email.message import Message
from email.parser import BytesHeaderParser, BytesParser
from email.policy import compat32
from email.utils import formatdate, make_msgid
from typing import TYPE_CHECKING, Final

from core.crm import forward_texts as texts
from core.crm.errors import ForwardError
from core.i18n import _
from core.mail.source import Security

if TYPE_CHECKING:
    from core.mail.sasl import BearerTokens

MAX_FORWARD_BYTES: Final = 2 * 1024 * 1024  # HubSpot's limit on a forwarded email's body
MAX_ATTACHMENT_BYTES: Final = 50 * 1024 * 1024  # ... and on its attachments, in all
_MB: Final = 1024 * 1024
_NOTE: Final = (
    b"Forwarded by Mailscope for logging in the CRM; the original message is attached.\r\n"
)
_RETRYABLE: Final = frozenset({"dns", "refused", "timeout", "network", "temporary"})


@dataclass(frozen=True, slots=True)
class SmtpSettings:
    """Where and how to send; the password is not here (it comes from the keyring)."""

    host: str
    port: int = 587
    security: Security = Security.STARTTLS
    username: str | None = None
    ca_file: str | None = None  # None: the system's certificate authorities
    timeout: float = 30.0

    def __post_init__(self) -> None:
        # A plain "none" string (from a form or a file) must meet the same checks as the enum.
        object.__setattr__(self, "security", Security(self.security))


def _crlf(data: bytes) -> bytes:
    """Every line ending as CRLF, as SMTP transmits it."""
    return data.replace(b"\r\n", b"\n").replace(b"\r", b"\n").replace(b"\n", b"\r\n")


def _subject(original: bytes) -> str:
    """``Fwd: <original subject>`` as an ASCII header value (RFC 2047 when needed)."""
    headers = BytesHeaderParser(policy=compat32).parsebytes(original)
    raw = str(headers.get("Subject", "") or "")
    subject = " ".join(f"Fwd: {raw}".split())
    if subject.isascii():
        return subject
    return Header(subject, "utf-8").encode()


def build_forward(
    original: bytes, *, sender: str, recipient: str, date: str | None = None
) -> bytes:
    """The forward's bytes: a short note and the original attached as ``message/rfc822``."""
    body = _crlf(original)
    boundary = _boundary(body)
    eight_bit = not body.isascii()
    domain = sender.rpartition("@")[2] or "mailscope.invalid"
    head = (
        f"From: {sender}\r\n"
        f"To: {recipient}\r\n"
        f"Subject: {_subject(body)}\r\n"
        f"Date: {date or formatdate(usegmt=True)}\r\n"
        f"Message-ID: {make_msgid(domain=domain)}\r\n"
        "MIME-Version: 1.0\r\n"
        f'Content-Type: multipart/mixed; boundary="{boundary}"\r\n'
        "\r\n"
        f"--{boundary}\r\n"
        'Content-Type: text/plain; charset="us-ascii"\r\n'
        "Content-Transfer-Encoding: 7bit\r\n"
        "\r\n"
    ).encode("ascii")
    attachment = (
        f"\r\n--{boundary}\r\n"
        "Content-Type: message/rfc822\r\n"
        'Content-Disposition: attachment; filename="original.eml"\r\n'
        f"Content-Transfer-Encoding: {'8bit' if eight_bit else '7bit'}\r\n"
        "\r\n"
    ).encode("ascii")
    # The CRLF before a closing delimiter belongs to the delimiter (RFC 2046): the attached
    # bytes are exactly ``body``.
    return head + _NOTE + attachment + body + f"\r\n--{boundary}--\r\n".encode("ascii")


def _boundary(body: bytes) -> str:
    while True:
        candidate = f"=_mailscope_{secrets.token_hex(12)}"
        if candidate.encode("ascii") not in body:
            return candidate


@dataclass(frozen=True, slots=True)
class Sizes:
    """An email's size as HubSpot counts it: the body (headers and text), the attachments."""

    body: int
    attachments: int


def _is_attachment(part: Message) -> bool:
    disposition = str(part.get("Content-Disposition", "")).split(";")[0].strip().lower()
    if disposition == "attachment" or part.get_filename():
        return True
    return part.get_content_maintype() not in ("text", "multipart", "message")


def measure(original: bytes) -> Sizes:
    """Body and attachment bytes of a raw email (attachments decoded, as files are counted).

    The body is everything that is not an attachment part (headers, text and HTML). A message
    that cannot be read as MIME counts whole as its body.
    """
    try:
        parsed = BytesParser(policy=compat32).parsebytes(original)
        parts = [p for p in parsed.walk() if not p.is_multipart()] if parsed.is_multipart() else []
        attached = [p for p in parts if _is_attachment(p)]
        encoded = sum(len(str(p.get_payload())) for p in attached)
        decoded = sum(len(p.get_payload(decode=True) or b"") for p in attached)
    except (ValueError, LookupError, TypeError):
        return Sizes(len(original), 0)
    return Sizes(max(0, len(original) - encoded), decoded)


def check_size(original: bytes) -> None:
    """Refuse, before connecting, what HubSpot would not log: a body over 2 MB, or attachments
    over 50 MB in all."""
    sizes = measure(original)
    if sizes.body > MAX_FORWARD_BYTES:
        raise ForwardError(
            "too_large",
            _(texts.EMAIL_TEXT_MB_HUBSPOT) % {"value": format(sizes.body / _MB, ".1f")},
        )
    if sizes.attachments > MAX_ATTACHMENT_BYTES:
        raise ForwardError(
            "too_large",
            _(texts.EMAIL_ATTACHMENTS_ARE_MB) % {"value": format(sizes.attachments / _MB, ".1f")},
        )


def forward(
    original: bytes,
    *,
    settings: SmtpSettings,
    password: str | None,
    sender: str,
    forward_address: str,
    tokens: BearerTokens | None = None,
) -> bytes:
    """Build the forward of ``original`` and send it to ``forward_address``; return what was sent.

    Raises ``ForwardError`` (kind: too_large, insecure, dns, refused, timeout, network, tls,
    certificate, starttls, auth, recipient, sender, eight_bit, temporary, rejected).
    """
    check_size(original)
    message = build_forward(original, sender=sender, recipient=forward_address)
    send(
        message,
        settings=settings,
        password=password,
        sender=sender,
        recipient=forward_address,
        tokens=tokens,
    )
    return message


def send(
    message: bytes,
    *,
    settings: SmtpSettings,
    password: str | None,
    sender: str,
    recipient: str,
    tokens: BearerTokens | None = None,
) -> None:
    """Send prepared bytes over a verified TLS connection (or plain to loopback, for tests).

    With ``tokens`` (an account signed in with OAuth2) the login is ``AUTH XOAUTH2``.
    """
    if settings.security is Security.NONE and not _is_loopback(settings.host):
        raise ForwardError("insecure", _(texts.REFUSING_SEND_WITHOUT_TLS) % {"host": settings.host})
    try:
        _deliver(message, settings, password, sender, recipient, tokens)
    except ForwardError:
        raise
    except smtplib.SMTPException as error:
        raise _smtp_error(error, settings, password, recipient) from None
    except (OSError, ssl.SSLError) as error:
        raise _network_error(error, settings) from None


def check_server(
    settings: SmtpSettings, password: str | None, tokens: BearerTokens | None = None
) -> None:
    """The settings' "Test" button: connect, secure the connection, log in, quit; no mail."""
    if settings.security is Security.NONE and not _is_loopback(settings.host):
        raise ForwardError("insecure", _(texts.REFUSING_SEND_WITHOUT_TLS) % {"host": settings.host})
    try:
        with _session(settings, password, tokens):
            pass
    except ForwardError:
        raise
    except smtplib.SMTPException as error:
        raise _smtp_error(error, settings, password, "") from None
    except (OSError, ssl.SSLError) as error:
        raise _network_error(error, settings) from None


def _deliver(
    message: bytes,
    settings: SmtpSettings,
    password: str | None,
    sender: str,
    recipient: str,
    tokens: BearerTokens | None,
) -> None:
    with _session(settings, password, tokens) as smtp:
        options: list[str] = []
        if not message.isascii():
            if not smtp.has_extn("8bitmime"):
                raise ForwardError(
                    "eight_bit",
                    _(texts.CANNOT_CARRY_EMAIL_8) % {"host": settings.host},
                )
            options.append("BODY=8BITMIME")
        smtp.sendmail(sender, [recipient], message, mail_options=options)


@contextlib.contextmanager
def _session(
    settings: SmtpSettings, password: str | None, tokens: BearerTokens | None = None
) -> Iterator[smtplib.SMTP]:
    """A connected, secured and logged-in SMTP session (closed with QUIT afterwards)."""
    context = ssl.create_default_context(cafile=settings.ca_file)
    host, port, timeout = settings.host, settings.port, settings.timeout
    smtp: smtplib.SMTP
    if settings.security is Security.SSL:
        smtp = smtplib.SMTP_SSL(host, port, timeout=timeout, context=context)
    else:
        smtp = smtplib.SMTP(host, port, timeout=timeout)
    with smtp:
        smtp.ehlo()
        if settings.security is Security.STARTTLS:
            if not smtp.has_extn("starttls"):
                raise ForwardError("starttls", _(texts.DOES_NOT_OFFER_STARTTLS) % {"host": host})
            smtp.starttls(context=context)
            smtp.ehlo()
        if tokens is not None:
            _xoauth2(smtp, settings, tokens)
        elif settings.username:
            smtp.login(settings.username, password or "")
        yield smtp


def _xoauth2(smtp: smtplib.SMTP, settings: SmtpSettings, tokens: BearerTokens) -> None:
    """``AUTH XOAUTH2``; a refused token is renewed once. The blob goes after the first 334;
    the server's error challenge is answered with the empty line XOAUTH2 wants."""
    from core.auth.errors import OAuthError
    from core.mail.sasl import xoauth2_response

    offered = smtp.esmtp_features.get("auth", "").upper().split()
    if "XOAUTH2" not in offered:
        raise ForwardError("auth", _(texts.DOES_NOT_OFFER_AUTH) % {"host": settings.host})
    user = settings.username or ""
    for attempt in (1, 2):
        try:
            token = tokens.token()
        except OAuthError as error:
            message = _(texts.CANNOT_SIGN) % {"host": settings.host, "error": error}
            raise ForwardError("auth", message) from None
        answers = iter([xoauth2_response(user, token).decode("ascii"), ""])
        try:
            # No initial response: the AUTH line would pass 512 octets (RFC 5321 §4.5.3.1.4).
            smtp.auth(
                "XOAUTH2",
                lambda challenge=None, it=answers: next(it, ""),
                initial_response_ok=False,
            )
            return
        except smtplib.SMTPAuthenticationError as error:
            if attempt == 2:
                reply = _reply(error.smtp_code, error.smtp_error, token)
                message = _(texts.REFUSED_OAUTH2_SIGN) % dict(
                    host=settings.host, user=user, reply=reply
                )
                raise ForwardError("auth", message) from None
            tokens.invalidate()


def _is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _reply(code: int, text: bytes | str, password: str | None) -> str:
    decoded = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    if password:
        decoded = decoded.replace(password, "[password]")
    return f"{code} {' '.join(decoded.split())}"[:200]


def _smtp_error(
    error: smtplib.SMTPException, settings: SmtpSettings, password: str | None, recipient: str
) -> ForwardError:
    host = settings.host
    if isinstance(error, smtplib.SMTPAuthenticationError):
        reply = _reply(error.smtp_code, error.smtp_error, password)
        return ForwardError(
            "auth",
            _(texts.REJECTED_USER_NAME_PASSWORD)
            % {"host": host, "username": settings.username, "reply": reply},
        )
    if isinstance(error, smtplib.SMTPNotSupportedError):
        return ForwardError("auth", _(texts.DOES_NOT_ACCEPT_LOGIN) % {"host": host})
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        code, text = error.recipients.get(recipient, (550, b"refused"))
        reply = _reply(code, text, password)
        return ForwardError(
            "recipient",
            _(texts.REFUSED_RECIPIENT) % {"host": host, "recipient": recipient, "reply": reply},
        )
    if isinstance(error, smtplib.SMTPSenderRefused):
        reply = _reply(error.smtp_code, error.smtp_error, password)
        message = _(texts.REFUSED_SENDER_ADDRESS) % dict(
            host=host, sender=error.sender, reply=reply
        )
        return ForwardError("sender", message)
    if isinstance(error, smtplib.SMTPResponseException):
        reply = _reply(error.smtp_code, error.smtp_error, password)
        kind = "temporary" if 400 <= error.smtp_code < 500 else "rejected"
        return ForwardError(kind, _(texts.DID_NOT_ACCEPT_EMAIL) % {"host": host, "reply": reply})
    return ForwardError("network", _(texts.CONNECTION_WAS_LOST_TRY) % {"host": host})


def _network_error(error: OSError | ssl.SSLError, settings: SmtpSettings) -> ForwardError:
    where = f"{settings.host}:{settings.port}"
    if isinstance(error, ssl.SSLCertVerificationError):
        reason = error.verify_message or "verification failed"
        return ForwardError(
            "certificate",
            _(texts.CERTIFICATE_NOT_TRUSTED) % {"host": settings.host, "reason": reason},
        )
    if isinstance(error, ssl.SSLError):
        return ForwardError(
            "tls",
            _(texts.SECURE_CONNECTION_FAILED) % {"where": where, "reason": error.reason},
        )
    if isinstance(error, socket.gaierror):
        return ForwardError("dns", _(texts.CANNOT_RESOLVE_MAIL_SERVER) % {"host": settings.host})
    if isinstance(error, ConnectionRefusedError):
        return ForwardError("refused", _(texts.MAIL_SERVER_REFUSED_CONNECTION) % {"where": where})
    if isinstance(error, TimeoutError):
        return ForwardError("timeout", _(texts.MAIL_SERVER_DID_NOT) % {"where": where})
    return ForwardError(
        "network",
        _(texts.CANNOT_REACH_MAIL_SERVER) % {"where": where, "strerror": error.strerror},
    )


def is_retryable(error: ForwardError) -> bool:
    """Whether trying again later may succeed without the user changing anything."""
    return error.kind in _RETRYABLE
