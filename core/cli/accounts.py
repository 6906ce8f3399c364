"""``mailscope account add NAME --email ADDRESS [--oauth2 ...]`` and ``account login NAME``.

The address comes first: without ``--host`` the settings are found from it (core.mail.detect)
and the line saying where they were found goes to stderr. With ``--oauth2`` the user signs in
in the browser; ``--no-browser`` prints ``Open this address to sign in: URL`` on its own line
on stdout instead, then waits up to 5 minutes. The new token must open the mailbox before
anything is stored. Imported only by these two commands (it pulls in the OAuth2 modules).
"""

from __future__ import annotations

import argparse
import sqlite3
import webbrowser
from collections.abc import Callable
from typing import TextIO

from core.auth.errors import OAuthError
from core.mail import accounts, oauth_setup
from core.mail.accounts import AccountError, Server
from core.mail.detect import Found, Lookups, detect, domain_of
from core.mail.secrets import KeyringStore, SecretError
from core.mail.source import MailError, Security
from core.store import db
from core.store.accounts import Account

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2
OPEN_LINE = "Open this address to sign in: "


def _opener(args: argparse.Namespace, out: TextIO, err: TextIO) -> Callable[[str], None]:
    def show(url: str) -> None:
        if args.no_browser:
            print(OPEN_LINE + url, file=out, flush=True)
            return
        print(f"Opening your browser to sign in (or open: {url})", file=err, flush=True)
        webbrowser.open(url)

    return show


def _server(args: argparse.Namespace, email: str, err: TextIO) -> tuple[Server, Found | None]:
    """The server from --host, else found from the address (one line on stderr says where)."""
    if args.host is not None:
        security = Security(args.security or Security.SSL.value)
        return accounts.check_server(args.host, args.port, security, args.ca_file), None
    try:
        domain_of(email)
    except ValueError as error:
        raise AccountError(str(error)) from None
    found = detect(email, Lookups(online=not args.no_lookup)).found
    if found is None:
        raise AccountError(
            f"could not find the IMAP settings of {email.partition('@')[2]}: give --host"
        )
    print(f"{found.origin}: {found.host}:{found.port} ({found.security.value})", file=err)
    security = Security(args.security) if args.security else found.security
    port = args.port if args.port is not None else found.port
    return accounts.check_server(found.host, port, security, args.ca_file), found


def _reported(command: str, action: Callable[[], str], out: TextIO, err: TextIO) -> int:
    """Run ``action`` (its line goes to stdout); each failure is one line on stderr."""
    try:
        line = action()
    except AccountError as error:
        print(f"mailscope account {command}: {error}", file=err)
        return EXIT_USAGE
    except (OAuthError, MailError, SecretError) as error:
        print(f"mailscope account {command}: {error}", file=err)
        return EXIT_FAILURE
    print(line, file=out)
    return EXIT_OK


def add_from_email(args: argparse.Namespace, out: TextIO, err: TextIO, password: object) -> int:
    """``account add NAME --email ADDRESS ...``; ``password()`` reads one when needed."""

    def add() -> str:
        conn = db.connect()
        email = args.email.strip()
        server, found = _server(args, email, err)
        kind = args.oauth2 or (found.oauth2 if found and not args.password_stdin else None)
        if kind is None:
            assert callable(password)
            account = accounts.add_imap(
                conn, KeyringStore(), args.name, host=server.host, user=args.user or email,
                password=password(), port=server.port, security=server.security,
                ca_file=server.ca_file, email=email,
            )  # fmt: skip
        else:
            account = _add_oauth2(conn, args, server, email, kind, out, err)
        return f"added {accounts.describe(account)}"

    return _reported("add", add, out, err)


def _add_oauth2(
    conn: sqlite3.Connection,
    args: argparse.Namespace,
    server: Server,
    email: str,
    kind: str,
    out: TextIO,
    err: TextIO,
) -> Account:
    accounts.check_name(conn, args.name)
    config = oauth_setup.config_for(kind, db.home(), client_id=args.client_id, issuer=args.issuer)
    signed = oauth_setup.run_sign_in(
        config, db.home(), email=email, open_url=_opener(args, out, err)
    )
    user = args.user or email
    oauth_setup.prove(server, user, signed)
    return oauth_setup.save(
        conn, KeyringStore(), args.name, server=server, user=user, email=email, signed=signed
    )


def cmd_account_login(args: argparse.Namespace, out: TextIO, err: TextIO, stdin: TextIO) -> int:
    """Sign an OAuth2 account in again (its cache is kept as it is)."""

    def login() -> str:
        conn = db.connect()
        account = accounts.find(conn, args.name)
        config = oauth_setup.account_config(account)
        email = account.email or account.user or ""
        signed = oauth_setup.run_sign_in(
            config, db.home(), email=email, open_url=_opener(args, out, err)
        )
        assert account.host is not None and account.user is not None
        server = Server(
            account.host, account.port or 993, Security(account.security or "ssl"),
            account.ca_file,
        )  # fmt: skip
        oauth_setup.prove(server, account.user, signed)
        oauth_setup.login_again(conn, KeyringStore(), account, signed)
        return f"signed in {account.name} again"

    return _reported("login", login, out, err)
