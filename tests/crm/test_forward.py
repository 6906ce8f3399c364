"""Forwarding to the logging address, against a real SMTP server (aiosmtpd) on loopback."""

from __future__ import annotations

import base64
import email
import logging
import re
from collections.abc import Iterator
from email.header import decode_header, make_header
from email.message import Message

import pytest

from core.crm.errors import ForwardError
from core.crm.forward import (
    MAX_FORWARD_BYTES,
    SmtpSettings,
    build_forward,
    forward,
    is_retryable,
    measure,
)
from core.mail.source import Security
from tests.helpers.certs import TestCerts, make_test_certs
from tests.helpers.smtp_server import HOST, SmtpServer, free_port

USER, PASSWORD = "raj@acme.example", "s3cret-smtp-pa55word"
LOGGING = "1234567@forward.hubspot.example"
ORIGINAL = (
    b"From: Lea Martin <lea@client.example>\r\n"
    b"To: Raj Patel <raj@acme.example>\r\n"
    b"Subject: =?utf-8?q?Devis_=C3=A9t=C3=A9?=\r\n"
    b"Message-ID: <orig-1@client.example>\r\n"
    b"Date: Thu, 01 Jan 2026 09:30:00 +0000\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n"
    b"Content-Transfer-Encoding: 8bit\r\n"
    b"\r\n"
    b"Bonjour Raj,\r\n"
    b".a line that starts with a dot\r\n"
    b".\r\n"
    b"Voil\xc3\xa0 le devis pour l'\xc3\xa9t\xc3\xa9.\r\n"
)


@pytest.fixture(scope="session")
def certs(tmp_path_factory: pytest.TempPathFactory) -> TestCerts:
    return make_test_certs(tmp_path_factory.mktemp("smtp-certs"))


def _server(mode: str, certs: TestCerts, cert: str = "good") -> Iterator[SmtpServer]:
    chosen = getattr(certs, cert)
    server = SmtpServer(mode, chosen.cert, chosen.key, users={USER: PASSWORD}).start()
    yield server
    server.stop()


@pytest.fixture
def starttls(certs: TestCerts) -> Iterator[SmtpServer]:
    yield from _server("starttls", certs)


@pytest.fixture
def implicit_tls(certs: TestCerts) -> Iterator[SmtpServer]:
    yield from _server("tls", certs)


def settings(
    server_port: int, certs: TestCerts, security: Security = Security.STARTTLS, **extra: object
) -> SmtpSettings:
    values: dict[str, object] = {
        "host": HOST,
        "port": server_port,
        "security": security,
        "username": USER,
        "ca_file": str(certs.ca_file),
        "timeout": 10.0,
        **extra,
    }
    return SmtpSettings(**values)  # type: ignore[arg-type]


def attached_bytes(content: bytes) -> bytes:
    """The bytes of the message/rfc822 part, cut from the raw forward by its boundary."""
    boundary = re.search(rb'boundary="([^"]+)"', content)
    assert boundary is not None
    marker = b"Content-Type: message/rfc822\r\n"
    part = content[content.index(marker) :]
    body = part[part.index(b"\r\n\r\n") + 4 :]
    closing = b"\r\n--" + boundary.group(1) + b"--\r\n"
    assert body.endswith(closing)
    return body[: -len(closing)]


def send_original(target: SmtpSettings, original: bytes = ORIGINAL) -> bytes:
    return forward(
        original, settings=target, password=PASSWORD, sender=USER, forward_address=LOGGING
    )


def test_starttls_with_auth_delivers_the_original_bytes_as_an_attachment(
    starttls: SmtpServer, certs: TestCerts
) -> None:
    sent = send_original(settings(starttls.port, certs))

    (received,) = starttls.inbox.messages
    assert (received.mail_from, received.rcpt_tos) == (USER, (LOGGING,))
    assert received.content == sent
    assert attached_bytes(received.content) == ORIGINAL
    assert "BODY=8BITMIME" in received.mail_options
    assert starttls.inbox.logins == [USER]
    parsed = email.message_from_bytes(received.content)
    assert parsed.get_content_type() == "multipart/mixed"
    parts = parsed.get_payload()
    assert isinstance(parts, list)
    assert [p.get_content_type() for p in parts] == ["text/plain", "message/rfc822"]
    inner = parts[1].get_payload()[0]
    assert isinstance(inner, Message)
    assert inner["Message-ID"] == "<orig-1@client.example>"
    subject = str(make_header(decode_header(parsed["Subject"])))
    assert subject == "Fwd: Devis été"


def test_implicit_tls_delivers_too(implicit_tls: SmtpServer, certs: TestCerts) -> None:
    plain = ORIGINAL.replace(b"Voil\xc3\xa0", b"Voici")
    plain = plain.replace(b"\xc3\xa9t\xc3\xa9", b"ete")
    send_original(settings(implicit_tls.port, certs, Security.SSL), plain)
    (received,) = implicit_tls.inbox.messages
    assert attached_bytes(received.content) == plain
    assert "BODY=8BITMIME" not in received.mail_options


def test_bare_newlines_become_crlf_and_the_rest_is_untouched() -> None:
    built = build_forward(b"Subject: hi\nX: y\n\nbody\n", sender=USER, recipient=LOGGING)
    assert attached_bytes(built) == b"Subject: hi\r\nX: y\r\n\r\nbody\r\n"
    assert b"\r\nSubject: Fwd: hi\r\n" in built


def with_pdf(megabytes: float, text: bytes = b"Here is the signed contract.\r\n") -> bytes:
    """A multipart email: a short text, and a PDF of ``megabytes`` (base64, as mail sends it)."""
    pdf = b"%PDF-1.7\n" + bytes(range(256)) * int(megabytes * 4096)
    encoded = base64.encodebytes(pdf).replace(b"\n", b"\r\n")
    return (
        b"From: Lea Martin <lea@client.example>\r\nTo: raj@acme.example\r\n"
        b"Subject: Contract\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="b1"\r\n\r\n'
        b"--b1\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n" + text +
        b"--b1\r\nContent-Type: application/pdf; name=contract.pdf\r\n"
        b"Content-Disposition: attachment; filename=contract.pdf\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\n" + encoded + b"--b1--\r\n"
    )  # fmt: skip


def test_a_body_over_two_megabytes_is_refused_before_connecting(certs: TestCerts) -> None:
    big = ORIGINAL + b"x" * (MAX_FORWARD_BYTES - len(ORIGINAL) + 1)
    closed = settings(free_port(), certs)
    with pytest.raises(ForwardError, match=r"body is up to 2 MB") as caught:
        send_original(closed, big)
    assert caught.value.kind == "too_large"
    assert not is_retryable(caught.value)
    assert measure(big).body == MAX_FORWARD_BYTES + 1


def test_a_three_megabyte_pdf_is_forwarded_the_2_mb_limit_counts_the_body(
    starttls: SmtpServer, certs: TestCerts
) -> None:
    original = with_pdf(3.0)
    sizes = measure(original)
    assert sizes.attachments == len(b"%PDF-1.7\n") + 3 * 1024 * 1024
    assert sizes.body < 2048  # headers and the text: what HubSpot's 2 MB counts
    send_original(settings(starttls.port, certs), original)
    (received,) = starttls.inbox.messages
    assert attached_bytes(received.content) == original


def test_attachments_over_fifty_megabytes_in_all_are_refused(certs: TestCerts) -> None:
    with pytest.raises(ForwardError, match=r"up to 50 MB of attachments") as caught:
        send_original(settings(free_port(), certs), with_pdf(50.5))
    assert caught.value.kind == "too_large"
    assert measure(with_pdf(1.0, b"x" * (2 * 1024 * 1024 + 10))).body > MAX_FORWARD_BYTES


def test_a_server_without_starttls_is_refused_before_login(certs: TestCerts) -> None:
    server = SmtpServer("plain", certs.good.cert, certs.good.key).start()
    try:
        with pytest.raises(ForwardError, match="does not offer STARTTLS") as caught:
            send_original(settings(server.port, certs))
        assert caught.value.kind == "starttls"
        assert server.inbox.messages == [] and server.inbox.logins == []
    finally:
        server.stop()


def test_plain_text_is_only_for_loopback(certs: TestCerts) -> None:
    server = SmtpServer("plain", certs.good.cert, certs.good.key).start()
    try:
        send_original(settings(server.port, certs, Security.NONE, username=None))
        assert len(server.inbox.messages) == 1
    finally:
        server.stop()
    remote = settings(25, certs, Security.NONE, host="mail.example.com")
    with pytest.raises(ForwardError, match="without TLS") as caught:
        send_original(remote)
    assert caught.value.kind == "insecure"


def test_a_wrong_password_is_reported_without_the_password(
    starttls: SmtpServer, certs: TestCerts, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with pytest.raises(ForwardError, match=r"rejected the user name or password") as caught:
        forward(
            ORIGINAL,
            settings=settings(starttls.port, certs),
            password="not-the-" + PASSWORD,
            sender=USER,
            forward_address=LOGGING,
        )
    assert caught.value.kind == "auth"
    assert PASSWORD not in f"{caught.value}{caught.value!r}{caplog.text}"
    assert starttls.inbox.messages == []


def test_a_refused_recipient_is_named(starttls: SmtpServer, certs: TestCerts) -> None:
    starttls.inbox.refuse.add(LOGGING)
    with pytest.raises(ForwardError, match=f"refused the recipient {LOGGING}") as caught:
        send_original(settings(starttls.port, certs))
    assert caught.value.kind == "recipient"
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize("cert", ["unknown_ca", "wrong_host"])
def test_an_untrusted_certificate_is_refused(certs: TestCerts, cert: str) -> None:
    for server in _server("starttls", certs, cert):
        with pytest.raises(ForwardError, match="is not trusted") as caught:
            send_original(settings(server.port, certs))
        assert caught.value.kind == "certificate"
        assert server.inbox.logins == []


def test_the_system_cas_do_not_trust_a_test_certificate(
    implicit_tls: SmtpServer, certs: TestCerts
) -> None:
    with pytest.raises(ForwardError) as caught:
        send_original(settings(implicit_tls.port, certs, Security.SSL, ca_file=None))
    assert caught.value.kind == "certificate"


def test_a_closed_port_and_an_unknown_host_say_so(certs: TestCerts) -> None:
    port = free_port()
    with pytest.raises(ForwardError, match=f"{HOST}:{port} refused the connection") as refused:
        send_original(settings(port, certs))
    assert refused.value.kind == "refused" and is_retryable(refused.value)
    with pytest.raises(ForwardError, match="Cannot resolve the mail server") as unknown:
        send_original(settings(587, certs, host="mail.mailscope-test.invalid"))
    assert unknown.value.kind == "dns"


def test_the_boundary_never_occurs_in_the_original(monkeypatch: pytest.MonkeyPatch) -> None:
    original = b"Subject: x\r\n\r\n--=_mailscope_" + b"0" * 24 + b"\r\n"
    tokens = iter(["0" * 24, "1" * 24])
    monkeypatch.setattr("core.crm.forward.secrets.token_hex", lambda n: next(tokens))
    built = build_forward(original, sender=USER, recipient=LOGGING)
    assert b'boundary="=_mailscope_' + b"1" * 24 + b'"' in built
    assert attached_bytes(built) == original
