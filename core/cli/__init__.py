"""The command line over the same functions as the app: ``mailscope explain`` and friends.

One module per area (:data:`AREAS`), each imported by name in its own small function. A
command imports only what it runs (issue 10: ``mailscope account list`` took 0.4-0.6 s, mostly
imports): the parser is built from the one area owning the command asked for
(:data:`COMMANDS`; every area only for help or an unknown command), the areas import nothing
heavy at load, and each handler imports its heavy parts itself. Exit statuses and error lines:
``core.cli.common``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import TYPE_CHECKING, TextIO

from core import i18n
from core.cli import argparse_words
from core.cli.common import EXIT_USAGE, run
from core.cli.demo import demo_workspace
from core.i18n import _
from core.version import __version__

if TYPE_CHECKING:
    from core.workspace import DemoFiles

__all__ = ["AREAS", "COMMANDS", "build_parser", "main"]


def _explain() -> ModuleType:
    from core.cli import explain

    return explain


def _mail() -> ModuleType:
    from core.cli import mail

    return mail


def _preview() -> ModuleType:
    from core.cli import preview

    return preview


def _crm() -> ModuleType:
    from core.cli import crm

    return crm


def _thunderbird() -> ModuleType:
    from core.cli import thunderbird

    return thunderbird


Area = Callable[[], ModuleType]  # its module, with ``register(subparsers)``
AREAS: tuple[Area, ...] = (_explain, _mail, _preview, _crm, _thunderbird)
# Which area registers each command (tests/core/test_cli_startup.py checks it against what the
# areas register): a command's parser is built from its area alone.
COMMANDS: dict[str, Area] = {
    "explain": _explain,
    "account": _mail,
    "sync": _mail,
    "messages": _mail,
    "directory": _mail,
    "whatif": _preview,
    "activity": _preview,
    "log": _crm,
    "contacts": _crm,
    "policy": _crm,
    "settings": _crm,
    "outbox": _crm,
    "crm": _crm,
    "native-host": _thunderbird,
    "thunderbird": _thunderbird,
}


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser; with ``command``, only the area owning it registers its commands."""
    parser = argparse.ArgumentParser(
        prog="mailscope",
        description=_("See whether your CRM will log each email, why, with whom and for whom."),
    )
    parser.add_argument("--demo", action="store_true", help=_("open the app on the demo workspace"))
    # Answered by the entry point (desktop/main.py) before this parser runs; listed for --help.
    parser.add_argument(
        "--version",
        action="version",
        version=f"mailscope {__version__}",
        help=_("show program's version number and exit"),
    )
    parser.add_argument(
        "--install-desktop-entry",
        action="store_true",
        help=_("add Mailscope to your applications menu (Linux, for you only)"),
    )
    parser.add_argument(
        "--uninstall-desktop-entry", action="store_true", help=_("remove that menu entry")
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    owner = COMMANDS.get(command or "")
    for area in (owner,) if owner is not None else AREAS:
        area().register(commands)
    return parser


def _command_of(argv: Sequence[str]) -> str | None:
    """The command word of ``argv`` (its first argument not an option), if any."""
    return next((word for word in argv if not word.startswith("-")), None)


def main(
    argv: Sequence[str] | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
    stdin: TextIO | None = None,
    demo: DemoFiles | None = None,
) -> int:
    """Run a command; returns its exit status (``core.cli.common``: 0, 1, 2 or 70).

    ``demo``: the demo's shipped files (the entry point passes ``resources.demo``); with
    ``--demo``, a command that reads the cache runs on the demo workspace."""
    i18n.setup()  # MAILSCOPE_LANG, then LANGUAGE, LC_ALL, LC_MESSAGES, LANG (core/i18n.py)
    argparse_words.use_ours()  # "usage:", "options" and argparse's errors in that language too
    words = list(sys.argv[1:] if argv is None else argv)
    args = build_parser(_command_of(words)).parse_args(words)
    if args.command is None:
        build_parser().print_help(err or sys.stderr)
        return EXIT_USAGE
    if args.demo:
        refused = demo_workspace(args.command, demo)
        if refused:
            print(refused, file=err or sys.stderr)
            return EXIT_USAGE
    return run(args, out or sys.stdout, err or sys.stderr, stdin or sys.stdin)
