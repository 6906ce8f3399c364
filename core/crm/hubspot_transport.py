"""HTTP to HubSpot: bearer auth, the burst budget, retries with jittered backoff, error mapping.

One ``Transport`` per worker thread (it owns an ``httpx.Client``). The bearer comes from a
``TokenSource`` before every request (a Service Key, or OAuth tokens refreshed ahead of
``expires_in``). Every failure leaves as a ``core.crm.errors`` exception whose text is one line
and never contains a secret: messages are built here from the status and HubSpot's ``message``
field, and every secret of the source is redacted from anything the server echoes back.

Limits: two token buckets keep under 80% of the portal's burst budget (announced in the
``X-HubSpot-RateLimit-*`` headers) and under the search endpoints' own limit per token, so
429s stay well below the 5% of requests HubSpot asks integrations not to exceed.

Retry policy:
- 429: wait ``Retry-After`` when given, else the window its ``policyName`` names (10 s for
  ``TEN_SECONDLY_ROLLING``, 1 s for ``SECONDLY``); ``DAILY`` is final: nothing more today.
- 403 ``MISSING_SCOPES``: ``MissingScopes`` naming ``errors[].context.requiredScopes``.
- 5xx, timeouts and connection failures: retry with jittered exponential backoff, bounded.
- A request that is not idempotent (creating an email) is never blindly re-sent once it may have
  reached HubSpot: before each retry ``before_retry`` looks for the object; without it, an
  ambiguous failure raises ``OutcomeUnknown`` at once.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final, TypeVar
from urllib.parse import urlsplit

import httpx

from core.crm.errors import (
    AuthError,
    CrmError,
    CrmUnavailable,
    MissingScopes,
    OutcomeUnknown,
    RateLimited,
    Rejected,
)
from core.crm.hubspot_auth import StaticToken, TokenSource
from core.crm.hubspot_shapes import required_scopes
from core.crm.ratelimit import (
    SEARCH_INTERVAL,
    SEARCH_MAX,
    RateLimitInfo,
    TokenBucket,
    limit_wait,
)
from core.i18n import _

log = logging.getLogger(__name__)

DEFAULT_BASE_URL: Final = "https://api.hubapi.com"
_MAX_DETAIL: Final = 300

T = TypeVar("T")
Json = dict[str, Any]


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How many times and how long to retry; the sleep, clock and random source are injected."""

    attempts: int = 5
    base_delay: float = 0.5
    max_delay: float = 30.0
    timeout: float = 30.0
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    jitter: Callable[[], float] = random.random

    def backoff(self, attempt: int) -> float:
        """Equal-jitter exponential backoff after the ``attempt``-th failure (1-based)."""
        ceiling = min(self.max_delay, self.base_delay * 2.0 ** (attempt - 1))
        return ceiling / 2 + self.jitter() * ceiling / 2


class Transport:
    """Authenticated JSON requests to one HubSpot base URL, within the burst budget."""

    def __init__(
        self,
        auth: TokenSource | str,
        base_url: str = DEFAULT_BASE_URL,
        policy: RetryPolicy | None = None,
    ) -> None:
        self._auth: TokenSource = StaticToken(auth) if isinstance(auth, str) else auth
        self._policy = policy or RetryPolicy()
        self._host = urlsplit(base_url).netloc or base_url
        self.bucket = TokenBucket(self._policy.clock)
        self.search_bucket = TokenBucket(self._policy.clock, SEARCH_MAX, SEARCH_INTERVAL)
        self.sent = 0  # requests sent, and how many of them HubSpot answered 429
        self.limited = 0
        self._http = httpx.Client(
            base_url=base_url.rstrip("/"),
            headers={"Accept": "application/json"},
            timeout=self._policy.timeout,
        )

    @property
    def auth(self) -> TokenSource:
        return self._auth

    def __repr__(self) -> str:
        return f"Transport(host={self._host!r})"

    def close(self) -> None:
        self._http.close()

    def get(self, path: str, params: Mapping[str, str | int] | None = None) -> Json:
        """GET a JSON object (idempotent: every failure may be retried)."""
        return self.call("GET", path, params=params)

    def call(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str | int] | None = None,
        body: Json | None = None,
        idempotent: bool = True,
        before_retry: Callable[[], Json | None] | None = None,
    ) -> Json:
        """Send one request with retries; return the JSON object of the 2xx answer.

        ``before_retry`` (for requests that are not idempotent) runs before each re-send after an
        ambiguous failure; a non-None result is returned instead of re-sending.
        """
        policy = self._policy
        last: CrmError = CrmUnavailable(f"HubSpot at {self._host} did not answer.")
        ambiguous = False
        for attempt in range(1, policy.attempts + 1):
            if ambiguous and (found := self._check(before_retry)) is not None:
                return found
            wait = self.bucket.reserve()
            if path.endswith("/search"):
                wait = max(wait, self.search_bucket.reserve())
            if wait > 0:
                policy.sleep(wait)
            try:
                return self._once(method, path, params, body, idempotent)
            except _Retry as retry:
                last, ambiguous = retry.error, retry.ambiguous
                if ambiguous and before_retry is None:
                    raise OutcomeUnknown(_unknown_message(self._host)) from None
                if retry.delay is not None:
                    self.bucket.pause(retry.delay)
                    if path.endswith("/search"):
                        self.search_bucket.pause(retry.delay)
                elif attempt < policy.attempts:
                    policy.sleep(policy.backoff(attempt))
        if ambiguous and (found := self._check(before_retry)) is not None:
            return found
        if ambiguous:
            raise OutcomeUnknown(_unknown_message(self._host))
        raise last

    def _check(self, before_retry: Callable[[], Json | None] | None) -> Json | None:
        """Look for what an ambiguous attempt may have created; unknown if the look fails."""
        if before_retry is None:
            return None
        try:
            return before_retry()
        except AuthError:
            raise
        except CrmError:
            # Re-sending without knowing could log the email twice: stop here instead.
            raise OutcomeUnknown(_unknown_message(self._host)) from None

    def _once(
        self,
        method: str,
        path: str,
        params: Mapping[str, str | int] | None,
        body: Json | None,
        idempotent: bool,
    ) -> Json:
        headers = {"Authorization": f"Bearer {self._auth.bearer()}"}
        self.sent += 1
        try:
            response = self._http.request(method, path, params=params, json=body, headers=headers)
        except (httpx.ConnectError, httpx.ConnectTimeout) as error:
            raise _Retry(CrmUnavailable(self._connect_message(error))) from None
        except httpx.TimeoutException:
            message = _("HubSpot at %(host)s did not answer in time.") % {"host": self._host}
            raise _Retry(CrmUnavailable(message), ambiguous=not idempotent) from None
        except httpx.TransportError as error:
            message = _("The connection to HubSpot at %(host)s failed (%(name)s).") % {
                "host": self._host,
                "name": type(error).__name__,
            }
            raise _Retry(CrmUnavailable(message), ambiguous=not idempotent) from None
        log.debug("HubSpot %s %s -> %s", method, path, response.status_code)
        if (info := RateLimitInfo.from_headers(response.headers)) is not None:
            self.bucket.observe(info)
        return self._answer(response, idempotent)

    def _answer(self, response: httpx.Response, idempotent: bool) -> Json:
        status = response.status_code
        data = _json_object(response)
        if 200 <= status < 300:
            return data
        detail = self._detail(data, response)
        if status == 403 and (needed := required_scopes(data)):
            raise MissingScopes(_missing_message(needed, detail), needed)
        if status in (401, 403):
            raise AuthError(
                _(
                    "HubSpot refused the token (%(status)s: %(detail)s); "
                    "reconnect HubSpot (CRM › Connect HubSpot…) with a valid "
                    "Service Key or sign-in."
                )
                % {"status": status, "detail": detail}
            )
        if status == 429:
            self.limited += 1
            policy = str(data.get("policyName") or "")
            delay = limit_wait(policy, _retry_after(response.headers.get("Retry-After")))
            if delay is None:
                raise RateLimited(
                    f"HubSpot's daily API limit for this portal is reached: {detail}",
                    daily=True,
                )
            limited = RateLimited(f"HubSpot kept limiting the request rate: {detail}", delay)
            raise _Retry(limited, delay=delay)
        if status >= 500:
            failing = CrmUnavailable(f"HubSpot is failing ({status}): {detail}")
            raise _Retry(failing, ambiguous=not idempotent and status != 503)
        raise Rejected(f"HubSpot refused the request ({status}): {detail}", status, detail)

    def _detail(self, data: Json, response: httpx.Response) -> str:
        message = data.get("message")
        text = str(message) if message else (response.reason_phrase or "no details")
        return " ".join(self._without_secrets(text).split())[:_MAX_DETAIL]

    def _without_secrets(self, text: str) -> str:
        """``text`` with every secret of the request's credentials blanked out."""
        for secret in self._auth.secrets():
            text = text.replace(secret, "[secret]")
        return text

    def _connect_message(self, error: Exception) -> str:
        reason = str(error).lower()
        if "name or service" in reason or "nodename" in reason or "resolution" in reason:
            return _("Cannot resolve the HubSpot host %(host)s: check the network.") % {
                "host": self._host
            }
        if "refused" in reason:
            return f"HubSpot at {self._host} refused the connection."
        if "certificate" in reason:
            return _("The certificate of %(host)s is not trusted.") % {"host": self._host}
        return f"Cannot reach HubSpot at {self._host}: check the network."


class _Retry(Exception):
    """A failure worth retrying; ``delay`` is the server's Retry-After when it gave one."""

    def __init__(self, error: CrmError, *, ambiguous: bool = False, delay: float | None = None):
        super().__init__(str(error))
        self.error = error
        self.ambiguous = ambiguous
        self.delay = delay


def _missing_message(needed: tuple[str, ...], detail: str) -> str:
    names = " or ".join(needed)
    return (
        f"HubSpot refused: the token lacks the scope {names} ({detail}). Add it to the "
        "Service Key or app in HubSpot, then reconnect (CRM › Connect HubSpot…)."
    )


def _unknown_message(host: str) -> str:
    return (
        f"HubSpot at {host} did not confirm the email was logged; "
        "it will be checked before any new attempt."
    )


def _json_object(response: httpx.Response) -> Json:
    try:
        data = response.json()
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {"results": data}


def _retry_after(value: str | None) -> float | None:
    """Retry-After in seconds (HubSpot sends delta-seconds); None when absent or unreadable."""
    if value is None:
        return None
    try:
        seconds = float(value.strip())
    except ValueError:
        return None
    return max(0.0, min(seconds, 3600.0))
