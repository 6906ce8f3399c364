"""Opening a verified IMAP connection, mapping failures to one-line errors, and a raw wire.

Every path verifies the certificate and the host name: implicit TLS and STARTTLS both use
:func:`tls_context` (Python's ``imaplib`` alone would not verify). ``none`` is refused unless
the host is loopback, and STARTTLS never falls back to plain text.
"""

from __future__ import annotations

import io
import ipaddress
import socket
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, TypeVar

from imapclient import IMAPClient  # type: ignore[import-untyped]
from imapclient import exceptions as imap_errors

from core.i18n import _
from core.mail import imap_texts as texts
from core.mail.imap_parse import Parts, split_response
from core.mail.sasl import BearerTokens, oauth_login
from core.mail.source import ConnectError, ConnectionLost, LoginError, MailError, Security
from core.mail.wire_limits import (
    DEFAULT_LIMITS,
    BoundedReader,
    Clock,
    ServerError,
    WireLimits,
    server_text,
)

_HOSTNAME_MISMATCH: Final = 62  # X509_V_ERR_HOSTNAME_MISMATCH
_IP_MISMATCH: Final = 64  # X509_V_ERR_IP_ADDRESS_MISMATCH
BATCH: Final = 200  # responses Wire.read_batch gathers before handing them over
_LONG: Final = 1 << 16  # a cut response this long finishes its line with readline()
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class ImapSettings:
    """Where an IMAP mailbox is and how to reach it (never the password)."""

    host: str
    user: str
    port: int | None = None  # None: 993 for ssl, 143 otherwise
    security: Security = Security.SSL
    ca_file: str | None = None  # trust this CA file instead of the system CAs
    timeout: float = 30.0  # seconds without a byte from the server (a stall)
    limits: WireLimits = DEFAULT_LIMITS  # sizes and deadlines (core.mail.wire_limits)

    def __post_init__(self) -> None:
        # A plain "none" string (from a form or a file) must meet the same checks as the enum.
        object.__setattr__(self, "security", Security(self.security))

    @property
    def effective_port(self) -> int:
        if self.port is not None:
            return self.port
        return 993 if self.security is Security.SSL else 143


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and localhost names (never resolved: DNS could lie)."""
    name = host.strip("[]").lower().rstrip(".")
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def tls_context(ca_file: str | Path | None) -> ssl.SSLContext:
    """A client context verifying the chain and host name, against ``ca_file`` or the system."""
    context = ssl.create_default_context(cafile=str(ca_file) if ca_file else None)
    context.check_hostname = True
    context.verify_mode = ssl.CERT_REQUIRED
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


def open_client(settings: ImapSettings) -> Any:
    """Connect (and secure with STARTTLS when asked); raises ConnectError with one line."""
    host, port = settings.host, settings.effective_port
    if settings.security is Security.NONE and not is_loopback(host):
        raise ConnectError(
            "insecure",
            _(texts.REFUSING_UNENCRYPTED_CONNECTION_SECURITY) % {"host": host},
        )
    if settings.ca_file and not Path(settings.ca_file).is_file():
        raise ConnectError("certificate", _(texts.CA_FILE_DOES_NOT) % {"ca_file": settings.ca_file})
    try:
        context = tls_context(settings.ca_file)
    except (ssl.SSLError, OSError) as error:
        raise ConnectError(
            "certificate",
            _(texts.CANNOT_READ_CA_FILE) % {"ca_file": settings.ca_file, "error": error},
        ) from None
    return _guarded(host, port, settings.security, lambda: _connect(settings, context))


def _connect(settings: ImapSettings, context: ssl.SSLContext) -> Any:
    client = IMAPClient(
        settings.host,
        port=settings.effective_port,
        ssl=settings.security is Security.SSL,
        ssl_context=context,
        timeout=settings.timeout,
    )
    client.folder_encode = False  # names stay as sent; core.mail.utf7 decodes for display
    if settings.security is Security.STARTTLS:
        if b"STARTTLS" not in client.capabilities():
            client.shutdown()
            raise ConnectError(
                "starttls",
                _(texts.DOES_NOT_OFFER_STARTTLS) % {"host": settings.host},
            )
        client.starttls(context)
    return client


def _guarded(host: str, port: int, security: Security, action: Callable[[], Any]) -> Any:
    """Run ``action`` and turn network and TLS failures into one-line ConnectErrors."""
    at = {"host": host, "port": port, "hint": _port_hint(port, security)}
    try:
        return action()
    except MailError:
        raise
    except socket.gaierror:
        raise ConnectError("dns", _(texts.CANNOT_RESOLVE_HOST) % at) from None
    except ConnectionRefusedError:
        raise ConnectError("refused", _(texts.CONNECTION_REFUSED) % at) from None
    except ssl.SSLCertVerificationError as error:
        raise _certificate_error(host, error) from None
    except TimeoutError:
        raise ConnectError("timeout", _(texts.NO_ANSWER_FROM_TIMED) % at) from None
    except ssl.SSLError as error:
        at.update(hint=_tls_hint(port, security), reason=error.reason)
        raise ConnectError("tls", _(texts.TLS_FAILED) % at) from None
    except (OSError, imap_errors.IMAPClientError) as error:
        raise ConnectError("network", _(texts.CANNOT_CONNECT) % {**at, "error": error}) from None


def _port_hint(port: int, security: Security) -> str:
    """A hint when the usual port of another security mode was given (993 vs 143)."""
    if security is Security.SSL and port == 143:
        return _(texts.PORT_143_USUALLY_STARTTLS)
    if security is not Security.SSL and port == 993:
        return _(texts.PORT_993_USUALLY_IMPLICIT)
    return ""


def other_mode(security: Security, port: int) -> tuple[Security, int] | None:
    """The security and port to try after a TLS failure: the other of 993/SSL, 143/STARTTLS."""
    if security is Security.SSL:
        return Security.STARTTLS, 143 if port == 993 else port
    if security is Security.STARTTLS:
        return Security.SSL, 993 if port == 143 else port
    return None


def _tls_hint(port: int, security: Security) -> str:
    """After a TLS failure: the port hint, else the other mode to try."""
    hint = _port_hint(port, security)
    other = other_mode(security, port)
    if hint or other is None:
        return hint
    text = _(texts.PORT_MAY_EXPECT_TRY)
    return text % {"security": other[0].value, "port": other[1]}


def _certificate_error(host: str, error: ssl.SSLCertVerificationError) -> ConnectError:
    if error.verify_code in (_HOSTNAME_MISMATCH, _IP_MISMATCH):
        return ConnectError("hostname", _(texts.SERVER_CERTIFICATE_DOES_NOT) % {"host": host})
    return ConnectError(
        "certificate",
        _(texts.SERVER_CERTIFICATE_NOT_TRUSTED) % {"verify_message": error.verify_message},
    )


def login(client: Any, settings: ImapSettings, password: str | BearerTokens) -> None:
    """LOGIN with a password, or an OAuth2 token over SASL (``core.mail.sasl``).

    A refusal raises LoginError that never carries the password or the token.
    """
    if not isinstance(password, str):
        oauth_login(client, settings.user, settings.host, settings.effective_port, password)
        return
    try:
        client.login(settings.user, password)
    except imap_errors.LoginError as error:
        detail = str(error).replace(password, "***") if password else str(error)
        raise LoginError(
            _(texts.LOGIN_REJECTED)
            % {"user": settings.user, "host": settings.host, "clean": _clean(detail)}
        ) from None
    except (OSError, imap_errors.IMAPClientError) as error:
        detail = str(error).replace(password, "***") if password else str(error)
        raise ConnectionLost(
            _(texts.CONNECTION_LOST_WHILE_LOGGING) % {"clean": _clean(detail)}
        ) from None


def _clean(text: str) -> str:
    if text.startswith(("b'", 'b"')):
        text = text[2:-1]
    return " ".join(text.split())


class Wire:
    """Raw commands over imapclient's own socket, read with a fast line+literal reader.

    Used for bulk commands whose responses imapclient would parse slowly. The caller must
    read every response up to the tagged one before imapclient talks again. Reads never take
    bytes past the responses they return, so imapclient and IDLE find the rest in the reader.
    Every read keeps to ``limits`` (``core.mail.wire_limits``): line and literal sizes, and
    the deadlines of the command and the sync; a breach raises a one-line ``MailError``.
    """

    def __init__(self, client: Any, limits: WireLimits | None = None, idle: float = 30.0) -> None:
        self.client = client
        self._counter = 0
        self.broken = False  # set once the connection is lost: fail fast afterwards
        self.streaming = False  # a response is being handed out piece by piece
        self.clock = Clock(idle, limits or WireLimits())
        self._reader = BoundedReader(self._file, getattr(client._imap, "sock", None), self.clock)

    @property
    def _file(self) -> io.BufferedReader:
        return self.client._imap.file  # type: ignore[no-any-return]

    def send(self, command: bytes, seconds: float | None = None) -> bytes:
        """Send ``command`` with a fresh tag; returns the tag.

        The command then has the limits' command time (or ``seconds``, for IDLE) to finish
        or deliver something new (see :meth:`progress`).
        """
        self._counter += 1
        tag = b"MS%d" % self._counter
        self.send_line(tag + b" " + command)
        self.clock.start(command)
        if seconds is not None:
            self.clock.command_due = self.clock.now() + seconds
        return tag

    def progress(self) -> None:
        """The command in flight delivered something new: its deadline starts again."""
        self.clock.renew()

    def send_line(self, line: bytes) -> None:
        if self.streaming:
            raise RuntimeError("a FETCH is still streaming: consume or close it first")
        if self.broken:
            raise ConnectionLost(_(texts.CONNECTION_WAS_LOST_EARLIER))
        try:
            self.client._imap.send(line + b"\r\n")
        except OSError as error:
            self.broken = True
            raise ConnectionLost(_(texts.CONNECTION_LOST) % {"error": error}) from None

    def read(self, cut: bool = False) -> Parts:
        """One response: its line, then each literal and the line after it.

        With ``cut``, literals over the header limit come back cut (``wire_limits.Cut``).
        """
        return self._guarded(lambda: self._read(cut))

    def read_batch(self, run: Callable[[bytes, int, list[T]], int], into: list[T]) -> Parts | None:
        """Responses that ``run`` reads go into ``into``; returns the first other one, as read().

        ``run(data, pos, into)`` parses the whole responses it knows at ``data[pos:]`` into
        ``into`` and returns where it stopped. Returns None after at least :data:`BATCH`
        parsed responses, else the response that stopped ``run`` (it came after those in
        ``into``). It waits for the server until then: call it only while a tagged response
        is due. If it raises, ``into`` holds what was parsed whole before the failure.
        """
        return self._guarded(lambda: self._read_batch(run, into))

    def _guarded(self, read: Callable[[], T]) -> T:
        """``read()``, failing fast on a broken wire; a failure marks it broken.

        Whatever goes wrong becomes a one-line ``MailError``: a drop ``ConnectionLost``, a
        timeout the deadline it met, anything the parsers choke on a ``ServerError``.
        """
        if self.broken:
            raise ConnectionLost(_(texts.CONNECTION_WAS_LOST_EARLIER))
        try:
            return read()
        except MailError:
            self.broken = True
            raise
        except TimeoutError:
            self.broken = True
            raise self.clock.overdue() from None
        except (OSError, ValueError) as error:  # ValueError: a reader closed under us
            self.broken = True
            raise ConnectionLost(
                _(texts.CONNECTION_LOST) % {"error": error or type(error).__name__}
            ) from None
        except (ArithmeticError, LookupError, TypeError, MemoryError, RecursionError) as error:
            self.broken = True
            raise unreadable(error) from None

    def _read(self, cut: bool) -> Parts:
        parts = self._reader.response(b"", cut)
        _check_bye(parts[-1])
        return parts

    def _read_batch(self, run: Callable[[bytes, int, list[T]], int], into: list[T]) -> Parts | None:
        # peek() hands over what the reader holds (one socket read, about one TLS record, when
        # it is empty) without taking it, so many responses cost a few calls and nothing past
        # them is taken. A response cut short by the end of the data has its start (``head``)
        # taken and the rest of its literal read at once; then the reader is peeked again. A
        # long line or a big literal is read by the bounded general reader instead.
        file, reader = self._file, self._reader
        head = b""
        while True:
            reader.wait()
            data = file.peek()
            if not data:
                raise ConnectionLost(_(texts.SERVER_CLOSED_CONNECTION))
            if head:
                data = head + data
            try:
                pos = run(data, 0, into)
                parts, end = split_response(data, pos)
            except (ValueError, ArithmeticError, LookupError) as error:
                raise unreadable(error) from None
            if parts:
                file.read(end - len(head))
                _check_bye(parts[-1])
                return parts
            if pos > len(head) and len(into) >= BATCH:
                file.read(pos - len(head))  # the cut response stays in the reader
                return None
            file.read(len(data) - len(head))
            head = data[pos:]
            if end > self.clock.limits.header or (not end and len(head) > _LONG):
                parts = reader.response(head, cut=True)
                _check_bye(parts[-1])
                return parts
            if end:
                head += reader.literal(end)

    def run(self, command: bytes, on_untagged: Callable[[Parts], None]) -> bytes:
        """Send a command, hand each untagged response over, return the tagged OK line."""
        tag = self.send(command)
        return self.finish(tag, on_untagged)

    def finish(self, tag: bytes, on_untagged: Callable[[Parts], None]) -> bytes:
        """Read responses until ``tag``'s status; NO/BAD raise MailError.

        When ``on_untagged`` fails on a response (one it cannot read, or past a limit), the
        rest is read up to the tagged line and thrown away, then the failure is raised as a
        ``ServerError``: the connection stays usable.
        """
        prefix = tag + b" "
        failure: MailError | None = None
        while True:
            parts = self.read()
            line = parts[0]
            if line.startswith(prefix):
                status = check_status(line[len(prefix) :])
                if failure is not None:
                    raise failure
                return status
            if failure is not None:
                continue
            try:
                on_untagged(parts)
            except MailError as error:
                failure = error
            except (ValueError, ArithmeticError, LookupError, TypeError, RecursionError) as error:
                failure = unreadable(error, line)


def unreadable(error: BaseException, line: bytes = b"") -> ServerError:
    """A parsing failure as the one-line error that stops the folder."""
    what = f" {server_text(line[:60])!r}" if line else ""
    detail = server_text(str(error).encode()) or type(error).__name__
    return ServerError(_(texts.SERVER_SENT_RESPONSE_MAILSCOPE) % {"what": what, "detail": detail})


def _check_bye(line: bytes) -> None:
    if line.startswith(b"* BYE"):
        raise ConnectionLost(_(texts.SERVER_ENDED_SESSION) % {"server_text": server_text(line[5:])})


def check_status(status: bytes) -> bytes:
    """Return an OK status line, or raise a one-line MailError for NO/BAD."""
    if status[:2].upper() == b"OK":
        return status
    raise MailError(_(texts.SERVER_REFUSED_COMMAND) % {"server_text": server_text(status)})
