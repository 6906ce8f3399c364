"""A HubSpot CRM v3 stand-in on a real HTTP server (pytest-httpserver), from the documented shapes.

It keeps owners, contacts and emails in memory, answers the endpoints the connector uses
(owners and contacts with ``after`` paging, email create and search, contact create with the
409 conflict, email properties create), sends the ``X-HubSpot-RateLimit-*`` headers, checks the
bearer token (401 otherwise) and records every request for the tests to assert on. Faults are
scripted per route: an error status (with headers and body) or a late answer.
"""

from __future__ import annotations

import itertools
import json
import re
import threading
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

Json = dict[str, Any]
_ALL = re.compile(".*")


@dataclass(frozen=True, slots=True)
class Seen:
    """One request as the server received it."""

    method: str
    path: str
    query: dict[str, str]
    authorization: str | None
    body: Any


@dataclass(slots=True)
class Fault:
    """A scripted answer for the next request on a route: a status, or an answer held back."""

    status: int | None = None
    body: Json = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    hold: float = 0.0  # seconds to wait before answering (the request is still applied)


class FakeHubSpot:
    """In-memory HubSpot behind ``server``; ``token`` is the only accepted private-app token."""

    def __init__(self, server: HTTPServer, token: str, page_size: int = 100) -> None:
        self.server = server
        self.token = token
        self.page_size = page_size
        self.portal_id = 4455667
        self.owners: list[Json] = []
        self.contacts: dict[str, Json] = {}
        self.emails: dict[str, Json] = {}
        self.email_properties: set[str] = set()
        self.requests: list[Seen] = []
        self.rate_max, self.rate_remaining, self.rate_interval_ms = 100, 99, 10_000
        self._faults: dict[tuple[str, str], deque[Fault]] = {}
        self._ids = itertools.count(1001)
        self._lock = threading.Lock()
        self._release = threading.Event()
        server.expect_request(_ALL).respond_with_handler(self._handle)

    @property
    def url(self) -> str:
        return self.server.url_for("").rstrip("/")

    def release(self) -> None:
        """Let every held answer go at once (teardown)."""
        self._release.set()

    def add_owner(self, email: str, first: str = "", last: str = "", **extra: Any) -> str:
        owner_id = str(next(self._ids))
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
        contact_id = str(next(self._ids))
        self.contacts[contact_id] = dict(properties)
        return contact_id

    def fail_next(self, method: str, path: str, fault: Fault) -> None:
        """Answer the next ``method path`` request with ``fault`` (faults queue in order)."""
        self._faults.setdefault((method, path), deque()).append(fault)

    def seen(self, method: str, path: str) -> list[Seen]:
        return [r for r in self.requests if r.method == method and r.path == path]

    # -- the server side -------------------------------------------------------------------

    def _handle(self, request: Request) -> Response:
        body = request.get_json(silent=True) if request.data else None
        seen = Seen(
            request.method,
            request.path,
            dict(request.args.items()),
            request.headers.get("Authorization"),
            body,
        )
        with self._lock:
            self.requests.append(seen)
            queue = self._faults.get((request.method, request.path))
            fault = queue.popleft() if queue else None
        if request.headers.get("Authorization") != f"Bearer {self.token}":
            return self._error(401, "INVALID_AUTHENTICATION", "Authentication credentials invalid")
        if fault is not None and fault.status is not None:
            return self._reply(fault.status, fault.body, fault.headers)
        with self._lock:
            status, answer = self._route(request.method, request.path, seen)
        if fault is not None and fault.hold:
            self._release.wait(fault.hold)
        return self._reply(status, answer)

    def _route(self, method: str, path: str, seen: Seen) -> tuple[int, Json]:
        routes = {
            ("GET", "/account-info/v3/details"): lambda: (200, self._details()),
            ("GET", "/crm/v3/owners"): lambda: self._page(self.owners, seen.query),
            ("GET", "/crm/v3/objects/contacts"): lambda: self._contacts_page(seen.query),
            ("POST", "/crm/v3/objects/contacts"): lambda: self._create_contact(seen.body),
            ("POST", "/crm/v3/objects/emails"): lambda: self._create_email(seen.body),
            ("POST", "/crm/v3/objects/emails/search"): lambda: self._search_emails(seen.body),
            ("POST", "/crm/v3/properties/emails"): lambda: self._create_property(seen.body),
        }
        action = routes.get((method, path))
        if action is None:
            return 404, {"status": "error", "message": f"No route {method} {path}"}
        return action()

    def _details(self) -> Json:
        return {
            "portalId": self.portal_id,
            "timeZone": "Europe/Paris",
            "companyCurrency": "EUR",
            "utcOffset": "+01:00",
            "uiDomain": "app-eu1.hubspot.com",
            "dataHostingLocation": "eu1",
        }

    def _page(self, items: list[Json], query: dict[str, str]) -> tuple[int, Json]:
        limit = min(int(query.get("limit", self.page_size)), self.page_size)
        start = int(query.get("after", "0"))
        page: Json = {"results": items[start : start + limit]}
        if start + limit < len(items):
            after = str(start + limit)
            page["paging"] = {"next": {"after": after, "link": f"{self.url}?after={after}"}}
        return 200, page

    def _contacts_page(self, query: dict[str, str]) -> tuple[int, Json]:
        wanted = query.get("properties", "").split(",")
        items = [
            {
                "id": cid,
                "properties": {p: props.get(p) for p in wanted if p},
                "createdAt": "2026-02-01T09:00:00.000Z",
                "updatedAt": "2026-02-01T09:00:00.000Z",
                "archived": False,
            }
            for cid, props in self.contacts.items()
        ]
        return self._page(items, query)

    def _create_contact(self, body: Json) -> tuple[int, Json]:
        email = body["properties"].get("email", "").lower()
        for cid, props in self.contacts.items():
            if props.get("email", "").lower() == email:
                return 409, {
                    "status": "error",
                    "message": f"Contact already exists. Existing ID: {cid}",
                    "correlationId": "6f1c2a4e-0000-4000-8000-000000000001",
                    "category": "CONFLICT",
                }
        cid = self.add_contact(**body["properties"])
        return 201, self._object(cid, self.contacts[cid])

    def _create_email(self, body: Json) -> tuple[int, Json]:
        properties = body.get("properties") or {}
        if "hs_timestamp" not in properties:
            return 400, {"status": "error", "message": "hs_timestamp is required"}
        email_id = str(next(self._ids))
        self.emails[email_id] = {"properties": properties, "associations": body["associations"]}
        return 201, self._object(email_id, properties)

    def _search_emails(self, body: Json) -> tuple[int, Json]:
        (group,) = body["filterGroups"]
        (rule,) = group["filters"]
        assert rule["operator"] == "EQ"
        hits = [
            self._object(eid, e["properties"])
            for eid, e in self.emails.items()
            if e["properties"].get(rule["propertyName"]) == rule["value"]
        ]
        return 200, {"total": len(hits), "results": hits[: body.get("limit", 10)]}

    def _create_property(self, body: Json) -> tuple[int, Json]:
        if body["name"] in self.email_properties:
            message = f"Property named '{body['name']}' already exists."
            return 409, {"status": "error", "message": message, "category": "OBJECT_ALREADY_EXISTS"}
        self.email_properties.add(body["name"])
        return 201, dict(body)

    @staticmethod
    def _object(object_id: str, properties: Json) -> Json:
        return {
            "id": object_id,
            "properties": dict(properties),
            "createdAt": "2026-03-01T12:00:00.000Z",
            "updatedAt": "2026-03-01T12:00:00.000Z",
            "archived": False,
        }

    def _error(self, status: int, category: str, message: str) -> Response:
        body = {"status": "error", "message": message, "category": category}
        return self._reply(status, body)

    def _reply(self, status: int, body: Json, headers: dict[str, str] | None = None) -> Response:
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
