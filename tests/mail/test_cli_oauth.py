"""The command line, as a user runs it: add an account from its address with an OAuth2 sign-in
(the test plays the browser), sync it through XOAUTH2, and again once the token expired."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from tests.helpers.dovecot import Admin, MailUser
from tests.helpers.oauth import CLIENT_ID, Browser, OAuthDovecot, OAuthServer
from tests.mail.sync_helpers import raw
from tests.mail.test_cli import ROOT, Cli

OPEN = "Open this address to sign in: "


@pytest.fixture
def cli(tmp_path) -> Cli:  # type: ignore[no-untyped-def]
    return Cli(tmp_path)


def signing_in(
    cli: Cli, *args: str, browser: Browser | None = None
) -> subprocess.CompletedProcess[str]:
    """Run a command that prints the sign-in address; visit it as the browser would."""
    code = "import sys; from core.cli import main; sys.exit(main())"
    process = subprocess.Popen(
        [sys.executable, "-c", code, *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
        text=True, cwd=ROOT, env=cli.env,
    )  # fmt: skip
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.readline()
    if first.startswith(OPEN):
        assert first.endswith("\n")
        (browser or Browser()).visit(first[len(OPEN) : -1])
    out, err = process.communicate(timeout=120)
    cli.outputs += [first, out, err]
    return subprocess.CompletedProcess(args, process.returncode, first + out, err)


def add_args(oauth: OAuthServer, rep: MailUser, name: str = "work") -> list[str]:
    return [
        "account", "add", name, "--email", rep.user, "--oauth2", "custom",
        "--issuer", oauth.issuer, "--client-id", CLIENT_ID,
        "--host", "127.0.0.1", "--port", str(rep.port), "--security", "none", "--no-browser",
    ]  # fmt: skip


def test_add_sign_in_and_sync_through_xoauth2_then_again_after_expiry(
    cli: Cli, oauth: OAuthServer, oauth_dovecot: OAuthDovecot, rep: MailUser
) -> None:
    with Admin(rep) as admin:
        admin.append("INBOX", raw(1))
    oauth.set(access_ttl=2)  # every access token dies two seconds after it is made
    added = signing_in(cli, *add_args(oauth, rep))
    assert added.returncode == 0, added.stderr
    lines = added.stdout.splitlines()
    assert lines[0].startswith(OPEN + oauth.issuer + "/authorize?")
    assert lines[1] == f"added work\timap\t{rep.user}@127.0.0.1:{rep.port}\tnone\toauth2 custom"
    assert cli.keyring_password("oauth2:work") not in ("None", "")
    synced = cli("sync", "work")
    assert synced.returncode == 0, synced.stderr
    assert synced.stdout.startswith("work: 4 folders, 1 new")
    time.sleep(2.5)  # the access token of the first sync has expired
    with Admin(rep) as admin:
        admin.append("INBOX", raw(2))
    again = cli("sync", "work")
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith("work: 4 folders, 1 new")
    logins = oauth_dovecot.log().count(f"Login: user=<{rep.user}>, method=XOAUTH2")
    assert logins >= 3  # the proof at add time, then each sync
    grants = [r["grant_type"] for r in oauth.requests()]
    assert grants[0] == "authorization_code" and grants.count("refresh_token") >= 2
    listed = cli("account", "list")
    assert listed.stdout == f"work\timap\t{rep.user}@127.0.0.1:{rep.port}\tnone\toauth2 custom\n"
    assert cli("account", "remove", "work").returncode == 0
    assert cli.keyring_password("oauth2:work") == "None"  # the sign-in goes with the account


def test_a_revoked_sign_in_is_one_line_then_account_login_repairs_it(
    cli: Cli, oauth: OAuthServer, oauth_dovecot: OAuthDovecot, rep: MailUser
) -> None:
    with Admin(rep) as admin:
        admin.append("INBOX", raw(1))
    assert signing_in(cli, *add_args(oauth, rep)).returncode == 0
    assert cli("sync", "work").returncode == 0
    oauth.revoke()
    refused = cli("sync", "work")
    assert refused.returncode == 1 and refused.stdout == ""
    assert refused.stderr == (
        "work: 127.0.0.1 no longer accepts this sign-in (it expired or was revoked): sign in again"
        " with: mailscope account login work\n"
    )
    kept = cli("messages", "--account", "work", "--json")
    assert '"uid": 1' in kept.stdout  # nothing cached was lost
    login = signing_in(cli, "account", "login", "work", "--no-browser")
    assert login.returncode == 0, login.stderr
    assert login.stdout.splitlines()[1] == "signed in work again"
    assert cli("sync", "work").returncode == 0


def test_a_closed_browser_or_a_forged_answer_stores_nothing(
    cli: Cli, oauth: OAuthServer, rep: MailUser
) -> None:
    forged = Browser(tamper=lambda location: location.replace("state=", "state=x"))
    refused = signing_in(cli, *add_args(oauth, rep), browser=forged)
    assert refused.returncode == 1
    assert refused.stderr.endswith("(state mismatch): nothing was accepted; sign in again.\n")
    assert refused.stderr.count("\n") == 1
    assert cli("account", "list").stdout == ""
    assert cli.keyring_password("oauth2:work") == "None"


def test_bad_oauth2_arguments_exit_2(cli: Cli, oauth: OAuthServer) -> None:
    no_issuer = cli("account", "add", "w", "--email", "a@b.example", "--oauth2", "custom",
                    "--host", "127.0.0.1", "--security", "none")  # fmt: skip
    assert no_issuer.returncode == 2
    assert no_issuer.stderr == (
        "mailscope account add: --oauth2 custom needs --issuer URL and --client-id ID\n"
    )
    no_email = cli("account", "add", "w", "--host", "h.example", "--oauth2", "google")
    assert no_email.returncode == 2 and "--oauth2 needs --email ADDRESS" in no_email.stderr
    password_account = cli("account", "add", "p", "--maildir", str(cli.home))
    assert password_account.returncode == 2
    assert cli("account", "login", "nope").returncode == 2
