"""IMAP sign-in with OAuth2 tokens against Dovecot's oauth2 passdb (local JWT validation).

Dovecot checks each token's RS256 signature with the authorization server's public key, its
expiry and its issuer, and maps it to the mailbox by its ``email`` claim.
"""

from __future__ import annotations

import base64
import json
import time

import pytest

from core.auth.discovery import discover
from core.auth.flow import sign_in
from core.auth.tokens import AccessTokens
from core.mail.imap import ImapSource
from core.mail.imap_conn import ImapSettings, open_client
from core.mail.sasl import choose, oauth_login
from core.mail.secrets import KeyringStore
from core.mail.source import LoginError, Security
from tests.helpers.dovecot import MailUser
from tests.helpers.oauth import CLIENT_ID, Browser, OAuthDovecot, OAuthServer


class Fixed:
    """A token source handing out one given token (the token is what is under test)."""

    def __init__(self, token: str) -> None:
        self.value = token
        self.invalidated = 0

    def token(self) -> str:
        return self.value

    def invalidate(self) -> None:
        self.invalidated += 1


def settings(user: MailUser) -> ImapSettings:
    return ImapSettings("127.0.0.1", user.user, user.port, Security.NONE, timeout=10)


@pytest.mark.parametrize("mechanism", ["XOAUTH2", "OAUTHBEARER"])
def test_a_good_token_opens_the_mailbox(
    oauth: OAuthServer, oauth_dovecot: OAuthDovecot, rep: MailUser, mechanism: str
) -> None:
    client = open_client(settings(rep))
    try:
        tokens = Fixed(oauth.token(email=rep.user))
        used = oauth_login(client, rep.user, "127.0.0.1", rep.port, tokens, mechanism)
        assert used == mechanism and tokens.invalidated == 0
        assert client.select_folder("INBOX")[b"EXISTS"] == 0
    finally:
        client.logout()
    assert f"user=<{rep.user}>, method={mechanism}" in oauth_dovecot.log()


def _forged(oauth: OAuthServer, email: str) -> str:
    header, _, signature = oauth.token(email=email).split(".")
    claims = {"sub": "johndoe", "iss": oauth.issuer, "email": email, "exp": int(time.time()) + 3600}
    body = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    return f"{header}.{body}.{signature}"  # a signature made for another payload


@pytest.mark.parametrize("mechanism", ["XOAUTH2", "OAUTHBEARER"])
@pytest.mark.parametrize(
    ("case", "reason"),
    [
        ("expired", "Token has expired"),
        ("forged", "Bad signature"),
        ("wrong-issuer", "Issuer 'https://evil.example' is not allowed"),
    ],
)
def test_a_bad_token_is_renewed_once_then_refused_with_one_line(
    oauth: OAuthServer,
    oauth_dovecot: OAuthDovecot,
    rep: MailUser,
    case: str,
    reason: str,
    mechanism: str,
) -> None:
    if case == "expired":
        token = oauth.token(email=rep.user, ttl=-60)
    elif case == "forged":
        token = _forged(oauth, rep.user)
    else:
        token = oauth.token(email=rep.user, iss="https://evil.example")
    tokens = Fixed(token)
    client = open_client(settings(rep))
    try:
        with pytest.raises(LoginError) as caught:
            oauth_login(client, rep.user, "127.0.0.1", rep.port, tokens, mechanism)
    finally:
        client.shutdown()
    text = str(caught.value)
    assert text.startswith(f"127.0.0.1 refused the OAuth2 sign-in for {rep.user}: ")
    assert "AUTHENTICATIONFAILED" in text and "\n" not in text and token not in text
    assert tokens.invalidated == 1  # renewed once (here: the same bad token again)
    assert reason in oauth_dovecot.log()


def test_an_expired_token_is_renewed_and_the_sync_goes_on(
    oauth: OAuthServer, oauth_dovecot: OAuthDovecot, rep: MailUser, secrets: KeyringStore
) -> None:
    """The provider said "one hour" but the token died early: refused, renewed, accepted."""
    provider = discover(oauth.issuer, CLIENT_ID)
    oauth.set(access_ttl=1, advertised_ttl=3600)
    tokens = sign_in(provider, login_hint=rep.user, open_url=Browser(), timeout=20)
    assert tokens.refresh_token is not None
    secrets.set("oauth2:work", tokens.refresh_token)
    source_tokens = AccessTokens("oauth2:work", secrets, lambda: provider)
    source_tokens.seed(tokens)
    oauth.set(access_ttl=3600, advertised_ttl=None)
    time.sleep(2.1)  # JWT exp has whole seconds: let the first token expire for Dovecot
    with ImapSource(settings(rep), source_tokens) as source:
        assert source.status("INBOX").exists == 0
    assert source_tokens.renewals == 1
    assert "Token has expired" in oauth_dovecot.log()


@pytest.mark.parametrize(
    ("offered", "wanted", "chosen"),
    [
        ({"AUTH=XOAUTH2", "AUTH=OAUTHBEARER"}, None, "XOAUTH2"),  # Gmail: the common one
        ({"AUTH=OAUTHBEARER", "AUTH=PLAIN"}, None, "OAUTHBEARER"),  # only the RFC 7628 one
        ({"AUTH=XOAUTH2", "AUTH=OAUTHBEARER"}, "oauthbearer", "OAUTHBEARER"),
    ],
)
def test_the_mechanism_is_one_the_server_advertises(
    offered: set[str], wanted: str | None, chosen: str
) -> None:
    assert choose(offered, wanted) == chosen


def test_a_server_without_oauth2_says_to_use_a_password() -> None:
    with pytest.raises(LoginError, match="does not offer OAuth2 sign-in"):
        choose({"AUTH=PLAIN", "IMAP4REV1"})
