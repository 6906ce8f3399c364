"""``mailscope whatif`` and ``mailscope activity`` on the demo workspace's cache."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from core import cli
from core.store.db import FILE_NAME
from tests.preview.conftest import open_workspace


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    ws = open_workspace(tmp_path, FILE_NAME)
    ws.conn.close()
    monkeypatch.setenv("MAILSCOPE_HOME", str(tmp_path))
    return tmp_path


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(list(argv), out, err, io.StringIO())
    return code, out.getvalue(), err.getvalue()


def test_whatif_json_under_replies_only(home: Path) -> None:
    code, out, err = run("whatif", "--rule", "replies_only", "--days", "400", "--json")
    assert (code, err) == (0, "")
    doc = json.loads(out)
    assert doc["change"] == "logging rule replies_only"
    assert doc["logged"]["after"] < doc["logged"]["before"]
    assert doc["reasons"]["subject_changed"] == {"before": 0, "after": 1}
    assert {u["name"] for u in doc["users"]} >= {"Mia Rossi", "Tom Okafor"}
    changed = {c["subject"]: c for c in doc["changes"]}
    pilot = changed["Pilot scope and timeline – Quantum Freight"]
    assert (pilot["before"]["reason"], pilot["after"]["reason"]) == (
        "not_a_contact",
        "subject_changed",
    )


def test_whatif_text_with_a_never_log_domain(home: Path) -> None:
    code, out, err = run("whatif", "--never-log", "add:umbrella-health.example", "--days", "400")
    assert (code, err) == (0, "")
    assert out.startswith("What if: Never-log + umbrella-health.example (last 400 days,")
    assert "never_log" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["whatif"], "mailscope whatif: nothing to simulate: give --rule, --never-log"),
        (["whatif", "--never-log", "drop:x.example"], "expected add:ADDRESS-OR-DOMAIN"),
        (["whatif", "--rule", "all", "--days", "0"], "--days must be at least 1, not 0"),
        (["whatif", "--rule", "all", "--account", "nope"], "no account named 'nope'"),
        (["activity", "--from", "2026-13-01", "--to", "2026-11-30"], "--from '2026-13-01'"),
        (["activity", "--from", "2026-11-30", "--to", "2026-11-01"], "ends (2026-11-01) before"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(home: Path, argv: list[str], message: str) -> None:
    code, out, err = run(*argv)
    assert code == 2
    assert message in err
    assert err.count("\n") == 1 and out == ""


def test_activity_csv_counts_each_logged_email_once_per_user(home: Path) -> None:
    code, out, err = run("activity", "--from", "2026-07-01", "--to", "2026-11-30", "--csv")
    assert (code, err) == (0, "")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == ["user_id", "user", "email", "emails"]
    by_id = {r["user_id"]: int(r["emails"]) for r in rows}
    assert set(by_id) >= {"u-mia", "u-raj", "u-hannah", "u-tom", "u-claire"}
    assert by_id["u-mia"] > 100  # the mailbox owner: her sent mail and most received mail
    assert by_id["u-claire"] >= 1  # "Budget approval for the Umbrella upsell": contact_owner
    assert by_id[""] >= 1  # "API-Zugang für den Testbetrieb": no_contact_owner
    code, out, _ = run("activity", "--from", "2020-01-01", "--to", "2020-12-31", "--csv")
    assert code == 0 and all(r.endswith(",0") for r in out.splitlines()[1:])


def test_the_console_script_runs_the_commands(home: Path) -> None:
    env = {**os.environ, "MAILSCOPE_HOME": str(home)}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "desktop.main",
            "activity",
            "--from",
            "2026-11-01",
            "--to",
            "2026-11-30",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0].split() == ["user", "emails"]
    assert "Mia Rossi" in done.stdout
