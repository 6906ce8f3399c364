"""The CRM commands as a user runs them: a subprocess with its own home and a real file keyring."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from core.store import db
from tests.crm.cli_runner import Cli


def _one_line(done: subprocess.CompletedProcess[str], code: int) -> str:
    assert done.returncode == code, (done.stdout, done.stderr)
    assert done.stderr.count("\n") == 1, done.stderr
    return done.stderr


def test_settings_show_set_and_never_log_for_an_admin(cli: Cli) -> None:
    shown = cli("settings", "show", "--account", "demo", "--json")
    assert shown.returncode == 0, shown.stderr
    doc = json.loads(shown.stdout)
    assert doc["logging_rule"] == "all" and doc["can_edit"] and doc["current_user"] == "u-mia"
    changed = cli("settings", "set", "--rule", "replies_only", "--account", "demo")
    assert changed.returncode == 0, changed.stderr
    assert "verdicts changed" in changed.stdout
    added = cli("settings", "never-log", "add", "Example.ORG", "--account", "demo")
    assert added.returncode == 0, added.stderr
    doc = json.loads(cli("settings", "show", "--account", "demo", "--json").stdout)
    assert doc["logging_rule"] == "replies_only" and "example.org" in doc["never_log"]
    bad = cli("settings", "never-log", "add", "a@@b", "--account", "demo")
    assert "neither an email address nor a domain" in _one_line(bad, 2)


def test_a_rep_without_account_access_is_refused_with_the_reason(cli: Cli) -> None:
    conn = db.connect(cli.database)
    conn.execute("UPDATE directory SET mailbox_owner = 'u-raj'")
    conn.close()
    shown = cli("settings", "show", "--account", "demo")
    assert "editable: no: Only a user with account access" in shown.stdout
    refused = cli("settings", "set", "--rule", "replies_only", "--account", "demo")
    line = _one_line(refused, 1)
    assert "Only a user with account access" in line and "Raj Patel" in line
    refused = cli("settings", "never-log", "add", "example.org", "--account", "demo")
    _one_line(refused, 1)
    mine = cli("settings", "never-log", "add", "example.org", "--personal", "--account", "demo")
    assert mine.returncode == 0, mine.stderr
    doc = json.loads(cli("settings", "show", "--account", "demo", "--json").stdout)
    assert doc["personal_never_log"] == ["patel-home.example", "example.org"]
    assert doc["never_log"] == ["initech.example", "counsel@harbor-legal.example"]


def test_policy_export_edit_import_round_trip(cli: Cli, tmp_path: Path) -> None:
    exported = cli("policy", "export", "-", "--account", "demo")
    assert exported.returncode == 0, exported.stderr
    doc = json.loads(exported.stdout)
    assert doc["mailscope_policy"] == 1 and doc["account"]["logging_rule"] == "all"
    doc["account"]["logging_rule"] = "replies_only"
    doc["account"]["never_log"].append("example.net")
    path = tmp_path / "team.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    imported = cli("policy", "import", str(path), "--account", "demo")
    assert imported.returncode == 0, imported.stderr
    after = json.loads(cli("policy", "export", "-", "--account", "demo").stdout)
    assert after == doc
    path.write_text(
        '{"mailscope_policy": 1, "account": {"logging_rule": "sometimes"}, "users": []}'
    )
    bad = cli("policy", "import", str(path), "--account", "demo")
    assert "logging_rule" in _one_line(bad, 2)
    missing = cli("policy", "import", str(tmp_path / "nope.json"), "--account", "demo")
    assert "cannot read" in _one_line(missing, 2)


def test_contacts_import_reports_skipped_rows(cli: Cli, tmp_path: Path) -> None:
    csv = tmp_path / "contacts.csv"
    csv.write_bytes(
        "\ufeffEmail;Record ID;First Name;Last Name;Contact owner;Lifecycle Stage\r\n"
        "ada@newco.example;501;Ada;Lovelace;Raj Patel;lead\r\n"
        ";502;No;Mail;;lead\r\n"
        "ada@newco.example;503;Ada;Again;;lead\r\n".encode()
    )
    done = cli("contacts", "import", str(csv), "--account", "demo")
    assert done.returncode == 0, done.stderr
    assert "1 contacts imported, 2 rows skipped" in done.stdout
    assert "line 3: no email address" in done.stderr
    assert "line 4: ada@newco.example repeats line 2" in done.stderr
    wrong = cli("contacts", "import", str(csv), "--account", "nobody")
    assert "no account named 'nobody'" in _one_line(wrong, 2)


def test_log_and_outbox_verbs(cli: Cli) -> None:
    conn = db.connect(cli.database)
    row, mid = conn.execute(
        "SELECT id, message_id FROM messages WHERE subject LIKE 'Request for a demo%'"
        " AND in_reply_to IS NULL ORDER BY id LIMIT 1"
    ).fetchone()
    conn.close()
    queued = cli("log", mid.strip("<>"), "--account", "demo", "--queue-only")
    assert queued.returncode == 0, queued.stderr
    assert queued.stdout.startswith("queued: 1\tpending\tlog\t")
    twice = cli("log", str(row), "--account", "demo")
    assert twice.stdout.startswith("already queued: 1\tpending")
    cancelled = cli("outbox", "cancel", "1")
    assert cancelled.stdout.startswith("1\tcancelled")
    assert "only a pending or failed entry" in _one_line(cli("outbox", "cancel", "1"), 1)
    assert cli("outbox", "retry", "1").stdout.startswith("1\tpending")
    ran = cli("outbox", "run")
    assert ran.returncode == 0, ran.stderr
    assert cli("outbox").stdout.startswith("1\tdone\tlog\t")
    assert "already logged" in _one_line(cli("log", str(row), "--account", "demo"), 1)
    assert "no message <nope@x>" in _one_line(cli("log", "nope@x", "--account", "demo"), 2)
    assert "No outbox entry 9" in _one_line(cli("outbox", "retry", "9"), 1)


def test_crm_channels_keep_secrets_in_the_keyring_only(cli: Cli, hubspot: Any) -> None:
    from tests.crm.conftest import TOKEN

    smtp_password = "smtp-Pa55word-for-forwards"
    smtp = cli("crm", "smtp", "--host", "smtp.globex.example", "--port", "465",
               "--security", "ssl", "--user", "mia", "--password-stdin", "--account", "demo",
               stdin=smtp_password + "\n")  # fmt: skip
    assert smtp.returncode == 0, smtp.stderr
    mia = hubspot.add_owner("mia@globex.example", "Mia", "Rossi")
    hubspot.add_contact(email="new@client.example", firstname="New", hubspot_owner_id=mia)
    hub = cli("crm", "hubspot", "4455667", "--url", hubspot.url, "--token-stdin",
              "--account", "demo", stdin=TOKEN + "\n")  # fmt: skip
    assert hub.returncode == 0, hub.stderr
    refreshed = cli("crm", "refresh", "--account", "demo")
    assert refreshed.returncode == 0, refreshed.stderr
    assert refreshed.stdout.startswith("1 users, 1 contacts;")
    stored = b"".join(p.read_bytes() for p in cli.database.parent.glob("mailscope.sqlite*"))
    for secret in (TOKEN, smtp_password):
        assert secret.encode() not in stored
        assert all(secret not in text for text in cli.outputs)
    local = cli("crm", "local", "--account", "demo")
    assert local.returncode == 0, local.stderr
    nothing = cli("crm", "refresh", "--account", "demo")
    assert "nothing to refresh" in _one_line(nothing, 2)
