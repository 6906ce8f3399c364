"""The outbox survives SIGKILL between HubSpot receiving a create and its answer: exactly one
email after ``mailscope outbox run``, against a HubSpot whose search lags creates by 5 s.

The kill comes from the fake HubSpot itself (``on_create``: the create is applied, then the
client process is killed before the answer leaves), a seam the tests own; nothing in the
product knows about it.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path
from typing import Any

from core.rules.model import Reason
from core.store import db, ledger, outbox
from core.store.accounts import get_account
from core.store.ledger import How
from core.store.outbox import State
from tests.crm.cli_runner import Cli
from tests.crm.workspace import demo_cache, demo_directory, reason_of, row_by_subject
from tests.helpers.hubspot_server import ALL_SCOPES, OBJECT_SCOPES, FakeHubSpot

REPLIES_ONLY = {**demo_directory()["account"], "logging_rule": "replies_only"}
SERVICE_KEY = "sk-eu1-7f3c1d-object-scopes-only-key"
EMAILS = "/crm/v3/objects/emails"
SEARCH = "/crm/v3/objects/emails/search"


def _connect(cli: Cli, hubspot: FakeHubSpot, scopes: frozenset[str]) -> int:
    conn, _ = demo_cache(cli.database, account=REPLIES_ONLY)
    row = row_by_subject(conn, "Data export for our board meeting", "inbox")
    conn.close()
    hubspot.add_token(SERVICE_KEY, scopes)
    hubspot.add_owner("mia@globex.example", "Mia", "Rossi")
    hub = cli("crm", "hubspot", "--url", hubspot.url, "--token-stdin",
              "--account", "demo", stdin=SERVICE_KEY + "\n")  # fmt: skip
    assert hub.returncode == 0, hub.stderr
    return row


def _killed_during_the_create(cli: Cli, hubspot: FakeHubSpot, row: int) -> None:
    processes: list[int] = []
    hubspot.on_create = lambda: os.kill(processes[0], signal.SIGKILL)
    started = cli.start("log", str(row), "--account", "demo")
    processes.append(started.pid)
    killed = cli.finish(started)
    hubspot.on_create = None
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert len(hubspot.emails) == 1  # HubSpot has it; the client never heard back


def _after_restart(cli: Cli, hubspot: FakeHubSpot, row: int) -> outbox.OutboxItem:
    conn = db.connect(cli.database)
    (item,) = outbox.items(conn)
    assert item.state is State.SENDING and item.sent_at is not None
    assert reason_of(conn, row) is Reason.REPLIES_ONLY
    restarted = cli("outbox", "run")
    assert restarted.returncode == 0, restarted.stderr
    assert len(hubspot.emails) == 1  # found again, not created again
    assert len(hubspot.seen("POST", EMAILS)) == 1
    done = outbox.get(conn, item.id)
    assert done.state is State.DONE and done.result is not None
    email_id = done.result.split()[0]
    assert email_id in hubspot.emails
    account = get_account(conn, "demo")
    assert account is not None
    (entry,) = [e for e in ledger.entries(conn, account.id) if e.how is How.HUBSPOT]
    assert entry.crm_id == email_id
    assert reason_of(conn, row) is Reason.ALREADY_LOGGED
    again = cli("log", str(row), "--account", "demo")
    assert again.returncode == 1 and "already logged" in again.stderr
    assert len(hubspot.emails) == 1
    assert all(SERVICE_KEY not in text for text in cli.outputs)
    conn.close()
    return done


def _crash_then_restart(tmp_path: Path, hubspot: FakeHubSpot, scopes: frozenset[str]) -> Any:
    hubspot.search_lag = 5.0
    cli = Cli(tmp_path)
    row = _connect(cli, hubspot, scopes)
    _killed_during_the_create(cli, hubspot, row)
    return _after_restart(cli, hubspot, row)


def test_without_the_schema_scope_a_lost_create_is_found_by_search_after_the_index_wait(
    tmp_path: Path, hubspot: FakeHubSpot
) -> None:
    done = _crash_then_restart(tmp_path, hubspot, OBJECT_SCOPES)

    assert done.path == "search"  # the outbox records the path it took
    assert hubspot.email_properties == {}  # the property could not be created: no schema scope
    (create,) = hubspot.seen("POST", EMAILS)
    searches = hubspot.seen("POST", SEARCH)
    assert searches and searches[0].at - create.at >= 5.0  # the search waited out the lag
    assert "companies not attached" in str(done.result)  # read scopes missing: said, not failed


def test_with_the_unique_property_a_lost_create_is_read_by_key_without_search(
    tmp_path: Path, hubspot: FakeHubSpot
) -> None:
    done = _crash_then_restart(tmp_path, hubspot, ALL_SCOPES)

    assert done.path == "key"
    assert hubspot.email_properties["mailscope_message_key"]["hasUniqueValue"] is True
    assert hubspot.seen("POST", SEARCH) == []
    reads = [r for r in hubspot.requests if r.path.startswith(EMAILS + "/<")]
    assert reads and all(r.query == {"idProperty": "mailscope_message_key"} for r in reads)


def test_refresh_and_log_work_with_the_object_scopes_alone(
    tmp_path: Path, hubspot: FakeHubSpot
) -> None:
    cli = Cli(tmp_path)
    row = _connect(cli, hubspot, OBJECT_SCOPES)
    hubspot.add_contact(email="new@client.example", firstname="New")
    refreshed = cli("crm", "refresh", "--account", "demo")
    assert refreshed.returncode == 0, refreshed.stderr
    assert hubspot.seen("POST", "/crm/v3/properties/emails") == []  # a refresh writes nothing
    logged = cli("log", str(row), "--account", "demo")
    assert logged.returncode == 0, logged.stderr
    assert len(hubspot.emails) == 1
