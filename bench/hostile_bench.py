"""The 24 hostile IMAP servers of issue #11 at the product's defaults: time and peak memory.

Run by hand: ``.venv/bin/python bench/hostile_bench.py [NAME ...]``. Each scenario of
``tests/mail/hostile_scenarios.py`` runs a real asyncio server on loopback and the sync in a
process of its own with the product's limits (``core.mail.wire_limits.WireLimits()``, a 30 s
idle timeout, the 30-minute sync deadline) and the issue's sizes (a 1 GiB line, a 2 GiB
literal, 50 MB lines and subjects). Targets (issue #11): every scenario ends within 75 s, a
stall within 35 s, under 300 MB resident, with one line per problem and the well-formed
messages cached. The suite runs the same scenarios with deadlines of seconds.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.mail.imap_conn import ImapSettings  # noqa: E402
from tests.helpers.hostile_imap import HostileServer  # noqa: E402
from tests.mail.hostile_scenarios import CASES, Pace, Sizes  # noqa: E402
from tests.mail.test_hostile_server import cached, run_sync  # noqa: E402

IDLE = ImapSettings("h", "u").timeout  # the product's idle timeout (30 s)


def main(names: list[str]) -> int:
    print(f"load: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")
    print(f"{'scenario':<20} {'seconds':>8} {'RSS MB':>7}  result")
    worst = 0
    for case in CASES:
        if names and case.name not in names:
            continue
        with tempfile.TemporaryDirectory() as folder:
            db = Path(folder) / "cache.sqlite"
            started = time.monotonic()
            with HostileServer(case.make(Pace(IDLE), Sizes())) as server:
                report = run_sync(db, server.port, IDLE, {}, timeout=600)
            wall = time.monotonic() - started
            found = cached(db)
        good = all(found.get(f, []) == uids for f, uids in case.cached.items())
        bound = 35 if case.stall else 75
        ok = good and wall < bound and report["rss_mb"] < 300
        worst += not ok
        line = (report["err"].strip().splitlines() or [report["out"].strip()])[0]
        print(
            f"{case.name:<20} {wall:8.1f} {report['rss_mb']:7.0f}  {'ok ' if ok else 'BAD'} {line}"
        )
    return 1 if worst else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
