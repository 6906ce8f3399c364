"""The team policy file: export, import by an admin, import by a rep, refusals."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.crm.permissions import PermissionDenied
from core.crm.policy import export_policy, import_policy
from core.crm.service import CrmService
from core.rules.model import LoggingRule
from core.rules.scenario import ScenarioError
from core.store.accounts import Account
from tests.crm.workspace import demo_cache


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[tuple[sqlite3.Connection, Account]]:
    conn, account = demo_cache(tmp_path / "mailscope.sqlite")
    yield conn, account
    conn.close()


def test_a_rep_imports_the_team_policy_and_keeps_their_personal_list(
    cache: tuple[sqlite3.Connection, Account],
) -> None:
    conn, account = cache
    service = CrmService(conn, account)
    doc = export_policy(service)
    doc["account"]["logging_rule"] = "replies_only"
    for user in doc["users"]:
        if user["id"] == "u-raj":
            user["never_log"] = ["from-the-admin.example"]
    conn.execute("UPDATE directory SET mailbox_owner = 'u-raj'")
    assert not service.permission().allowed
    settled = import_policy(service, doc)
    assert settled.changed > 0
    assert service.settings().logging_rule is LoggingRule.REPLIES_ONLY
    assert service.current_user().never_log == ("patel-home.example",)


def test_a_policy_cannot_grant_its_importer_account_access(
    cache: tuple[sqlite3.Connection, Account],
) -> None:
    conn, account = cache
    service = CrmService(conn, account)
    doc = export_policy(service)
    for user in doc["users"]:
        user["account_access"] = True
    conn.execute("UPDATE directory SET mailbox_owner = 'u-raj'")
    with pytest.raises(PermissionDenied, match="would grant you account access"):
        import_policy(service, doc)
    assert not service.current_user().account_access


def test_an_admin_cannot_drop_their_own_access_by_policy(
    cache: tuple[sqlite3.Connection, Account],
) -> None:
    conn, account = cache
    service = CrmService(conn, account)
    doc = export_policy(service)
    for user in doc["users"]:
        user["account_access"] = False
    with pytest.raises(PermissionDenied, match="take your own account access away"):
        import_policy(service, doc)


@pytest.mark.parametrize(
    ("doc", "field"),
    [
        ({"account": {}, "users": []}, "mailscope_policy"),
        ({"mailscope_policy": 1, "account": {"logging_rule": "x"}, "users": []}, "logging_rule"),
        ({"mailscope_policy": 1, "account": {}, "users": []}, "no user has the id .u-mia."),
        ([], "mailscope_policy"),
    ],
)
def test_bad_policy_files_name_the_field(
    cache: tuple[sqlite3.Connection, Account], doc: object, field: str
) -> None:
    conn, account = cache
    with pytest.raises(ScenarioError, match=field):
        import_policy(CrmService(conn, account), doc)
