"""One sync against a server, reported as ``mailscope sync`` reports it, in its own process.

``python -m tests.helpers.hostile_sync CONFIG`` (CONFIG: JSON with ``db``, ``port``, ``idle``,
``limits`` and ``seconds``) syncs an IMAP account on 127.0.0.1 through the command line's own
reporting (``core.cli.mail.report_sync``) and prints one JSON line: the exit code, what
the command printed, the time it took and the process's peak resident memory. A process of
its own, so that the memory figure is the sync's and a traceback shows on its stderr.
"""

from __future__ import annotations

import io
import json
import resource
import sys
import time
from pathlib import Path

from core.cli.mail import report_sync
from core.mail.imap import ImapSource
from core.mail.imap_conn import ImapSettings
from core.mail.source import MailSource, Security
from core.mail.wire_limits import WireLimits
from core.store import accounts, db


def peak_mb() -> float:
    """This process's peak resident memory since it started (its own, not its parent's).

    ``getrusage`` would count the parent's memory at fork: its maximum survives ``exec``.
    """
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024  # kB
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    config = json.loads(sys.argv[1])
    conn = db.connect(config["db"])
    account = accounts.get_account(conn, "hostile") or accounts.insert_account(
        conn, "hostile", accounts.AccountKind.IMAP, host="127.0.0.1", port=config["port"],
        security="none", user="rep",
    )  # fmt: skip
    settings = ImapSettings(
        "127.0.0.1",
        "rep",
        port=config["port"],
        security=Security.NONE,
        timeout=config["idle"],
        limits=WireLimits(**config["limits"]),
    )

    def open_source() -> MailSource:
        return ImapSource(settings, "password")

    out, err = io.StringIO(), io.StringIO()
    options = {"seconds": config["seconds"]} if config.get("seconds") else {}
    started = time.monotonic()
    code = report_sync(conn, account, open_source, out, err, **options)
    seconds = time.monotonic() - started
    peak = peak_mb()
    result = {"code": code, "out": out.getvalue(), "err": err.getvalue()}
    print(json.dumps({**result, "seconds": seconds, "rss_mb": peak}))


if __name__ == "__main__":
    main()
