"""The mail commands: ``mailscope account``, ``sync``, ``messages`` and ``directory import``.

Exit codes: 0 ok, 1 a failure of the environment (server, network, keyring), 2 bad input.
Every failure is one line on stderr; passwords never appear in any output. What only one
command needs is imported by its handler (``core.cli``: start-up).
"""

from __future__ import annotations

import argparse
import functools
import getpass
import json
import sqlite3
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TextIO

from core.cli import InputError, read_json
from core.mail import accounts
from core.mail.accounts import AccountError
from core.mail.secrets import KeyringStore, SecretError
from core.mail.source import MailError, Security, SignInNeeded
from core.store import db
from core.store.accounts import Account, AccountKind, list_accounts

if TYPE_CHECKING:
    from core.mail.sync import SourceOpener, SyncProgress

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2


def register(commands: Any) -> None:
    """Add the mail commands to the ``mailscope`` parser."""
    account = commands.add_parser("account", help="add, list or remove mail accounts")
    sub = account.add_subparsers(dest="account_command", metavar="ACTION", required=True)
    add = sub.add_parser(
        "add",
        help="add a mailbox from your email address, an IMAP server, a Maildir or an mbox",
    )
    add.add_argument("name", metavar="NAME")
    where = add.add_mutually_exclusive_group()
    where.add_argument("--email", metavar="ADDRESS", help="your address: settings found from it")
    where.add_argument("--maildir", metavar="PATH", help="a local Maildir++ folder")
    where.add_argument("--mbox", metavar="PATH", help="a local mbox file or folder of them")
    add.add_argument("--host", help="IMAP server host name (default: found from --email)")
    add.add_argument("--port", type=int, help="default: 993 for ssl, 143 otherwise")
    add.add_argument("--security", choices=[s.value for s in Security], help="default: ssl")
    add.add_argument("--user", help="IMAP user name (default: the --email address)")
    add.add_argument("--ca-file", metavar="F", help="trust this CA certificate file")
    add.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    add.add_argument(
        "--oauth2", choices=("google", "microsoft", "custom"), help="sign in in the browser"
    )
    add.add_argument("--issuer", metavar="URL", help="--oauth2 custom: the OpenID issuer")
    add.add_argument("--client-id", metavar="ID", help="the OAuth2 client id to sign in with")
    add.add_argument("--no-browser", action="store_true", help="print the sign-in address instead")
    add.add_argument(
        "--no-lookup", action="store_true", help="find settings in Mailscope's list only"
    )
    add.set_defaults(handler=_guarded(cmd_account_add))
    login = sub.add_parser("login", help="sign an OAuth2 account in again")
    login.add_argument("name", metavar="NAME")
    login.add_argument(
        "--no-browser", action="store_true", help="print the sign-in address instead"
    )
    login.set_defaults(handler=_guarded(_account_login))
    listing = sub.add_parser("list", help="list the accounts")
    listing.set_defaults(handler=_guarded(cmd_account_list))
    remove = sub.add_parser("remove", help="remove an account, its cache and its password")
    remove.add_argument("name", metavar="NAME")
    remove.set_defaults(handler=_guarded(cmd_account_remove))

    sync = commands.add_parser("sync", help="sync accounts into the local cache")
    sync.add_argument("name", metavar="NAME", nargs="?", help="one account (default: all)")
    sync.set_defaults(handler=_guarded(cmd_sync))

    messages = commands.add_parser("messages", help="print cached messages with verdicts")
    messages.add_argument("--account", metavar="NAME")
    messages.add_argument("--folder", metavar="ROLE|NAME")
    messages.add_argument("--json", action="store_true", required=True, help="JSON output")
    messages.set_defaults(handler=_guarded(cmd_messages))

    directory = commands.add_parser("directory", help="the CRM directory of an account")
    dsub = directory.add_subparsers(dest="directory_command", metavar="ACTION", required=True)
    imp = dsub.add_parser("import", help="load a directory file and re-decide the cache")
    imp.add_argument("file", metavar="FILE.json")
    imp.add_argument("--account", metavar="NAME", required=True)
    imp.set_defaults(handler=_guarded(cmd_directory_import))


def _conn() -> sqlite3.Connection:
    return db.connect()


Handler = Callable[[argparse.Namespace, TextIO, TextIO, TextIO], int]


def _guarded(handler: Handler) -> Handler:
    """A handler whose cache failures (unreadable, locked, full disk) end in one line."""

    def run(args: argparse.Namespace, out: TextIO, err: TextIO, stdin: TextIO) -> int:
        try:
            return handler(args, out, err, stdin)
        except sqlite3.Error as error:
            if getattr(error, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL:
                print(
                    f"mailscope: the disk holding the cache {db.default_path()} is full: free"
                    " some space and run it again (what was already synced is kept)",
                    file=err,
                )
            else:
                print(f"mailscope: the cache {db.default_path()} cannot be used: {error}", file=err)
        except OSError as error:
            print(f"mailscope: {error.strerror or error}: {error.filename or ''}", file=err)
        return EXIT_FAILURE

    return run


def _password(args: argparse.Namespace, stdin: TextIO) -> str:
    if args.password_stdin:
        line = stdin.readline()
        return line[:-1] if line.endswith("\n") else line
    if stdin.isatty():
        return getpass.getpass(f"Password for {args.user or args.email}: ")
    raise AccountError("no password: use --password-stdin, or run on a terminal to be asked")


def cmd_account_add(args: argparse.Namespace, out: TextIO, err: TextIO, stdin: TextIO) -> int:
    if args.email is not None:
        from core.mail.account_commands import add_from_email

        return add_from_email(args, out, err, lambda: _password(args, stdin))
    conn = _conn()
    try:
        if args.oauth2 is not None:
            raise AccountError("--oauth2 needs --email ADDRESS")
        if args.host is not None:
            if not args.user:
                raise AccountError("--user is required with --host")
            account = accounts.add_imap(
                conn,
                KeyringStore(),
                args.name,
                host=args.host,
                user=args.user,
                password=_password(args, stdin),
                port=args.port,
                security=Security(args.security or Security.SSL.value),
                ca_file=args.ca_file,
            )
        elif args.maildir is not None or args.mbox is not None:
            kind = AccountKind.MAILDIR if args.maildir is not None else AccountKind.MBOX
            account = accounts.add_local(conn, args.name, kind, args.maildir or args.mbox)
        else:
            raise AccountError("say where the mail is: --email, --host, --maildir or --mbox")
    except AccountError as error:
        print(f"mailscope account add: {error}", file=err)
        return EXIT_USAGE
    except SecretError as error:
        print(f"mailscope account add: {error}", file=err)
        return EXIT_FAILURE
    print(f"added {accounts.describe(account)}", file=out)
    return EXIT_OK


def _account_login(args: argparse.Namespace, out: TextIO, err: TextIO, stdin: TextIO) -> int:
    from core.mail.account_commands import cmd_account_login

    return cmd_account_login(args, out, err, stdin)


def cmd_account_list(args: argparse.Namespace, out: TextIO, err: TextIO, stdin: TextIO) -> int:
    for account in list_accounts(_conn()):
        print(accounts.describe(account), file=out)
    return EXIT_OK


def cmd_account_remove(args: argparse.Namespace, out: TextIO, err: TextIO, stdin: TextIO) -> int:
    try:
        accounts.remove(_conn(), KeyringStore(), args.name)
    except AccountError as error:
        print(f"mailscope account remove: {error}", file=err)
        return EXIT_USAGE
    except SecretError as error:
        print(f"mailscope account remove: {error}", file=err)
        return EXIT_FAILURE
    print(f"removed {args.name}", file=out)
    return EXIT_OK


class _Bar:
    """A one-line progress bar on a terminal (nothing when stderr is not one)."""

    def __init__(self, err: TextIO) -> None:
        self.err = err
        self.on = err.isatty()
        self.width = 0

    def __call__(self, p: SyncProgress) -> None:
        if not self.on:
            return
        if p.total:
            filled = int(30 * p.done / p.total)
            text = f"{p.account} {p.folder}: [{'#' * filled}{'.' * (30 - filled)}]"
            text += f" {p.done}/{p.total}"
        else:
            text = f"{p.account} {p.folder} {p.phase}".replace("  ", " ")
        self.width = max(self.width, len(text))
        self.err.write("\r" + text.ljust(self.width))
        self.err.flush()

    def clear(self) -> None:
        if self.on and self.width:
            self.err.write("\r" + " " * self.width + "\r")
            self.err.flush()


def cmd_sync(args: argparse.Namespace, out: TextIO, err: TextIO, stdin: TextIO) -> int:
    conn = _conn()
    try:
        targets = [accounts.find(conn, args.name)] if args.name else list_accounts(conn)
    except AccountError as error:
        print(f"mailscope sync: {error}", file=err)
        return EXIT_USAGE
    if not targets:
        print("mailscope sync: no account yet (see: mailscope account add)", file=err)
        return EXIT_USAGE
    code = EXIT_OK
    secrets = KeyringStore()
    for account in targets:
        code = max(code, _sync_one(conn, account, secrets, out, err))
    return code


def _sync_one(
    conn: sqlite3.Connection, account: Account, secrets: KeyringStore, out: TextIO, err: TextIO
) -> int:
    opener = functools.partial(accounts.open_source, conn, account, secrets)
    return report_sync(conn, account, opener, out, err)


def report_sync(
    conn: sqlite3.Connection,
    account: Account,
    open_source: SourceOpener,
    out: TextIO,
    err: TextIO,
    **options: Any,
) -> int:
    """Sync one account as ``mailscope sync`` does: a summary line, one line per problem.

    ``options`` go to ``sync_account`` (its retries and deadline).
    """
    from core.mail.sync import Cancelled, sync_account

    bar = _Bar(err)
    try:
        summary = sync_account(
            conn, account, open_source, progress=bar, cancel=threading.Event(), **options
        )
    except (MailError, SecretError) as error:
        bar.clear()
        hint = f" with: mailscope account login {account.name}"
        print(f"{account.name}: {error}{hint if isinstance(error, SignInNeeded) else ''}", file=err)
        return EXIT_FAILURE
    except Cancelled:
        bar.clear()
        return EXIT_FAILURE
    bar.clear()
    print(summary.line(), file=out)
    for problem in summary.errors:
        print(f"{account.name}: {problem}", file=err)
    return EXIT_FAILURE if summary.errors else EXIT_OK


def cmd_messages(args: argparse.Namespace, out: TextIO, err: TextIO, stdin: TextIO) -> int:
    conn = _conn()
    try:
        account = accounts.find(conn, args.account) if args.account else None
    except AccountError as error:
        print(f"mailscope messages: {error}", file=err)
        return EXIT_USAGE
    out.write("[")
    for n, item in enumerate(message_objects(conn, account, args.folder)):
        out.write(",\n " if n else "\n ")
        out.write(json.dumps(item, ensure_ascii=False))
    out.write("\n]\n")
    return EXIT_OK


def message_objects(
    conn: sqlite3.Connection, account: Account | None, folder: str | None
) -> Iterator[dict[str, object]]:
    """The ``messages --json`` objects, by account, folder and UID."""
    from core.rules.model import Folder
    from core.store.packed import unpack

    roles = {f.value for f in Folder}
    where: list[str] = []
    params: list[object] = []
    if account is not None:
        where.append("f.account_id = ?")
        params.append(account.id)
    if folder is not None:
        where.append("f.role = ?" if folder in roles else "(f.name = ? OR f.display = ?)")
        params.extend([folder] if folder in roles else [folder, folder])
    clause = (" WHERE " + " AND ".join(where)) if where else ""
    select = (
        "SELECT m.id, a.name, f.name, f.role, m.uid, m.message_id, m.date, m.date_raw,"
        " m.from_raw, m.subject, m.logged, m.reason, m.rule, m.contacts, m.attributed_to,"
        " m.attribution, m.flagged_parse, m.uidvalidity, m.to_list, m.cc_list FROM messages m"
        " JOIN folders f ON f.id = m.folder_id JOIN accounts a ON a.id = f.account_id"
    )
    for row in conn.execute(f"{select}{clause} ORDER BY a.name, f.name, m.uid", params):
        to, cc = ([a.raw for a in unpack(text)] for text in (row[18], row[19]))
        yield {
            "id": row[5] if row[5] is not None else f"{row[2]}/{row[17]}/{row[4]}",
            "account": row[1],
            "folder": row[2],
            "role": row[3],
            "uid": row[4],
            "message_id": row[5],
            "date": _iso(row[6]) if row[6] is not None else None,  # ISO 8601 UTC
            "date_raw": row[7],  # the Date header, kept only when it could not be read
            "from": row[8],
            "to": to,
            "cc": cc,
            "subject": row[9],
            "logged": None if row[10] is None else bool(row[10]),
            "reason": row[11],
            "rule": row[12],
            "contacts": json.loads(row[13]) if row[13] else [],
            "attributed_to": row[14],
            "attribution": row[15],
            "flagged": row[16].split(",") if row[16] else [],
        }


def _iso(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).isoformat().replace("+00:00", "Z")


def cmd_directory_import(args: argparse.Namespace, out: TextIO, err: TextIO, stdin: TextIO) -> int:
    from core.rules.scenario import ScenarioError
    from core.store import verdicts
    from core.store.directory import import_directory, parse_directory

    conn = _conn()
    name = args.file
    try:
        account = accounts.find(conn, args.account)
        scenario = parse_directory(read_json(name, stdin))
    except AccountError as error:
        print(f"mailscope directory import: {error}", file=err)
        return EXIT_USAGE
    except InputError as error:
        print(error, file=err)
        return EXIT_USAGE
    except ScenarioError as error:
        print(f"{name}: {error}", file=err)
        return EXIT_USAGE
    import_directory(conn, account.id, scenario)
    settled = verdicts.settle(conn, account)
    print(
        f"{account.name}: {len(scenario.users)} users, {len(scenario.contacts)} contacts,"
        f" {len(scenario.logged)} logged; {settled.decided} messages decided,"
        f" {settled.changed} verdicts changed",
        file=out,
    )
    return EXIT_OK
