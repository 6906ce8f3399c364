"""The forward to the CRM over SMTP with the mail account's own sign-in: ``AUTH XOAUTH2``.

The SMTP server (aiosmtpd) checks each token as Dovecot does: the authorization server's RS256
signature, the expiry, the issuer and the user.
"""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Iterator

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from core.auth.discovery import discover
from core.auth.flow import sign_in
from core.auth.tokens import AccessTokens
from core.crm.errors import ForwardError
from core.crm.forward import SmtpSettings, forward
from core.mail.secrets import KeyringStore
from core.mail.source import Security
from tests.helpers.certs import TestCerts, make_test_certs
from tests.helpers.oauth import CLIENT_ID, Browser, OAuthServer
from tests.helpers.smtp_server import HOST, SmtpServer

USER = "raj@acme.example"
ORIGINAL = b"From: lea@client.example\r\nTo: raj@acme.example\r\nSubject: Quote\r\n\r\nHello\r\n"


def _b64(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def validator(oauth: OAuthServer):  # type: ignore[no-untyped-def]
    key = serialization.load_pem_public_key(oauth.public_key_pem.encode())
    assert isinstance(key, rsa.RSAPublicKey)

    def valid(user: str, token: str) -> bool:
        try:
            header, body, signature = token.split(".")
            key.verify(
                _b64(signature), f"{header}.{body}".encode(), padding.PKCS1v15(), hashes.SHA256()
            )
        except (ValueError, InvalidSignature):
            return False
        claims = json.loads(_b64(body))
        fresh = claims.get("exp", 0) > time.time()
        return fresh and claims.get("iss") == oauth.issuer and claims.get("email") == user

    return valid


@pytest.fixture(scope="module")
def certs(tmp_path_factory: pytest.TempPathFactory) -> TestCerts:
    return make_test_certs(tmp_path_factory.mktemp("smtp-oauth-certs"))


@pytest.fixture
def smtp(certs: TestCerts, oauth: OAuthServer) -> Iterator[SmtpServer]:
    server = SmtpServer("starttls", certs.good.cert, certs.good.key, bearer=validator(oauth))
    server.start()
    yield server
    server.stop()


def tokens(oauth: OAuthServer, secrets: KeyringStore) -> AccessTokens:
    provider = discover(oauth.issuer, CLIENT_ID)
    signed = sign_in(provider, login_hint=USER, open_url=Browser(), timeout=20)
    assert signed.refresh_token is not None
    secrets.set("oauth2:work", signed.refresh_token)
    source = AccessTokens("oauth2:work", secrets, lambda: provider)
    source.seed(signed)
    return source


def settings(smtp: SmtpServer, certs: TestCerts) -> SmtpSettings:
    return SmtpSettings(HOST, smtp.port, Security.STARTTLS, USER, str(certs.ca_file), timeout=10)


def send(smtp: SmtpServer, certs: TestCerts, source: AccessTokens) -> bytes:
    return forward(
        ORIGINAL, settings=settings(smtp, certs), password=None, sender=USER,
        forward_address="1234@forward.example", tokens=source,
    )  # fmt: skip


def test_the_forward_signs_in_with_xoauth2(
    smtp: SmtpServer, certs: TestCerts, oauth: OAuthServer, secrets: KeyringStore
) -> None:
    source = tokens(oauth, secrets)
    send(smtp, certs, source)
    assert smtp.inbox.logins == [USER] and len(smtp.inbox.messages) == 1
    assert source.renewals == 0


def test_a_token_refused_by_the_server_is_renewed_once(
    smtp: SmtpServer, certs: TestCerts, oauth: OAuthServer, secrets: KeyringStore
) -> None:
    oauth.set(access_ttl=1, advertised_ttl=3600)  # announced for an hour, dead in a second
    source = tokens(oauth, secrets)
    oauth.set(access_ttl=3600, advertised_ttl=None)
    time.sleep(2.1)
    send(smtp, certs, source)
    assert smtp.inbox.logins == [USER, USER] and len(smtp.inbox.messages) == 1
    assert source.renewals == 1


def test_a_revoked_sign_in_is_one_line_without_the_token(
    smtp: SmtpServer, certs: TestCerts, oauth: OAuthServer, secrets: KeyringStore
) -> None:
    oauth.set(access_ttl=1, advertised_ttl=3600)
    source = tokens(oauth, secrets)
    oauth.revoke()
    time.sleep(2.1)
    with pytest.raises(ForwardError) as caught:
        send(smtp, certs, source)
    assert caught.value.kind == "auth"
    assert str(caught.value) == (
        "Cannot sign in to 127.0.0.1: 127.0.0.1 no longer accepts this sign-in"
        " (it expired or was revoked): sign in again"
    )
    assert smtp.inbox.messages == []


def test_the_forward_channel_uses_the_accounts_own_sign_in(secrets: KeyringStore) -> None:
    from core.auth.providers import OAuthConfig
    from core.crm.delivery import Channels
    from core.store.accounts import Account, AccountKind

    auth = OAuthConfig("custom", CLIENT_ID, issuer="http://127.0.0.1:9").to_json()
    account = Account(1, "work", AccountKind.IMAP, host="h", user=USER, auth=auth)
    channels = Channels()
    found = channels.smtp_tokens(account, None)
    assert isinstance(found, AccessTokens) and found.key == "oauth2:work"
    assert channels.smtp_tokens(account, "an SMTP password") is None  # the password wins
    password_account = Account(2, "home", AccountKind.IMAP, host="h", user=USER)
    assert channels.smtp_tokens(password_account, None) is None
