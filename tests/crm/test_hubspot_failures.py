"""HubSpot failing: rate limits, 5xx, timeouts, refused connections, bad tokens; no token leaks."""

from __future__ import annotations

import logging
import socket

import pytest

from core.crm.errors import AuthError, CrmUnavailable, OutcomeUnknown, RateLimited, Rejected
from core.crm.hubspot import HubSpotClient
from core.crm.hubspot_emails import EmailLogger, IndexWait, KeyStrategy
from core.crm.hubspot_shapes import Direction, EmailToLog
from core.crm.hubspot_transport import RetryPolicy
from tests.crm.conftest import TOKEN, FakeClock, make_client
from tests.helpers.hubspot_server import FakeHubSpot, Fault

EMAILS = "/crm/v3/objects/emails"
SEARCH = "/crm/v3/objects/emails/search"
OWNERS = "/crm/v3/owners"
FIRST_BACKOFF = 0.375  # base 0.5 s, equal jitter with the random source fixed at 0.5
SECONDLY = {
    "status": "error",
    "message": "You have reached your secondly limit.",
    "errorType": "RATE_LIMIT",
    "policyName": "SECONDLY",
}


def logger(client: HubSpotClient) -> EmailLogger:
    """The search path (a portal without the unique property), with no index lag to wait."""
    return EmailLogger(client, KeyStrategy(None, legacy_property=True), IndexWait(lag=0.0))


def create(client: HubSpotClient) -> str:
    return logger(client).log(email()).email_id


def email(key: str = "m-1@acme.example") -> EmailToLog:
    return EmailToLog(
        key=key,
        timestamp=1_767_225_600.0,
        direction=Direction.OUTBOUND,
        owner_id="501",
        contact_ids=("901",),
        subject="Hello",
    )


def test_429_waits_the_retry_after_then_succeeds(
    hubspot: FakeHubSpot, client: HubSpotClient, clock: FakeClock
) -> None:
    hubspot.add_owner("raj@acme.example")
    limited = Fault(status=429, body=SECONDLY, headers={"Retry-After": "3"})
    hubspot.fail_next("GET", OWNERS, limited)

    assert len(client.owners()) == 1
    assert clock.sleeps == [pytest.approx(3.0)]
    assert len(hubspot.seen("GET", OWNERS)) == 2


def test_429_that_never_ends_raises_rate_limited_after_bounded_attempts(
    hubspot: FakeHubSpot, client: HubSpotClient, clock: FakeClock
) -> None:
    for _ in range(4):
        hubspot.fail_next("GET", OWNERS, Fault(429, SECONDLY, {"Retry-After": "2"}))
    with pytest.raises(RateLimited, match="secondly limit") as caught:
        client.owners()
    assert caught.value.retry_after == 2.0
    assert clock.sleeps == [pytest.approx(2.0)] * 3
    assert len(hubspot.seen("GET", OWNERS)) == 4


def test_the_daily_limit_is_final(hubspot: FakeHubSpot, client: HubSpotClient) -> None:
    daily = {**SECONDLY, "message": "You have reached your daily limit.", "policyName": "DAILY"}
    hubspot.fail_next("GET", OWNERS, Fault(status=429, body=daily))
    with pytest.raises(RateLimited, match=r"^HubSpot's daily API limit for this portal"):
        client.owners()
    assert len(hubspot.seen("GET", OWNERS)) == 1


def test_a_500_is_retried_after_a_jittered_backoff(
    hubspot: FakeHubSpot, client: HubSpotClient, clock: FakeClock
) -> None:
    hubspot.add_owner("raj@acme.example")
    hubspot.fail_next("GET", OWNERS, Fault(500, {"status": "error", "message": "internal"}))
    assert len(client.owners()) == 1
    assert clock.sleeps == [FIRST_BACKOFF]


def test_the_backoff_grows_exponentially_within_the_jitter() -> None:
    low = RetryPolicy(jitter=lambda: 0.0)
    high = RetryPolicy(jitter=lambda: 0.999)
    assert [low.backoff(n) for n in (1, 2, 3)] == [0.25, 0.5, 1.0]
    assert high.backoff(3) == pytest.approx(2.0, abs=0.01)
    assert high.backoff(20) <= 30.0


def test_a_500_on_create_checks_before_sending_again(
    hubspot: FakeHubSpot, client: HubSpotClient, clock: FakeClock
) -> None:
    hubspot.fail_next("POST", EMAILS, Fault(500, {"status": "error", "message": "internal"}))
    email_id = create(client)
    order = [(r.method, r.path) for r in hubspot.requests]
    assert order == [("POST", EMAILS), ("POST", SEARCH), ("POST", EMAILS)]
    assert list(hubspot.emails) == [email_id]
    assert clock.sleeps == [FIRST_BACKOFF]


def test_a_gateway_error_that_lasts_leaves_the_outcome_unknown(
    hubspot: FakeHubSpot, client: HubSpotClient
) -> None:
    for _ in range(4):
        hubspot.fail_next("POST", EMAILS, Fault(502, {"message": "Bad Gateway"}))
    with pytest.raises(OutcomeUnknown, match="did not confirm the email was logged"):
        create(client)
    assert len(hubspot.seen("POST", EMAILS)) == 4
    assert len(hubspot.seen("POST", SEARCH)) == 4  # before each re-send, and once at the end


def test_a_503_that_lasts_is_plain_unavailability(
    hubspot: FakeHubSpot, client: HubSpotClient
) -> None:
    for _ in range(4):
        hubspot.fail_next("POST", EMAILS, Fault(503, {"message": "Service Unavailable"}))
    with pytest.raises(CrmUnavailable, match=r"^HubSpot is failing \(503\)") as caught:
        create(client)
    assert not isinstance(caught.value, OutcomeUnknown)
    assert hubspot.seen("POST", SEARCH) == []


def test_a_create_whose_answer_times_out_is_found_instead_of_created_twice(
    hubspot: FakeHubSpot, clock: FakeClock
) -> None:
    hubspot.fail_next("POST", EMAILS, Fault(hold=5.0))  # applied, but answered too late
    with make_client(hubspot, clock, timeout=0.3) as client:
        email_id = create(client)
    assert list(hubspot.emails) == [email_id]
    assert len(hubspot.seen("POST", EMAILS)) == 1
    assert clock.sleeps == [FIRST_BACKOFF]


def test_a_timed_out_create_that_cannot_be_checked_raises_outcome_unknown(
    hubspot: FakeHubSpot, clock: FakeClock
) -> None:
    hubspot.fail_next("POST", EMAILS, Fault(hold=5.0))
    hubspot.fail_next("POST", SEARCH, Fault(503, {"message": "Service Unavailable"}))
    with make_client(hubspot, clock, timeout=0.3, attempts=1) as client:
        with pytest.raises(OutcomeUnknown):
            create(client)
        hubspot.release()
        assert logger(client).find(email(), None) == next(iter(hubspot.emails))


def test_a_read_that_times_out_is_retried(hubspot: FakeHubSpot, clock: FakeClock) -> None:
    hubspot.add_owner("raj@acme.example")
    hubspot.fail_next("GET", OWNERS, Fault(hold=5.0))
    with make_client(hubspot, clock, timeout=0.3) as client:
        assert len(client.owners()) == 1
    assert len(hubspot.seen("GET", OWNERS)) == 2


def test_a_refused_connection_is_retried_then_reported(clock: FakeClock) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    policy = RetryPolicy(attempts=3, sleep=clock.sleep, clock=clock, jitter=lambda: 0.5)
    refused = rf"^HubSpot at 127\.0\.0\.1:{port} refused the connection\.$"
    with (
        HubSpotClient(TOKEN, base_url=f"http://127.0.0.1:{port}", policy=policy) as client,
        pytest.raises(CrmUnavailable, match=refused),
    ):
        client.owners()
    assert len(clock.sleeps) == 2


def test_a_refused_token_says_to_reconnect(hubspot: FakeHubSpot, client: HubSpotClient) -> None:
    body = {"status": "error", "message": "Authentication credentials invalid"}
    hubspot.fail_next("GET", OWNERS, Fault(status=401, body=body))
    with pytest.raises(AuthError) as caught:
        client.owners()
    message = str(caught.value)
    assert message.startswith("HubSpot refused the token (401: Authentication credentials")
    assert "CRM › Connect HubSpot" in message and "\n" not in message
    assert len(hubspot.seen("GET", OWNERS)) == 1


def test_a_wrong_token_never_shows_in_errors_reprs_or_logs(
    hubspot: FakeHubSpot, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    wrong = "pat-eu1-0000-wrong-secret-1234"
    caplog.set_level(logging.DEBUG)
    with make_client(hubspot, clock, token=wrong) as client:
        with pytest.raises(AuthError) as caught:
            client.contacts()
        assert wrong not in repr(client)
    assert hubspot.requests[0].authorization == f"Bearer {wrong}"
    text = f"{caught.value}|{caught.value!r}|{caught.value.__cause__!r}|{caplog.text}"
    assert wrong not in text
    assert "HubSpot refused the token (401" in str(caught.value)


def test_a_token_echoed_by_the_server_is_redacted(
    hubspot: FakeHubSpot, client: HubSpotClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    echo = {"status": "error", "message": f"Bad header Bearer {TOKEN} for this endpoint"}
    hubspot.fail_next("GET", OWNERS, Fault(status=400, body=echo))
    with pytest.raises(Rejected) as caught:
        client.owners()
    assert str(caught.value) == (
        "HubSpot refused the request (400): Bad header Bearer [secret] for this endpoint"
    )
    assert TOKEN not in caplog.text


def test_an_empty_token_is_refused_before_any_request() -> None:
    with pytest.raises(AuthError, match="No HubSpot token"):
        HubSpotClient("  ")


def test_no_second_create_while_the_first_cannot_be_checked(
    hubspot: FakeHubSpot, client: HubSpotClient
) -> None:
    hubspot.fail_next("POST", EMAILS, Fault(502, {"message": "Bad Gateway"}))
    for _ in range(4):
        hubspot.fail_next("POST", SEARCH, Fault(503, {"message": "Service Unavailable"}))
    with pytest.raises(OutcomeUnknown):
        create(client)
    assert len(hubspot.seen("POST", EMAILS)) == 1


def test_a_success_without_an_id_is_an_unknown_outcome(
    hubspot: FakeHubSpot, client: HubSpotClient
) -> None:
    hubspot.fail_next("POST", EMAILS, Fault(status=201, body={}))
    with pytest.raises(OutcomeUnknown, match="without the id"):
        create(client)
