"""A token bucket that keeps HubSpot requests under 80% of the portal's burst budget.

HubSpot announces its burst budget on every response (``X-HubSpot-RateLimit-Max`` requests per
``X-HubSpot-RateLimit-Interval-Milliseconds``, with ``-Remaining`` left in the current window).
The budget is shared by every app of the portal, so the bucket follows both what it spent itself
and what the server says is left: it never lets the server's remaining count fall below 20% of
the maximum on our account. Pure: the clock is injected and nothing here sleeps.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Final

SHARE: Final = 0.8  # the part of the burst budget Mailscope allows itself
DEFAULT_MAX: Final = 100  # HubSpot's smallest documented burst: 100 requests per 10 s
DEFAULT_INTERVAL: Final = 10.0

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
    """Allow ``floor(0.8 * max)`` requests per interval, refilled continuously.

    ``reserve()`` takes one token and returns how long the caller must wait before sending;
    tokens may go negative, which queues later callers behind earlier ones.
    """

    def __init__(
        self,
        clock: Clock,
        maximum: int = DEFAULT_MAX,
        interval: float = DEFAULT_INTERVAL,
    ) -> None:
        self._clock = clock
        self._capacity = self._share(maximum)
        self._interval = interval
        self._tokens = float(self._capacity)
        self._stamp = clock()

    @staticmethod
    def _share(maximum: int) -> int:
        return max(1, math.floor(maximum * SHARE))

    @property
    def capacity(self) -> int:
        return self._capacity

    @property
    def rate(self) -> float:
        """Tokens added per second."""
        return self._capacity / self._interval

    def tokens(self) -> float:
        """The tokens available now (negative when callers are queued)."""
        self._refill()
        return self._tokens

    def reserve(self) -> float:
        """Take one token; return the seconds to wait before the request may go out."""
        self._refill()
        self._tokens -= 1.0
        if self._tokens >= 0.0:
            return 0.0
        return -self._tokens / self.rate

    def observe(self, info: RateLimitInfo) -> None:
        """Adopt the budget a response announced and what the server says is left of it."""
        self._refill()
        capacity = self._share(info.maximum)
        if capacity != self._capacity or info.interval != self._interval:
            self._capacity, self._interval = capacity, info.interval
            self._tokens = min(self._tokens, float(capacity))
        # The server's count includes other apps of the portal: keep 20% of it untouched.
        allowed = info.remaining - (info.maximum - capacity)
        self._tokens = min(self._tokens, float(allowed))

    def pause(self, seconds: float) -> None:
        """The server said to wait (429 Retry-After): nothing goes out before then."""
        self._refill()
        # The next reserve() takes one token and must then wait exactly ``seconds``.
        self._tokens = min(self._tokens, 1.0 - seconds * self.rate)

    def _refill(self) -> None:
        now = self._clock()
        elapsed = max(0.0, now - self._stamp)
        self._stamp = now
        self._tokens = min(float(self._capacity), self._tokens + elapsed * self.rate)
