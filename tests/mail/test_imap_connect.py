"""Connecting to the real Dovecot: every security mode, every refusal, one clear line each."""

from __future__ import annotations

import logging
import socket
import ssl
import subprocess
from dataclasses import replace

import pytest

from core.mail.imap import ImapSource
from core.mail.imap_conn import ImapSettings, _port_hint, is_loopback
from core.mail.source import ConnectError, LoginError, Security
from tests.helpers.dovecot import (
    NO_TLS_IP,
    UNKNOWN_CA_IP,
    WRONG_HOST_IP,
    Dovecot,
    MailUser,
    free_port,
    imap_settings,
)


def connect_error(settings: ImapSettings, password: str) -> ConnectError:
    with pytest.raises(ConnectError) as caught:
        ImapSource(settings, password)
    message = str(caught.value)
    assert "\n" not in message and password not in message
    return caught.value


@pytest.mark.parametrize("security", list(Security))
def test_each_security_mode_connects_and_lists(mail_user: MailUser, security: Security) -> None:
    with ImapSource(imap_settings(mail_user, security), mail_user.password) as source:
        assert source.capabilities.condstore and source.capabilities.idle
        assert source.status("INBOX").exists == 0
        sock = source._client._imap.sock
        assert isinstance(sock, ssl.SSLSocket) == (security is not Security.NONE)


def test_ip_address_host_is_verified_against_the_certificate(mail_user: MailUser) -> None:
    settings = imap_settings(mail_user, host="127.0.0.1")  # the good certificate has IP:127.0.0.1
    with ImapSource(settings, mail_user.password) as source:
        assert source.uids("INBOX") == []


def served_subject(ip: str, port: int) -> str:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    with (
        socket.create_connection((ip, port), timeout=10) as raw,
        context.wrap_socket(raw) as tls,
    ):
        der = tls.getpeercert(binary_form=True)
    assert der is not None
    return subprocess.run(
        ["openssl", "x509", "-inform", "DER", "-noout", "-subject", "-issuer"],
        input=der,
        capture_output=True,
        check=True,
        timeout=30,
    ).stdout.decode()


def test_wrong_host_name_is_refused(mail_user: MailUser) -> None:
    assert "CN = wrong-host" in served_subject(WRONG_HOST_IP, mail_user.ssl_port)
    for security in (Security.SSL, Security.STARTTLS):
        settings = imap_settings(mail_user, security, host=WRONG_HOST_IP)
        error = connect_error(settings, mail_user.password)
        assert error.kind == "hostname"
        assert str(error) == (
            f"the server's certificate does not match the host name {WRONG_HOST_IP}"
        )


def test_unknown_ca_is_refused(mail_user: MailUser) -> None:
    assert "rogue-ca" in served_subject(UNKNOWN_CA_IP, mail_user.ssl_port)
    for security in (Security.SSL, Security.STARTTLS):
        settings = imap_settings(mail_user, security, host=UNKNOWN_CA_IP)
        error = connect_error(settings, mail_user.password)
        assert error.kind == "certificate"
        assert str(error).startswith("the server's certificate is not trusted: ")


def test_system_cas_do_not_trust_the_test_ca(mail_user: MailUser) -> None:
    settings = replace(imap_settings(mail_user), ca_file=None)
    error = connect_error(settings, mail_user.password)
    assert error.kind == "certificate"
    assert "not trusted" in str(error)


def test_starttls_is_never_skipped(mail_user: MailUser) -> None:
    settings = imap_settings(mail_user, Security.STARTTLS, host=NO_TLS_IP)
    error = connect_error(settings, mail_user.password)
    assert error.kind == "starttls"
    assert str(error) == (f"{NO_TLS_IP} does not offer STARTTLS; refusing to continue unencrypted")
    # The same listener works in plain text only when asked for explicitly (loopback).
    plain = imap_settings(mail_user, Security.NONE, host=NO_TLS_IP)
    with ImapSource(plain, mail_user.password) as source:
        assert source.status("INBOX").exists == 0


@pytest.mark.parametrize("host", ["imap.example.com", "10.0.0.1", "localhost.example.com"])
def test_none_is_refused_for_a_non_loopback_host(host: str) -> None:
    settings = ImapSettings(host, "rep", 143, Security.NONE)
    error = connect_error(settings, "secret-pw")
    assert error.kind == "insecure"
    assert str(error).startswith(f"refusing an unencrypted connection to {host}")


@pytest.mark.parametrize(
    ("host", "loopback"),
    [("localhost", True), ("127.0.0.9", True), ("::1", True), ("[::1]", True),
     ("LOCALHOST.", True), ("a.localhost", True), ("192.168.1.2", False), ("example.com", False)],
)  # fmt: skip
def test_is_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_wrong_password_is_a_login_error(mail_user: MailUser) -> None:
    wrong = "not-" + mail_user.password
    with pytest.raises(LoginError) as caught:
        ImapSource(imap_settings(mail_user), wrong)
    message = str(caught.value)
    assert message.startswith(f"login rejected for {mail_user.user} on localhost")
    assert wrong not in message and mail_user.password not in message
    assert "\n" not in message


def test_refused_port() -> None:
    port = free_port()
    error = connect_error(ImapSettings("127.0.0.1", "rep", port, Security.SSL), "pw")
    assert (error.kind, str(error)) == ("refused", f"connection refused by 127.0.0.1:{port}")


def test_unknown_host() -> None:
    error = connect_error(ImapSettings("no-such-host.invalid", "rep"), "pw")
    assert (error.kind, str(error)) == ("dns", "cannot resolve host no-such-host.invalid")


def test_silent_server_times_out() -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        settings = ImapSettings("127.0.0.1", "rep", port, Security.SSL, timeout=0.3)
        error = connect_error(settings, "pw")
    assert error.kind == "timeout"
    assert str(error) == f"no answer from 127.0.0.1:{port} (timed out)"


def test_missing_ca_file(mail_user: MailUser, dovecot: Dovecot) -> None:
    settings = replace(imap_settings(mail_user), ca_file=str(dovecot.base / "nope.pem"))
    error = connect_error(settings, mail_user.password)
    assert error.kind == "certificate" and "does not exist" in str(error)


def test_implicit_tls_on_a_plain_port_fails_clearly(mail_user: MailUser) -> None:
    settings = replace(imap_settings(mail_user, Security.SSL), port=mail_user.port)
    error = connect_error(settings, mail_user.password)
    assert error.kind == "tls"
    assert str(error) == (
        f"TLS failed with localhost:{mail_user.port}: WRONG_VERSION_NUMBER (this port may expect"
        f" starttls: try security starttls on {mail_user.port})"
    )


def test_starttls_on_an_implicit_tls_port_times_out_clearly(mail_user: MailUser) -> None:
    settings = replace(imap_settings(mail_user, Security.STARTTLS), port=mail_user.ssl_port)
    error = connect_error(replace(settings, timeout=0.5), mail_user.password)
    assert error.kind == "timeout"


def test_port_hints() -> None:
    assert _port_hint(143, Security.SSL) == " (port 143 is usually STARTTLS: try security starttls)"
    assert (
        _port_hint(993, Security.STARTTLS)
        == " (port 993 is usually implicit TLS: try security ssl)"
    )
    assert _port_hint(993, Security.SSL) == _port_hint(143, Security.STARTTLS) == ""


def test_the_password_never_reaches_the_logs(
    mail_user: MailUser, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with ImapSource(imap_settings(mail_user), mail_user.password) as source:
        source.folders()
        assert mail_user.password not in repr(source) + repr(source.settings)
    with pytest.raises(LoginError):
        ImapSource(imap_settings(mail_user), "wrong-" + mail_user.password)
    assert caplog.records  # imapclient did log the session at DEBUG
    assert mail_user.password not in caplog.text
