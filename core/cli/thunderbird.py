"""The Thunderbird commands: ``native-host`` and ``thunderbird install|uninstall``.

Failures are one line on stderr (``core.cli.common``); the installer loads with its command.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

from core.cli.common import EXIT_OK, handles
from core.i18n import _


def register(commands: Any) -> None:
    """Add ``native-host`` and ``thunderbird`` to the ``mailscope`` parser."""
    host = commands.add_parser(
        "native-host",
        help=_("the program the Thunderbird add-in talks to (started by Thunderbird)"),
        description=_(
            "Answer the add-in over native messaging on stdin/stdout "
            "(see docs/thunderbird.md). Thunderbird passes the manifest path and add-in id."
        ),
    )
    host.add_argument("ignored", nargs="*", help=argparse.SUPPRESS)
    handles(host, cmd_native_host)

    tb = commands.add_parser("thunderbird", help=_("install or remove the Thunderbird add-in"))
    sub = tb.add_subparsers(dest="thunderbird_command", metavar="ACTION", required=True)
    for name, handler, text in (
        ("install", cmd_install, "write the host manifest and build the add-in (XPI)"),
        ("uninstall", cmd_uninstall, "remove the host manifest and the add-in"),
    ):
        action = sub.add_parser(name, help=text)
        action.add_argument("--home", type=Path, metavar="DIR", help=_("home folder (default: ~)"))
        action.add_argument(
            "--profile", type=Path, metavar="DIR", help=_("a Thunderbird profile to put the XPI in")
        )
        handles(action, handler)


def cmd_native_host(args: argparse.Namespace, out: TextIO, err: TextIO, stdin: TextIO) -> int:
    from core.thunderbird.host import main

    return main()


def cmd_install(args: argparse.Namespace, out: TextIO, err: TextIO, stdin: TextIO) -> int:
    from core.thunderbird.install import install, layout

    done = install(layout(args.home), args.profile)
    print(_("host manifest: %(path)s") % {"path": done.manifest}, file=out)
    if done.registry_key:
        print(_("registry key: %(key)s") % {"key": done.registry_key}, file=out)
    print(_("add-in: %(path)s") % {"path": done.xpi}, file=out)
    if done.profile_xpi is not None:
        print(_("installed in the profile: %(path)s") % {"path": done.profile_xpi}, file=out)
        print(_("Restart Thunderbird and allow the Mailscope add-in when it asks."), file=out)
    else:
        print(_("In Thunderbird: Add-ons Manager, gear menu, Install Add-on From File."), file=out)
    return EXIT_OK


def cmd_uninstall(args: argparse.Namespace, out: TextIO, err: TextIO, stdin: TextIO) -> int:
    from core.thunderbird.install import layout, uninstall

    removed = uninstall(layout(args.home), args.profile)
    for line in removed:
        print(_("removed: %(what)s") % {"what": line}, file=out)
    if not removed:
        print(_("nothing to remove"), file=out)
    return EXIT_OK
