"""Exactly once without trusting search: the unique key is read by key; without it, a lost
attempt is searched for only after the index has caught up (the fake's search lags creates)."""

from __future__ import annotations

import time
from dataclasses import replace

import pytest

from core.crm.hubspot_emails import (
    Attempt,
    EmailLogger,
    IndexWait,
    KeyStrategy,
    Path,
    probe_key_property,
)
from core.crm.hubspot_shapes import KEY_PROPERTY, EmailToLog, email_body
from core.rules.addresses import parse_address_list
from tests.crm.conftest import FakeClock, make_client
from tests.crm.test_hubspot_failures import email as base_email
from tests.helpers.hubspot_server import FakeHubSpot

NO_PROPERTY = KeyStrategy(None)
LAG = 1.5


def email(key: str = "<m-1@acme.example>", sender: str = "raj@acme.example") -> EmailToLog:
    """The failure tests' email, with a sender (the search tells emails apart by it)."""
    return replace(base_email(key), subject="Pricing", sender=parse_address_list(sender)[0])


def test_with_the_unique_key_a_lost_attempt_is_read_by_key(
    hubspot: FakeHubSpot, clock: FakeClock
) -> None:
    hubspot.search_lag = 60.0  # search would not see it for a minute
    with make_client(hubspot, clock) as client:
        strategy = probe_key_property(client)
        first = EmailLogger(client, strategy).log(email())
        sent = time.time()
        again = EmailLogger(client, strategy).log(email(), Attempt(True, sent))
    assert (first.path, again.path) == (Path.KEY, Path.KEY)
    assert again.found and again.email_id == first.email_id and again.waited == 0.0
    assert len(hubspot.emails) == 1
    assert hubspot.seen("POST", "/crm/v3/objects/emails/search") == []


def test_hubspot_refuses_a_second_email_with_the_same_key_and_it_is_read_instead(
    hubspot: FakeHubSpot, clock: FakeClock
) -> None:
    hubspot.add_email_property(KEY_PROPERTY, unique=True)
    with make_client(hubspot, clock) as client:
        client.create_email(email_body(email()))  # created by a lost attempt nobody recorded
        logged = EmailLogger(client, KeyStrategy(KEY_PROPERTY)).log(email())  # no hint at all
    assert logged.found and len(hubspot.emails) == 1
    assert len(hubspot.seen("POST", "/crm/v3/objects/emails")) == 2  # the 409, then read by key


def test_without_it_the_search_waits_out_the_index_lag_then_finds_it(
    hubspot: FakeHubSpot, clock: FakeClock
) -> None:
    hubspot.search_lag = LAG
    with make_client(hubspot, clock) as client:
        first = EmailLogger(client, NO_PROPERTY).log(email())
        sent = time.time()
        logger = EmailLogger(client, NO_PROPERTY, IndexWait(lag=LAG + 0.5))
        again = logger.log(email(), Attempt(True, sent))
    assert again.path is Path.SEARCH and again.found and again.email_id == first.email_id
    assert again.waited == pytest.approx(LAG + 0.5, abs=0.3)
    assert len(hubspot.emails) == 1


def test_the_hazard_is_real_a_search_without_the_wait_sends_twice(
    hubspot: FakeHubSpot, clock: FakeClock
) -> None:
    hubspot.search_lag = LAG
    with make_client(hubspot, clock) as client:
        EmailLogger(client, NO_PROPERTY).log(email())
        hasty = EmailLogger(client, NO_PROPERTY, IndexWait(lag=0.0))
        hasty.log(email(), Attempt(True, time.time()))
    assert len(hubspot.emails) == 2  # what the wait prevents


def test_the_search_tells_emails_of_the_same_second_and_subject_apart(
    hubspot: FakeHubSpot, clock: FakeClock
) -> None:
    with make_client(hubspot, clock) as client:
        ours = EmailLogger(client, NO_PROPERTY).log(email("<a@x>"))
        theirs = EmailLogger(client, NO_PROPERTY).log(email("<b@x>"))
        look = EmailLogger(client, NO_PROPERTY, IndexWait(lag=0.0))
        assert look.find(email("<a@x>"), None) == ours.email_id
        assert look.find(email("<b@x>"), None) == theirs.email_id
        assert look.find(email("<a@x>", sender="eve@other.example"), None) is None
        assert look.find(email("<c@x>"), None) is None


def test_the_legacy_property_is_searched_when_the_portal_has_it(
    hubspot: FakeHubSpot, clock: FakeClock
) -> None:
    legacy = KeyStrategy(None, legacy_property=True)
    with make_client(hubspot, clock) as client:
        made = EmailLogger(client, legacy).log(email())
        found = EmailLogger(client, legacy, IndexWait(lag=0.0)).find(email(), None)
    assert found == made.email_id
    (search,) = hubspot.seen("POST", "/crm/v3/objects/emails/search")
    (rule,) = search.body["filterGroups"][0]["filters"]
    assert rule == {"propertyName": "mailscope_message_id", "operator": "EQ", "value": email().key}


class Sleeper:
    def __init__(self) -> None:
        self.now = 10_000.0
        self.slept: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


@pytest.mark.parametrize(
    ("sent_ago", "expected"),
    [(None, 20.0), (0.0, 20.0), (5.0, 20.0), (40.0, 10.0), (50.0, 0.0), (3600.0, 0.0)],
)
def test_the_wait_is_bounded_and_counts_from_when_the_attempt_could_last_apply(
    sent_ago: float | None, expected: float
) -> None:
    clock = Sleeper()
    wait = IndexWait(lag=20.0, request_timeout=30.0, sleep=clock.sleep, now=lambda: clock.now)
    sent_at = None if sent_ago is None else clock.now - sent_ago
    assert wait.until_visible(sent_at) == pytest.approx(expected)
    assert sum(clock.slept) == pytest.approx(expected)
