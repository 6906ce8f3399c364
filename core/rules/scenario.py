"""Scenario I/O (rules section 8): validate a scenario document, build engine values from it.

Validation (``core.rules.schema``) names the bad field the way a person reads it:
``messages[3].to: expected a list of strings``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from functools import cache
from importlib import resources
from json.encoder import encode_basestring_ascii as _encode_string
from typing import Any

from core.i18n import untranslated
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
from core.rules.schema import Check, SchemaError, compile_schema
from core.rules.threads import clean_message_id, clean_references

Json = Any


class ScenarioError(SchemaError):
    """A scenario that does not match the schema; ``path`` names the bad field."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(problem, [path] if path else [])


@cache
def scenario_schema() -> Mapping[str, Json]:
    """The scenario JSON Schema shipped with the package (a copy of the spec's)."""
    text = resources.files("core.rules").joinpath("scenario.schema.json").read_text("utf-8")
    schema: Mapping[str, Json] = json.loads(text)
    return schema


@cache
def _scenario_check() -> Check:
    return compile_schema(scenario_schema())


def validate(value: Json, schema: Mapping[str, Json]) -> None:
    """Raise ``ScenarioError`` (naming the bad field) where ``value`` does not match ``schema``."""
    check = _scenario_check() if schema is scenario_schema() else compile_schema(schema)
    try:
        check(value)
    except SchemaError as error:
        raise ScenarioError(error.path, error.problem) from None


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
            # Scenario files keep the v1.2 default (spec v1.3, section 1); new accounts in the
            # product default to ``all`` (``AccountSettings``).
            logging_rule=LoggingRule(account.get("logging_rule", "replies_only")),
            never_log=_strings(account.get("never_log")),
            bcc_address=account.get("bcc_address"),
            forward_address=account.get("forward_address"),
            create_contacts=account.get("create_contacts", False),
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


def verdicts_json(verdicts: Sequence[Verdict], *, trace: bool = False) -> str:
    """Verdicts as the exchange format's JSON text, laid out as ``json.dumps(indent=1)``.

    Written by hand for the plain case because ``json`` falls back to its pure-Python encoder
    whenever ``indent`` is set; the layout is the same byte for byte (a test checks it).
    """
    if trace:
        with untranslated():  # the contract: the trace reads the same in every language
            rows = [
                {**v.as_dict(), "rule": v.rule.value, "trace": [s.text for s in v.trace]}
                for v in verdicts
            ]
        return json.dumps(rows, indent=1)
    if not verdicts:
        return "[]"
    quote = _encode_string
    parts = []
    for v in verdicts:
        if v.contacts:
            contacts = "[\n   " + ",\n   ".join(quote(c) for c in v.contacts) + "\n  ]"
        else:
            contacts = "[]"
        attributed = "null" if v.attributed_to is None else quote(v.attributed_to)
        attribution = "null" if v.attribution is None else quote(v.attribution.value)
        parts.append(
            f' {{\n  "id": {quote(v.id)},\n  "logged": {"true" if v.logged else "false"},\n'
            f'  "reason": "{v.reason.value}",\n  "contacts": {contacts},\n'
            f'  "attributed_to": {attributed},\n  "attribution": {attribution}\n }}'
        )
    return "[\n" + ",\n".join(parts) + "\n]"
