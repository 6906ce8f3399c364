"""The CRM commands: ``log``, ``contacts import``, ``policy``, ``settings``, ``outbox``, ``crm``.

Every failure is one line on stderr (``core.cli.common``: 1 refused, CRM unreachable, no
permission; 2 an unknown account or message, an unreadable file); a token or password is read
from stdin into the keyring and never printed. The CRM loads with the command that uses it.
"""

from __future__ import annotations

import argparse
import sqlite3
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TextIO

from core.cli.common import (
    EXIT_FAILURE,
    EXIT_OK,
    Usage,
    account_arg,
    connected,
    find_account,
    handles,
)
from core.cli.crm_connect import register as register_connect
from core.i18n import _, ngettext

if TYPE_CHECKING:
    from core.crm.service import CrmService
    from core.store.accounts import Account
    from core.store.outbox import OutboxItem


def register(commands: Any) -> None:
    """Add the CRM commands to the ``mailscope`` parser."""
    log = commands.add_parser("log", help=_("log an email in the CRM now (through the outbox)"))
    log.add_argument("message", metavar="MESSAGE", help=_("a Message-ID or a cache row id"))
    account_arg(log)
    log.add_argument("--queue-only", action="store_true", help=_("queue it, do not send now"))
    handles(log, connected(cmd_log))

    contacts = commands.add_parser("contacts", help=_("the CRM contacts of an account"))
    csub = contacts.add_subparsers(dest="contacts_command", metavar="ACTION", required=True)
    imp = csub.add_parser("import", help=_("import contacts from a HubSpot CSV export"))
    imp.add_argument("file", metavar="FILE.csv")
    account_arg(imp)
    handles(imp, connected(cmd_contacts_import))

    pol = commands.add_parser("policy", help=_("export or import the team policy (JSON)"))
    psub = pol.add_subparsers(dest="policy_command", metavar="ACTION", required=True)
    exp = psub.add_parser("export", help=_("write the account settings and users"))
    exp.add_argument("file", metavar="FILE.json|-")
    account_arg(exp)
    handles(exp, connected(cmd_policy_export))
    pimp = psub.add_parser("import", help=_("apply a team policy file"))
    pimp.add_argument("file", metavar="FILE.json|-")
    account_arg(pimp)
    handles(pimp, connected(cmd_policy_import))

    _register_settings(commands)
    _register_outbox(commands)
    register_connect(commands)


def _register_settings(commands: Any) -> None:
    from core.rules.model import LoggingRule

    settings = commands.add_parser("settings", help=_("the account's logging settings"))
    ssub = settings.add_subparsers(dest="settings_command", metavar="ACTION", required=True)
    show = ssub.add_parser("show", help=_("print the settings and who may change them"))
    account_arg(show)
    show.add_argument("--json", action="store_true")
    handles(show, connected(cmd_settings_show))
    put = ssub.add_parser("set", help=_("change the rule or the logging addresses (admins)"))
    account_arg(put)
    put.add_argument("--rule", choices=[r.value for r in LoggingRule])
    put.add_argument("--bcc", metavar="ADDRESS", help=_("the BCC address ('' to clear)"))
    put.add_argument("--forward", metavar="ADDRESS", help=_("the forward address ('' to clear)"))
    put.add_argument(
        "--create-contacts",
        choices=("on", "off"),
        help=_("HubSpot's beta 'Create new contacts from logged emails' (rule R9b)"),
    )
    handles(put, connected(cmd_settings_set))
    never = ssub.add_parser("never-log", help=_("add to or remove from a Never-log list"))
    never.add_argument("action", choices=("add", "remove"))
    never.add_argument("entries", metavar="ENTRY", nargs="+", help=_("an address or a domain"))
    never.add_argument("--personal", action="store_true", help=_("your own list (everyone may)"))
    account_arg(never)
    handles(never, connected(cmd_never_log))


def _register_outbox(commands: Any) -> None:
    box = commands.add_parser(
        "outbox", help=_("the queue of CRM actions: list, retry, cancel, run")
    )
    handles(box, connected(cmd_outbox_list))
    box.set_defaults(account=None)
    bsub = box.add_subparsers(dest="outbox_command", metavar="ACTION")
    listing = bsub.add_parser("list", help=_("print the queue (the default)"))
    account_arg(listing)
    handles(listing, connected(cmd_outbox_list))
    for name, handler in (("retry", cmd_outbox_retry), ("cancel", cmd_outbox_cancel)):
        sub = bsub.add_parser(
            name, help=_("retry one entry") if name == "retry" else _("cancel one entry")
        )
        sub.add_argument("id", metavar="ID", type=int)
        handles(sub, connected(handler))
    runner = bsub.add_parser("run", help=_("deliver every entry that is due, then exit"))
    handles(runner, connected(cmd_outbox_run))


def _row(conn: sqlite3.Connection, account: Account, message: str) -> int:
    """A cache row from a row id or a Message-ID of the account (brackets optional)."""
    from core.store.accounts import account_of_row
    from core.store.lookup import row_of_message_id

    if message.isdigit():
        if account_of_row(conn, int(message)) is None:
            raise _no_message(message, account)
        return int(message)
    mid = message.strip()
    if not mid.startswith("<"):
        mid = f"<{mid}>"
    row = row_of_message_id(conn, account.id, mid)
    if row is None:
        raise _no_message(mid, account)
    return row


def _no_message(message: str, account: Account) -> Usage:
    text = _("no message %(message)s in account %(account)r")
    return Usage(text % {"message": message, "account": account.name})


def _service(conn: sqlite3.Connection, name: str | None) -> CrmService:
    """The CRM side of the account named (or the only one)."""
    from core.crm.service import CrmService

    return CrmService(conn, find_account(conn, name))


def _describe(item: OutboxItem) -> str:
    error = f"\t{item.error}" if item.error else ""
    path = f"\t[exactly once: {item.path}]" if item.path else ""
    return f"{item.id}\t{item.state.value}\t{item.kind.value}\t{item.label}{error}{path}"


def _drain(conn: sqlite3.Connection) -> list[Any]:
    """Deliver what is due now (the CRM channels are imported only when something is sent)."""
    from core.crm.delivery import Channels
    from core.crm.outbox_worker import drain

    return drain(conn, Channels())


def cmd_log(args: argparse.Namespace, out: TextIO, err: TextIO, conn: sqlite3.Connection) -> int:
    from core.crm import actions

    account = find_account(conn, args.account)
    row = _row(conn, account, args.message)
    queued = actions.log_now(conn, account, row)
    if not queued.created:
        print(_("already queued: %(item)s") % {"item": _describe(queued.item)}, file=out)
        return EXIT_OK
    if args.queue_only:
        print(_("queued: %(item)s") % {"item": _describe(queued.item)}, file=out)
        return EXIT_OK
    return report_log(conn, queued.item.id, out, err, lambda: _drain(conn))


LOG_WAIT = 60.0  # seconds to wait for another process that is sending the same row


def report_log(
    conn: sqlite3.Connection,
    item_id: int,
    out: TextIO,
    err: TextIO,
    deliver: Callable[[], object],
    wait: float = LOG_WAIT,
) -> int:
    """Deliver the queue and say what became of row ``item_id`` (``mailscope log``).

    Another process (the app, ``outbox run``) may have taken the row first: it is then in
    progress, not failed. Wait for it (at most ``wait`` seconds), or say so.
    """
    from core.store import outbox
    from core.store.outbox import State

    deliver()
    item = outbox.get(conn, item_id)
    deadline = time.monotonic() + wait
    while item.state is State.SENDING and time.monotonic() < deadline:
        time.sleep(0.2)
        item = outbox.get(conn, item_id)
    if item.state is State.DONE:
        print(
            _("logged: %(item)s (%(result)s)") % {"item": item.label, "result": item.result},
            file=out,
        )
        return EXIT_OK
    if item.state is State.SENDING:
        text = _(
            "in progress: another Mailscope process is sending it (%(item)s);"
            " see mailscope outbox list"
        )
        print(text % {"item": item.label}, file=out)
        return EXIT_OK
    if item.state is State.PENDING:
        text = _("queued, will retry (mailscope outbox run): %(error)s")
        print(text % {"error": item.error}, file=err)
        return EXIT_FAILURE
    print(_("not logged: %(error)s") % {"error": item.error or item.state.value}, file=err)
    return EXIT_FAILURE


def cmd_contacts_import(
    args: argparse.Namespace, out: TextIO, err: TextIO, conn: sqlite3.Connection
) -> int:
    from core.crm.contacts_csv import ContactStream, CsvError
    from core.inputs import MAX_CSV, InputError, open_stream, shown_name

    service = _service(conn, args.account)
    with open_stream(args.file, args.stdin, MAX_CSV) as handle:
        found = ContactStream(handle, service.directory())
        try:
            settled = service.import_contacts(found.chunks())
        except CsvError as error:  # nothing was written: one transaction
            raise InputError(f"{shown_name(args.file)}: {error}") from None
    for note in (*found.skipped, *found.notes):
        print(f"{args.file}: {note}", file=err)
    if found.skipped_count > len(found.skipped):
        more = found.skipped_count - len(found.skipped)
        text = ngettext("%(n)d more row skipped", "%(n)d more rows skipped", more)
        print(f"{args.file}: " + text % {"n": more}, file=err)
    print(
        _("%(imported)d contacts imported, %(skipped)d rows skipped; %(changed)d verdicts changed")
        % {"imported": found.imported, "skipped": found.skipped_count, "changed": settled.changed},
        file=out,
    )
    return EXIT_OK


def cmd_policy_export(
    args: argparse.Namespace, out: TextIO, err: TextIO, conn: sqlite3.Connection
) -> int:
    import json
    from pathlib import Path

    from core.crm import policy

    doc = policy.export_policy(_service(conn, args.account))
    text = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    if args.file == "-":
        out.write(text)
    else:
        try:
            Path(args.file).write_text(text, encoding="utf-8")
        except OSError as error:
            raise Usage(
                _("%(file)s: cannot write: %(error)s")
                % {"file": args.file, "error": error.strerror or error}
            ) from None
    return EXIT_OK


def cmd_policy_import(
    args: argparse.Namespace, out: TextIO, err: TextIO, conn: sqlite3.Connection
) -> int:
    from core.crm import policy
    from core.inputs import read_json

    service = _service(conn, args.account)
    settled = policy.import_policy(service, read_json(args.file, args.stdin))
    text = _("policy applied; %(changed)d verdicts changed")
    print(text % {"changed": settled.changed}, file=out)
    return EXIT_OK


def _settings_doc(service: CrmService) -> dict[str, Any]:
    from core.crm import policy

    doc = policy.export_policy(service)["account"]
    me = service.current_user()
    permission = service.permission()
    return {
        **doc,
        "current_user": me.id,
        "personal_never_log": list(me.never_log),
        "can_edit": permission.allowed,
        "why_read_only": permission.reason or None,
        "crm": service.config().crm,
    }


def cmd_settings_show(
    args: argparse.Namespace, out: TextIO, err: TextIO, conn: sqlite3.Connection
) -> int:
    import json

    doc = _settings_doc(_service(conn, args.account))
    if args.json:
        print(json.dumps(doc, indent=2, ensure_ascii=False), file=out)
        return EXIT_OK
    for key in ("logging_rule", "bcc_address", "forward_address", "crm", "current_user"):
        print(f"{key}: {doc[key] or '-'}", file=out)
    print(f"create_contacts: {'on' if doc['create_contacts'] else 'off'}", file=out)
    print(f"never_log: {', '.join(doc['never_log']) or '-'}", file=out)
    print(f"personal_never_log: {', '.join(doc['personal_never_log']) or '-'}", file=out)
    print(f"editable: {'yes' if doc['can_edit'] else 'no: ' + doc['why_read_only']}", file=out)
    return EXIT_OK


def cmd_settings_set(
    args: argparse.Namespace, out: TextIO, err: TextIO, conn: sqlite3.Connection
) -> int:
    from core.rules.model import LoggingRule

    service = _service(conn, args.account)
    if args.rule is None and args.bcc is None and args.forward is None and not args.create_contacts:
        raise Usage(_("nothing to change: give --rule, --bcc, --forward or --create-contacts"))
    changed = 0
    if args.create_contacts is not None:
        changed += service.set_create_contacts(args.create_contacts == "on").changed
    if args.rule is not None:
        changed += service.set_logging_rule(LoggingRule(args.rule)).changed
    if args.bcc is not None or args.forward is not None:
        now = service.settings()
        bcc = now.bcc_address if args.bcc is None else args.bcc
        fwd = now.forward_address if args.forward is None else args.forward
        changed += service.set_addresses(bcc=bcc, forward=fwd).changed
    print(_("settings changed; %(changed)d verdicts changed") % {"changed": changed}, file=out)
    return EXIT_OK


def cmd_never_log(
    args: argparse.Namespace, out: TextIO, err: TextIO, conn: sqlite3.Connection
) -> int:
    service = _service(conn, args.account)
    if args.personal:
        change = (
            service.add_personal_never_log
            if args.action == "add"
            else service.remove_personal_never_log
        )
    else:
        change = (
            service.add_account_never_log
            if args.action == "add"
            else service.remove_account_never_log
        )
    settled = change(args.entries)
    text = _("never-log list changed; %(changed)d verdicts changed")
    print(text % {"changed": settled.changed}, file=out)
    return EXIT_OK


def cmd_outbox_list(
    args: argparse.Namespace, out: TextIO, err: TextIO, conn: sqlite3.Connection
) -> int:
    from core.store import outbox

    account = find_account(conn, args.account).id if args.account else None
    for item in outbox.items(conn, account):
        print(_describe(item), file=out)
    return EXIT_OK


def cmd_outbox_retry(
    args: argparse.Namespace, out: TextIO, err: TextIO, conn: sqlite3.Connection
) -> int:
    from core.store import outbox

    print(_describe(outbox.retry(conn, args.id)), file=out)
    return EXIT_OK


def cmd_outbox_cancel(
    args: argparse.Namespace, out: TextIO, err: TextIO, conn: sqlite3.Connection
) -> int:
    from core.store import outbox

    print(_describe(outbox.cancel(conn, args.id)), file=out)
    return EXIT_OK


def cmd_outbox_run(
    args: argparse.Namespace, out: TextIO, err: TextIO, conn: sqlite3.Connection
) -> int:
    from core.store import outbox
    from core.store.outbox import State

    outcomes = _drain(conn)
    for outcome in outcomes:
        print(_describe(outbox.get(conn, outcome.item_id)), file=out)
    failed = [o for o in outcomes if o.state is not State.DONE]
    return EXIT_FAILURE if failed else EXIT_OK
