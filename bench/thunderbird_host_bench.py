"""The Thunderbird native host's timings on the demo workspace, as Thunderbird meets them.

- start-up: a new `python -m core.thunderbird.host` process answering `hello` and exiting;
- the first `explain` of a process (the rules and the cache load with it);
- later requests in the same process: `explain` of every cached demo message, then
  `check_compose` of drafts to a stranger, a contact and a contact plus a stranger.

Run by hand: `.venv/bin/python bench/thunderbird_host_bench.py` (it prints `uptime` too).
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import statistics
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
MIA = {"name": "Mia", "identities": ["mia@globex.example"]}


def frame(value: object) -> bytes:
    data = json.dumps(value).encode()
    return struct.pack("=I", len(data)) + data


def read_answer(stream: Any) -> dict[str, Any]:
    (size,) = struct.unpack("=I", stream.read(4))
    answer: dict[str, Any] = json.loads(stream.read(size))
    return answer


def demo_home(where: Path) -> Path:
    env = {**os.environ, "MAILSCOPE_HOME": str(where)}
    code = (
        "import resources.demo as d; from core import workspace as w;"
        " c, a = w.open_demo(d); w.sync_demo(c, a); c.close()"
    )
    subprocess.run([sys.executable, "-c", code], check=True, env=env, cwd=ROOT)
    shutil.copy(where / "demo.sqlite", where / "mailscope.sqlite")
    return where


def host(home: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "MAILSCOPE_HOME": str(home)}
    return subprocess.Popen(
        [sys.executable, "-m", "core.thunderbird.host"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, cwd=ROOT,
    )  # fmt: skip


def ask(process: subprocess.Popen[bytes], request: dict[str, Any]) -> dict[str, Any]:
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write(frame(request))
    process.stdin.flush()
    return read_answer(process.stdout)


def bare_python(runs: int = 7) -> list[float]:
    """The floor: this Python starting with the project on its path and doing nothing."""
    found = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import core"], check=True, cwd=ROOT)
        found.append(time.perf_counter() - started)
    return found


def startup(home: Path, runs: int = 7) -> tuple[list[float], list[float]]:
    hello, first = [], []
    for _ in range(runs):
        started = time.perf_counter()
        process = host(home)
        ask(process, {"op": "hello"})
        hello.append(time.perf_counter() - started)
        ask(process, {"op": "explain", "account": MIA, "message": {"headerMessageId": "x@y"}})
        first.append(time.perf_counter() - started)
        assert process.stdin is not None
        process.stdin.close()
        process.wait()
    return hello, first


def headers(home: Path) -> list[dict[str, Any]]:
    with sqlite3.connect(home / "mailscope.sqlite") as conn:
        rows = conn.execute(
            "SELECT m.message_id, coalesce(m.from_raw, ''), m.subject, f.role FROM messages m"
            " JOIN folders f ON f.id = m.folder_id WHERE m.message_id IS NOT NULL"
        ).fetchall()
    return [
        {"headerMessageId": mid.strip("<>"), "author": author, "recipients": [],
         "subject": subject or "", "folder": {"specialUse": [role]}}
        for mid, author, subject, role in rows
    ]  # fmt: skip


def per_request(home: Path) -> tuple[list[float], list[float]]:
    process = host(home)
    ask(process, {"op": "explain", "account": MIA, "message": {"headerMessageId": "warm@up"}})
    explain = []
    for message in headers(home):
        started = time.perf_counter()
        assert ask(process, {"op": "explain", "account": MIA, "message": message})["ok"]
        explain.append(time.perf_counter() - started)
    drafts = [["sam@stranger.example"], ["karen.liu@umbrella-health.example"],
              ["karen.liu@umbrella-health.example", "sam@stranger.example"]]  # fmt: skip
    compose = []
    for n in range(60):
        details = {"from": "mia@globex.example", "to": drafts[n % 3], "subject": f"Hello {n}"}
        started = time.perf_counter()
        assert ask(process, {"op": "check_compose", "account": MIA, "details": details})["ok"]
        compose.append(time.perf_counter() - started)
    assert process.stdin is not None
    process.stdin.close()
    process.wait()
    return explain, compose


def ms(values: list[float]) -> str:
    q = statistics.quantiles(values, n=20)
    median = statistics.median(values) * 1000
    return f"median {median:.1f} ms, p95 {q[-1] * 1000:.1f} ms (n={len(values)})"


def main() -> int:
    print(subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    with tempfile.TemporaryDirectory(prefix="ms-host-bench-") as where:
        home = demo_home(Path(where))
        print(f"python -c 'import core':    {ms(bare_python())}")
        hello, first = startup(home)
        print(f"start-up to hello:          {ms(hello)}")
        print(f"start-up to first explain:  {ms(first)}")
        explain, compose = per_request(home)
        print(f"explain (cached message):   {ms(explain)}")
        print(f"check_compose:              {ms(compose)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
