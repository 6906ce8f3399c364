"""What every command shares: exit statuses, the account it acts on, and errors as one line.

Exit statuses: 0 done; 1 a failure of the environment (a server, the network, the CRM, the
keyring, the cache's disk); 2 bad input (an unknown account or message, a bad option value,
an unreadable file); 70 a bug of ours (an exception no one expected: its traceback, then one
line asking for a report). :func:`run` maps an error to its status in one place, so a
``ValueError`` from a bug is never reported as bad input.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from collections.abc import Callable
from contextlib import nullcontext
from typing import TYPE_CHECKING, Final, TextIO

from core import i18n
from core.i18n import _
from core.inputs import BadInput, InputError

if TYPE_CHECKING:
    from core.store.accounts import Account

EXIT_OK: Final = 0
EXIT_FAILURE: Final = 1
EXIT_USAGE: Final = 2
EXIT_BUG: Final = 70  # sysexits' EX_SOFTWARE: an internal error
EXIT_INTERRUPTED: Final = 130

Handler = Callable[[argparse.Namespace, TextIO, TextIO, TextIO], int]
Command = Callable[[argparse.Namespace, TextIO, TextIO, sqlite3.Connection], int]


class Usage(BadInput):
    """Bad input noticed by a command: exit 2 with this line."""


def handles(parser: argparse.ArgumentParser, handler: Handler) -> None:
    """``parser``'s command runs ``handler``; its errors name the command (``parser.prog``)."""
    parser.set_defaults(handler=handler, where=parser.prog)


def account_arg(parser: argparse.ArgumentParser, required: bool = False) -> None:
    parser.add_argument("--account", metavar="NAME", required=required, help=_("the account"))


def connected(command: Command) -> Handler:
    """A command run on one connection to the cache, closed afterwards (``args.stdin`` set)."""

    def handler(args: argparse.Namespace, out: TextIO, err: TextIO, stdin: TextIO) -> int:
        from core.store import db

        args.stdin = stdin
        conn = db.connect()
        try:
            return command(args, out, err, conn)
        finally:
            conn.close()

    return handler


def find_account(conn: sqlite3.Connection, name: str | None) -> Account:
    """The account named ``name``, else the only one; ``Usage`` when there is none to pick."""
    from core.store.accounts import get_account, list_accounts

    if name is not None:
        account = get_account(conn, name)
        if account is None:
            raise Usage(
                _("no account named %(name)r (see: mailscope account list)") % {"name": name}
            )
        return account
    found = list_accounts(conn)
    if len(found) == 1:
        return found[0]
    if not found:
        raise Usage(_("no account yet (see: mailscope account add)"))
    names = ", ".join(a.name for a in found)
    raise Usage(
        _("several accounts (%(names)s): choose one with --account NAME") % {"names": names}
    )


def read_line(stdin: TextIO) -> str:
    """One line of standard input (a password, a token), without its line break."""
    line = stdin.readline()
    return line[:-1] if line.endswith("\n") else line


def run(args: argparse.Namespace, out: TextIO, err: TextIO, stdin: TextIO) -> int:
    """Run the command ``args`` names; every error ends as one line and its exit status."""
    try:
        with i18n.untranslated() if _machine_output(args) else nullcontext():
            code: int = args.handler(args, out, err, stdin)
            out.flush()  # here, not at exit: a reader gone is caught below, not printed
    except BrokenPipeError:  # "mailscope explain x.json | head": the reader left, not an error
        _silence_stdout()
        return EXIT_OK
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except Exception as error:
        return report(error, str(args.where), err)
    return code


def _machine_output(args: argparse.Namespace) -> bool:
    """Whether the command prints for a program (``--json``, ``--format json``): then it runs
    in English, the contract's language, whatever the user's (docs/i18n.md)."""
    return bool(getattr(args, "json", False)) or getattr(args, "format", None) == "json"


def report(error: Exception, where: str, err: TextIO) -> int:
    """Print ``error`` for the user (one line; a bug's traceback first); its exit status."""
    status = exit_status(error)
    if status == EXIT_BUG:
        _report_bug(error, where, err)
    else:
        print(_line(error, where), file=err)
    return status


def _report_bug(error: Exception, where: str, err: TextIO) -> None:
    """A bug: its traceback, then a line naming its type only and asking for a report."""
    import traceback  # 8 ms at start-up: only for a bug

    traceback.print_exception(error, file=err)
    line = _("internal error (%(error)s): please report it") % {"error": type(error).__name__}
    print(f"{where}: {line}", file=err)


def exit_status(error: Exception) -> int:
    """2 for bad input, 1 for a failure of the environment, 70 for anything else (a bug)."""
    if isinstance(error, _usage_errors()):
        return EXIT_USAGE
    if isinstance(error, (*_failures(), sqlite3.Error, OSError)):
        return EXIT_FAILURE
    return EXIT_BUG


def _usage_errors() -> tuple[type[Exception], ...]:
    """The errors of bad input. Imported here, when an error is reported, not at start-up."""
    from core.crm.contacts_csv import CsvError
    from core.mail.accounts import AccountError
    from core.preview.whatif import WhatIfError
    from core.rules.schema import SchemaError  # a scenario, directory or policy file
    from core.store.accounts import DuplicateAccount

    return BadInput, InputError, SchemaError, AccountError, DuplicateAccount, CsvError, WhatIfError


def _failures() -> tuple[type[Exception], ...]:
    """The errors of the environment: servers, the network, the CRM, the keyring."""
    from core.auth.errors import OAuthError
    from core.crm.errors import CrmError
    from core.mail.secrets import SecretError
    from core.mail.source import MailError
    from core.store.outbox import OutboxError
    from core.thunderbird.install import InstallError

    return CrmError, OutboxError, MailError, SecretError, OAuthError, InstallError


def _line(error: Exception, where: str) -> str:
    if isinstance(error, InputError):
        return str(error)  # it names the file
    if isinstance(error, sqlite3.Error):
        return _cache_line(error)
    if isinstance(error, OSError) and not isinstance(error, _failures()):
        return f"mailscope: {error.strerror or error}: {error.filename or ''}"
    return f"{where}: {error}"


def _cache_line(error: sqlite3.Error) -> str:
    from core.store import db

    if getattr(error, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL:
        return "mailscope: " + _(
            "the disk holding the cache %(path)s is full: free some space"
            " and run it again (what was already synced is kept)"
        ) % {"path": db.default_path()}
    return "mailscope: " + _("the cache %(path)s cannot be used: %(error)s") % {
        "path": db.default_path(),
        "error": error,
    }


def _silence_stdout() -> None:
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
