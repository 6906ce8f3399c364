"""Rate limits as HubSpot sets them: a 429 without Retry-After waits by its ``policyName``,
``DAILY`` stops, search keeps to its own limit, and under enforced limits fewer than 5% of the
requests are refused (HubSpot's usage guidelines ask integrations to stay under that)."""

from __future__ import annotations

import httpx
import pytest

from core.crm.errors import RateLimited
from core.crm.hubspot import HubSpotClient
from core.crm.hubspot_shapes import fingerprint_search_body
from core.crm.hubspot_transport import RetryPolicy
from tests.crm.conftest import TOKEN, FakeClock, make_client
from tests.crm.test_hubspot_exactly_once import email
from tests.helpers.hubspot_server import FakeHubSpot, Fault, rate_limited

OWNERS = "/crm/v3/owners"


@pytest.mark.parametrize(
    ("policy", "wait"),
    [("TEN_SECONDLY_ROLLING", 10.0), ("SECONDLY", 1.0), ("SOMETHING_NEW", 10.0)],
)
def test_a_429_without_retry_after_waits_the_window_of_its_policy(
    hubspot: FakeHubSpot, clock: FakeClock, policy: str, wait: float
) -> None:
    hubspot.add_owner("raj@acme.example")
    hubspot.fail_next("GET", OWNERS, Fault(status=429, body=rate_limited(policy)))
    with make_client(hubspot, clock) as client:
        assert len(client.owners()) == 1
    assert clock.sleeps == [pytest.approx(wait)]


def test_retry_after_wins_over_the_policy(hubspot: FakeHubSpot, clock: FakeClock) -> None:
    limited = Fault(429, rate_limited("TEN_SECONDLY_ROLLING"), {"Retry-After": "2"})
    hubspot.fail_next("GET", OWNERS, limited)
    with make_client(hubspot, clock) as client:
        client.owners()
    assert clock.sleeps == [pytest.approx(2.0)]


def test_the_daily_limit_stops_without_waiting(hubspot: FakeHubSpot, clock: FakeClock) -> None:
    hubspot.fail_next("GET", OWNERS, Fault(status=429, body=rate_limited("DAILY")))
    with make_client(hubspot, clock) as client, pytest.raises(RateLimited) as caught:
        client.owners()
    assert caught.value.daily and caught.value.retry_after is None
    assert clock.sleeps == [] and len(hubspot.seen("GET", OWNERS)) == 1


def test_searches_keep_to_four_a_second(hubspot: FakeHubSpot, clock: FakeClock) -> None:
    with make_client(hubspot, clock) as client:
        for _ in range(9):
            client.search_emails(fingerprint_search_body(email()))
    assert sum(clock.sleeps) == pytest.approx(2.0)  # 4 now, 4 a second later, 1 more after


def test_under_enforced_limits_fewer_than_5_percent_of_requests_are_refused(
    hubspot: FakeHubSpot,
) -> None:
    hubspot.limit(burst=30, window=2.0, search_per_second=5)
    hubspot.page_size = 2
    for n in range(90):
        hubspot.add_contact(email=f"c{n}@client.example")
    with HubSpotClient(TOKEN, base_url=hubspot.url, policy=RetryPolicy(timeout=5.0)) as client:
        assert len(client.contacts()) == 90  # 45 pages
        for _ in range(10):
            client.search_emails(fingerprint_search_body(email()))
        sent, limited = client.transport.sent, client.transport.limited
    refused = sum(1 for r in hubspot.requests if r.path.endswith(("/search", "/contacts"))) - 55
    assert sent >= 55 and limited == refused
    assert limited / sent < 0.05, (limited, sent)
    # The limits bite: the same portal, asked without pacing, refuses most of a burst.
    with httpx.Client(base_url=hubspot.url) as raw:
        answers = [
            raw.get(OWNERS, headers={"Authorization": f"Bearer {TOKEN}"}).status_code
            for _ in range(60)
        ]
    assert answers.count(429) >= 30
