"""Scenario documents for rule tests: a small team, a few contacts, one message at a time."""

from __future__ import annotations

from typing import Any

from core.rules.scenario import explain_scenario, scenario_from_dict
from core.rules.verdict import Verdict

Doc = dict[str, Any]

MIA = {
    "id": "u-mia",
    "name": "Mia Rossi",
    "email": "mia@globex.example",
    "connected": ["mia@globex.example"],
    "aliases": ["m.rossi@globex.example"],
    "personal_email_access": True,
    "account_access": True,
}
RAJ = {
    "id": "u-raj",
    "name": "Raj Patel",
    "email": "raj@globex.example",
    "connected": ["raj@globex.example"],
}
NOA = {
    "id": "u-noa",
    "name": "Noa Levi",
    "email": "noa@globex.example",
    "personal_email_access": False,
}
LEA = {"id": "c-lea", "name": "Lea Martin", "email": "lea@customer.example", "owner": "u-raj"}
TOM = {"id": "c-tom", "email": "tom@customer.example", "owner": None}
OLA = {"id": "c-ola", "email": "ola@spam-corp.example", "owner": "u-mia"}
DORA = {
    "id": "c-dora",
    "name": "Dora Schmidt",
    "email": "dora@acme.example",
    "additional_emails": ["d.schmidt@acme-mail.example"],
    "owner": "u-mia",
}
BCC = "777@bcc.hubspot.com"
FWD = "777@forward.hubspot.com"


def msg(id: str = "m", **fields: Any) -> Doc:
    """A message document; ``sender`` stands for ``from``. Defaults: inbox, a fixed date."""
    doc: Doc = {"id": id, "folder": "inbox", "date": "2026-03-01T10:00:00Z"}
    if "sender" in fields:
        doc["from"] = fields.pop("sender")
    doc.update(fields)
    return doc


def scenario(
    *messages: Doc,
    rule: str = "all",
    never_log: list[str] | None = None,
    users: list[Doc] | None = None,
    contacts: list[Doc] | None = None,
    logged: list[Doc] | None = None,
    owner: str = "u-mia",
    bcc: str | None = BCC,
    forward: str | None = None,
) -> Doc:
    return {
        "account": {
            "logging_rule": rule,
            "never_log": never_log or [],
            "bcc_address": bcc,
            "forward_address": forward,
        },
        "users": users if users is not None else [MIA, RAJ, NOA],
        "contacts": contacts if contacts is not None else [LEA, TOM, OLA, DORA],
        "mailbox_owner": owner,
        "logged": logged or [],
        "messages": list(messages),
    }


def decide_doc(doc: Doc) -> list[Verdict]:
    return explain_scenario(scenario_from_dict(doc))


def verdicts(doc: Doc) -> dict[str, dict[str, Any]]:
    """The spec's verdict dicts by message id."""
    return {v.id: v.as_dict() for v in decide_doc(doc)}


def one(message: Doc, **kwargs: Any) -> dict[str, Any]:
    """The verdict dict of a single message decided alone in a scenario."""
    return verdicts(scenario(message, **kwargs))[message["id"]]
