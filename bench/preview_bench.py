"""Benchmark of the before-sending features on a large cache (run by hand, never in tests).

    .venv/bin/python bench/preview_bench.py [--count 100000]

Builds a cache of COUNT messages over the demo directory (inbox, sent, drafts; a third are
replies), settles it, then times what the app does: reading the logged state for the check
panel, deciding a typed email with its reply-all and warnings, a what-if over 90 days, the
activity report, and the Drafts view.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import resources.demo as demo
from core.mail.headers import prepare
from core.mailbox import FetchedMessage, FolderInfo
from core.preview.activity import activity, period
from core.preview.check import check
from core.preview.draft import (
    Composition,
    compose,
    drafts,
    ledger,
    mailbox_state,
    thread_state,
)
from core.preview.whatif import WhatIf
from core.preview.whatif_cache import simulate
from core.rules.model import Folder, LoggingRule
from core.store import cache, db, verdicts
from core.store.accounts import AccountKind, insert_account
from core.store.directory import import_directory, parse_directory
from core.store.redecide import load_message

NOW = datetime(2026, 11, 27, tzinfo=UTC)


def build(path: Path, count: int, seed: int = 6) -> tuple[Any, Any]:
    rng = random.Random(seed)
    conn = db.connect(path)
    account = insert_account(conn, "bench", AccountKind.MAILDIR, path="/nowhere")
    doc = json.loads(Path(demo.DIRECTORY).read_text(encoding="utf-8"))
    import_directory(conn, account.id, parse_directory(doc))
    contacts = [c["email"] for c in doc["contacts"]]
    strangers = [f"person{n}@company{n % 500}.example" for n in range(2000)]
    folders = {
        role: cache.ensure_folder(conn, account.id, FolderInfo(name, name, role)).id
        for name, role in (
            ("INBOX", Folder.INBOX),
            ("Sent", Folder.SENT),
            ("Drafts", Folder.DRAFTS),
        )
    }
    batches: dict[Folder, list[Any]] = {role: [] for role in folders}
    for n in range(count):
        role = Folder.DRAFTS if n % 500 == 0 else (Folder.SENT if n % 3 == 0 else Folder.INBOX)
        other = rng.choice(contacts if rng.random() < 0.6 else strangers)
        sender, to = (
            ("mia@globex.example", other)
            if role is not Folder.INBOX
            else (other, "mia@globex.example")
        )
        when = NOW - timedelta(seconds=rng.randrange(400 * 86_400))
        lines = [
            f"From: {sender}",
            f"To: {to}",
            f"Subject: {'Re: ' if n % 3 == 1 else ''}Topic {n // 3}",
            f"Date: {format_datetime(when)}",
            f"Message-ID: <b{n}@bench.example>",
        ]
        if n % 3 == 1:
            lines.append(f"In-Reply-To: <b{n - 1}@bench.example>")
        header = ("\r\n".join(lines) + "\r\n\r\n").encode()
        fetched = FetchedMessage(n + 1, (), when.timestamp(), 500, header)
        batches[role].append(prepare(fetched, role))
    for role, rows in batches.items():
        for start in range(0, len(rows), 5000):
            cache.insert_messages(conn, folders[role], 1, rows[start : start + 5000])
    verdicts.settle(conn, account, everything=True)
    return conn, account


def timed(label: str, action: Callable[[], object], runs: int = 3) -> None:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - started)
    print(f"{label:<48} {best * 1000:9.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as where:
        started = time.perf_counter()
        conn, account = build(Path(where) / "bench.sqlite", args.count)
        print(f"built a cache of {args.count} messages in {time.perf_counter() - started:.1f} s")
        directory, state = mailbox_state(conn, account)
        typed = compose(
            Composition(
                to="karen.liu@umbrella-health.example, someone@else.example",
                cc="claire.dubois@globex.example",
                subject="Renewal",
                sender="mia@globex.example",
            )
        )
        timed("whole logged state (mailbox_state)", lambda: mailbox_state(conn, account))
        timed("check panel reload: directory + CRM ledger", lambda: ledger(conn, account))
        _, logged = ledger(conn, account)
        parent = load_message(conn, 3)  # an inbound message with replies
        assert parent is not None
        reply = compose(
            Composition(to="karen.liu@umbrella-health.example", subject="Re: x", replies_to=parent)
        )

        def keystroke(message: Any) -> None:
            check(message, directory, thread_state(conn, account, message, logged))

        timed(
            "check panel keystroke, new email (x1000)",
            lambda: [keystroke(typed) for _ in range(1000)],
        )
        timed(
            "check panel keystroke, a reply (x1000)",
            lambda: [keystroke(reply) for _ in range(1000)],
        )
        timed(
            "check() with the whole state (x1000)",
            lambda: [check(typed, directory, state) for _ in range(1000)],
        )
        timed("drafts view", lambda: drafts(conn, account.id))
        whatif = WhatIf(rule=LoggingRule.REPLIES_ONLY, days=90)
        timed(
            "what-if: replies_only, last 90 days",
            lambda: simulate(conn, account, whatif, NOW.timestamp()),
            runs=1,
        )
        start, end = period(datetime(2026, 8, 1).date(), datetime(2026, 11, 30).date())
        timed("activity report, 4 months", lambda: activity(conn, account, start, end))


if __name__ == "__main__":
    main()
