"""A small team and its contacts for the pure preview tests."""

from __future__ import annotations

from core.rules.directory import Directory
from core.rules.model import AccountSettings, Contact, LoggingRule, User

BCC = "123@bcc.crm.example"
USERS = (
    User("u-mia", "mia@globex.example", "Mia Rossi"),
    User("u-ben", "ben@globex.example", "Ben Okafor"),
    User("u-cat", "cat@globex.example", "Cat Lee"),
)
CONTACTS = (
    Contact("c-dora", "dora@acme.example", "Dora Diaz", owner="u-ben"),
    Contact("c-eve", "eve@acme.example", "Eve Stone", owner="u-mia"),
    Contact("c-fay", "fay@solo.example", "Fay Ng"),  # no owner
)


def directory(rule: LoggingRule = LoggingRule.ALL, never_log: tuple[str, ...] = ()) -> Directory:
    settings = AccountSettings(rule, never_log, BCC, None)
    return Directory(settings, USERS, CONTACTS, "u-mia")
