"""The mail CLI as a user runs it: a subprocess with its own home and a real file keyring."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.dovecot import UNKNOWN_CA_IP, WRONG_HOST_IP, Admin, MailUser, free_port
from tests.mail.sync_helpers import raw

ROOT = Path(__file__).parents[2]
DEMO = ROOT / "resources" / "demo"


class Cli:
    """Runs ``mailscope`` in a subprocess; remembers every output to search for secrets."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.outputs: list[str] = []
        self.env = {
            **os.environ,
            "MAILSCOPE_HOME": str(home / "data"),
            "PYTHON_KEYRING_BACKEND": "keyrings.alt.file.PlaintextKeyring",
            "XDG_DATA_HOME": str(home / "xdg"),
            "HOME": str(home),
        }

    def __call__(self, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        code = "import sys; from core.cli import main; sys.exit(main())"
        done = subprocess.run(
            [sys.executable, "-c", code, *args],
            input=stdin,
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=self.env,
            timeout=120,
            check=False,
        )
        self.outputs += [done.stdout, done.stderr]
        return done

    def keyring_password(self, key: str) -> str | None:
        code = f"import keyring; print(keyring.get_password('mailscope', {key!r}))"
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, env=self.env, check=True
        )
        return done.stdout.strip()

    def stored_bytes(self) -> bytes:
        return b"".join(p.read_bytes() for p in (self.home / "data").glob("mailscope.sqlite*"))


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    return Cli(tmp_path)


def _add(cli: Cli, user: MailUser, name: str = "work", host: str = "localhost", port: int = 0):  # type: ignore[no-untyped-def]
    return cli(
        "account", "add", name, "--host", host, "--port", str(port or user.ssl_port),
        "--user", user.user, "--ca-file", str(user.ca_file), "--password-stdin",
        stdin=user.password + "\n",
    )  # fmt: skip


def test_imap_account_sync_and_messages(cli: Cli, mail_user: MailUser) -> None:
    with Admin(mail_user) as admin:
        admin.append("INBOX", raw(1))
        admin.append("INBOX", raw(2, sender="stranger@nowhere.example"), flags=("\\Seen",))
        admin.append("Sent", raw(3, sender="mia@globex.example", to="lea@initech.example"))
    added = _add(cli, mail_user)
    assert added.returncode == 0, added.stderr
    listed = cli("account", "list")
    assert listed.stdout.startswith(f"work\timap\t{mail_user.user}@localhost:")
    synced = cli("sync", "work")
    assert synced.returncode == 0, synced.stderr
    assert synced.stdout.startswith("work: 4 folders, 3 new, 0 changed, 0 removed in ")
    assert synced.stderr == ""  # no progress bar when stderr is not a terminal
    directory = {
        "account": {"logging_rule": "all"},
        "users": [{"id": "u-mia", "email": "mia@globex.example"}],
        "contacts": [{"id": "c-lea", "email": "lea@initech.example"}],
        "mailbox_owner": "u-mia",
    }
    path = cli.home / "directory.json"
    path.write_text(json.dumps(directory))
    imported = cli("directory", "import", str(path), "--account", "work")
    assert imported.returncode == 0, imported.stderr
    assert "3 messages decided" in imported.stdout
    out = cli("messages", "--account", "work", "--json")
    items = json.loads(out.stdout)
    assert [(m["folder"], m["uid"]) for m in items] == [("INBOX", 1), ("INBOX", 2), ("Sent", 1)]
    first = items[0]
    assert first["id"] == first["message_id"] == "<m1@initech.example>"
    assert first["from"] == "Lea Martin <lea@initech.example>"
    assert first["to"] == ["Mia Rossi <mia@globex.example>"] and first["cc"] == []
    assert first["date"] == "2025-09-01T01:01:00Z"
    assert (first["logged"], first["reason"], first["contacts"]) == (
        True,
        "log_all_contact",
        ["c-lea"],
    )
    assert (first["attributed_to"], first["attribution"]) == ("u-mia", "single_recipient")
    assert items[1]["reason"] == "not_a_contact" and items[2]["attribution"] == "sender"
    sent = json.loads(cli("messages", "--folder", "sent", "--json").stdout)
    assert [m["uid"] for m in sent] == [1] and sent[0]["folder"] == "Sent"
    again = cli("sync")
    assert again.stdout.startswith("work: 4 folders, 0 new, 0 changed, 0 removed")
    # The password: in the keyring, nowhere else.
    assert cli.keyring_password("imap:work") == mail_user.password
    assert mail_user.password.encode() not in cli.stored_bytes()
    assert not any(mail_user.password in text for text in cli.outputs)
    removed = cli("account", "remove", "work")
    assert removed.returncode == 0
    assert cli.keyring_password("imap:work") == "None"


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("password", "login rejected"),
        ("refused", "connection refused"),
        ("unknown-ca", "certificate is not trusted"),
        ("wrong-host", "does not match the host name"),
        ("dns", "cannot resolve host"),
    ],
)
def test_sync_failures_exit_1_with_one_line(
    case: str, expected: str, cli: Cli, mail_user: MailUser
) -> None:
    user = mail_user
    if case == "password":
        user = MailUser(user.host, user.port, user.ssl_port, user.user, "wrong-pass", user.ca_file)
        added = _add(cli, user)
    elif case == "refused":
        added = _add(cli, user, port=free_port())
    elif case == "unknown-ca":
        added = _add(cli, user, host=UNKNOWN_CA_IP)
    elif case == "wrong-host":
        added = _add(cli, user, host=WRONG_HOST_IP)
    else:
        added = _add(cli, user, host="no-such-host.invalid")
    assert added.returncode == 0, added.stderr
    done = cli("sync", "work")
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("work: ")
    assert expected in done.stderr
    assert mail_user.password not in done.stderr


def test_bad_accounts_are_refused_with_exit_2(cli: Cli, mail_user: MailUser) -> None:
    clear = cli(
        "account", "add", "x", "--host", "imap.example.com", "--security", "none",
        "--user", "u", "--password-stdin", stdin="pw\n",
    )  # fmt: skip
    assert clear.returncode == 2 and "only allowed for a loopback host" in clear.stderr
    assert cli.keyring_password("imap:x") == "None"
    no_password = cli("account", "add", "y", "--host", "h.example", "--user", "u")
    assert no_password.returncode == 2 and "--password-stdin" in no_password.stderr
    assert cli("account", "add", "z", "--maildir", str(cli.home)).returncode == 2
    assert _add(cli, mail_user, name="dup").returncode == 0
    dup = _add(cli, mail_user, name="dup")
    assert dup.returncode == 2 and "exists already" in dup.stderr
    assert cli("sync", "nope").returncode == 2


def test_maildir_account_and_directory_errors(cli: Cli) -> None:
    assert cli("account", "add", "demo", "--maildir", str(DEMO / "Maildir")).returncode == 0
    synced = cli("sync", "demo")
    files = [p for p in (DEMO / "Maildir").glob("**/[cn][ue][rw]/*") if not p.name.startswith(".")]
    assert synced.returncode == 0 and f" {len(files)} new" in synced.stdout
    bad = cli.home / "bad.json"
    bad.write_text(
        json.dumps(
            {
                "account": {},
                "users": [{"id": 3, "email": "a@b.example"}],
                "contacts": [],
                "mailbox_owner": "x",
            }
        )
    )
    done = cli("directory", "import", str(bad), "--account", "demo")
    assert done.returncode == 2 and done.stderr.strip().endswith("users[0].id: expected a string")
    done = cli("directory", "import", str(DEMO / "directory.json"), "--account", "demo")
    assert done.returncode == 0, done.stderr
    items = json.loads(cli("messages", "--account", "demo", "--folder", "drafts", "--json").stdout)
    assert items and all(m["role"] == "drafts" and m["reason"] for m in items)
