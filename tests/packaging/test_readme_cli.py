"""Every ``mailscope COMMAND`` the README shows runs as written, on the demo workspace.

The commands are the README's inline code spans that start with ``mailscope`` and a command
word. Each placeholder (NAME, FILE.json...) becomes a real value of the demo; each command is
run through the real command line (``core.cli.main``, as the entry point calls it) on a cache
that is the demo workspace, and must exit 0. The commands that need a server the demo does not
have (an IMAP server, HubSpot, a browser) are listed in ``SERVERS`` with the tests that run them
against real ones; here they must parse as written. A new README command fails
``test_every_readme_command_is_classified`` until it is run here.
"""

from __future__ import annotations

import io
import json
import re
import shlex
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

import resources.demo
from core import cli
from core.store import db
from tests.packaging.conftest import ROOT

README = ROOT / "README.md"

# Need a real server: run against one by the tests named.
SERVERS = {
    "mailscope account add NAME --email ADDRESS": "tests/mail/test_cli.py (Dovecot)",
    "mailscope account login NAME": "tests/mail/test_cli_oauth.py",
    "mailscope crm hubspot --token-stdin --account NAME": "tests/crm/test_cli_hubspot.py",
    "mailscope crm check --account NAME": "tests/crm/test_cli_hubspot.py",
    "mailscope crm refresh --account NAME": "tests/crm/test_cli_hubspot.py",
    "mailscope thunderbird install": "tests/thunderbird/test_install.py",
    "mailscope thunderbird uninstall": "tests/thunderbird/test_install.py",
}
CSV = "Record ID,First Name,Last Name,Email\r\n901,Wei,Zhang,wei.zhang@lotus-parcel.example\r\n"


def readme_cli_commands() -> list[str]:
    """The README's inline ``mailscope COMMAND ...`` spans, in order, whitespace folded."""
    spans = re.findall(r"`(mailscope [^`]+)`", README.read_text("utf-8"))
    found = [" ".join(span.split()) for span in spans]
    return [c for c in dict.fromkeys(found) if re.match(r"mailscope (--demo )?[a-z]", c)]


def test_every_readme_command_is_classified() -> None:
    commands = readme_cli_commands()
    assert len(commands) >= 15
    for command in commands:
        assert command in SERVERS or _argv(command, {}) is not None, command


def _argv(command: str, values: dict[str, str]) -> list[str] | None:
    words = shlex.split(command)[1:]
    if any(w in ("|", ">") or "|" in w for w in words):
        return None  # "show|set": two commands in one span, not one to run
    return [values.get(w, w) for w in words]


@pytest.fixture
def demo_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    """MAILSCOPE_HOME holding the demo workspace as the user's cache; the placeholders."""
    home = tmp_path / "home"
    monkeypatch.setenv("MAILSCOPE_HOME", str(home))
    monkeypatch.setenv("HOME", str(tmp_path))
    assert _run(["--demo", "messages", "--json"])[0] == 0
    db.use_workspace(None)
    with sqlite3.connect(home / "demo.sqlite") as source, sqlite3.connect(db.default_path()) as to:
        source.backup(to)
    messages = json.loads(_run(["messages", "--json"])[1])
    gap = next(m for m in messages if m["needs_action"] and m["role"] == "inbox")
    (tmp_path / "contacts.csv").write_text(CSV, encoding="utf-8")
    yield {
        "NAME": "demo",
        "MESSAGE": gap["message_id"],
        "FILE.csv": str(tmp_path / "contacts.csv"),
        "SCENARIO.json": str(ROOT / "tests/data/scenarios/log_all_basics.json"),
        "FILE.json": str(tmp_path / "policy.json"),
    }
    db.use_workspace(None)


def _run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(argv, out, err, io.StringIO(), demo=resources.demo)
    return code, out.getvalue(), err.getvalue()


def test_every_readme_command_runs_on_the_demo(demo_home: dict[str, str]) -> None:
    ran = []
    for command in readme_cli_commands():
        argv = _argv(command, demo_home)
        if command in SERVERS or argv is None:
            continue
        if argv[:2] == ["directory", "import"]:  # the directory file, not a policy file
            argv[2] = str(resources.demo.DIRECTORY)
        code, _out, err = _run(argv)
        assert code == 0, f"{command}: {err}"
        ran.append(command)
    assert "mailscope messages --json" in ran and "mailscope directory import FILE.json" in ran
    assert "mailscope --demo messages --json" in ran and len(ran) >= 12


def test_the_server_commands_parse_as_written(demo_home: dict[str, str]) -> None:
    for command in SERVERS:
        argv = _argv(command, demo_home)
        assert argv is not None
        parser = cli.build_parser(argv[0])
        parser.parse_args([{"ADDRESS": "mia@globex.example"}.get(w, w) for w in argv])
