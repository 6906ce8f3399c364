"""``mailscope account add NAME --email ADDRESS [--oauth2 ...]`` and ``account login NAME``.

The address comes first: without ``--host`` the settings are found from it (core.mail.detect)
and the line saying where they were found goes to stderr. With ``--oauth2`` the user signs in
in the browser; ``--no-browser`` prints ``Open this address to sign in: URL`` on its own line
on stdout instead, then waits up to 5 minutes. The new token must open the mailbox before
anything is stored. Imported only by these two commands (it pulls in the OAuth2 modules).
Failures are one line (``core.cli.common``).
"""

from __future__ import annotations

import argparse
import sqlite3
import webbrowser
from collections.abc import Callable
from typing import TextIO

from core.cli.common import EXIT_OK, Usage, find_account
from core.i18n import _
from core.mail import accounts, oauth_setup
from core.mail.accounts import Server
from core.mail.detect import Found, Lookups, detect, domain_of
from core.mail.secrets import KeyringStore
from core.mail.source import Security
from core.store import db
from core.store.accounts import Account

OPEN_LINE = "Open this address to sign in: "


def _opener(args: argparse.Namespace, out: TextIO, err: TextIO) -> Callable[[str], None]:
    def show(url: str) -> None:
        if args.no_browser:
            print(OPEN_LINE + url, file=out, flush=True)
            return
        print(
            _("Opening your browser to sign in (or open: %(url)s)") % {"url": url},
            file=err,
            flush=True,
        )
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
        raise Usage(str(error)) from None
    found = detect(email, Lookups(online=not args.no_lookup)).found
    if found is None:
        raise Usage(
            _("could not find the IMAP settings of %(domain)s: give --host")
            % {"domain": email.partition("@")[2]}
        )
    print(f"{found.origin}: {found.host}:{found.port} ({found.security.value})", file=err)
    security = Security(args.security) if args.security else found.security
    port = args.port if args.port is not None else found.port
    return accounts.check_server(found.host, port, security, args.ca_file), found


def add_from_email(
    args: argparse.Namespace, out: TextIO, err: TextIO, password: Callable[[], str]
) -> int:
    """``account add NAME --email ADDRESS ...``; ``password()`` reads one when needed."""
    conn = db.connect()
    email = args.email.strip()
    server, found = _server(args, email, err)
    kind = args.oauth2 or (found.oauth2 if found and not args.password_stdin else None)
    if kind is None:
        account = accounts.add_imap(
            conn, KeyringStore(), args.name, host=server.host, user=args.user or email,
            password=password(), port=server.port, security=server.security,
            ca_file=server.ca_file, email=email,
        )  # fmt: skip
    else:
        account = _add_oauth2(conn, args, server, email, kind, out, err)
    print(f"added {accounts.describe(account)}", file=out)
    _keyring_note(err)
    return EXIT_OK


def _keyring_note(err: TextIO) -> None:
    """One line when the keyring is not safe: the password was kept for this command only."""
    from core.mail.keyring_check import keyring_check

    check = keyring_check()
    if not check.secure:
        print(f"mailscope: {check.line}", file=err)


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


def login(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """``account login NAME``: sign an OAuth2 account in again (its cache is kept as it is)."""
    conn = db.connect()
    account = find_account(conn, args.name)
    config = oauth_setup.account_config(account)
    email = account.email or account.user or ""
    signed = oauth_setup.run_sign_in(
        config, db.home(), email=email, open_url=_opener(args, out, err)
    )
    assert account.host is not None and account.user is not None
    server = Server(
        account.host, account.port or 993, Security(account.security or "ssl"), account.ca_file
    )
    oauth_setup.prove(server, account.user, signed)
    oauth_setup.login_again(conn, KeyringStore(), account, signed)
    print(_("signed in %(account)s again") % {"account": account.name}, file=out)
    return EXIT_OK
