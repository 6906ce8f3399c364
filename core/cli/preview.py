"""The preview commands: ``mailscope whatif`` and ``mailscope activity``.

Failures are one line on stderr (``core.cli.common``); the preview modules load with the
command that runs them.
"""

from __future__ import annotations

import argparse
from datetime import date
from typing import TYPE_CHECKING, Any, TextIO

from core.cli.common import EXIT_OK, Usage, find_account, handles
from core.i18n import _, format_number, ngettext, pgettext

if TYPE_CHECKING:
    from core.preview.whatif import WhatIf, WhatIfResult
    from core.rules.model import Reason
    from core.rules.verdict import Verdict


def register(commands: Any) -> None:
    """Add ``whatif`` and ``activity`` to the ``mailscope`` parser."""
    from core.preview.whatif import DEFAULT_DAYS
    from core.rules.model import LoggingRule

    whatif = commands.add_parser(
        "whatif",
        help=_("simulate another logging rule or Never-log list on recent mail (writes nothing)"),
    )
    whatif.add_argument("--rule", choices=[r.value for r in LoggingRule])
    whatif.add_argument(
        "--never-log",
        action="append",
        default=[],
        metavar="add:X|remove:X",
        help=_("add or remove a Never-log address or domain (repeatable)"),
    )
    whatif.add_argument(
        "--create-contacts",
        choices=("on", "off"),
        help=_("HubSpot's beta 'Create new contacts from logged emails' (rule R9b)"),
    )
    whatif.add_argument("--days", type=int, default=DEFAULT_DAYS, help=_("the last N days (90)"))
    whatif.add_argument("--account", metavar="NAME", help=_("default: the only account"))
    whatif.add_argument("--json", action="store_true", help=_("JSON output"))
    handles(whatif, cmd_whatif)

    report = commands.add_parser(
        "activity", help=_("emails logged and attributed to each user over a period")
    )
    report.add_argument("--from", dest="first", required=True, metavar="YYYY-MM-DD")
    report.add_argument("--to", dest="last", required=True, metavar="YYYY-MM-DD")
    report.add_argument("--account", metavar="NAME", help=_("default: the only account"))
    report.add_argument("--csv", action="store_true", help=_("CSV output"))
    handles(report, cmd_activity)


def parse_whatif(
    rule: str | None, never_log: list[str], days: int, create_contacts: str | None = None
) -> WhatIf:
    """The ``whatif`` options as a ``WhatIf``; raises ``WhatIfError`` with a one-line reason."""
    from core.preview.whatif import WhatIf, WhatIfError
    from core.rules.model import LoggingRule

    add: list[str] = []
    remove: list[str] = []
    for item in never_log:
        verb, _sep, entry = item.partition(":")
        if verb not in ("add", "remove") or not entry.strip():
            raise WhatIfError(
                _("--never-log %(item)r: expected add:ADDRESS-OR-DOMAIN or remove:...")
                % {"item": item}
            )
        (add if verb == "add" else remove).append(entry.strip())
    create = None if create_contacts is None else create_contacts == "on"
    if rule is None and not add and not remove and create is None:
        raise WhatIfError(
            "nothing to simulate: give --rule, --never-log add:X|remove:X or --create-contacts"
        )
    rule_value = LoggingRule(rule) if rule else None
    return WhatIf(rule_value, tuple(add), tuple(remove), days, create)


def whatif_json(result: WhatIfResult) -> dict[str, object]:
    """The JSON form of a what-if result."""
    return {
        "change": result.whatif.describe(),
        "days": result.whatif.days,
        "considered": result.considered,
        "logged": {"before": result.logged[0], "after": result.logged[1]},
        "reasons": {r.value: {"before": a, "after": b} for r, (a, b) in result.reasons.items()},
        "users": [
            {"user": u, "name": result.user_labels.get(u, u or "nobody"), "before": a, "after": b}
            for u, (a, b) in result.users.items()
        ],
        "changes": [
            {
                "id": c.message.id,
                "message_id": c.message.message_id,
                "subject": c.message.subject,
                "before": c.before.as_dict(),
                "after": c.after.as_dict(),
            }
            for c in result.changes
        ],
    }


def whatif_text(result: WhatIfResult) -> str:
    """The what-if result as a short report for a terminal."""
    w = result.whatif
    values = {"change": w.describe(), "days": w.days, "messages": result.considered}
    lines = [
        ngettext(
            "What if: %(change)s (last %(days)d days, %(messages)d messages)",
            "What if: %(change)s (last %(days)d days, %(messages)d messages)",
            result.considered,
        )
        % values,
        _("Logged: %(before)d -> %(after)d")
        % {"before": result.logged[0], "after": result.logged[1]},
        "",
        _("Per reason:"),
    ]
    for reason, (a, b) in sorted(result.reasons.items(), key=lambda i: i[0].value):
        lines.append(f"  {reason.value:<18} {a:>6} -> {b:<6} {_delta(a, b)}".rstrip())
    lines += ["", _("Logged per attributed user:")]
    for user, (a, b) in result.users.items():
        label = result.user_labels.get(user, user or pgettext("attributed to", "nobody"))
        lines.append(f"  {label:<24} {a:>6} -> {b:<6} {_delta(a, b)}".rstrip())
    n = len(result.changes)
    changes = ngettext(
        "%(n)d messages change (logging flips first):",
        "%(n)d messages change (logging flips first):",
        n,
    )
    lines += ["", changes % {"n": n}]
    line, untitled = "  " + _("%(subject)s: %(before)s -> %(after)s"), _("(no subject)")
    words: dict[tuple[bool, Reason], str] = {}  # a verdict's words, translated once each
    for c in sorted(result.changes, key=lambda c: c.before.logged == c.after.logged):
        before, after = _verdict(c.before, words), _verdict(c.after, words)
        subject = c.message.subject or untitled
        lines.append(line % {"subject": subject, "before": before, "after": after})
    return "\n".join(lines) + "\n"


def _verdict(v: Verdict, words: dict[tuple[bool, Reason], str]) -> str:
    said = words.get((v.logged, v.reason))
    if said is None:
        head = pgettext("verdict", "will log") if v.logged else pgettext("verdict", "won't log")
        said = words[v.logged, v.reason] = f"{head} ({v.reason.value})"
    return said


def _delta(before: int, after: int) -> str:
    return f"({after - before:+d})" if after != before else ""


def cmd_whatif(args: argparse.Namespace, out: TextIO, err: TextIO, stdin: TextIO) -> int:
    import json
    import time

    from core.preview.whatif_cache import simulate
    from core.store import db

    conn = db.connect()
    account = find_account(conn, args.account)
    whatif = parse_whatif(args.rule, args.never_log, args.days, args.create_contacts)
    result = simulate(conn, account, whatif, time.time())
    if args.json:
        out.write(json.dumps(whatif_json(result), ensure_ascii=False, indent=1) + "\n")
    else:
        out.write(whatif_text(result))
    return EXIT_OK


def _day(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise Usage(
            _("%(option)s %(text)r: expected a date as YYYY-MM-DD")
            % {"option": option, "text": text}
        ) from None


def cmd_activity(args: argparse.Namespace, out: TextIO, err: TextIO, stdin: TextIO) -> int:
    from core.preview.activity import activity, period, to_csv
    from core.store import db

    conn = db.connect()
    account = find_account(conn, args.account)
    start, end = period(_day(args.first, "--from"), _day(args.last, "--to"))
    rows = activity(conn, account, start, end)
    if args.csv:
        out.write(to_csv(rows))
        return EXIT_OK
    user, emails = pgettext("activity table", "user"), pgettext("activity table", "emails")
    width = max([len(r.user) for r in rows] + [len(user)])
    out.write(f"{user:<{width}}  {emails}\n")
    for r in rows:
        out.write(f"{r.user:<{width}}  {format_number(r.emails):>6}\n")
    return EXIT_OK
