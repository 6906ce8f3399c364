"""Benchmark the rules core on a realistic 100,000-message mailbox.

Reports messages per second for (a) the engine on already-parsed messages and (b) ``explain``
end to end from JSON (read, validate, parse, decide, write). Targets (issue 2): (a) >= 200,000/s,
(b) >= 30,000/s on one core.

    .venv/bin/python bench/rules_bench.py [--messages 100000] [--seed 7]
"""

from __future__ import annotations

import argparse
import io
import json
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core import cli, gcpause
from core.rules.engine import LoggedState, decide_all
from core.rules.scenario import directory_of, scenario_from_dict
from core.rules.trace import render_trace

FIRST = ["Lea", "Tom", "Ola", "Dora", "Ben", "Ana", "Luc", "Eva", "Max", "Ines", "Omar", "Yuki"]
LAST = ["Martin", "Schmidt", "Rossi", "Dubois", "Okafor", "Novak", "Silva", "Tanaka", "Berg"]
TOPICS = [
    "Your quote",
    "Renewal",
    "Invoice 2291",
    "Meeting next week",
    "Pricing",
    "Contract",
    "Onboarding",
    "Support ticket",
    "Demo follow-up",
    "Proposal v2",
]


def generate(count: int, seed: int, rule: str = "replies_only") -> dict[str, Any]:
    """A scenario: 20 users, 5,000 contacts (40 companies), threads of 1-6 messages."""
    rnd = random.Random(seed)
    users = [
        {
            "id": f"u{i}",
            "name": f"{rnd.choice(FIRST)} {rnd.choice(LAST)}",
            "email": f"user{i}@globex.example",
            "connected": [f"user{i}@globex.example"],
            "aliases": [f"u.{i}@globex.example"],
            "personal_email_access": i != 7,
        }
        for i in range(20)
    ]
    contacts = [
        {
            "id": f"c{i}",
            "name": f"{rnd.choice(FIRST)} {rnd.choice(LAST)}",
            "email": f"person{i}@company{i % 40}.example",
            "owner": f"u{rnd.randrange(20)}" if rnd.random() < 0.9 else None,
        }
        for i in range(5000)
    ]
    strangers = [f"lead{i}@prospect{i % 300}.example" for i in range(3000)]
    owner = users[0]
    messages: list[dict[str, Any]] = []
    t = 1_767_225_600  # 2026-01-01
    while len(messages) < count:
        topic = rnd.choice(TOPICS)
        root: str | None = None
        refs: list[str] = []
        people = [
            rnd.choice(contacts)["email"] if rnd.random() < 0.7 else rnd.choice(strangers)
            for _ in range(rnd.randint(1, 5))
        ]
        for n in range(rnd.randint(1, 6)):
            t += rnd.randint(60, 900)
            outbound = rnd.random() < 0.45
            mid = f"<{len(messages)}.{seed}@mail.example>"
            sender = owner["email"] if outbound else people[0]
            to = people if outbound else [owner["email"]]
            cc = [rnd.choice(users)["email"]] if rnd.random() < 0.2 else []
            msg = {
                "id": str(len(messages)),
                "folder": "sent" if outbound else rnd.choice(["inbox", "inbox", "archive"]),
                "date": time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime(t)),
                "from": f"{owner['name']} <{sender}>" if outbound else sender,
                "to": to,
                "cc": cc,
                "bcc": [],
                "subject": ("Re: " * min(n, 2)) + topic,
                "message_id": mid,
                "in_reply_to": refs[-1] if refs else None,
                "references": list(refs[-5:]),
            }
            messages.append(msg)
            root = root or mid
            refs.append(mid)
            if len(messages) >= count:
                break
    logged = [
        {"message_id": m["message_id"], "subject": m["subject"]}
        for m in rnd.sample(messages, count // 50)
    ]
    return {
        "account": {
            "logging_rule": rule,
            "never_log": ["company3.example"],
            "bcc_address": "1234@bcc.hubspot.com",
        },
        "users": users,
        "contacts": contacts,
        "mailbox_owner": "u0",
        "logged": logged,
        "messages": messages,
    }


def best_of(runs: int, fn: Any) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--rule", choices=("replies_only", "all"), default="replies_only")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "scenario.json"
        path.write_text(json.dumps(generate(args.messages, args.seed, args.rule)))
        # (a) the engine alone, on values parsed once (the raw JSON is not kept alive: the
        # cyclic GC would walk it on every collection, as it would not in the app).
        scenario = scenario_from_dict(json.loads(path.read_text()))
        directory = directory_of(scenario)
        n = len(scenario.messages)

        def decide() -> None:  # with the collector paused, as the app's big decisions run
            with gcpause.paused():
                decide_all(scenario.messages, directory, LoggedState(scenario.logged))

        engine = best_of(3, decide)
        verdicts = decide_all(scenario.messages, directory, LoggedState(scenario.logged))
        traced = best_of(1, lambda: [render_trace(v) for v in verdicts[:10_000]])

        def explain() -> None:
            out = io.StringIO()
            assert cli.main(["explain", str(path)], out=out) == 0

        end_to_end = best_of(3, explain)

    reasons: dict[str, int] = {}
    for v in verdicts:
        reasons[v.reason.value] = reasons.get(v.reason.value, 0) + 1
    print(f"messages: {n:,}  contacts: {len(scenario.contacts):,}  users: {len(scenario.users)}")
    print(f"reasons: {dict(sorted(reasons.items()))}")
    print(
        f"(a) engine on parsed messages: {n / engine:,.0f} msg/s ({engine:.3f} s)  "
        "target >= 200,000/s"
    )
    print(
        f"(b) explain end to end from JSON: {n / end_to_end:,.0f} msg/s ({end_to_end:.3f} s)  "
        "target >= 30,000/s"
    )
    print(f"    rendering traces: {10_000 / traced:,.0f} traces/s")


if __name__ == "__main__":
    main()
