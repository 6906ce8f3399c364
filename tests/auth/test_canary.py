"""The canary: no code, verifier or token ever lands in the cache, the settings, a log, an
output or a traceback. The authorization server lists every secret it issued or was sent."""

from __future__ import annotations

import logging
import time
import traceback
from pathlib import Path

import pytest

from core.auth.discovery import discover
from core.auth.errors import OAuthError
from core.auth.flow import sign_in
from core.auth.tokens import AccessTokens
from core.mail.imap import ImapSource
from core.mail.imap_conn import ImapSettings
from core.mail.oauth_setup import SignedIn
from core.mail.secrets import KeyringStore
from core.mail.source import MailError, Security
from tests.helpers.dovecot import MailUser
from tests.helpers.oauth import BROWSER, CLIENT_ID, Browser, OAuthDovecot, OAuthServer
from tests.mail.test_cli import Cli
from tests.mail.test_cli_oauth import add_args, signing_in


def leaks(oauth: OAuthServer, texts: dict[str, bytes | str]) -> list[str]:
    secrets = oauth.secrets()
    assert len(secrets) >= 4  # codes, verifiers, access, id and refresh tokens were issued
    found = []
    for where, text in texts.items():
        data = text.encode() if isinstance(text, str) else text
        found += [f"{where}: {s[:12]}…" for s in secrets if s.encode() in data]
    return found


def files(folder: Path) -> dict[str, bytes | str]:
    return {str(p): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_the_command_line_leaves_no_secret_behind(
    tmp_path: Path, oauth: OAuthServer, oauth_dovecot: OAuthDovecot, rep: MailUser
) -> None:
    cli = Cli(tmp_path)
    oauth.set(access_ttl=2)
    assert signing_in(cli, *add_args(oauth, rep)).returncode == 0
    assert cli("sync", "work").returncode == 0
    time.sleep(2.5)
    assert cli("sync", "work").returncode == 0
    oauth.fail_next(500, {"error": "server_error", "error_description": "x"})
    assert cli("sync", "work").returncode == 1  # the renewal failed: one line
    oauth.revoke()
    assert cli("sync", "work").returncode == 1
    assert signing_in(cli, "account", "login", "work", "--no-browser").returncode == 0
    assert cli("messages", "--json").returncode == 0
    outputs = {f"output {n}": text for n, text in enumerate(cli.outputs)}
    assert leaks(oauth, {**outputs, **files(tmp_path / "data")}) == []
    assert cli.keyring_password("oauth2:work") in oauth.secrets()  # where it belongs


def _failures(oauth: OAuthServer, rep: MailUser, secrets: KeyringStore) -> list[BaseException]:
    """Drive every failure path with live secrets in play; return what each raised."""
    provider = discover(oauth.issuer, CLIENT_ID)
    raised: list[BaseException] = []
    oauth.fail_next(400, {"error": "invalid_grant", "error_description": "verifier mismatch"})
    with pytest.raises(OAuthError) as caught:
        sign_in(provider, login_hint=rep.user, open_url=Browser(), timeout=20)
    raised.append(caught.value)
    tokens = sign_in(provider, login_hint=rep.user, open_url=Browser(), timeout=20)
    assert tokens.refresh_token is not None
    secrets.set("oauth2:work", tokens.refresh_token)
    source = AccessTokens("oauth2:work", secrets, lambda: provider)
    source.seed(tokens)
    settings = ImapSettings("127.0.0.1", "someone-else@example.test", rep.port, Security.NONE)
    with pytest.raises(MailError) as refused:
        ImapSource(settings, source)  # a token for another user: refused twice
    raised.append(refused.value)
    oauth.revoke()
    source.invalidate()
    with pytest.raises(OAuthError) as revoked:
        source.token()
    raised.append(revoked.value)
    return raised


def test_errors_tracebacks_reprs_and_logs_carry_no_secret(
    oauth: OAuthServer, rep: MailUser, secrets: KeyringStore, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    raised = _failures(oauth, rep, secrets)
    ours = [r for r in caplog.records if r.threadName != BROWSER]  # the browser is not us
    assert len(ours) > 20
    texts: dict[str, bytes | str] = {"log": "\n".join(r.getMessage() for r in ours)}
    for n, error in enumerate(raised):
        texts[f"traceback {n}"] = "".join(traceback.format_exception(error))
        texts[f"repr {n}"] = repr(error) + str(error)
    provider = discover(oauth.issuer, CLIENT_ID)
    tokens = sign_in(provider, login_hint=rep.user, open_url=Browser(), timeout=20)
    texts["reprs"] = repr(tokens) + repr(SignedIn(None, provider, tokens))  # type: ignore[arg-type]
    assert leaks(oauth, texts) == []
