"""A full disk: the sync stops with one line, keeps what it wrote, and finishes once there is room.

The cache lives on a real, tiny tmpfs (the tests run as root, as CI does): SQLite meets a
genuine "database or disk is full", not a simulated one.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

from tests.helpers.disk import fill_up
from tests.mail.test_cli import DEMO, Cli


def test_a_full_disk_stops_the_sync_with_one_line_and_loses_nothing(
    tmp_path: Path, tiny_disk: Path
) -> None:
    cli = Cli(tmp_path)
    cli.env["MAILSCOPE_HOME"] = str(tiny_disk / "data")
    assert cli("account", "add", "demo", "--maildir", str(DEMO / "Maildir")).returncode == 0
    assert (
        cli("directory", "import", str(DEMO / "directory.json"), "--account", "demo").returncode
        == 0
    )
    fill_up(tiny_disk)

    full = cli("sync", "demo")
    assert full.returncode == 1
    assert full.stderr.strip().count("\n") == 0, full.stderr
    assert "is full: free some space" in full.stderr
    assert "Traceback" not in full.stderr

    # What was written is intact: move the cache to a roomy disk and finish the sync there.
    roomy = tmp_path / "roomy"
    shutil.copytree(tiny_disk / "data", roomy)
    conn = sqlite3.connect(roomy / "mailscope.sqlite")
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    (kept,) = conn.execute("SELECT count(*) FROM messages").fetchone()
    assert 0 < kept < 300  # the disk filled up in the middle of the sync
    conn.close()
    cli.env["MAILSCOPE_HOME"] = str(roomy)
    done = cli("sync", "demo")
    assert done.returncode == 0, done.stderr
    listed = json.loads(cli("messages", "--account", "demo", "--json").stdout)
    assert len(listed) == 300
    assert len({(m["folder"], m["uid"]) for m in listed}) == 300
    assert all(m["reason"] for m in listed)
