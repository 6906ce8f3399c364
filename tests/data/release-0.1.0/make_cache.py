"""Write the caches and settings a rep had under Mailscope 0.1.0, as text, for the upgrade test.

Run it with the 0.1.0 release's code, never the current one (the point is what *that* release
wrote). From this repository, with its venv (0.1.0 has the same dependencies):

    git archive 343772a | tar -x -C /tmp/v010      # 343772a: the 0.1.0 release
    cd /tmp/v010 && /path/to/repo/.venv/bin/python \\
        /path/to/repo/tests/data/release-0.1.0/make_cache.py /path/to/repo/tests/data/release-0.1.0

It starts the test Dovecot of that release, fills a user's mailbox with the demo's 300
messages (flags included), and uses 0.1.0's own command line, as a rep would:

- ``mailscope.sqlite``: an IMAP account (``mia``), its CRM directory, a first sync, the rule
  changed to "log replies only", an entry added to each Never-log list, a BCC address, SMTP
  settings for forwards, one email logged in the local CRM and one left queued in the outbox;
- ``demo.sqlite``: the demo workspace as ``mailscope --demo`` leaves it (synced and decided);
- ``mailscope.ini``: the window's saved geometry, splitter and table header.

Both SQLite files are written out with ``sqlite3.Connection.iterdump`` (``*.sql``): text in git,
no binary database. The IMAP port and the paths of the 0.1.0 tree are what they were when this
ran; the upgrade test does not reach that server, and the demo's stale path is the point.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

RELEASE = Path.cwd()  # the 0.1.0 tree this runs from
sys.path.insert(0, str(RELEASE))


def main(out: Path) -> int:
    import core

    if Path(core.__file__).resolve().parents[1] != RELEASE.resolve():
        sys.exit(f"run this from the 0.1.0 tree: core comes from {core.__file__}")
    home = Path(tempfile.mkdtemp(prefix="mailscope-0.1.0-"))
    env = {
        **os.environ,
        "MAILSCOPE_HOME": str(home),
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHON_KEYRING_BACKEND": "keyrings.alt.file.PlaintextKeyring",
        "XDG_DATA_HOME": str(home / "xdg"),  # where that keyring keeps its file
    }

    def mailscope(*args: str, stdin: str = "") -> str:
        done = subprocess.run(
            [sys.executable, "-m", "desktop.main", *args],
            input=stdin, capture_output=True, text=True, env=env, cwd=RELEASE, check=False,
        )  # fmt: skip
        if done.returncode != 0:
            sys.exit(f"mailscope {' '.join(args)}: {done.stderr}")
        return done.stdout

    from tests.helpers.dovecot import running

    with running() as server:
        user = server.new_user("mia", "0.1.0-release")
        for folder, box in _demo_folders():
            for info, raws in _by_info(box).items():
                server.write_maildir(user, folder, raws, info=info)
        mailscope(
            "account", "add", "mia", "--host", user.host, "--port", str(user.port),
            "--security", "none", "--user", user.user, "--password-stdin",
            stdin=user.password + "\n",
        )  # fmt: skip
        directory = str(RELEASE / "resources/demo/directory.json")
        mailscope("directory", "import", "--account", "mia", directory)
        mailscope("sync")
        _settings(mailscope)
    os.environ.update(MAILSCOPE_HOME=str(home), QT_QPA_PLATFORM="offscreen")
    _demo_and_window(home)
    out.mkdir(parents=True, exist_ok=True)
    for name in ("mailscope", "demo"):
        _dump(home / f"{name}.sqlite", out / f"{name}.sql")
    shutil.copyfile(home / "mailscope.ini", out / "mailscope.ini")
    print(f"wrote {out}/mailscope.sql, demo.sql and mailscope.ini")
    return 0


def _demo_folders() -> list[tuple[str, Path]]:
    root = RELEASE / "resources/demo/Maildir"
    return [("INBOX", root), *((p.name[1:], p) for p in sorted(root.glob(".*/")))]


def _by_info(box: Path) -> dict[str, list[tuple[bytes, float]]]:
    """The folder's messages grouped by the info part of their names (their flags)."""
    groups: dict[str, list[tuple[bytes, float]]] = {}
    for path in sorted((box / "cur").iterdir()):
        stamp, _, info = path.name.partition(":")
        groups.setdefault(info, []).append((path.read_bytes(), float(stamp.split(".")[0])))
    return groups


def _settings(mailscope: Callable[..., str]) -> None:
    """What a rep changes in a first week: the rule, the lists, forwards, a "Log now"."""
    mailscope("settings", "set", "--rule", "replies_only", "--bcc", "1234567@bcc.hubspot.example")
    mailscope("settings", "never-log", "add", "rival-corp.example")
    mailscope("settings", "never-log", "add", "--personal", "mum@family.example")
    mailscope(
        "crm", "smtp", "--account", "mia", "--host", "smtp.globex.example", "--port", "587",
        "--user", "mia@globex.example",
    )  # fmt: skip
    rows = json.loads(mailscope("messages", "--json"))
    # Under "log replies only" most inbound first emails are skipped: log two by hand.
    skipped = [
        r for r in rows if r["reason"] == "replies_only" and r["role"] == "inbox" and r["contacts"]
    ]
    mailscope("log", skipped[0]["message_id"])
    mailscope("log", "--queue-only", skipped[1]["message_id"])


def _demo_and_window(home: Path) -> None:
    """``mailscope --demo`` as 0.1.0 leaves it: the demo synced, the window's state saved."""
    from PySide6.QtWidgets import QApplication

    from core import workspace
    from desktop.main_window import MainWindow, app_settings

    app = QApplication.instance() or QApplication([])
    conn, account = workspace.open_demo()
    workspace.sync_demo(conn, account)
    conn.close()
    window = MainWindow(workspace.demo_path(), settings=app_settings(), sync_on_start=False)
    window.resize(1280, 760)
    window.show()
    app.processEvents()
    window.close()
    app.processEvents()


def _dump(source: Path, target: Path) -> None:
    conn = sqlite3.connect(source)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    with target.open("w", encoding="utf-8") as handle:
        for statement in conn.iterdump():
            handle.write(statement + "\n")
    conn.close()


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
