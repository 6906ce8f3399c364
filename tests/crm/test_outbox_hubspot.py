"""The outbox through HubSpot (a real HTTP server on loopback): each email created exactly once."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from keyrings.alt.file import PlaintextKeyring

from core.crm import actions
from core.crm.delivery import Channels
from core.crm.hubspot_auth import store_token
from core.crm.hubspot_transport import RetryPolicy
from core.crm.log_request import LogRequest
from core.crm.outbox_worker import Backoff, drain
from core.crm.refresh import refresh_from_hubspot
from core.crm.service import CrmConfig, CrmService
from core.mail.secrets import KeyringStore
from core.rules.model import Reason
from core.store import ledger, outbox
from core.store.accounts import Account
from core.store.ledger import How
from core.store.outbox import State
from tests.crm.conftest import TOKEN, FakeClock
from tests.crm.workspace import demo_cache, demo_directory, reason_of, row_by_subject
from tests.helpers.hubspot_server import FakeHubSpot, Fault, rate_limited

PORTAL = "4455667"
EMAILS = "/crm/v3/objects/emails"
REPLIES_ONLY = {**demo_directory()["account"], "logging_rule": "replies_only"}


@pytest.fixture
def secrets(tmp_path: Path) -> KeyringStore:
    ring = PlaintextKeyring()
    ring.file_path = str(tmp_path / "keyring.cfg")  # type: ignore[misc]
    made = KeyringStore(backend=ring)
    store_token(made, PORTAL, TOKEN)
    return made


@pytest.fixture
def channels(secrets: KeyringStore, clock: FakeClock) -> Channels:
    policy = RetryPolicy(
        attempts=3, timeout=1.0, sleep=clock.sleep, clock=clock, jitter=lambda: 0.5
    )
    return Channels(secrets, policy)


@pytest.fixture
def cache(tmp_path: Path, hubspot: FakeHubSpot) -> Iterator[tuple[sqlite3.Connection, Account]]:
    conn, account = demo_cache(tmp_path / "mailscope.sqlite", account=REPLIES_ONLY)
    CrmService(conn, account).set_config(
        CrmConfig(crm="hubspot", hubspot_portal=PORTAL, hubspot_url=hubspot.url)
    )
    yield conn, account
    conn.close()


def _log(conn: sqlite3.Connection, account: Account, subject: str) -> tuple[int, outbox.OutboxItem]:
    row = row_by_subject(conn, subject, "inbox")
    return row, actions.log_now(conn, account, row).item


def _message_id(conn: sqlite3.Connection, row: int) -> str:
    return str(conn.execute("SELECT message_id FROM messages WHERE id = ?", (row,)).fetchone()[0])


def test_log_now_creates_one_email_with_the_documented_body(
    cache: tuple[sqlite3.Connection, Account], hubspot: FakeHubSpot, channels: Channels
) -> None:
    conn, account = cache
    row, item = _log(conn, account, "Data export for our board meeting")
    actions.log_now(conn, account, row)  # double click
    (outcome,) = drain(conn, channels)
    assert outcome.state is State.DONE, outcome.error
    (sent,) = hubspot.seen("POST", EMAILS)
    assert sent.authorization == f"Bearer {TOKEN}"
    props = sent.body["properties"]
    assert props["mailscope_message_key"] == _message_id(conn, row)
    assert props["hs_email_direction"] == "INCOMING_EMAIL"
    assert props["hs_email_subject"] == "Data export for our board meeting"
    assert props["hubspot_owner_id"] == "u-raj"
    assert props["hs_timestamp"].endswith("Z")
    headers = json.loads(props["hs_email_headers"])
    sender = LogRequest.from_json(item.payload).sender
    assert sender is not None and headers["from"]["email"] == sender.email
    assert sent.body["associations"] == [
        {
            "to": {"id": "c-priya"},
            "types": [{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 198}],
        }
    ]
    assert len(hubspot.emails) == 1
    (email_id,) = hubspot.emails
    (entry,) = [e for e in ledger.entries(conn, account.id) if e.how is How.HUBSPOT]
    assert entry.crm_id == email_id and entry.message_id == _message_id(conn, row)
    assert outbox.get(conn, item.id).result == email_id
    assert reason_of(conn, row) is Reason.ALREADY_LOGGED
    assert hubspot.email_properties["mailscope_message_key"]["hasUniqueValue"]
    assert outbox.get(conn, item.id).path == "key"


def test_a_500_is_retried_without_a_second_email(
    cache: tuple[sqlite3.Connection, Account], hubspot: FakeHubSpot, channels: Channels
) -> None:
    conn, account = cache
    _log(conn, account, "Integration with our WMS")
    hubspot.fail_next("POST", EMAILS, Fault(status=500, body={"message": "boom"}))
    (outcome,) = drain(conn, channels)
    assert outcome.state is State.DONE, outcome.error
    assert len(hubspot.seen("POST", EMAILS)) == 2
    assert len(hubspot.emails) == 1


def test_a_timeout_whose_email_was_created_is_found_not_recreated(
    cache: tuple[sqlite3.Connection, Account], hubspot: FakeHubSpot, channels: Channels
) -> None:
    conn, account = cache
    _log(conn, account, "Integration with our WMS")
    hubspot.fail_next("POST", EMAILS, Fault(hold=3.0))  # applied, but answered too late
    (outcome,) = drain(conn, channels)
    hubspot.release()
    assert outcome.state is State.DONE, outcome.error
    assert len(hubspot.emails) == 1
    assert len(hubspot.seen("POST", EMAILS)) == 1  # read by its key: no second create


def test_rate_limited_rows_wait_for_retry_after(
    cache: tuple[sqlite3.Connection, Account], hubspot: FakeHubSpot, channels: Channels
) -> None:
    conn, account = cache
    _, item = _log(conn, account, "Integration with our WMS")
    limited = Fault(status=429, body={"message": "limit"}, headers={"Retry-After": "120"})
    for _ in range(3):
        hubspot.fail_next("POST", EMAILS, limited)
    (outcome,) = drain(conn, channels, Backoff(base=1.0))
    assert outcome.state is State.PENDING
    waiting = outbox.get(conn, item.id)
    assert waiting.next_at >= waiting.updated_at + 119
    assert waiting.error and "rate" in waiting.error.lower()
    assert drain(conn, channels) == []  # not due yet
    outbox.retry(conn, item.id)
    assert [o.state for o in drain(conn, channels)] == [State.DONE]
    assert len(hubspot.emails) == 1


def test_the_daily_limit_holds_the_row_for_an_hour(
    cache: tuple[sqlite3.Connection, Account], hubspot: FakeHubSpot, channels: Channels
) -> None:
    conn, account = cache
    _, item = _log(conn, account, "Integration with our WMS")
    hubspot.fail_next("POST", EMAILS, Fault(status=429, body=rate_limited("DAILY")))
    (outcome,) = drain(conn, channels, Backoff(base=1.0))
    assert outcome.state is State.PENDING
    waiting = outbox.get(conn, item.id)
    assert waiting.next_at >= waiting.updated_at + 3599
    assert waiting.error and "daily API limit" in waiting.error
    assert len(hubspot.seen("POST", EMAILS)) == 1 and hubspot.emails == {}


def test_a_bad_token_fails_the_row_with_a_message_about_the_token(
    cache: tuple[sqlite3.Connection, Account],
    hubspot: FakeHubSpot,
    channels: Channels,
    secrets: KeyringStore,
) -> None:
    conn, account = cache
    store_token(secrets, PORTAL, "pat-eu1-wrong")
    _, item = _log(conn, account, "Integration with our WMS")
    (outcome,) = drain(conn, channels)
    assert outcome.state is State.FAILED
    failed = outbox.get(conn, item.id)
    assert failed.error is not None and "token" in failed.error
    assert "pat-eu1-wrong" not in failed.error and TOKEN not in failed.error
    assert hubspot.emails == {}
    store_token(secrets, PORTAL, TOKEN)
    outbox.retry(conn, item.id)
    assert [o.state for o in drain(conn, channels)] == [State.DONE]


def test_an_outage_of_any_length_is_retried_until_it_ends(
    cache: tuple[sqlite3.Connection, Account], hubspot: FakeHubSpot, channels: Channels
) -> None:
    conn, account = cache
    service = CrmService(conn, account)
    up = service.config()
    service.set_config(
        CrmConfig(crm="hubspot", hubspot_portal=PORTAL, hubspot_url="http://127.0.0.1:9")
    )
    _, item = _log(conn, account, "Integration with our WMS")
    for attempt in range(1, 6):
        (outcome,) = drain(conn, channels, Backoff(base=0.0))
        assert outcome.state is State.PENDING
        waiting = outbox.get(conn, item.id)
        assert waiting.attempts == attempt and waiting.error
    service.set_config(up)
    assert [o.state for o in drain(conn, channels, Backoff(base=0.0))] == [State.DONE]
    assert len(hubspot.emails) == 1


def test_refresh_takes_owners_and_contacts_from_the_portal(
    cache: tuple[sqlite3.Connection, Account], hubspot: FakeHubSpot, channels: Channels
) -> None:
    conn, account = cache
    mia = hubspot.add_owner("mia@globex.example", "Mia", "Rossi")
    hubspot.add_owner("raj.patel@globex.example", "Raj", "Patel")
    priya = hubspot.add_contact(email="priya@example.org", firstname="Priya", hubspot_owner_id=mia)
    service = CrmService(conn, account)
    with channels.hubspot(service.config()) as client:
        refresh_from_hubspot(service, client)
    directory = service.directory()
    assert directory.mailbox_owner == mia
    assert directory.users[mia].account_access  # kept from the directory
    assert directory.users[mia].aliases  # kept too
    assert list(directory.contacts) == [priya]
    assert directory.contacts[priya].owner == mia
