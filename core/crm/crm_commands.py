"""The ``mailscope crm`` commands: where an account logs (local CRM, HubSpot) and forwards."""

from __future__ import annotations

import argparse
import sqlite3
from typing import Any, TextIO

from core.crm.cli_support import EXIT_OK, Usage, account_arg, find_account, run
from core.crm.delivery import Channels
from core.crm.service import CrmConfig, CrmKind, CrmService
from core.mail.source import Security


def register_crm(commands: Any) -> None:
    crm = commands.add_parser("crm", help="where an account logs: local CRM, HubSpot, SMTP")
    sub = crm.add_subparsers(dest="crm_command", metavar="ACTION", required=True)
    local = sub.add_parser("local", help="log into the local CRM (the default)")
    account_arg(local, required=True)
    local.set_defaults(handler=run(cmd_crm_local))
    hub = sub.add_parser("hubspot", help="log through HubSpot (token from stdin, kept in keyring)")
    hub.add_argument("portal", metavar="PORTAL")
    hub.add_argument("--url", default=None, help="API base URL (default: api.hubapi.com)")
    hub.add_argument("--token-stdin", action="store_true", help="read the private-app token")
    account_arg(hub, required=True)
    hub.set_defaults(handler=run(cmd_crm_hubspot))
    smtp = sub.add_parser("smtp", help="the SMTP server for forwards (password from stdin)")
    smtp.add_argument("--host", required=True)
    smtp.add_argument("--port", type=int, default=587)
    smtp.add_argument("--security", choices=[s.value for s in Security], default="starttls")
    smtp.add_argument("--user")
    smtp.add_argument("--sender", help="the From of forwards (default: your address)")
    smtp.add_argument("--ca-file")
    smtp.add_argument("--password-stdin", action="store_true")
    account_arg(smtp, required=True)
    smtp.set_defaults(handler=run(cmd_crm_smtp))
    refresh = sub.add_parser("refresh", help="reload users and contacts from HubSpot")
    account_arg(refresh, required=True)
    refresh.set_defaults(handler=run(cmd_crm_refresh))


def _line(stdin: TextIO) -> str:
    line = stdin.readline()
    return line[:-1] if line.endswith("\n") else line


def cmd_crm_local(
    args: argparse.Namespace, out: TextIO, err: TextIO, conn: sqlite3.Connection
) -> int:
    service = CrmService(conn, find_account(conn, args.account))
    service.set_config(CrmConfig(**{**_config(service), "crm": CrmKind.LOCAL}))
    print(f"{service.account.name}: logs into the local CRM", file=out)
    return EXIT_OK


def _config(service: CrmService) -> dict[str, Any]:
    c = service.config()
    return {name: getattr(c, name) for name in c.__dataclass_fields__}


def cmd_crm_hubspot(
    args: argparse.Namespace, out: TextIO, err: TextIO, conn: sqlite3.Connection
) -> int:
    service = CrmService(conn, find_account(conn, args.account))
    service.permission().check()
    channels = Channels()
    if args.token_stdin:
        channels.secrets().set_hubspot_token(args.portal, _line(args.stdin))
    fields = {**_config(service), "crm": CrmKind.HUBSPOT, "hubspot_portal": args.portal}
    service.set_config(CrmConfig(**{**fields, "hubspot_url": args.url}))
    print(f"{service.account.name}: logs through HubSpot portal {args.portal}", file=out)
    return EXIT_OK


def cmd_crm_smtp(
    args: argparse.Namespace, out: TextIO, err: TextIO, conn: sqlite3.Connection
) -> int:
    service = CrmService(conn, find_account(conn, args.account))
    service.permission().check()
    if args.password_stdin:
        Channels().secrets().set_smtp_password(service.account.name, _line(args.stdin))
    smtp = {
        "smtp_host": args.host,
        "smtp_port": args.port,
        "smtp_security": args.security,
        "smtp_user": args.user,
        "smtp_ca_file": args.ca_file,
        "smtp_sender": args.sender,
    }
    service.set_config(CrmConfig(**{**_config(service), **smtp}))
    print(f"{service.account.name}: forwards through {args.host}:{args.port}", file=out)
    return EXIT_OK


def cmd_crm_refresh(
    args: argparse.Namespace, out: TextIO, err: TextIO, conn: sqlite3.Connection
) -> int:
    from core.crm.refresh import refresh_from_hubspot

    service = CrmService(conn, find_account(conn, args.account))
    config = service.config()
    if config.crm != CrmKind.HUBSPOT:
        raise Usage("this account logs into the local CRM: nothing to refresh")
    with Channels().hubspot(config) as client:
        settled = refresh_from_hubspot(service, client)
    directory = service.directory()
    print(
        f"{len(directory.users)} users, {len(directory.contacts)} contacts;"
        f" {settled.changed} verdicts changed",
        file=out,
    )
    return EXIT_OK
