"""``mailscope explain SCENARIO.json``: one verdict per message of a scenario file.

The contract other tools rely on (design.md): a JSON array on stdout in the input order, exit 0;
a scenario that does not match the schema exits 2 with a line naming the bad field.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TextIO

from core.cli.common import EXIT_OK, handles
from core.i18n import _, pgettext
from core.inputs import InputError, read_json

if TYPE_CHECKING:
    from core.rules.verdict import Verdict


def register(commands: Any) -> None:
    """Add ``explain`` to the ``mailscope`` parser."""
    explain = commands.add_parser(
        "explain",
        help=_("print the verdict of every message of a scenario file"),
        description=_(
            "Print one verdict per message of SCENARIO (JSON, see scenario.schema.json)."
        ),
    )
    explain.add_argument(
        "scenario", metavar="SCENARIO.json", help=_("the scenario file, - for stdin")
    )
    explain.add_argument("--trace", action="store_true", help=_("add each verdict's rule trace"))
    explain.add_argument("--format", choices=("json", "table"), default="json")
    handles(explain, cmd_explain)


def table(verdicts: Sequence[Verdict], with_trace: bool) -> str:
    """The verdicts as a table for people (``--format table``)."""
    from core.rules.trace import render_trace, via_forward
    from core.rules.vocabulary import reason_label, status, status_label

    # TRANSLATORS: the header of "mailscope explain --format table"; one word or two each.
    header = (
        pgettext("explain table", "id"),
        pgettext("explain table", "verdict"),
        pgettext("explain table", "reason"),
        pgettext("explain table", "contacts"),
        pgettext("explain table", "attributed to"),
        pgettext("explain table", "why"),
    )
    # The vocabulary's words (core.rules.vocabulary), as the app's badges; the rule id only
    # with --trace (technical details), attribution codes as they are.
    rows = [header] + [
        (
            v.id,
            status_label(status(v.logged, v.reason)),
            f"{reason_label(v.reason, via_forward(v.facts))} ({v.rule.value})"
            if with_trace
            else reason_label(v.reason, via_forward(v.facts)),
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
            lines.extend(f"    {step.text}" for step in render_trace(verdicts[n - 1]))
    return "\n".join(lines) + "\n"


def cmd_explain(args: argparse.Namespace, out: TextIO, err: TextIO, stdin: TextIO) -> int:
    from core import gcpause
    from core.rules.scenario import (
        ScenarioError,
        explain_scenario,
        scenario_from_dict,
        verdicts_json,
    )

    name = "<stdin>" if args.scenario == "-" else args.scenario
    try:
        scenario = scenario_from_dict(read_json(args.scenario, stdin))
    except ScenarioError as exc:
        raise InputError(f"{name}: {exc}") from None
    with gcpause.batch(len(scenario.messages) > 10_000):  # a big decision; see core.gcpause
        verdicts = explain_scenario(scenario)
    if args.format == "table":
        out.write(table(verdicts, args.trace))
    else:
        out.write(verdicts_json(verdicts, trace=args.trace))
        # Byte for byte the layout of the spec's expected files; a newline only for people.
        if out.isatty():
            out.write("\n")
    return EXIT_OK
