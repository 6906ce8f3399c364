"""The burst budget: a token bucket under 80% of HubSpot's announced limit, on a fake clock."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.crm.ratelimit import RateLimitInfo, TokenBucket


class Clock:
    def __init__(self) -> None:
        self.now = 50.0

    def __call__(self) -> float:
        return self.now


def headers(maximum: str, remaining: str, interval: str = "10000") -> dict[str, str]:
    return {
        "X-HubSpot-RateLimit-Max": maximum,
        "X-HubSpot-RateLimit-Remaining": remaining,
        "X-HubSpot-RateLimit-Interval-Milliseconds": interval,
    }


def test_headers_are_read_case_insensitively() -> None:
    lowered = {k.lower(): v for k, v in headers("150", "140", "10000").items()}
    assert RateLimitInfo.from_headers(lowered) == RateLimitInfo(150, 140, 10.0)


@pytest.mark.parametrize(
    "given_headers",
    [{}, headers("abc", "1"), headers("100", ""), headers("0", "0"), headers("100", "-3")],
)
def test_missing_or_malformed_headers_are_ignored(given_headers: dict[str, str]) -> None:
    assert RateLimitInfo.from_headers(given_headers) is None


def test_eighty_percent_of_the_default_burst_goes_at_once_then_callers_wait() -> None:
    clock = Clock()
    bucket = TokenBucket(clock)
    assert bucket.capacity == 80
    assert [bucket.reserve() for _ in range(80)] == [0.0] * 80
    assert bucket.reserve() == pytest.approx(10.0)
    assert bucket.reserve() == pytest.approx(10.0)
    clock.now += 10.0
    assert bucket.available() == 78  # the two queued reservations hold their tokens
    assert bucket.reserve() == 0.0


def test_tokens_come_back_one_interval_after_they_were_spent() -> None:
    clock = Clock()
    bucket = TokenBucket(clock, maximum=10, interval=1.0)
    for _ in range(4):
        bucket.reserve()
    clock.now += 0.5
    for _ in range(4):
        bucket.reserve()
    assert bucket.available() == 0
    clock.now += 0.5
    assert bucket.available() == 4
    clock.now += 0.5
    assert bucket.available() == 8


def test_what_other_apps_spent_counts_and_twenty_percent_stays_free() -> None:
    clock = Clock()
    bucket = TokenBucket(clock)
    bucket.observe(RateLimitInfo(maximum=100, remaining=25, interval=10.0))
    assert bucket.available() == 5  # 25 left, 20 of them are kept for the portal's other apps
    assert [bucket.reserve() for _ in range(5)] == [0.0] * 5
    assert bucket.reserve() == pytest.approx(10.0)


def test_a_larger_announced_budget_raises_the_capacity() -> None:
    clock = Clock()
    bucket = TokenBucket(clock)
    bucket.observe(RateLimitInfo(maximum=190, remaining=190, interval=10.0))
    assert bucket.capacity == 152
    assert bucket.available() == 152


def test_an_exhausted_budget_blocks_for_a_whole_interval() -> None:
    clock = Clock()
    bucket = TokenBucket(clock, maximum=100, interval=10.0)
    bucket.observe(RateLimitInfo(maximum=100, remaining=3, interval=2.0))
    assert bucket.available() == 0
    assert bucket.reserve() == pytest.approx(2.0)


def test_retry_after_holds_every_request_until_then() -> None:
    clock = Clock()
    bucket = TokenBucket(clock)
    bucket.reserve()
    bucket.pause(3.0)
    assert bucket.reserve() == pytest.approx(3.0)
    clock.now += 3.0
    assert bucket.reserve() == 0.0


@given(
    maximum=st.integers(min_value=1, max_value=60),
    steps=st.lists(st.floats(min_value=0.0, max_value=3.0), min_size=1, max_size=200),
)
def test_no_window_of_one_interval_ever_holds_more_than_the_share(
    maximum: int, steps: list[float]
) -> None:
    clock = Clock()
    bucket = TokenBucket(clock, maximum=maximum, interval=2.0)
    sends: list[float] = []
    for step in steps:
        clock.now += step
        sends.append(clock.now + bucket.reserve())
    sends.sort()
    for i, start in enumerate(sends):
        in_window = sum(1 for t in sends[i:] if t < start + 2.0 - 1e-9)
        assert in_window <= bucket.capacity
