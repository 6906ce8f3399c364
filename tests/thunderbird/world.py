"""The world of the end-to-end test and of the screenshots: the demo mailbox on Dovecot, synced
by Mailscope into its cache with the demo's CRM directory, the add-in installed by `mailscope
thunderbird install --profile`, an SMTP server, and Thunderbird on a fresh profile."""

from __future__ import annotations

import email.utils
import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import resources.demo as demo
from core import cli
from core.mail.sync import sync_account
from core.store import db
from core.store.directory import import_directory, parse_directory
from core.store.verdicts import settle
from tests.helpers import thunderbird as tb
from tests.helpers.dovecot import NO_TLS_IP, Dovecot
from tests.helpers.smtp_server import SmtpServer
from tests.mail.sync_helpers import imap_account, opener

WIDGET = "thunderbird_mailscope_example"  # makeWidgetId of the add-in's id
MIA = ("Mia Rossi", "mia@globex.example")
_FOLDERS = {
    "": ("INBOX", "2,S"),
    ".Sent": ("Sent", "2,S"),
    ".Drafts": ("Drafts", "2,DS"),
    ".Archive": ("Archive", "2,S"),
}


@dataclass
class World:
    root: Path
    mailscope_home: Path
    cache: Path
    thunderbird: tb.Thunderbird
    client: Any  # a marionette_driver session, chrome context
    smtp: SmtpServer

    def js(self, script: str, *args: Any) -> Any:
        return self.client.execute_script(script, script_args=list(args), new_sandbox=False)


def _date(raw: bytes) -> float:
    for line in raw.split(b"\n"):
        if line.lower().startswith(b"date:"):
            try:
                return email.utils.parsedate_to_datetime(line[5:].decode().strip()).timestamp()
            except (TypeError, ValueError):
                break
    return time.time()


def seed_demo(dovecot: Dovecot, user: str) -> int:
    """The demo Maildir written into the user's folders on the test server."""
    count = 0
    for sub, (folder, info) in _FOLDERS.items():
        files = sorted(
            p for p in (demo.MAILDIR / sub / "cur").iterdir() if not p.name.startswith(".")
        )
        raws = [(p.read_bytes(), 0.0) for p in files]
        count += dovecot.write_maildir(user, folder, [(r, _date(r)) for r, _ in raws], info=info)
    return count


def sync_cache(path: Path, user: Any) -> None:
    """Mailscope's cache of the IMAP account with the demo's directory, as the app keeps it."""
    conn = db.connect(path)
    account = imap_account(conn, user, "Globex")
    doc = json.loads(Path(demo.DIRECTORY).read_text(encoding="utf-8"))
    import_directory(conn, account.id, parse_directory(doc))
    sync_account(conn, account, opener(user))
    settle(conn, account)
    conn.close()


@contextmanager
def world(root: Path, dovecot: Dovecot, display: str | None = None) -> Iterator[World]:
    """Everything set up and Thunderbird started; stopped and cleaned on exit."""
    user = dovecot.new_user()
    seed_demo(dovecot, user.user)
    home, mailscope_home = root / "home", root / "mailscope"
    cache = mailscope_home / "mailscope.sqlite"
    sync_cache(cache, user)
    smtp = SmtpServer("plain", dovecot.certs.good.cert, dovecot.certs.good.key).start()
    port = tb.free_port()
    box = tb.Mailbox(NO_TLS_IP, user.port, user.user, user.password, MIA[1], MIA[0], smtp.port)
    profile = tb.profile(root / "profile", box, port)
    _install(home, profile, mailscope_home)
    bird = tb.Thunderbird(
        profile, home, root / "thunderbird.log", {"MAILSCOPE_HOME": str(mailscope_home)}, display
    )
    try:
        client = tb.marionette(port)
        try:
            yield World(root, mailscope_home, cache, bird, client, smtp)
        finally:
            client.delete_session(send_request=False)
    finally:
        bird.stop()
        smtp.stop()


def _install(home: Path, profile: Path, mailscope_home: Path) -> None:
    """`mailscope thunderbird install --home H --profile P`, with this MAILSCOPE_HOME kept."""
    import io
    import os

    before = os.environ.get("MAILSCOPE_HOME")
    os.environ["MAILSCOPE_HOME"] = str(mailscope_home)
    try:
        out, err = io.StringIO(), io.StringIO()
        code = cli.main(
            ["thunderbird", "install", "--home", str(home), "--profile", str(profile)],
            out=out,
            err=err,
        )
        assert code == 0, err.getvalue()
    finally:
        if before is None:
            os.environ.pop("MAILSCOPE_HOME", None)
        else:
            os.environ["MAILSCOPE_HOME"] = before
