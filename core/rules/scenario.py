"""Scenario I/O (rules section 8): validate a scenario document, build engine values from it.

The validator covers the subset of JSON Schema that ``scenario.schema.json`` uses (type,
enum, required, additionalProperties, properties, items, default) and names the bad field the
way a person reads it: ``messages[3].to: expected a list of strings``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

from core.rules.directory import Directory
from core.rules.encoded_words import decode_words
from core.rules.engine import LoggedState, decide_all
from core.rules.messages import make_message
from core.rules.model import (
    AccountSettings,
    Contact,
    LoggedEntry,
    LoggingRule,
    Scenario,
    User,
    Verdict,
)
from core.rules.threads import clean_message_id, clean_references

Json = Any


class ScenarioError(ValueError):
    """A scenario that does not match the schema; ``path`` names the bad field."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path or '(root)'}: {problem}")
        self.path = path
        self.problem = problem


@cache
def scenario_schema() -> Mapping[str, Json]:
    """The scenario JSON Schema shipped with the package (a copy of the spec's)."""
    text = resources.files("core.rules").joinpath("scenario.schema.json").read_text("utf-8")
    schema: Mapping[str, Json] = json.loads(text)
    return schema


_TYPE_NAMES = {
    "object": "an object",
    "array": "a list",
    "string": "a string",
    "boolean": "true or false",
    "null": "null",
    "integer": "a whole number",
    "number": "a number",
}


def _is(kind: str, value: Json) -> bool:
    if kind == "string":
        return isinstance(value, str)
    if kind == "null":
        return value is None
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "object":
        return isinstance(value, dict)
    if kind == "array":
        return isinstance(value, list)
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    return True


def _expected(schema: Mapping[str, Json]) -> str:
    if "enum" in schema:
        return "expected one of " + ", ".join(json.dumps(v) for v in schema["enum"])
    kinds = schema.get("type")
    kinds = [kinds] if isinstance(kinds, str) else list(kinds or [])
    if kinds == ["array"] and isinstance(schema.get("items"), dict):
        item = schema["items"].get("type")
        if isinstance(item, str) and item in ("string", "boolean"):
            return f"expected a list of {item}s"
    return "expected " + " or ".join(_TYPE_NAMES.get(k, k) for k in kinds)


def validate(value: Json, schema: Mapping[str, Json], path: str = "") -> None:
    """Raise ``ScenarioError`` at the first place ``value`` does not match ``schema``."""
    if "enum" in schema and value not in schema["enum"]:
        raise ScenarioError(path, _expected(schema))
    kinds = schema.get("type")
    if kinds is not None:
        kinds = (kinds,) if isinstance(kinds, str) else kinds
        if not any(_is(k, value) for k in kinds):
            raise ScenarioError(path, _expected(schema))
    if isinstance(value, dict):
        _validate_object(value, schema, path)
    elif isinstance(value, list) and "items" in schema:
        items = schema["items"]
        simple = items.get("type") if set(items) == {"type"} else None
        if isinstance(simple, str):
            if not all(_is(simple, v) for v in value):
                raise ScenarioError(path, _expected(schema))
            return
        for i, item in enumerate(value):
            validate(item, items, f"{path}[{i}]")


def _validate_object(value: dict[str, Json], schema: Mapping[str, Json], path: str) -> None:
    props: Mapping[str, Json] = schema.get("properties", {})
    prefix = f"{path}." if path else ""
    for name in schema.get("required", ()):
        if name not in value:
            raise ScenarioError(prefix + name, "required field is missing")
    for name, item in value.items():
        sub = props.get(name)
        if sub is None:
            if schema.get("additionalProperties", True) is False:
                raise ScenarioError(prefix + name, "unknown field")
            continue
        validate(item, sub, prefix + name)


def _strings(value: Json) -> tuple[str, ...]:
    return tuple(value or ())


def scenario_from_dict(doc: Json) -> Scenario:
    """Validate a scenario document and build its values; raises ``ScenarioError``."""
    validate(doc, scenario_schema())
    account = doc.get("account", {})
    users = tuple(
        User(
            id=u["id"],
            email=u["email"],
            name=u.get("name", ""),
            connected=_strings(u.get("connected")),
            aliases=_strings(u.get("aliases")),
            personal_email_access=u.get("personal_email_access", True),
            account_access=u.get("account_access", False),
            never_log=_strings(u.get("never_log")),
        )
        for u in doc["users"]
    )
    if doc["mailbox_owner"] not in {u.id for u in users}:
        raise ScenarioError("mailbox_owner", f"no user has the id {doc['mailbox_owner']!r}")
    return Scenario(
        account=AccountSettings(
            logging_rule=LoggingRule(account.get("logging_rule", "replies_only")),
            never_log=_strings(account.get("never_log")),
            bcc_address=account.get("bcc_address"),
            forward_address=account.get("forward_address"),
        ),
        users=users,
        contacts=tuple(
            Contact(
                id=c["id"],
                email=c["email"],
                name=c.get("name", ""),
                additional_emails=_strings(c.get("additional_emails")),
                owner=c.get("owner"),
            )
            for c in doc["contacts"]
        ),
        mailbox_owner=doc["mailbox_owner"],
        logged=tuple(_logged_entry(e) for e in doc.get("logged", ())),
        messages=tuple(
            make_message(
                m["id"],
                folder=m.get("folder", "inbox"),
                date=m.get("date"),
                sender=m.get("from"),
                to=m.get("to", ()),
                cc=m.get("cc", ()),
                bcc=m.get("bcc", ()),
                subject=m.get("subject"),
                message_id=m.get("message_id"),
                in_reply_to=m.get("in_reply_to"),
                references=m.get("references", ()),
            )
            for m in doc["messages"]
        ),
    )


def _logged_entry(e: Mapping[str, Json]) -> LoggedEntry:
    subject = e.get("subject")
    return LoggedEntry(
        message_id=clean_message_id(e["message_id"]) or e["message_id"],
        subject=decode_words(subject) if subject is not None else None,
        in_reply_to=clean_message_id(e.get("in_reply_to")),
        references=clean_references(e.get("references", ())),
        contacts=_strings(e.get("contacts")),
    )


def directory_of(scenario: Scenario) -> Directory:
    return Directory(scenario.account, scenario.users, scenario.contacts, scenario.mailbox_owner)


def explain_scenario(scenario: Scenario) -> list[Verdict]:
    """Every message's verdict, in the scenario's input order."""
    return decide_all(scenario.messages, directory_of(scenario), LoggedState(scenario.logged))
