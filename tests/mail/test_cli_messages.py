"""``mailscope messages --json`` on the demo workspace: decoded names, thread headers, flags,
rules section 7's ``needs_action`` and ``advisories``; bad folders and accounts exit 2 with one
line; ``--demo`` applies to the commands that read the cache; a closed pipe exits quietly."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import resources.demo
from core import cli
from core.store import db
from tests.packaging.conftest import ROOT


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(list(argv), out, err, io.StringIO(), demo=resources.demo)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("MAILSCOPE_HOME", str(tmp_path))
    yield tmp_path
    db.use_workspace(None)


@pytest.fixture
def demo(home: Path) -> list[dict[str, object]]:
    code, out, err = _run("--demo", "messages", "--json")
    assert code == 0 and err == ""
    found: list[dict[str, object]] = json.loads(out)
    return found


def test_the_json_has_thread_headers_flags_and_section_7(demo: list[dict[str, object]]) -> None:
    assert len(demo) == 300
    keys = {"in_reply_to", "references", "flags", "needs_action", "advisories", "from", "folder"}
    assert all(keys <= set(m) for m in demo)
    reply = next(m for m in demo if m["in_reply_to"])
    assert isinstance(reply["references"], list) and reply["references"]
    assert all(isinstance(m["flags"], list) for m in demo)
    assert any("\\Seen" in m["flags"] for m in demo)  # type: ignore[operator]
    digest = [m for m in demo if "SaaS Sales Digest" in str(m["subject"])]
    assert digest and all(m["advisories"] == ["bulk"] for m in digest)
    # Section 7: a bulk not_a_contact message does not need action; a prospect does.
    assert all(m["reason"] == "not_a_contact" and not m["needs_action"] for m in digest)
    prospect = next(m for m in demo if "Request for a demo" in str(m["subject"]))
    assert prospect["needs_action"] is True and prospect["advisories"] == []


def test_needs_action_before_and_after_the_bulk_advisory(demo: list[dict[str, object]]) -> None:
    """The demo Inbox: 52 messages had a fix offered; once bulk mail is quiet (rules section 7)
    6 need action: 4 prospects and 2 missing permissions."""
    gaps = ("not_a_contact", "replies_only", "subject_changed", "no_email_access")
    inbox = [m for m in demo if m["role"] == "inbox"]
    assert sum(m["logged"] is False and m["reason"] in gaps for m in inbox) == 52
    needing = sorted(
        (str(m["reason"]), str(m["from"]).rsplit("<", 1)[-1].rstrip(">"))
        for m in inbox
        if m["needs_action"]
    )
    assert needing == [
        ("no_email_access", "tom.okafor@globex.example"),
        ("no_email_access", "tom.okafor@globex.example"),
        ("not_a_contact", "carlos.mendes@atlas-cargo.example"),
        ("not_a_contact", "ines.bouchard@verdure.example"),
        ("not_a_contact", "noah.fischer@quantum-freight.example"),
        ("not_a_contact", "wei.zhang@lotus-parcel.example"),
    ]
    everywhere = [m for m in demo if m["needs_action"]]
    assert len(everywhere) == 8  # and Mia's draft to Carlos and her first mail to Fjord Retail


def test_from_names_are_decoded(demo: list[dict[str, object]]) -> None:
    assert not any("=?" in str(m["from"]) for m in demo)
    assert any("Inès Bouchard" in str(m["from"]) for m in demo)


def test_folders_are_found_by_role_or_name_in_any_case(home: Path) -> None:
    _run("--demo", "messages", "--json")
    for folder in ("inbox", "INBOX", "Inbox", "Sent"):
        code, out, err = _run("--demo", "messages", "--json", "--folder", folder)
        assert code == 0 and json.loads(out), (folder, err)


def test_an_unknown_folder_or_account_exits_2_with_one_line(home: Path) -> None:
    _run("--demo", "messages", "--json")
    code, out, err = _run("--demo", "messages", "--json", "--folder", "Nope")
    assert (code, out) == (2, "") and err.count("\n") == 1 and "no folder 'Nope'" in err
    code, out, err = _run("--demo", "messages", "--json", "--account", "nobody")
    assert (code, out) == (2, "") and err.count("\n") == 1 and "no account named" in err


def test_no_account_at_all_exits_2(home: Path) -> None:
    code, out, err = _run("messages", "--json")
    assert (code, out) == (2, "") and "no account yet" in err


def test_demo_is_refused_where_no_cache_is_read(home: Path) -> None:
    scenario = ROOT / "tests/data/scenarios/log_all_basics.json"
    code, out, err = _run("--demo", "explain", str(scenario))
    assert (code, out) == (2, "") and err.count("\n") == 1 and "--demo" in err


def test_a_closed_pipe_exits_0_quietly(home: Path) -> None:
    """``mailscope messages --json | head -1``: the reader leaves early; exit 0 (as cat and
    grep do once the pipe's reader has gone, without SIGPIPE's 141), nothing on stderr."""
    _run("--demo", "messages", "--json")
    db.use_workspace(None)
    (home / "mailscope.sqlite").write_bytes((home / "demo.sqlite").read_bytes())
    env = {**os.environ, "MAILSCOPE_HOME": str(home)}
    command = [sys.executable, "-m", "desktop.main", "messages", "--json"]
    child = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert child.stdout is not None and child.stderr is not None
    child.stdout.read(10)
    child.stdout.close()  # before the 130 kB of JSON are written
    assert child.wait(timeout=60) == 0
    assert child.stderr.read() == b""


def test_the_entry_point_runs_cache_commands_on_the_demo(home: Path) -> None:
    """``mailscope --demo messages --json`` as a whole process: the entry point hands the
    demo's files to the command line (no window opens for a command)."""
    env = {**os.environ, "MAILSCOPE_HOME": str(home)}
    command = [sys.executable, "-m", "desktop.main", "--demo", "messages", "--json"]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert len(found) > 100 and any(m["needs_action"] for m in found)
