"""What the CRM commands share: one connection per command, errors as one line with a code."""

from __future__ import annotations

import argparse
import sqlite3
from collections.abc import Callable
from typing import TextIO

from core.crm.contacts_csv import CsvError
from core.crm.errors import CrmError
from core.inputs import InputError
from core.rules.scenario import ScenarioError
from core.store import db
from core.store.accounts import Account, get_account, list_accounts
from core.store.outbox import OutboxError

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2
Handler = Callable[[argparse.Namespace, TextIO, TextIO, TextIO], int]
Command = Callable[[argparse.Namespace, TextIO, TextIO, sqlite3.Connection], int]


class Usage(ValueError):
    """Bad input: exit 2 with this line."""


def account_arg(parser: argparse.ArgumentParser, required: bool = False) -> None:
    parser.add_argument("--account", metavar="NAME", required=required, help="the account")


def run(handler: Command) -> Handler:
    """Wrap a handler: one connection, and every expected error as one line with its code."""

    def wrapped(args: argparse.Namespace, out: TextIO, err: TextIO, stdin: TextIO) -> int:
        args.stdin = stdin
        conn = db.connect()
        try:
            return handler(args, out, err, conn)
        except Usage as error:
            print(f"mailscope {args.command}: {error}", file=err)
            return EXIT_USAGE
        except InputError as error:  # names the file already
            print(error, file=err)
            return EXIT_USAGE
        except (CsvError, ScenarioError, ValueError) as error:
            print(f"mailscope {args.command}: {error}", file=err)
            return EXIT_USAGE
        except (CrmError, OutboxError) as error:
            print(f"mailscope {args.command}: {error}", file=err)
            return EXIT_FAILURE
        finally:
            conn.close()

    return wrapped


def find_account(conn: sqlite3.Connection, name: str | None) -> Account:
    if name is not None:
        account = get_account(conn, name)
        if account is None:
            raise Usage(f"no account named {name!r} (see: mailscope account list)")
        return account
    found = list_accounts(conn)
    if len(found) != 1:
        raise Usage("several accounts or none: pass --account NAME")
    return found[0]
