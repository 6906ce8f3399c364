"""Forward to the logging address through the outbox, to a real SMTP server (aiosmtpd)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from keyrings.alt.file import PlaintextKeyring

from core.crm import actions
from core.crm.delivery import Channels
from core.crm.errors import ForwardError
from core.crm.outbox_worker import drain
from core.crm.service import CrmConfig, CrmService
from core.mail.secrets import KeyringStore, smtp_key
from core.rules.model import Reason
from core.store import ledger, outbox
from core.store.accounts import Account
from core.store.ledger import How
from core.store.outbox import Kind, State
from tests.crm.test_forward import PASSWORD, USER, attached_bytes
from tests.crm.workspace import demo_cache, reason_of, row_by_subject
from tests.helpers.certs import TestCerts, make_test_certs
from tests.helpers.smtp_server import HOST, SmtpServer

FORWARD_ADDRESS = "24681357@forward.hubspot.example"


@pytest.fixture(scope="module")
def certs(tmp_path_factory: pytest.TempPathFactory) -> TestCerts:
    return make_test_certs(tmp_path_factory.mktemp("smtp-certs"))


@pytest.fixture
def server(certs: TestCerts) -> Iterator[SmtpServer]:
    made = SmtpServer("starttls", certs.good.cert, certs.good.key, users={USER: PASSWORD})
    made.start()
    yield made
    made.stop()


@pytest.fixture
def channels(tmp_path: Path) -> Channels:
    ring = PlaintextKeyring()
    ring.file_path = str(tmp_path / "keyring.cfg")  # type: ignore[misc]
    secrets = KeyringStore(backend=ring)
    secrets.set(smtp_key("demo"), PASSWORD)
    return Channels(secrets)


@pytest.fixture
def cache(
    tmp_path: Path, server: SmtpServer, certs: TestCerts
) -> Iterator[tuple[sqlite3.Connection, Account]]:
    conn, account = demo_cache(tmp_path / "mailscope.sqlite")
    config = CrmConfig(
        smtp_host=HOST,
        smtp_port=server.port,
        smtp_security="starttls",
        smtp_user=USER,
        smtp_ca_file=str(certs.ca_file),
        smtp_sender="mia@globex.example",
    )
    CrmService(conn, account).set_config(config)
    yield conn, account
    conn.close()


def test_forward_sends_the_original_bytes_and_logs_the_email(
    cache: tuple[sqlite3.Connection, Account], server: SmtpServer, channels: Channels
) -> None:
    conn, account = cache
    row = row_by_subject(conn, "Request for a demo – Atlas Cargo", "inbox")
    original = actions.read_local_raw(conn, account, row)
    assert original is not None and b"Atlas Cargo" in original
    first = actions.forward(conn, account, row)
    assert not actions.forward(conn, account, row).created  # a double click
    assert first.item.kind is Kind.FORWARD
    (outcome,) = drain(conn, channels)
    assert outcome.state is State.DONE, outcome.error
    (received,) = server.inbox.messages
    assert received.rcpt_tos == (FORWARD_ADDRESS,)
    assert received.mail_from == "mia@globex.example"
    crlf = original.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    assert attached_bytes(received.content) == crlf
    (entry,) = [e for e in ledger.entries(conn, account.id) if e.how is How.FORWARD]
    assert entry.message_id == first.item.key
    assert reason_of(conn, row) is Reason.ALREADY_LOGGED


def test_a_forward_over_2_mb_is_refused_at_the_click(
    cache: tuple[sqlite3.Connection, Account],
) -> None:
    conn, account = cache
    row = row_by_subject(conn, "Request for a demo – Atlas Cargo", "inbox")
    with pytest.raises(ForwardError, match="up to 2 MB"):
        actions.forward(conn, account, row, raw=b"x" * (2 * 1024 * 1024 + 1))
    assert outbox.items(conn) == []


def test_a_refused_recipient_fails_the_row(
    cache: tuple[sqlite3.Connection, Account], server: SmtpServer, channels: Channels
) -> None:
    conn, account = cache
    server.inbox.refuse.add(FORWARD_ADDRESS)
    item = actions.forward(conn, account, row_by_subject(conn, "Request for a demo", "inbox")).item
    (outcome,) = drain(conn, channels)
    assert outcome.state is State.FAILED
    assert outbox.get(conn, item.id).error
    assert PASSWORD not in (outbox.get(conn, item.id).error or "")


def test_a_forward_interrupted_mid_send_waits_for_the_user(
    cache: tuple[sqlite3.Connection, Account], channels: Channels, server: SmtpServer
) -> None:
    conn, account = cache
    item = actions.forward(conn, account, row_by_subject(conn, "Request for a demo", "inbox")).item
    assert outbox.claim(conn, owner="999999999") is not None  # a process that died
    assert drain(conn, channels) == []
    stuck = outbox.get(conn, item.id)
    assert stuck.state is State.FAILED and "may have been sent" in (stuck.error or "")
    assert server.inbox.messages == []
