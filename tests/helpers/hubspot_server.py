"""A HubSpot stand-in on a real HTTP server (pytest-httpserver), behaving as HubSpot documents.

It keeps owners, contacts, companies, deals, emails and email properties in memory and answers
what the connector calls, with HubSpot's shapes (from the public API specs):

- bearer tokens, each with its own scopes; a route refuses a token without one of its scopes
  with 403 ``MISSING_SCOPES`` and ``errors[].context.requiredScopes``; an unknown or expired
  token gets 401;
- creating an email property needs a ``crm.schemas.*.write`` scope; a property created with
  ``hasUniqueValue`` refuses a second email with the same value (409) and can be read by
  (``GET /crm/v3/objects/emails/{value}?idProperty=``);
- search lags creates by ``search_lag`` seconds (a new email is invisible to search till then);
- 429 with and without ``Retry-After``, with each ``policyName``: scripted (``fail_next``) or
  enforced (``limit(burst=..., window=..., search_per_second=...)``, off by default);
- 409 "Contact already exists. Existing ID: N" on a duplicate contact;
- OAuth (``tests.helpers.hubspot_oauth``): authorize, code and refresh grants, introspection,
  access tokens that expire.

``on_create`` runs after an email create is applied and before its answer: the crash test kills
the client there (a seam the tests own). Every request is recorded for the tests to assert on.
"""

from __future__ import annotations

import itertools
import json
import re
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from tests.helpers.hubspot_oauth import OAuthRoutes
from tests.helpers.hubspot_objects import ObjectRoutes

Json = dict[str, Any]
_ALL = re.compile(".*")
OBJECT_SCOPES = frozenset(
    {"crm.objects.contacts.read", "crm.objects.contacts.write", "crm.objects.owners.read"}
)
ALL_SCOPES = OBJECT_SCOPES | {
    "crm.objects.companies.read",
    "crm.objects.deals.read",
    "crm.schemas.contacts.write",
}
TOKEN = "pat-eu1-5e3f0c2a-test-secret-token-9b7d"  # the fake's default token: every scope


@dataclass(frozen=True, slots=True)
class Seen:
    """One request as the server received it."""

    method: str
    path: str
    query: dict[str, str]
    authorization: str | None
    body: Any
    at: float = 0.0  # time.monotonic() on arrival


@dataclass(slots=True)
class Fault:
    """A scripted answer for the next request on a route: a status, or an answer held back."""

    status: int | None = None
    body: Json = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    hold: float = 0.0  # seconds to wait before answering (the request is still applied)


@dataclass(slots=True)
class Grant:
    """What a token may do: its scopes, and when it expires (None: never)."""

    scopes: frozenset[str]
    expires_at: float | None = None


def missing_scopes(required: list[str]) -> Json:
    """HubSpot's 403 body for a token without the scope a call needs."""
    return {
        "status": "error",
        "message": "This app hasn't been granted all required scopes to make this call.",
        "correlationId": str(uuid.uuid4()),
        "errors": [
            {
                "message": "One or more of the following scopes are required.",
                "context": {"requiredScopes": required},
            }
        ],
        "links": {"scopes": "https://developers.hubspot.com/scopes"},
        "category": "MISSING_SCOPES",
    }


def rate_limited(policy: str) -> Json:
    return {
        "status": "error",
        "message": f"You have reached your {policy.lower()} limit.",
        "errorType": "RATE_LIMIT",
        "correlationId": str(uuid.uuid4()),
        "policyName": policy,
        "groupName": "publicapi:private-app:4455667",
    }


class FakeHubSpot(ObjectRoutes, OAuthRoutes):
    """In-memory HubSpot behind ``server``; ``token`` is accepted with every scope."""

    def __init__(self, server: HTTPServer, token: str, page_size: int = 100) -> None:
        self.server = server
        self.token = token
        self.page_size = page_size
        self.portal_id = 4455667
        self.grants: dict[str, Grant] = {token: Grant(frozenset(ALL_SCOPES))}
        self.owners: list[Json] = []
        self.contacts: dict[str, Json] = {}
        self.requests: list[Seen] = []
        self.rate_max, self.rate_remaining, self.rate_interval_ms = 100, 99, 10_000
        self.on_create: Callable[[], None] | None = None
        self._limits: tuple[int, float, int] | None = None
        self._burst: deque[float] = deque()
        self._searches: deque[float] = deque()
        self._faults: dict[tuple[str, str], deque[Fault]] = {}
        self._ids = itertools.count(1001)
        self._lock = threading.RLock()
        self._release = threading.Event()
        self.init_objects()
        self.init_oauth()
        server.expect_request(_ALL).respond_with_handler(self._handle)

    @property
    def url(self) -> str:
        return self.server.url_for("").rstrip("/")

    def release(self) -> None:
        """Let every held answer go at once (teardown)."""
        self._release.set()

    def new_id(self) -> str:
        return str(next(self._ids))

    def add_token(
        self, token: str, scopes: frozenset[str] = ALL_SCOPES, expires_in: float | None = None
    ) -> None:
        expires = time.monotonic() + expires_in if expires_in is not None else None
        self.grants[token] = Grant(frozenset(scopes), expires)

    def limit(self, burst: int, window: float, search_per_second: int) -> None:
        """Enforce limits as HubSpot does, announcing the burst in the rate-limit headers."""
        self._limits = (burst, window, search_per_second)
        self.rate_max, self.rate_interval_ms = burst, int(window * 1000)

    def add_owner(self, email: str, first: str = "", last: str = "", **extra: Any) -> str:
        owner_id = self.new_id()
        self.owners.append(
            {
                "id": owner_id,
                "email": email,
                "firstName": first,
                "lastName": last,
                "userId": int(owner_id) + 5000,
                "createdAt": "2026-01-05T10:00:00.000Z",
                "updatedAt": "2026-01-05T10:00:00.000Z",
                "archived": False,
                **extra,
            }
        )
        return owner_id

    def add_contact(self, **properties: str) -> str:
        contact_id = self.new_id()
        self.contacts[contact_id] = dict(properties)
        return contact_id

    def fail_next(self, method: str, path: str, fault: Fault) -> None:
        """Answer the next ``method path`` request with ``fault`` (faults queue in order)."""
        self._faults.setdefault((method, path), deque()).append(fault)

    def seen(self, method: str, path: str) -> list[Seen]:
        return [r for r in self.requests if r.method == method and r.path == path]

    # -- the server side -------------------------------------------------------------------

    def _handle(self, request: Request) -> Response:
        body = _body(request)
        seen = Seen(
            request.method,
            request.path,
            dict(request.args.items()),
            request.headers.get("Authorization"),
            body,
            time.monotonic(),
        )
        with self._lock:
            self.requests.append(seen)
            queue = self._faults.get((request.method, request.path))
            fault = queue.popleft() if queue else None
        if request.path.startswith("/oauth/"):
            return self.oauth_answer(request, seen)
        if fault is not None and fault.status is not None:
            return self.reply(fault.status, fault.body, fault.headers)
        refused = self._refusal(seen)
        if refused is not None:
            return refused
        with self._lock:
            status, answer = self._route(seen)
        if fault is not None and fault.hold:
            self._release.wait(fault.hold)
        return self.reply(status, answer)

    def _refusal(self, seen: Seen) -> Response | None:
        """401 for a bad or expired token, 429 over the limits, 403 without the scope."""
        bearer = (seen.authorization or "").removeprefix("Bearer ")
        grant = self.grants.get(bearer) if seen.authorization else None
        if grant is None:
            return self.error(401, "INVALID_AUTHENTICATION", "Authentication credentials invalid")
        if grant.expires_at is not None and grant.expires_at <= time.monotonic():
            return self.error(401, "EXPIRED_AUTHENTICATION", "The OAuth token used has expired.")
        limited = self._over_limit(seen)
        if limited is not None:
            return limited
        needed = self.scopes_for(seen.method, seen.path)
        if needed and not (needed & grant.scopes):
            return self.reply(403, missing_scopes(sorted(needed)))
        return None

    def _over_limit(self, seen: Seen) -> Response | None:
        if self._limits is None:
            return None
        burst, window, per_second = self._limits
        with self._lock:
            now = seen.at
            while self._burst and self._burst[0] <= now - window:
                self._burst.popleft()
            while self._searches and self._searches[0] <= now - 1.0:
                self._searches.popleft()
            if seen.path.endswith("/search"):
                if len(self._searches) >= per_second:
                    return self.reply(429, rate_limited("SECONDLY"))
                self._searches.append(now)
            if len(self._burst) >= burst:
                return self.reply(429, rate_limited("TEN_SECONDLY_ROLLING"))
            self._burst.append(now)
            self.rate_remaining = burst - len(self._burst)
        return None

    def _route(self, seen: Seen) -> tuple[int, Json]:
        if (seen.method, seen.path) == ("GET", "/account-info/v3/details"):
            return 200, self._details()
        if (seen.method, seen.path) == ("GET", "/crm/v3/owners"):
            return self._owners(seen.query)
        if (seen.method, seen.path) == ("GET", "/crm/v3/objects/contacts"):
            return self._contacts_page(seen.query)
        if (seen.method, seen.path) == ("POST", "/crm/v3/objects/contacts"):
            return self._create_contact(seen.body)
        found = self.object_route(seen)
        if found is not None:
            return found
        return 404, {"status": "error", "message": f"No route {seen.method} {seen.path}"}

    def _details(self) -> Json:
        return {
            "portalId": self.portal_id,
            "timeZone": "Europe/Paris",
            "companyCurrency": "EUR",
            "utcOffset": "+01:00",
            "uiDomain": "app-eu1.hubspot.com",
            "dataHostingLocation": "eu1",
        }

    def page(self, items: list[Json], query: dict[str, str]) -> tuple[int, Json]:
        limit = min(int(query.get("limit", self.page_size)), self.page_size)
        start = int(query.get("after", "0"))
        page: Json = {"results": items[start : start + limit]}
        if start + limit < len(items):
            after = str(start + limit)
            page["paging"] = {"next": {"after": after, "link": f"{self.url}?after={after}"}}
        return 200, page

    def _owners(self, query: dict[str, str]) -> tuple[int, Json]:
        wanted = query.get("email", "").lower()
        found = [o for o in self.owners if not wanted or o["email"].lower() == wanted]
        return self.page(found, query)

    def _contacts_page(self, query: dict[str, str]) -> tuple[int, Json]:
        wanted = query.get("properties", "").split(",")
        items = [
            self.record(cid, {p: props.get(p) for p in wanted if p})
            for cid, props in self.contacts.items()
        ]
        return self.page(items, query)

    def _create_contact(self, body: Json) -> tuple[int, Json]:
        email = body["properties"].get("email", "").lower()
        for cid, props in self.contacts.items():
            if props.get("email", "").lower() == email:
                return 409, {
                    "status": "error",
                    "message": f"Contact already exists. Existing ID: {cid}",
                    "correlationId": str(uuid.uuid4()),
                    "category": "CONFLICT",
                }
        cid = self.add_contact(**body["properties"])
        return 201, self.record(cid, self.contacts[cid])

    @staticmethod
    def record(object_id: str, properties: Json) -> Json:
        return {
            "id": object_id,
            "properties": dict(properties),
            "createdAt": "2026-03-01T12:00:00.000Z",
            "updatedAt": "2026-03-01T12:00:00.000Z",
            "archived": False,
        }

    def error(self, status: int, category: str, message: str) -> Response:
        body = {"status": "error", "message": message, "category": category}
        return self.reply(status, body)

    def reply(self, status: int, body: Json, headers: dict[str, str] | None = None) -> Response:
        with self._lock:
            limits = {
                "X-HubSpot-RateLimit-Max": str(self.rate_max),
                "X-HubSpot-RateLimit-Remaining": str(self.rate_remaining),
                "X-HubSpot-RateLimit-Interval-Milliseconds": str(self.rate_interval_ms),
            }
        return Response(
            json.dumps(body),
            status=status,
            headers={**limits, **(headers or {})},
            content_type="application/json;charset=utf-8",
        )


def _body(request: Request) -> Any:
    raw = request.get_data()
    if request.mimetype == "application/x-www-form-urlencoded":
        return {k: v[0] for k, v in parse_qs(raw.decode("utf-8")).items()}
    return request.get_json(silent=True) if raw else None
