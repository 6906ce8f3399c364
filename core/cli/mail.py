"""The mail commands: ``mailscope account``, ``sync``, ``messages`` and ``directory import``.

Every failure is one line on stderr (``core.cli.common``); passwords never appear in any
output. What a command needs is imported by its handler (start-up: ``core.cli``).
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any, TextIO

from core.cli.common import EXIT_FAILURE, EXIT_OK, Usage, find_account, handles, read_line
from core.i18n import _
from core.inputs import InputError, read_json

if TYPE_CHECKING:
    import sqlite3

    from core.mail.secrets import SecretStore
    from core.mail.sync import SourceOpener, SyncProgress
    from core.store.accounts import Account


def register(commands: Any) -> None:
    """Add the mail commands to the ``mailscope`` parser."""
    _register_account(commands)
    sync = commands.add_parser("sync", help=_("sync accounts into the local cache"))
    sync.add_argument("name", metavar="NAME", nargs="?", help=_("one account (default: all)"))
    handles(sync, cmd_sync)

    messages = commands.add_parser("messages", help=_("print cached messages with verdicts"))
    messages.add_argument("--account", metavar="NAME")
    messages.add_argument("--folder", metavar="ROLE|NAME")
    messages.add_argument("--json", action="store_true", required=True, help=_("JSON output"))
    handles(messages, cmd_messages)

    directory = commands.add_parser("directory", help=_("the CRM directory of an account"))
    dsub = directory.add_subparsers(dest="directory_command", metavar="ACTION", required=True)
    imp = dsub.add_parser("import", help=_("load a directory file and re-decide the cache"))
    imp.add_argument("file", metavar="FILE.json")
    imp.add_argument("--account", metavar="NAME", help="default: the only account")
    handles(imp, cmd_directory_import)


def _register_account(commands: Any) -> None:
    account = commands.add_parser("account", help=_("add, list or remove mail accounts"))
    sub = account.add_subparsers(dest="account_command", metavar="ACTION", required=True)
    _register_add(sub)
    login = sub.add_parser("login", help=_("sign an OAuth2 account in again"))
    login.add_argument("name", metavar="NAME")
    login.add_argument(
        "--no-browser", action="store_true", help=_("print the sign-in address instead")
    )
    handles(login, cmd_account_login)
    listing = sub.add_parser("list", help=_("list the accounts"))
    handles(listing, cmd_account_list)
    remove = sub.add_parser("remove", help=_("remove an account, its cache and its password"))
    remove.add_argument("name", metavar="NAME")
    handles(remove, cmd_account_remove)


def _register_add(sub: Any) -> None:
    from core.mail.source import Security

    add = sub.add_parser(
        "add",
        help=_("add a mailbox from your email address, an IMAP server, a Maildir or an mbox"),
    )
    add.add_argument("name", metavar="NAME")
    where = add.add_mutually_exclusive_group()
    where.add_argument("--email", metavar="ADDRESS", help=_("your address: settings found from it"))
    where.add_argument("--maildir", metavar="PATH", help=_("a local Maildir++ folder"))
    where.add_argument("--mbox", metavar="PATH", help=_("a local mbox file or folder of them"))
    add.add_argument("--host", help=_("IMAP server host name (default: found from --email)"))
    add.add_argument("--port", type=int, help=_("default: 993 for ssl, 143 otherwise"))
    add.add_argument("--security", choices=[s.value for s in Security], help=_("default: ssl"))
    add.add_argument("--user", help=_("IMAP user name (default: the --email address)"))
    add.add_argument("--ca-file", metavar="F", help=_("trust this CA certificate file"))
    add.add_argument(
        "--password-stdin", action="store_true", help=_("read the password from stdin")
    )
    add.add_argument(
        "--oauth2", choices=("google", "microsoft", "custom"), help=_("sign in in the browser")
    )
    add.add_argument("--issuer", metavar="URL", help=_("--oauth2 custom: the OpenID issuer"))
    add.add_argument("--client-id", metavar="ID", help=_("the OAuth2 client id to sign in with"))
    add.add_argument(
        "--no-browser", action="store_true", help=_("print the sign-in address instead")
    )
    add.add_argument(
        "--no-lookup", action="store_true", help=_("find settings in Mailscope's list only")
    )
    handles(add, cmd_account_add)


def _conn() -> sqlite3.Connection:
    from core.store import db

    return db.connect()


def _secrets() -> SecretStore:
    """The keyring; with none that is safe, a store that asks on the terminal each session
    (``core.mail.keyring_check``: nothing is written in plaintext)."""
    import sys

    from core.mail.keyring_check import keyring_check
    from core.mail.secrets import AskingStore, KeyringStore

    store = KeyringStore()
    check = keyring_check()
    if check.persistent:
        return store
    print(f"mailscope: {check.line}", file=sys.stderr)
    return AskingStore(store, _ask_on_terminal)


def _ask_on_terminal(key: str) -> str | None:
    """The password of ``key`` typed at the terminal (None without one: no one to ask)."""
    import getpass
    import sys

    if not sys.stdin.isatty():
        return None
    return getpass.getpass(f"Password for {key.partition(':')[2]} (kept for this command): ")


def _password(args: argparse.Namespace, stdin: TextIO) -> str:
    if args.password_stdin:
        return read_line(stdin)
    if stdin.isatty():
        import getpass

        return getpass.getpass(_("Password for %(user)s: ") % {"user": args.user or args.email})
    raise Usage(_("no password: use --password-stdin, or run on a terminal to be asked"))


def cmd_account_add(args: argparse.Namespace, out: TextIO, err: TextIO, stdin: TextIO) -> int:
    from core.mail import accounts

    if args.email is not None:
        from core.cli.accounts import add_from_email

        return add_from_email(args, out, err, lambda: _password(args, stdin))
    if args.oauth2 is not None:
        raise Usage(_("--oauth2 needs --email ADDRESS"))
    conn = _conn()
    if args.host is not None:
        account = _add_imap(conn, args, stdin)
    elif args.maildir is not None or args.mbox is not None:
        from core.store.accounts import AccountKind

        kind = AccountKind.MAILDIR if args.maildir is not None else AccountKind.MBOX
        account = accounts.add_local(conn, args.name, kind, args.maildir or args.mbox)
    else:
        raise Usage(_("say where the mail is: --email, --host, --maildir or --mbox"))
    print(_("added %(account)s") % {"account": accounts.describe(account)}, file=out)
    return EXIT_OK


def _add_imap(conn: sqlite3.Connection, args: argparse.Namespace, stdin: TextIO) -> Account:
    from core.mail import accounts
    from core.mail.source import Security

    if not args.user:
        raise Usage(_("--user is required with --host"))
    return accounts.add_imap(
        conn, _secrets(), args.name, host=args.host, user=args.user,
        password=_password(args, stdin), port=args.port,
        security=Security(args.security or Security.SSL.value), ca_file=args.ca_file,
    )  # fmt: skip


def cmd_account_login(args: argparse.Namespace, out: TextIO, err: TextIO, stdin: TextIO) -> int:
    from core.cli.accounts import login

    return login(args, out, err)


def cmd_account_list(args: argparse.Namespace, out: TextIO, err: TextIO, stdin: TextIO) -> int:
    from core.mail.accounts import describe
    from core.store.accounts import list_accounts

    for account in list_accounts(_conn()):
        print(describe(account), file=out)
    return EXIT_OK


def cmd_account_remove(args: argparse.Namespace, out: TextIO, err: TextIO, stdin: TextIO) -> int:
    from core.mail import accounts

    accounts.remove(_conn(), _secrets(), args.name)
    print(_("removed %(account)s") % {"account": args.name}, file=out)
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
    import functools

    from core.mail.accounts import open_source
    from core.store.accounts import list_accounts

    conn = _conn()
    targets = [find_account(conn, args.name)] if args.name else list_accounts(conn)
    if not targets:
        raise Usage(_("no account yet (see: mailscope account add)"))
    code = EXIT_OK
    secrets = _secrets()
    for account in targets:
        opener = functools.partial(open_source, conn, account, secrets)
        code = max(code, report_sync(conn, account, opener, out, err))
    return code


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
    from threading import Event

    from core import gcpause
    from core.mail.secrets import SecretError
    from core.mail.source import MailError, SignInNeeded
    from core.mail.sync import Cancelled, sync_account

    bar = _Bar(err)
    try:
        summary = sync_account(conn, account, open_source, progress=bar, cancel=Event(), **options)
    except (MailError, SecretError) as error:
        bar.clear()
        line = f"{account.name}: {error}"
        if isinstance(error, SignInNeeded):
            line += _(" with: mailscope account login %(account)s") % {"account": account.name}
        print(line, file=err)
        return EXIT_FAILURE
    except Cancelled:
        bar.clear()
        return EXIT_FAILURE
    bar.clear()
    # Every object the sync kept is young (it ran with the collector paused): the first
    # collection now would walk them all, while the line's number format loads its locale
    # data (0.2 s after a first sync of 100,000). The process ends soon: it collects once.
    with gcpause.paused():
        print(summary.line(), file=out)
    for problem in summary.errors:
        print(f"{account.name}: {problem}", file=err)
    return EXIT_FAILURE if summary.errors else EXIT_OK


def cmd_messages(args: argparse.Namespace, out: TextIO, err: TextIO, stdin: TextIO) -> int:
    import json

    from core.store.message_json import message_objects

    conn = _conn()
    account = _account_or_all(conn, args.account)
    if args.folder is not None:
        _check_folder(conn, account, args.folder)
    out.write("[")
    for n, item in enumerate(message_objects(conn, account.id if account else None, args.folder)):
        out.write(",\n " if n else "\n ")
        out.write(json.dumps(item, ensure_ascii=False))
    out.write("\n]\n")
    return EXIT_OK


def _account_or_all(conn: sqlite3.Connection, name: str | None) -> Account | None:
    """The account named (``Usage`` when there is none of that name), else None for every
    account; ``Usage`` too when the cache has no account at all."""
    from core.store.accounts import list_accounts

    if name is not None:
        return find_account(conn, name)
    if not list_accounts(conn):
        raise Usage("no account yet (see: mailscope account add, or mailscope --demo ...)")
    return None


def _check_folder(conn: sqlite3.Connection, account: Account | None, folder: str) -> None:
    """``Usage`` (exit 2, one line) when no folder of the account(s) is ``folder``."""
    from core.store.message_json import folder_clause

    clause, params = folder_clause(folder)
    where = clause + (" AND f.account_id = ?" if account is not None else "")
    params += [account.id] if account is not None else []
    if conn.execute(f"SELECT 1 FROM folders f WHERE {where} LIMIT 1", params).fetchone():
        return
    names = conn.execute(
        "SELECT DISTINCT display FROM folders f"
        + (" WHERE f.account_id = ?" if account is not None else "")
        + " ORDER BY display",
        [account.id] if account is not None else [],
    )
    known = ", ".join(str(n) for (n,) in names) or "none"
    raise Usage(f"no folder {folder!r} (folders: {known}; or a role: inbox, sent, drafts...)")


def cmd_directory_import(args: argparse.Namespace, out: TextIO, err: TextIO, stdin: TextIO) -> int:
    from core.rules.scenario import ScenarioError
    from core.store import verdicts
    from core.store.directory import import_directory, parse_directory

    conn = _conn()
    account = find_account(conn, args.account)
    try:
        scenario = parse_directory(read_json(args.file, stdin))
    except ScenarioError as error:
        raise InputError(f"{args.file}: {error}") from None
    import_directory(conn, account.id, scenario)
    settled = verdicts.settle(conn, account)
    values = {
        "users": len(scenario.users),
        "contacts": len(scenario.contacts),
        "logged": len(scenario.logged),
        "decided": settled.decided,
        "changed": settled.changed,
    }
    text = _(
        "%(users)d users, %(contacts)d contacts, %(logged)d logged; "
        "%(decided)d messages decided, %(changed)d verdicts changed"
    )
    print(f"{account.name}: " + text % values, file=out)
    return EXIT_OK
