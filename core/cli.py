"""The command line over the same functions as the app: ``mailscope explain`` and friends.

A command imports only what it runs (issue 10: ``mailscope account list`` took 0.4-0.6 s, mostly
imports): the parser is built from the one module owning the command asked for
(:data:`COMMANDS`), every module only for help or an unknown command, and each module imports
its heavy parts inside its handlers.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from contextlib import nullcontext
from typing import TYPE_CHECKING, Any, Protocol, TextIO

from core import i18n
from core.i18n import pgettext
from core.inputs import InputError, read_json
from core.version import __version__

if TYPE_CHECKING:
    from core.rules.model import Verdict


class CommandModule(Protocol):
    """A module that adds subcommands; each handler is ``(args, out, err, stdin) -> int``."""

    def register(self, commands: Any) -> None: ...


EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2

__all__ = ["InputError", "build_parser", "main", "read_json"]


def _table(verdicts: Sequence[Verdict], with_trace: bool) -> str:
    # TRANSLATORS: the header of "mailscope explain --format table"; one word or two each.
    header = (
        pgettext("explain table", "id"),
        pgettext("explain table", "verdict"),
        pgettext("explain table", "reason"),
        pgettext("explain table", "contacts"),
        pgettext("explain table", "attributed to"),
        pgettext("explain table", "why"),
    )
    # Reason and attribution codes and rule ids stay as they are: the contract's words.
    rows = [header] + [
        (
            v.id,
            pgettext("explain table", "will log")
            if v.logged
            else pgettext("explain table", "won't log"),
            f"{v.reason.value} ({v.rule.value})",
            ", ".join(v.contacts) or "-",
            v.attributed_to or "-",
            v.attribution.value if v.attribution else "-",
        )
        for v in verdicts
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines: list[str] = []
    for n, row in enumerate(rows):
        lines.append("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
        elif with_trace:
            lines.extend(f"    {step.text}" for step in verdicts[n - 1].trace)
    return "\n".join(lines) + "\n"


def cmd_explain(args: argparse.Namespace, out: TextIO, err: TextIO, stdin: TextIO) -> int:
    from core.rules.scenario import (
        ScenarioError,
        explain_scenario,
        scenario_from_dict,
        verdicts_json,
    )

    name = "<stdin>" if args.scenario == "-" else args.scenario
    try:
        scenario = scenario_from_dict(read_json(args.scenario, stdin))
    except InputError as exc:
        print(exc, file=err)
        return EXIT_USAGE
    except ScenarioError as exc:
        print(f"{name}: {exc}", file=err)
        return EXIT_USAGE
    verdicts = explain_scenario(scenario)
    if args.format == "table":
        out.write(_table(verdicts, args.trace))
    else:
        out.write(verdicts_json(verdicts, trace=args.trace))
        # Byte for byte the layout of the spec's expected files; a newline only for people.
        if out.isatty():
            out.write("\n")
    return EXIT_OK


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser; with ``command``, only the module owning it registers its commands."""
    parser = argparse.ArgumentParser(
        prog="mailscope",
        description="See whether your CRM will log each email, why, with whom and for whom.",
    )
    parser.add_argument("--demo", action="store_true", help="open the app on the demo workspace")
    # Answered by the entry point (desktop/main.py) before this parser runs; listed for --help.
    parser.add_argument("--version", action="version", version=f"mailscope {__version__}")
    parser.add_argument(
        "--install-desktop-entry",
        action="store_true",
        help="add Mailscope to your applications menu (Linux, for you only)",
    )
    parser.add_argument(
        "--uninstall-desktop-entry", action="store_true", help="remove that menu entry"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    explain = commands.add_parser(
        "explain",
        help="print the verdict of every message of a scenario file",
        description="Print one verdict per message of SCENARIO (JSON, see scenario.schema.json).",
    )
    explain.add_argument("scenario", metavar="SCENARIO.json", help="the scenario file, - for stdin")
    explain.add_argument("--trace", action="store_true", help="add each verdict's rule trace")
    explain.add_argument("--format", choices=("json", "table"), default="json")
    explain.set_defaults(handler=cmd_explain)
    for module in _command_modules(command):
        module.register(commands)
    return parser


# The other areas' command modules, each with ``register(subparsers)``.
COMMAND_MODULES: tuple[str, ...] = (
    "core.mail.commands",
    "core.preview.commands",
    "core.crm.commands",
    "core.thunderbird.commands",
)
# Which module registers each command (tests/core/test_cli_startup.py checks it against what
# the modules register): a command's parser is built from its module alone.
COMMANDS: dict[str, str] = {
    "account": "core.mail.commands",
    "sync": "core.mail.commands",
    "messages": "core.mail.commands",
    "directory": "core.mail.commands",
    "whatif": "core.preview.commands",
    "activity": "core.preview.commands",
    "log": "core.crm.commands",
    "contacts": "core.crm.commands",
    "policy": "core.crm.commands",
    "settings": "core.crm.commands",
    "outbox": "core.crm.commands",
    "crm": "core.crm.commands",
    "native-host": "core.thunderbird.commands",
    "thunderbird": "core.thunderbird.commands",
}


def _command_modules(command: str | None = None) -> list[CommandModule]:
    """The modules to register for ``command``: its own, none for ``explain``, else all."""
    import importlib

    if command == "explain":
        return []
    owner = COMMANDS.get(command or "")
    return [importlib.import_module(name) for name in ((owner,) if owner else COMMAND_MODULES)]


def _command_of(argv: Sequence[str]) -> str | None:
    """The command word of ``argv`` (its first argument not an option), if any."""
    return next((word for word in argv if not word.startswith("-")), None)


def main(
    argv: Sequence[str] | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
    stdin: TextIO | None = None,
) -> int:
    """Run a command; returns the exit code (0 ok, 1 failure, 2 bad input or usage)."""
    i18n.setup()  # MAILSCOPE_LANG, then LANGUAGE, LC_ALL, LC_MESSAGES, LANG (core/i18n.py)
    words = list(sys.argv[1:] if argv is None else argv)
    command = _command_of(words)
    args = build_parser(command).parse_args(words)
    if args.command is None:
        build_parser().print_help(err or sys.stderr)
        return EXIT_USAGE
    try:
        with i18n.untranslated() if _machine_output(args) else nullcontext():
            code: int = args.handler(args, out or sys.stdout, err or sys.stderr, stdin or sys.stdin)
    except BrokenPipeError:  # "mailscope explain x.json | head": the reader left, not an error
        _silence_stdout()
        return EXIT_OK
    except KeyboardInterrupt:
        return 130
    return code


def _machine_output(args: argparse.Namespace) -> bool:
    """Whether the command prints for a program (``--json``, ``--format json``): then it runs
    in English, the contract's language, whatever the user's (docs/i18n.md)."""
    return bool(getattr(args, "json", False)) or getattr(args, "format", None) == "json"


def _silence_stdout() -> None:
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
