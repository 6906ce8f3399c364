"""The ``mailscope crm`` commands: where an account logs (local CRM, HubSpot) and forwards.

``crm hubspot`` connects with a Service Key (or private-app token) read from stdin, or signs in
through a public app (``--oauth CLIENT_ID``, the client secret from stdin, the browser opened
on HubSpot's page); both run the check call first and print the portal, the user and the
scopes. ``crm check`` runs it again; ``crm refresh`` reloads owners and contacts. Secrets go to
the keyring only. The CRM modules are imported by the handlers, not at start-up.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from typing import TYPE_CHECKING, Any, TextIO

from core.cli.common import (
    EXIT_FAILURE,
    EXIT_OK,
    Usage,
    account_arg,
    connected,
    find_account,
    handles,
    read_line,
)
from core.i18n import _, format_number, ngettext

if TYPE_CHECKING:
    from core.crm.service import CrmService


def register(commands: Any) -> None:
    """Add ``crm local|hubspot|smtp|check|refresh`` to the ``mailscope`` parser."""
    from core.mail.source import Security

    crm = commands.add_parser("crm", help=_("where an account logs: local CRM, HubSpot, SMTP"))
    sub = crm.add_subparsers(dest="crm_command", metavar="ACTION", required=True)
    local = sub.add_parser("local", help=_("log into the local CRM (the default)"))
    account_arg(local, required=True)
    handles(local, connected(cmd_crm_local))
    _register_hubspot(sub)
    smtp = sub.add_parser("smtp", help=_("the SMTP server for forwards (password from stdin)"))
    smtp.add_argument("--host", required=True)
    smtp.add_argument("--port", type=int, default=587)
    smtp.add_argument("--security", choices=[s.value for s in Security], default="starttls")
    smtp.add_argument("--user")
    smtp.add_argument("--sender", help=_("the From of forwards (default: your address)"))
    smtp.add_argument("--ca-file")
    smtp.add_argument("--password-stdin", action="store_true")
    account_arg(smtp, required=True)
    handles(smtp, connected(cmd_crm_smtp))
    check = sub.add_parser("check", help=_("check the HubSpot connection: portal, user, scopes"))
    account_arg(check)
    handles(check, connected(cmd_crm_check))
    refresh = sub.add_parser("refresh", help=_("reload users and contacts from HubSpot"))
    refresh.add_argument("--owner", metavar="ID", help=_("your HubSpot owner id, if not found"))
    account_arg(refresh)
    handles(refresh, connected(cmd_crm_refresh))


def _register_hubspot(sub: Any) -> None:
    hub = sub.add_parser(
        "hubspot", help=_("log through HubSpot: a Service Key from stdin, or --oauth sign-in")
    )
    hub.add_argument("portal", metavar="PORTAL", nargs="?", help=_("expected portal id"))
    hub.add_argument("--url", default=None, help=_("API base URL (default: api.hubapi.com)"))
    how = hub.add_mutually_exclusive_group(required=True)
    how.add_argument("--token-stdin", action="store_true", help=_("read a Service Key or token"))
    how.add_argument("--oauth", metavar="CLIENT_ID", help=_("sign in through this public app"))
    hub.add_argument("--authorize-url", default=None, help=argparse.SUPPRESS)
    hub.add_argument(
        "--port", type=int, default=None, help=_("loopback port of the app's redirect")
    )
    account_arg(hub, required=True)
    handles(hub, connected(cmd_crm_hubspot))


def _service(conn: sqlite3.Connection, name: str | None) -> CrmService:
    from core.crm.service import CrmService

    return CrmService(conn, find_account(conn, name))


def cmd_crm_local(
    args: argparse.Namespace, out: TextIO, err: TextIO, conn: sqlite3.Connection
) -> int:
    from core.crm.service import CrmConfig, CrmKind

    service = _service(conn, args.account)
    service.set_config(CrmConfig(**{**_config(service), "crm": CrmKind.LOCAL}))
    print(f"{service.account.name}: " + _("logs into the local CRM"), file=out)
    return EXIT_OK


def _config(service: CrmService) -> dict[str, Any]:
    c = service.config()
    return {name: getattr(c, name) for name in c.__dataclass_fields__}


def _print_check(result: Any, out: TextIO) -> None:
    domain = result.ui_domain or "app.hubspot.com"
    print(
        _("portal: %(portal)s (%(domain)s)") % {"portal": result.portal, "domain": domain}, file=out
    )
    user = result.user or _("- (no owner has this mailbox address)")
    print(_("user: %(user)s") % {"user": user}, file=out)
    print(_("scopes: %(scopes)s") % {"scopes": ", ".join(result.scopes) or "-"}, file=out)
    if result.unproved:
        print(
            _("checked by the first log: %(scopes)s") % {"scopes": ", ".join(result.unproved)},
            file=out,
        )
    if result.missing:
        print(_("missing: %(scopes)s") % {"scopes": ", ".join(result.missing)}, file=out)


def _mailbox(service: CrmService) -> str | None:
    return service.current_user().email or service.account.user


def cmd_crm_hubspot(
    args: argparse.Namespace, out: TextIO, err: TextIO, conn: sqlite3.Connection
) -> int:
    from core.crm import hubspot_connect
    from core.crm.delivery import Channels
    from core.crm.hubspot import HubSpotClient
    from core.crm.hubspot_transport import DEFAULT_BASE_URL

    service = _service(conn, args.account)
    service.permission().check()
    secrets = Channels().secrets()
    url = args.url or DEFAULT_BASE_URL
    grant, app, token = None, None, None
    if args.oauth:
        grant, app = _sign_in(args, url, err)
        auth: Any = grant.tokens.access_token
    else:
        token = auth = read_line(args.stdin)
    with HubSpotClient(auth, base_url=url) as client:
        result = hubspot_connect.check(client, _mailbox(service), grant)
    if grant is not None and app is not None:
        from core.crm.hubspot_oauth import introspect

        result = hubspot_connect.with_user(result, introspect(app, auth).user)
    if args.portal and args.portal != result.portal:
        raise Usage(
            _("this token opens portal %(portal)s, not %(asked)s")
            % {"portal": result.portal, "asked": args.portal}
        )
    _print_check(result, out)
    if result.missing:
        print("mailscope crm: " + _("HubSpot is not connected: grant the missing scopes"), file=err)
        return EXIT_FAILURE
    hubspot_connect.connect(
        service, result, secrets=secrets, url=args.url, token=token, grant=grant, app=app
    )
    text = _("logs through HubSpot portal %(portal)s") % {"portal": result.portal}
    print(f"{service.account.name}: {text}", file=out)
    return EXIT_OK


def _sign_in(args: argparse.Namespace, url: str, err: TextIO) -> Any:
    import webbrowser

    from core.crm.hubspot_auth import DEFAULT_AUTHORIZE_URL, OAuthApp
    from core.crm.hubspot_oauth import DEFAULT_PORT, sign_in
    from core.crm.hubspot_shapes import OPTIONAL_SCOPES, REQUIRED_SCOPES

    secret = read_line(args.stdin)
    app = OAuthApp(args.oauth, secret, url, args.authorize_url or DEFAULT_AUTHORIZE_URL)

    def show(link: str) -> None:
        print(_("Sign in to HubSpot in your browser: %(link)s") % {"link": link}, file=err)
        webbrowser.open(link)

    grant = sign_in(
        app,
        show,
        scopes=REQUIRED_SCOPES,
        optional=OPTIONAL_SCOPES,
        port=args.port or DEFAULT_PORT,
    )
    return grant, app


def cmd_crm_smtp(
    args: argparse.Namespace, out: TextIO, err: TextIO, conn: sqlite3.Connection
) -> int:
    from core.crm.service import CrmConfig
    from core.mail.secrets import KeyringStore, smtp_key

    service = _service(conn, args.account)
    service.permission().check()
    if args.password_stdin:
        KeyringStore().set(smtp_key(service.account.name), read_line(args.stdin))
    smtp = {
        "smtp_host": args.host,
        "smtp_port": args.port,
        "smtp_security": args.security,
        "smtp_user": args.user,
        "smtp_ca_file": args.ca_file,
        "smtp_sender": args.sender,
    }
    service.set_config(CrmConfig(**{**_config(service), **smtp}))
    text = _("forwards through %(host)s:%(port)s") % {"host": args.host, "port": args.port}
    print(f"{service.account.name}: {text}", file=out)
    return EXIT_OK


def _hubspot_service(conn: sqlite3.Connection, name: str) -> CrmService:
    from core.crm.service import CrmKind

    service = _service(conn, name)
    if service.config().crm != CrmKind.HUBSPOT:
        raise Usage(_("this account logs into the local CRM: nothing to refresh or check"))
    return service


def cmd_crm_check(
    args: argparse.Namespace, out: TextIO, err: TextIO, conn: sqlite3.Connection
) -> int:
    from core.crm import hubspot_connect, hubspot_portal
    from core.crm.delivery import Channels

    service = _hubspot_service(conn, args.account)
    config = service.config()
    with Channels().hubspot(config) as client:
        result = hubspot_connect.check(client, _mailbox(service))
    _print_check(result, out)
    known = hubspot_portal.load(conn, result.portal)
    strategy = known.strategy if known is not None else None
    if strategy is None:
        print(_("exactly once: checked by the first log"), file=out)
    elif strategy.key_property:
        text = _("exactly once: read by the unique property %(property)s")
        print(text % {"property": strategy.key_property}, file=out)
    else:
        text = _("exactly once: search after the index wait. %(note)s") % {"note": strategy.note}
        print(text.rstrip(), file=out)
    return EXIT_FAILURE if result.missing else EXIT_OK


def cmd_crm_refresh(
    args: argparse.Namespace, out: TextIO, err: TextIO, conn: sqlite3.Connection
) -> int:
    from core.crm.delivery import Channels
    from core.crm.refresh import Loading, refresh_from_hubspot

    service = _hubspot_service(conn, args.account)

    def progress(step: Loading) -> None:
        if step.step == "contacts" and sys.stderr.isatty():
            text = ngettext("%(n)s contact…", "%(n)s contacts…", step.count)
            print("\r" + text % {"n": format_number(step.count)}, end="", file=err, flush=True)

    with Channels().hubspot(service.config()) as client:
        settled = refresh_from_hubspot(service, client, owner_id=args.owner, progress=progress)
    directory = service.directory()
    values = {
        "users": len(directory.users),
        "contacts": len(directory.contacts),
        "changed": settled.changed,
    }
    print(
        _("%(users)d users, %(contacts)d contacts; %(changed)d verdicts changed") % values,
        file=out,
    )
    return EXIT_OK
