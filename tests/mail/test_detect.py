"""Finding settings from an address: the provider list, then a real HTTPS autoconfig server,
a real DNS answer on a loopback socket (MX, SRV), then guesses probed over real TLS.

The names (autoconfig.acme.test, imap.acme.test...) reach the loopback servers through the
detector's ``route`` (where to connect for a host and port) while TLS still verifies the
certificate against the name itself, as it would on the internet.
"""

from __future__ import annotations

import socket
import ssl
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from core.mail.autoconfig import AutoconfigError, parse
from core.mail.detect import Lookups, detect
from core.mail.source import Security
from tests.helpers.certs import ServerCert, _make_server
from tests.helpers.dns_server import MX, SRV, DnsServer
from tests.helpers.dovecot import Dovecot, MailUser, free_port

XML = """<?xml version="1.0"?>
<clientConfig version="1.1"><emailProvider id="acme.test">
  <domain>acme.test</domain>
  <incomingServer type="pop3"><hostname>pop.acme.test</hostname><port>995</port>
    <socketType>SSL</socketType></incomingServer>
  <incomingServer type="imap"><hostname>plain.acme.test</hostname><port>143</port>
    <socketType>plain</socketType><username>%EMAILADDRESS%</username></incomingServer>
  <incomingServer type="imap"><hostname>mail.%EMAILDOMAIN%</hostname><port>{port}</port>
    <socketType>SSL</socketType><authentication>password-cleartext</authentication>
    <username>%EMAILLOCALPART%</username></incomingServer>
</emailProvider></clientConfig>"""

PROVIDERS = [
    ("rep@gmail.com", "Google", "imap.gmail.com", "google", True),
    ("rep@outlook.com", "Microsoft 365", "outlook.office365.com", "microsoft", False),
    ("rep@hotmail.fr", "Microsoft 365", "outlook.office365.com", "microsoft", False),
    ("rep@contoso.onmicrosoft.com", "Microsoft 365", "outlook.office365.com", "microsoft", False),
    ("rep@yahoo.fr", "Yahoo", "imap.mail.yahoo.com", None, True),
    ("rep@icloud.com", "iCloud", "imap.mail.me.com", None, True),
    ("rep@fastmail.com", "Fastmail", "imap.fastmail.com", None, True),
    ("rep@gmx.de", "GMX", "imap.gmx.net", None, False),
    ("rep@ovh.net", "OVHcloud", "ssl0.ovh.net", None, False),
    ("rep@orange.fr", "Orange", "imap.orange.fr", None, False),
    ("rep@free.fr", "Free", "imap.free.fr", None, False),
    ("rep@zoho.com", "Zoho Mail", "imap.zoho.com", None, True),
]


@pytest.mark.parametrize(("email", "name", "host", "oauth2", "app_password"), PROVIDERS)
def test_the_provider_list_needs_no_network(
    email: str, name: str, host: str, oauth2: str | None, app_password: bool
) -> None:
    dns = DnsServer()
    try:
        found = detect(email, Lookups(resolver=dns.address)).found
    finally:
        dns.close()
    assert found is not None and dns.questions == []
    assert (found.host, found.port, found.security) == (host, 993, Security.SSL)
    assert found.origin == f"found in Mailscope's provider list ({name})"
    assert (found.oauth2, found.app_password is not None) == (oauth2, app_password)
    assert found.username == email


def test_lookups_turned_off_ask_nobody() -> None:
    dns = DnsServer(records={("acme.test", MX): [(10, "aspmx.l.google.com")]})
    try:
        detection = detect("rep@acme.test", Lookups(online=False, resolver=dns.address))
    finally:
        dns.close()
    assert detection.found is None and dns.questions == []
    assert detection.notes == ("acme.test is not in Mailscope's provider list",)


@pytest.fixture
def certs(dovecot: Dovecot, tmp_path: Path) -> tuple[Path, ServerCert, ServerCert]:
    """The test CA, a certificate for acme.test's names from it, and one for another name."""
    ca = ServerCert(dovecot.ca_file, dovecot.ca_file.with_suffix(".key"))
    names = "DNS:autoconfig.acme.test,DNS:acme.test,DNS:mail.acme.test"
    good = _make_server(tmp_path, "acme", ca, names)
    other = _make_server(tmp_path, "other", ca, "DNS:other.example")
    return dovecot.ca_file, good, other


@pytest.fixture
def dns() -> Iterator[DnsServer]:
    server = DnsServer()
    yield server
    server.close()


@pytest.fixture
def https(certs: tuple[Path, ServerCert, ServerCert]) -> Iterator[HTTPServer]:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(certs[1].cert, certs[1].key)
    server = HTTPServer(host="127.0.0.1", port=0, ssl_context=context)
    server.start()
    yield server
    server.clear()
    server.stop()


def lookups(dns: DnsServer, ca: Path, routes: dict[tuple[str, int], int], **kw: object) -> Lookups:
    closed = free_port()

    def route(host: str, port: int) -> tuple[str, int]:
        return "127.0.0.1", routes.get((host, port), closed)  # anything else: refused

    options = {"resolver": dns.address, "route": route, "ca_file": str(ca), "timeout": 3, **kw}
    return Lookups(**options)  # type: ignore[arg-type]


def test_autoconfig_at_autoconfig_domain_over_https(
    dns: DnsServer, https: HTTPServer, certs: tuple[Path, ServerCert, ServerCert]
) -> None:
    https.expect_request(
        "/mail/config-v1.1.xml", query_string="emailaddress=rep@acme.test"
    ).respond_with_data(XML.format(port=1993), content_type="text/xml")
    routes = {("autoconfig.acme.test", 443): https.port}
    detection = detect("rep@acme.test", lookups(dns, certs[0], routes))
    found = detection.found
    assert found is not None
    assert (found.host, found.port, found.security) == ("mail.acme.test", 1993, Security.SSL)
    assert found.username == "rep"  # %EMAILLOCALPART%; the plain-text server was skipped
    assert found.origin == "found at https://autoconfig.acme.test/mail/config-v1.1.xml"


def test_the_well_known_address_when_autoconfig_domain_has_none(
    dns: DnsServer, https: HTTPServer, certs: tuple[Path, ServerCert, ServerCert]
) -> None:
    https.expect_request("/.well-known/autoconfig/mail/config-v1.1.xml").respond_with_data(
        XML.format(port=993)
    )
    routes = {("acme.test", 443): https.port}
    found = detect("rep@acme.test", lookups(dns, certs[0], routes)).found
    assert found is not None and found.host == "mail.acme.test"
    assert found.origin == "found at https://acme.test/.well-known/autoconfig/mail/config-v1.1.xml"


def test_an_autoconfig_server_with_a_certificate_for_another_name_is_not_believed(
    dns: DnsServer, certs: tuple[Path, ServerCert, ServerCert]
) -> None:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(certs[2].cert, certs[2].key)
    server = HTTPServer(host="127.0.0.1", port=0, ssl_context=context)
    server.expect_request("/mail/config-v1.1.xml").respond_with_data(XML.format(port=993))
    server.start()
    try:
        routes = {("autoconfig.acme.test", 443): server.port}
        detection = detect("rep@acme.test", lookups(dns, certs[0], routes))
    finally:
        server.stop()
    assert detection.found is None
    assert (
        "https://autoconfig.acme.test/mail/config-v1.1.xml: its certificate is not valid for it"
        in detection.notes
    )


def test_entities_are_never_expanded() -> None:
    bomb = b"""<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">
      <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
      <clientConfig><emailProvider><incomingServer type="imap">
      <hostname>&lol2;</hostname><port>993</port><socketType>SSL</socketType>
      </incomingServer></emailProvider></clientConfig>"""
    with pytest.raises(AutoconfigError, match="not a readable autoconfig document"):
        parse(bomb, "rep@acme.test")
    with pytest.raises(AutoconfigError):
        parse(b"<clientConfig><unclosed></clientConfig>", "rep@acme.test")


def test_a_company_domain_hosted_by_google_is_known_by_its_mx(
    dns: DnsServer, certs: tuple[Path, ServerCert, ServerCert]
) -> None:
    dns.records[("acme.test", MX)] = [(5, "alt1.aspmx.l.google.com"), (1, "aspmx.l.google.com")]
    found = detect("rep@acme.test", lookups(dns, certs[0], {})).found
    assert found is not None and (found.host, found.oauth2) == ("imap.gmail.com", "google")
    assert found.origin == "found in the mail exchangers of acme.test (Google)"


def test_rfc6186_srv_records(
    dns: DnsServer, mail_user: MailUser, certs: tuple[Path, ServerCert, ServerCert]
) -> None:
    dns.records[("_imaps._tcp.acme.test", SRV)] = [
        (20, 0, 1, "backup.acme.test"),
        (10, 5, mail_user.ssl_port, "localhost"),
    ]
    found = detect("rep@acme.test", lookups(dns, certs[0], {})).found
    assert found is not None
    assert (found.host, found.port, found.security) == (
        "localhost",
        mail_user.ssl_port,
        Security.SSL,
    )
    assert found.origin == "found in the DNS record _imaps._tcp.acme.test"
    assert ("_imaps._tcp.acme.test", SRV) in dns.questions


def test_a_silent_resolver_costs_one_short_timeout(
    dns: DnsServer, certs: tuple[Path, ServerCert, ServerCert]
) -> None:
    dns.silent |= {"acme.test", "_imaps._tcp.acme.test"}
    started = time.monotonic()
    detection = detect("rep@acme.test", lookups(dns, certs[0], {}, timeout=0.5))
    assert detection.found is None
    assert time.monotonic() - started < 5
    assert "MX records of acme.test: no DNS answer for acme.test within 0.5 s" in detection.notes


class GreetingServer:
    """A TLS IMAP greeting on loopback; records every byte a client sends after the handshake."""

    def __init__(self, cert: ServerCert) -> None:
        self.context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self.context.load_cert_chain(cert.cert, cert.key)
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.received = b""
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            try:
                with self.context.wrap_socket(conn, server_side=True) as tls:
                    tls.sendall(b"* OK [CAPABILITY IMAP4rev1] ready\r\n")
                    tls.settimeout(1)
                    while chunk := tls.recv(1024):
                        self.received += chunk
            except (OSError, ssl.SSLError):
                pass

    def close(self) -> None:
        self.sock.close()


def test_a_guess_is_proposed_only_after_its_certificate_checked_out(
    dns: DnsServer, dovecot: Dovecot, certs: tuple[Path, ServerCert, ServerCert]
) -> None:
    good, wrong = GreetingServer(certs[1]), GreetingServer(certs[2])
    try:
        routes = {("imap.acme.test", 1993): wrong.port, ("mail.acme.test", 1993): wrong.port,
                  ("imap.acme.test", 1143): dovecot.port}  # fmt: skip
        ports = ((1993, Security.SSL), (1143, Security.STARTTLS))
        detection = detect("rep@acme.test", lookups(dns, certs[0], routes, guess_ports=ports))
        assert detection.found is None  # wrong names everywhere: nothing proposed
        assert detection.notes[-1] == (
            "guesses: imap.acme.test:1993 has no valid certificate for that name;"
            " imap.acme.test:1143 has no valid certificate for that name;"
            " mail.acme.test:1993 has no valid certificate for that name;"
            " mail.acme.test:1143 refused"
        )
        assert wrong.received == b""  # nothing, let alone a password, went to those hosts
        routes[("mail.acme.test", 1993)] = good.port
        found = detect("rep@acme.test", lookups(dns, certs[0], routes, guess_ports=ports)).found
        assert found is not None
        assert (found.host, found.port, found.security) == ("mail.acme.test", 1993, Security.SSL)
        assert (
            found.origin == "guessed: mail.acme.test answered on port 1993 with a valid certificate"
        )
        assert good.received == b""
    finally:
        good.close()
        wrong.close()
