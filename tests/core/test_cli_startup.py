"""Start-up: a command imports only what it runs (issue 10).

``mailscope account list`` and ``mailscope sync`` never import the CRM, httpx, sqlite-utils or
Qt; and the table saying which module registers each command agrees with the modules.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from core import cli
from tests.helpers.dovecot import Admin, MailUser
from tests.mail.sync_helpers import raw

ROOT = Path(__file__).parents[2]
DEMO_MAILDIR = ROOT / "resources" / "demo" / "Maildir"
HEAVY = ("httpx", "sqlite_utils", "PySide6")  # and the CRM, core.crm
# Runs the CLI, then reports every module it imported (on stderr's last line).
RUN = (
    "import json, sys; from core.cli import main; code = main(sys.argv[1:]);"
    " print(json.dumps(sorted(sys.modules)), file=sys.stderr); sys.exit(code)"
)


def test_each_command_is_registered_by_the_module_the_table_names() -> None:
    for area in cli.AREAS:
        commands = argparse.ArgumentParser().add_subparsers()
        area().register(commands)
        owned = {command for command, owner in cli.COMMANDS.items() if owner is area}
        assert set(commands.choices) == owned, area.__name__


def test_help_still_lists_every_command() -> None:
    text = cli.build_parser().format_help()
    assert all(command in text for command in cli.COMMANDS)


def _imports(home: Path, *args: str, stdin: str = "") -> list[str]:
    env = {
        **os.environ,
        "MAILSCOPE_HOME": str(home / "data"),
        "PYTHON_KEYRING_BACKEND": "keyrings.alt.file.PlaintextKeyring",
        "XDG_DATA_HOME": str(home / "xdg"),
        "HOME": str(home),
    }
    done = subprocess.run(
        [sys.executable, "-c", RUN, *args], input=stdin, capture_output=True, text=True,
        cwd=ROOT, env=env, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    modules: list[str] = json.loads(done.stderr.strip().splitlines()[-1])
    return modules


def _heavy(modules: list[str]) -> list[str]:
    return [
        m for m in modules if m.split(".")[0] in HEAVY or m.startswith(("core.crm.", "core.crm"))
    ]


@pytest.mark.parametrize("kind", ["maildir", "imap"])
def test_sync_and_account_list_import_nothing_heavy(
    tmp_path: Path, kind: str, mail_user: MailUser
) -> None:
    if kind == "imap":
        with Admin(mail_user) as admin:
            admin.append("INBOX", raw(1))
        add = ["--host", "localhost", "--port", str(mail_user.ssl_port), "--user",
               mail_user.user, "--ca-file", str(mail_user.ca_file), "--password-stdin"]  # fmt: skip
        _imports(tmp_path, "account", "add", "work", *add, stdin=mail_user.password + "\n")
    else:
        _imports(tmp_path, "account", "add", "work", "--maildir", str(DEMO_MAILDIR))
    listed = _imports(tmp_path, "account", "list")
    assert _heavy(listed) == []
    assert "core.mail.sync" not in listed  # listing accounts syncs nothing
    for _ in range(2):  # a first sync, then one with nothing new
        synced = _imports(tmp_path, "sync")
        assert "core.mail.sync" in synced
        assert _heavy(synced) == []
