"""The outbox survives SIGKILL between "sending" and "done": exactly one email on HubSpot after."""

from __future__ import annotations

import signal
from pathlib import Path

from core.crm import ledger, outbox
from core.crm.delivery import KILL_AFTER_SEND
from core.crm.ledger import How
from core.crm.outbox import State
from core.rules.model import Reason
from core.store import db
from core.store.accounts import get_account
from tests.crm.conftest import TOKEN
from tests.crm.test_cli_crm import Cli
from tests.crm.workspace import demo_cache, demo_directory, reason_of, row_by_subject
from tests.helpers.hubspot_server import FakeHubSpot

REPLIES_ONLY = {**demo_directory()["account"], "logging_rule": "replies_only"}


def test_killed_after_the_create_then_restarted_logs_exactly_once(
    tmp_path: Path, hubspot: FakeHubSpot
) -> None:
    cli = Cli(tmp_path)
    conn, account = demo_cache(cli.database, account=REPLIES_ONLY)
    row = row_by_subject(conn, "Data export for our board meeting", "inbox")
    replies = conn.execute(
        "SELECT count(*) FROM messages WHERE refs LIKE '%' || ? || '%'",
        (conn.execute("SELECT message_id FROM messages WHERE id = ?", (row,)).fetchone()[0],),
    ).fetchone()[0]
    conn.close()
    hub = cli("crm", "hubspot", "4455667", "--url", hubspot.url, "--token-stdin",
              "--account", "demo", stdin=TOKEN + "\n")  # fmt: skip
    assert hub.returncode == 0, hub.stderr

    killed = cli("log", str(row), "--account", "demo", extra_env={KILL_AFTER_SEND: "1"})
    assert killed.returncode == -signal.SIGKILL
    assert len(hubspot.emails) == 1
    conn = db.connect(cli.database)
    (item,) = outbox.items(conn)
    assert item.state is State.SENDING  # the CRM has it; the cache does not know yet
    assert reason_of(conn, row) is Reason.REPLIES_ONLY

    restarted = cli("outbox", "run")
    assert restarted.returncode == 0, restarted.stderr
    assert len(hubspot.emails) == 1  # found by its Message-ID, not created again
    assert len(hubspot.seen("POST", "/crm/v3/objects/emails")) == 1
    assert hubspot.seen("POST", "/crm/v3/objects/emails/search")
    done = outbox.get(conn, item.id)
    assert done.state is State.DONE and done.result in hubspot.emails
    account = get_account(conn, "demo")
    assert account is not None
    (entry,) = [e for e in ledger.entries(conn, account.id) if e.how is How.HUBSPOT]
    assert entry.crm_id == done.result
    assert reason_of(conn, row) is Reason.ALREADY_LOGGED
    linked = conn.execute(
        "SELECT count(*) FROM messages WHERE refs LIKE '%' || ? || '%' AND reason = 'thread_reply'",
        (entry.message_id,),
    ).fetchone()[0]
    assert linked == replies == 4

    again = cli("log", str(row), "--account", "demo")
    assert again.returncode == 1
    assert again.stderr.count("\n") == 1 and "already logged" in again.stderr
    assert len(hubspot.emails) == 1
    assert all(TOKEN not in text for text in cli.outputs)
    conn.close()
