"""The Dovecot fixture itself: users, seeding, kicks, UIDVALIDITY changes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from imapclient import IMAPClient

from tests.helpers.dovecot import Dovecot, MailUser

RAW = b"From: a@example.com\r\nTo: b@example.com\r\nSubject: hi\r\n\r\nbody\r\n"


def test_new_user_has_empty_inbox_and_special_use_folders(dovecot: Dovecot) -> None:
    user = dovecot.new_user()
    with dovecot.admin(user) as admin:
        assert admin.uids("INBOX") == []
        listed = {name: flags for flags, _, name in admin.client.list_folders()}
    assert b"\\Sent" in listed[b"Sent"]  # names as on the wire (Admin does not decode)
    assert b"\\Trash" in listed[b"Trash"]


def test_append_flags_expunge(dovecot: Dovecot, mail_user: MailUser) -> None:
    with dovecot.admin(mail_user) as admin:
        first = admin.append("INBOX", RAW, flags=["\\Seen"])
        second = admin.append("INBOX", RAW)
        assert (first, second) == (1, 2)
        admin.add_flags("INBOX", [second], ["\\Flagged"])
        flags = {
            uid: tuple(f for f in got if f != b"\\Recent")
            for uid, got in admin.client.get_flags([first, second]).items()
        }
        assert flags == {first: (b"\\Seen",), second: (b"\\Flagged",)}
        admin.expunge("INBOX", [first])
        assert admin.uids("INBOX") == [second]


def test_recreate_folder_changes_uidvalidity(dovecot: Dovecot, mail_user: MailUser) -> None:
    with dovecot.admin(mail_user) as admin:
        before = admin.uidvalidity("Archive")
        after = admin.recreate_folder("Archive", [RAW])
        assert after != before
        assert admin.uids("Archive") == [1]


def test_kick_drops_sessions(dovecot: Dovecot, mail_user: MailUser) -> None:
    client = IMAPClient(mail_user.host, port=mail_user.port, ssl=False, timeout=10)
    client.login(mail_user.user, mail_user.password)
    client.select_folder("INBOX")
    dovecot.kick(mail_user.user)
    try:
        client.noop()
        client.noop()
    except (IMAPClient.AbortError, OSError):
        return
    raise AssertionError("the kicked session still answered")


def test_names_only_server_has_no_special_use(dovecot_names_only: Dovecot) -> None:
    user = dovecot_names_only.new_user()
    with dovecot_names_only.admin(user) as admin:
        admin.create_folder("Sent Items")
        listed = {name: flags for flags, _, name in admin.client.list_folders()}
    assert set(listed) == {b"INBOX", b"Sent Items"}
    assert all(b"\\Sent" not in flags for flags in listed.values())


def test_a_missing_dovecot_fails_and_never_skips(tmp_path: Path) -> None:
    test_file = tmp_path / "test_uses_dovecot.py"
    test_file.write_text("def test_needs_server(dovecot):\n    assert dovecot\n")
    path = os.pathsep.join(p for p in os.environ["PATH"].split(os.pathsep) if "sbin" not in p)
    assert shutil.which("dovecot", path=path) is None
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "tests.conftest", "-p", "no:cacheprovider",
         "-q", f"--basetemp={tmp_path / 'inner'}", str(test_file)],
        cwd=Path(__file__).resolve().parents[2], env={**os.environ, "PATH": path},
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 1
    assert "1 error" in result.stdout and "skipped" not in result.stdout
    assert "dovecot is not installed: `make test` installs it" in result.stdout
