"""A token bucket that keeps HubSpot requests under 80% of the portal's burst budget.

HubSpot announces its burst budget on every response (``X-HubSpot-RateLimit-Max`` requests per
``X-HubSpot-RateLimit-Interval-Milliseconds``, with ``-Remaining`` left in the current window).
The budget is shared by every app of the portal, so the bucket follows both what it spent itself
and what the server says is left: it never lets the server's remaining count fall below 20% of
the maximum on our account. Pure: the clock is injected and nothing here sleeps.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Final

SHARE: Final = 0.8  # the part of the burst budget Mailscope allows itself
DEFAULT_MAX: Final = 100  # HubSpot's smallest documented burst: 100 requests per 10 s
DEFAULT_INTERVAL: Final = 10.0
# The CRM search endpoints have their own limit per token: 4 requests a second in HubSpot's
# changelog ("CRM Search API Rate Limit Increase"), 5 in later docs. 80% of 5 is 4 a second.
SEARCH_MAX: Final = 5
SEARCH_INTERVAL: Final = 1.0
# A 429 without Retry-After waits for the window its ``policyName`` names; an unknown policy
# waits for the longest burst window. ``DAILY`` is not waited for: nothing more goes today.
POLICY_WAIT: Final = {"TEN_SECONDLY_ROLLING": 10.0, "SECONDLY": 1.0}
DAILY: Final = "DAILY"
UNKNOWN_POLICY_WAIT: Final = 10.0


def limit_wait(policy_name: str | None, retry_after: float | None) -> float | None:
    """Seconds to wait after a 429: ``Retry-After`` when given, else by policy; None: stop."""
    name = (policy_name or "").strip().upper()
    if name == DAILY:
        return None
    if retry_after is not None:
        return retry_after
    return POLICY_WAIT.get(name, UNKNOWN_POLICY_WAIT)


Clock = Callable[[], float]


@dataclass(frozen=True, slots=True)
class RateLimitInfo:
    """The burst budget as one response announced it."""

    maximum: int
    remaining: int
    interval: float  # seconds

    @classmethod
    def from_headers(cls, headers: Mapping[str, str]) -> RateLimitInfo | None:
        """Read the ``X-HubSpot-RateLimit-*`` headers; None when absent or malformed."""
        lowered = {key.lower(): value for key, value in headers.items()}
        try:
            maximum = int(lowered["x-hubspot-ratelimit-max"])
            remaining = int(lowered["x-hubspot-ratelimit-remaining"])
            interval_ms = int(lowered.get("x-hubspot-ratelimit-interval-milliseconds", "10000"))
        except (KeyError, ValueError):
            return None
        if maximum <= 0 or interval_ms <= 0 or remaining < 0:
            return None
        return cls(maximum, min(remaining, maximum), interval_ms / 1000.0)


class TokenBucket:
    """Allow ``floor(0.8 * max)`` requests in any window of one interval.

    A token bucket whose tokens come back one interval after they were spent (not continuously):
    a continuous refill would allow up to twice the capacity within one window, and HubSpot
    counts per window. ``reserve()`` takes a token and returns how long the caller must wait
    before sending; reservations queue, so later callers wait behind earlier ones.
    """

    def __init__(
        self,
        clock: Clock,
        maximum: int = DEFAULT_MAX,
        interval: float = DEFAULT_INTERVAL,
    ) -> None:
        self._clock = clock
        self._interval = interval
        # The send times (past or reserved) of the last ``capacity`` requests, oldest first.
        self._sent: deque[float] = deque(maxlen=self._share(maximum))

    @staticmethod
    def _share(maximum: int) -> int:
        return max(1, math.floor(maximum * SHARE))

    @property
    def capacity(self) -> int:
        return self._sent.maxlen or 1

    @property
    def interval(self) -> float:
        return self._interval

    def available(self) -> int:
        """How many requests may go out now without waiting."""
        since = self._clock() - self._interval
        return self.capacity - sum(1 for sent in self._sent if sent > since)

    def reserve(self) -> float:
        """Take one token; return the seconds to wait before the request may go out."""
        now = self._clock()
        send_at = now
        if len(self._sent) == self.capacity:
            send_at = max(now, self._sent[0] + self._interval)
        self._sent.append(send_at)
        return send_at - now

    def observe(self, info: RateLimitInfo) -> None:
        """Adopt the budget a response announced and what the server says is left of it.

        The server's count includes the other apps of the portal; Mailscope keeps 20% of the
        maximum untouched, so it may use ``remaining - 0.2 * max`` more in this window.
        """
        capacity = self._share(info.maximum)
        self._interval = info.interval
        if capacity != self.capacity:
            self._sent = deque(self._sent, maxlen=capacity)
        allowed = max(0, info.remaining - (info.maximum - capacity))
        missing = (capacity - allowed) - (capacity - self.available())
        if missing > 0:
            # Unknown spenders used the budget: count them as sent now (the conservative guess).
            now = self._clock()
            self._sent = deque(sorted([*self._sent, *[now] * missing]), maxlen=capacity)

    def pause(self, seconds: float) -> None:
        """The server said to wait (429 Retry-After): nothing goes out before then."""
        marker = self._clock() + seconds - self._interval
        padded = [marker] * (self.capacity - len(self._sent)) + list(self._sent)
        self._sent = deque((max(sent, marker) for sent in padded), maxlen=self.capacity)
