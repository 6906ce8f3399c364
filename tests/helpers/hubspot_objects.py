"""The fake HubSpot's emails, email properties, companies, deals and v4 associations.

A mixin of ``tests.helpers.hubspot_server.FakeHubSpot`` (kept apart to keep modules short).
Scopes per route follow the specs' ``security`` lists, narrowed to one scope each, as HubSpot
enforces them for a token: emails and contacts need the contacts scopes, creating a property a
schema scope, reading companies and deals (and their associations) their read scopes.
"""

from __future__ import annotations

import re
import time
import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tests.helpers.hubspot_server import FakeHubSpot, Seen

    _Base = FakeHubSpot
else:
    _Base = object

Json = dict[str, Any]
_EMAIL = re.compile(r"^/crm/v3/objects/emails/([^/]+)$")
_PROPERTY = re.compile(r"^/crm/v3/properties/emails/([^/]+)$")
_ASSOCIATIONS = re.compile(r"^/crm/v4/associations/(\w+)/(\w+)/batch/read$")
_BATCH_READ = re.compile(r"^/crm/v3/objects/(\w+)/batch/read$")
_SCHEMA_WRITE = "crm.schemas.contacts.write"
_READ_SCOPE = {
    "companies": "crm.objects.companies.read",
    "deals": "crm.objects.deals.read",
    "contacts": "crm.objects.contacts.read",
}


def _ms(value: object) -> int | None:
    """A datetime property (ISO 8601 or epoch milliseconds) as epoch milliseconds."""
    text = str(value or "")
    if text.isdigit():
        return int(text)
    try:
        return int(datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp() * 1000)
    except ValueError:
        return None


class ObjectRoutes(_Base):
    """Emails (create, read by id or unique property, search with lag), properties, more."""

    def init_objects(self) -> None:
        self.emails: dict[str, Json] = {}
        self.email_properties: dict[str, Json] = {}
        self.companies: dict[str, Json] = {}
        self.deals: dict[str, Json] = {}
        self.links: dict[tuple[str, str], dict[str, list[Json]]] = {}
        self.search_lag = 0.0
        self._created_at: dict[str, float] = {}

    # -- test set-up -----------------------------------------------------------------------

    def add_company(self, name: str) -> str:
        company_id = self.new_id()
        self.companies[company_id] = {"name": name}
        return company_id

    def add_deal(self, name: str, created: str, closed: bool = False) -> str:
        deal_id = self.new_id()
        self.deals[deal_id] = {
            "dealname": name,
            "createdate": created,
            "hs_is_closed": "true" if closed else "false",
        }
        return deal_id

    def associate(self, contact: str, kind: str, target: str, primary: bool = False) -> None:
        """Associate a contact with a company or a deal (type 1 marks the primary company)."""
        types = [{"category": "HUBSPOT_DEFINED", "typeId": 279 if kind == "companies" else 4}]
        if primary:
            types.append({"category": "HUBSPOT_DEFINED", "typeId": 1, "label": "Primary"})
        entry = {"toObjectId": target, "associationTypes": types}
        self.links.setdefault(("contacts", kind), {}).setdefault(contact, []).append(entry)

    def add_email_property(self, name: str, unique: bool) -> None:
        self.email_properties[name] = {"name": name, "type": "string", "hasUniqueValue": unique}

    # -- routing ---------------------------------------------------------------------------

    def scopes_for(self, method: str, path: str) -> frozenset[str]:
        if path == "/account-info/v3/details":
            return frozenset()
        if path.startswith("/crm/v3/owners"):
            return frozenset({"crm.objects.owners.read"})
        if (method, path) == ("POST", "/crm/v3/properties/emails"):
            return frozenset({_SCHEMA_WRITE})
        if (found := _ASSOCIATIONS.match(path)) is not None:
            return frozenset({_READ_SCOPE.get(found.group(2), "crm.objects.contacts.read")})
        if (found := _BATCH_READ.match(path)) is not None:
            return frozenset({_READ_SCOPE.get(found.group(1), "crm.objects.contacts.read")})
        writes = method == "POST" and not path.endswith(("/search", "/batch/read"))
        return frozenset({"crm.objects.contacts.write" if writes else "crm.objects.contacts.read"})

    def object_route(self, seen: Seen) -> tuple[int, Json] | None:
        method, path = seen.method, seen.path
        if (method, path) == ("POST", "/crm/v3/objects/emails"):
            return self._create_email(seen.body)
        if (method, path) == ("POST", "/crm/v3/objects/emails/search"):
            return self._search_emails(seen.body)
        if (method, path) == ("POST", "/crm/v3/properties/emails"):
            return self._create_property(seen.body)
        if method == "GET" and (found := _PROPERTY.match(path)) is not None:
            prop = self.email_properties.get(found.group(1))
            return (200, dict(prop)) if prop else (404, _not_found("property"))
        if method == "GET" and (found := _EMAIL.match(path)) is not None:
            return self._read_email(found.group(1), seen.query.get("idProperty"))
        if method == "POST" and (found := _ASSOCIATIONS.match(path)) is not None:
            return self._read_links(found.group(1), found.group(2), seen.body)
        if method == "POST" and (found := _BATCH_READ.match(path)) is not None:
            return self._batch_read(found.group(1), seen.body)
        return None

    # -- emails ----------------------------------------------------------------------------

    def _create_email(self, body: Json) -> tuple[int, Json]:
        properties = dict(body.get("properties") or {})
        if "hs_timestamp" not in properties:
            return 400, {"status": "error", "message": "hs_timestamp is required"}
        for name, value in properties.items():
            prop = self.email_properties.get(name)
            if prop and prop["hasUniqueValue"] and self._by_value(name, value) is not None:
                return 409, {
                    "status": "error",
                    "message": f"A email with {name}={value} already exists.",
                    "correlationId": str(uuid.uuid4()),
                    "category": "CONFLICT",
                }
        email_id = self.new_id()
        self.emails[email_id] = {"properties": properties, "associations": body["associations"]}
        self._created_at[email_id] = time.monotonic()
        if self.on_create is not None:
            self.on_create()
        return 201, self.record(email_id, properties)

    def _by_value(self, name: str, value: object) -> str | None:
        for email_id, email in self.emails.items():
            if email["properties"].get(name) == value:
                return email_id
        return None

    def _read_email(self, key: str, id_property: str | None) -> tuple[int, Json]:
        if id_property is not None:
            prop = self.email_properties.get(id_property)
            if prop is None or not prop["hasUniqueValue"]:
                message = f"{id_property} is not a unique property of emails"
                return 400, {"status": "error", "message": message, "category": "VALIDATION_ERROR"}
            found = self._by_value(id_property, key)
        else:
            found = key if key in self.emails else None
        if found is None:
            return 404, _not_found("email")
        return 200, self.record(found, self.emails[found]["properties"])

    def _search_emails(self, body: Json) -> tuple[int, Json]:
        (group,) = body["filterGroups"]
        visible_before = time.monotonic() - self.search_lag
        hits = [
            self.record(eid, e["properties"])
            for eid, e in self.emails.items()
            if self._created_at[eid] <= visible_before
            and all(_matches(e["properties"], rule) for rule in group["filters"])
        ]
        return 200, {"total": len(hits), "results": hits[: body.get("limit", 10)]}

    def _create_property(self, body: Json) -> tuple[int, Json]:
        if body["name"] in self.email_properties:
            message = f"Property named '{body['name']}' already exists."
            return 409, {"status": "error", "message": message, "category": "OBJECT_ALREADY_EXISTS"}
        self.add_email_property(body["name"], bool(body.get("hasUniqueValue")))
        return 201, dict(self.email_properties[body["name"]])

    # -- associations, companies, deals ------------------------------------------------------

    def _read_links(self, source: str, target: str, body: Json) -> tuple[int, Json]:
        table = self.links.get((source, target), {})
        results = [
            {"from": {"id": item["id"]}, "to": table[item["id"]]}
            for item in body.get("inputs") or ()
            if item["id"] in table
        ]
        return 200, {"status": "COMPLETE", "results": results, "startedAt": "", "completedAt": ""}

    def _batch_read(self, kind: str, body: Json) -> tuple[int, Json]:
        store = {"deals": self.deals, "companies": self.companies}.get(kind, {})
        wanted = body.get("properties") or []
        results = [
            self.record(item["id"], {p: store[item["id"]].get(p) for p in wanted})
            for item in body.get("inputs") or ()
            if item["id"] in store
        ]
        return 200, {"status": "COMPLETE", "results": results, "startedAt": "", "completedAt": ""}


def _matches(properties: Json, rule: Json) -> bool:
    assert rule["operator"] == "EQ", rule
    value = properties.get(rule["propertyName"])
    if rule["propertyName"] == "hs_timestamp":
        return _ms(value) == _ms(rule["value"])
    return str(value) == str(rule["value"])


def _not_found(what: str) -> Json:
    return {"status": "error", "message": f"No {what} found", "category": "OBJECT_NOT_FOUND"}
