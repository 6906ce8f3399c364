"""Whole-process benchmark of ``mailscope sync`` and start-up (issue 10), this code and another.

    .venv/bin/python bench/process_bench.py [--size 100000] [--base /path/to/other/checkout]

On the realistic mailbox of ``bench/mailgen.py`` in a Dovecot with CONDSTORE (as
``bench/scale_bench.py`` sets it up), it times as whole processes, the way a rep runs them:
``mailscope sync`` into an empty cache (first sync), ``mailscope sync`` with nothing changed,
and ``mailscope account list``; and, in the same run, the bare socket's FETCH of the same
header fields (the physical limit, ``bench/sync_baseline.py``). With ``--base`` another
checkout (with its own ``.venv``) runs the same commands back to back, each in its own home.

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
    args = parser.parse_args()
    args.out = args.out.resolve()  # Dovecot's config needs absolute paths
    codes = {"new": ROOT} if args.base is None else {"base": args.base.resolve(), "new": ROOT}
    print(f"load average at start: {Path('/proc/loadavg').read_text().split()[:3]}", flush=True)
    box = Imap(args.out, args.size, ())
    try:
        bare = box.baseline()
        print(f"bare socket FETCH of the same fields ({args.size}): {bare:.2f} s", flush=True)
        clis = {
            label: Cli(code, args.out / "run" / f"home-{label}") for label, code in codes.items()
        }
        spec = box.spec()
        for cli in clis.values():
            cli.run(
                "account", "add", "bench", "--host", "localhost", "--port", str(spec["port"]),
                "--user", str(spec["user"]), "--ca-file", str(spec["ca_file"]),
                "--password-stdin", stdin=f"{spec['password']}\n",
            )  # fmt: skip
        rows: dict[str, dict[str, object]] = {label: {} for label in clis}
        for label, cli in clis.items():  # back to back
            wall, cpu = cli.run("sync")
            rows[label]["first"] = (wall, cpu)
            print(f"[{label}] first mailscope sync: {wall:.2f} s ({cpu:.2f} s CPU)"
                  f" = {wall / bare:.1f}x the bare socket", flush=True)  # fmt: skip
        for name, command in (("unchanged sync", ("sync",)), ("account list", ("account", "list"))):
            for label, cli in clis.items():
                runs = [cli.run(*command) for _ in range(args.repeat)]
                walls = sorted(w for w, _ in runs)
                rows[label][name] = walls
                print(f"[{label}] {name}: median {statistics.median(walls):.3f} s, best"
                      f" {walls[0]:.3f} s (runs: {', '.join(f'{w:.3f}' for w in walls)})",
                      flush=True)  # fmt: skip
    finally:
        box.close()
    print(f"load average at end: {Path('/proc/loadavg').read_text().split()[:3]}")


if __name__ == "__main__":
    main()
