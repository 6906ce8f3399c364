"""Whole-process benchmark of ``mailscope sync`` and start-up (issue 10), this code and another.

    .venv/bin/python bench/process_bench.py [--size 100000] [--base /path/to/other/checkout]
        [--rounds 1]

On the realistic mailbox of ``bench/mailgen.py`` in a Dovecot with CONDSTORE (as
``bench/scale_bench.py`` sets it up), it times as whole processes, the way a rep runs them:
``mailscope sync`` into an empty cache (first sync), ``mailscope sync`` with nothing changed,
and ``mailscope account list``; and, in the same run, the bare socket's FETCH of the same
header fields (the physical limit, ``bench/sync_baseline.py``). With ``--base`` another
checkout (with its own ``.venv``) runs the same commands back to back, each in its own home.

On a shared 2-core machine one first sync varies by +-0.5 s from run to run, and the bare socket
by +-20%: ``--rounds N`` times N first syncs of each checkout, in an order that rotates every
round, each round with its own bare socket (best of 3 after a warm-up), and reports the medians
and the spread of the ratios. It times each checkout as it is: ``make native`` first, or the
hot path runs as plain Python (each checkout's line says which).

Budgets: first sync <= 6x the bare socket; unchanged sync <= 0.35 s; account list <= 0.15 s.
The password is kept by keyrings.alt's file backend in each home (no OS keyring here).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.scale_bench import Imap  # noqa: E402


class Cli:
    """``mailscope`` of one checkout, with its own home and file keyring."""

    def __init__(self, code: Path, home: Path) -> None:
        self.code = code
        self.exe = str(code / ".venv" / "bin" / "mailscope")
        shutil.rmtree(home, ignore_errors=True)
        home.mkdir(parents=True)
        self.env = {
            **os.environ,
            "MAILSCOPE_HOME": str(home),
            "XDG_DATA_HOME": str(home / "data"),
            "PYTHON_KEYRING_BACKEND": "keyrings.alt.file.PlaintextKeyring",
        }

    def run(self, *args: str, stdin: str = "") -> tuple[float, float]:
        """Wall seconds and CPU seconds (user + system) of one whole process, run in its
        checkout: a first fill's helper (``python -m core.mail.fetch_child``) puts its working
        directory first on its path, and from another checkout would run that one's code."""
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        began = time.perf_counter()
        done = subprocess.run(
            [self.exe, *args], input=stdin, capture_output=True, text=True, env=self.env,
            timeout=3600, check=False, cwd=self.code,
        )  # fmt: skip
        wall = time.perf_counter() - began
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if done.returncode != 0:
            raise RuntimeError(f"{self.exe} {' '.join(args)}: {done.stderr.strip()[-1000:]}")
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--base", type=Path, help="another checkout (with .venv) to compare")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "scale")
    parser.add_argument("--repeat", type=int, default=5, help="runs of the short commands")
    parser.add_argument("--rounds", type=int, default=1, help="first syncs of each checkout")
    args = parser.parse_args()
    args.out = args.out.resolve()  # Dovecot's config needs absolute paths
    codes = {"new": ROOT} if args.base is None else {"base": args.base.resolve(), "new": ROOT}
    print(f"load average at start: {Path('/proc/loadavg').read_text().split()[:3]}", flush=True)
    for label, code in codes.items():
        print(f"[{label}] {code}: {_compiled(code)}", flush=True)
    box = Imap(args.out, args.size, ())
    try:
        clis = _first_syncs(box, codes, args.out, args.rounds)
        for name, command in (("unchanged sync", ("sync",)), ("account list", ("account", "list"))):
            for label, cli in clis.items():
                walls = sorted(cli.run(*command)[0] for _ in range(args.repeat))
                print(f"[{label}] {name}: median {statistics.median(walls):.3f} s, best"
                      f" {walls[0]:.3f} s (runs: {', '.join(f'{w:.3f}' for w in walls)})",
                      flush=True)  # fmt: skip
    finally:
        box.close()
    print(f"load average at end: {Path('/proc/loadavg').read_text().split()[:3]}")


def _compiled(code: Path) -> str:
    """Whether the checkout runs its hot path compiled (``make native``) or as plain Python."""
    tool = code / "packaging" / "native.py"
    if not tool.exists():
        return "plain Python (no packaging/native.py)"
    done = subprocess.run(
        [sys.executable, str(tool), "stale"], capture_output=True, text=True, check=True
    )
    stale = done.stdout.split()
    return "compiled (make native)" if not stale else f"NOT compiled: {len(stale)} stale modules"


def _first_syncs(box: Imap, codes: dict[str, Path], out: Path, rounds: int) -> dict[str, Cli]:
    """``rounds`` first syncs of each checkout into an empty cache, the order rotating each
    round, each round after its own bare socket FETCH; the last round's checkouts, synced."""
    spec = box.spec()
    found: dict[str, list[tuple[float, float, float]]] = {label: [] for label in codes}
    clis: dict[str, Cli] = {}
    for round_ in range(rounds):
        bare = box.baseline()
        print(f"round {round_ + 1}: bare socket FETCH of the same fields ({box.size}):"
              f" {bare:.2f} s", flush=True)  # fmt: skip
        shift = round_ % len(codes)
        for label in [*codes][shift:] + [*codes][:shift]:
            cli = clis[label] = Cli(codes[label], out / "run" / f"home-{label}")
            cli.run(
                "account", "add", "bench", "--host", "localhost", "--port", str(spec["port"]),
                "--user", str(spec["user"]), "--ca-file", str(spec["ca_file"]),
                "--password-stdin", stdin=f"{spec['password']}\n",
            )  # fmt: skip
            wall, cpu = cli.run("sync")
            found[label].append((wall, cpu, wall / bare))
            print(f"[{label}] first mailscope sync: {wall:.2f} s ({cpu:.2f} s CPU)"
                  f" = {wall / bare:.2f}x the bare socket", flush=True)  # fmt: skip
    if rounds > 1:
        _summary(found)
    return clis


def _summary(found: dict[str, list[tuple[float, float, float]]]) -> None:
    for label, runs in found.items():
        walls, cpus, ratios = zip(*runs, strict=True)
        over = sum(ratio > 6 for ratio in ratios)
        print(f"[{label}] first sync over {len(runs)} rounds: median {statistics.median(walls):.2f}"
              f" s ({min(walls):.2f}-{max(walls):.2f}), CPU {statistics.median(cpus):.2f} s;"
              f" ratio median {statistics.median(ratios):.2f}x ({min(ratios):.2f}-"
              f"{max(ratios):.2f}), {over} of {len(runs)} over 6x")  # fmt: skip
    if {"base", "new"} <= found.keys():
        pairs = zip(found["new"], found["base"], strict=True)
        faster = sum(new[0] < base[0] for new, base in pairs)
        print(f"new faster than base in {faster} of {len(found['new'])} rounds")


if __name__ == "__main__":
    main()
