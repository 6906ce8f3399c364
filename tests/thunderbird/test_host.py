"""The host's answers on the demo workspace: the same verdicts, warnings and fixes as the app."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from core.store import outbox
from core.store.accounts import Account
from core.thunderbird.host import Host, answer_frame
from tests.crm.workspace import demo_template, open_copy, row_by_subject
from tests.thunderbird.frames import MIA, header

BCC = "24681357@bcc.hubspot.example"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return demo_template(tmp_path_factory.mktemp("tb-demo"))


@pytest.fixture
def cache(template: Path, tmp_path: Path) -> Iterator[tuple[sqlite3.Connection, Account]]:
    conn, account = open_copy(template, tmp_path)
    yield conn, account
    conn.close()


@pytest.fixture
def host(cache: tuple[sqlite3.Connection, Account], tmp_path: Path) -> Iterator[Host]:
    found = Host(tmp_path / "mailscope.sqlite")
    yield found
    found.finish()


def ask(host: Host, **request: Any) -> dict[str, Any]:
    return answer_frame(host.handle, json.dumps({"id": 1, **request}).encode())


def header_of(conn: sqlite3.Connection, row: int) -> dict[str, Any]:
    """The MessageHeader Thunderbird would give for a cached row."""
    mid, author, subject, role = conn.execute(
        "SELECT m.message_id, coalesce(m.from_raw, ''), m.subject, f.role FROM messages m"
        " JOIN folders f ON f.id = m.folder_id WHERE m.id = ?",
        (row,),
    ).fetchone()
    return header(mid, author=author, to=("mia@globex.example",), subject=subject, folder=role)


def test_a_cached_message_gets_its_stored_verdict_with_people_and_fixes(
    host: Host, cache: tuple[sqlite3.Connection, Account]
) -> None:
    conn, _ = cache
    row = row_by_subject(conn, "Request for a demo – Atlas Cargo", "inbox")
    found = ask(host, op="explain", account=MIA, message=header_of(conn, row))
    assert found["ok"], found
    assert (found["source"], found["row"], found["account"]) == ("cache", row, "demo")
    assert (found["logged"], found["reason"], found["rule"]) == (False, "not_a_contact", "R9")
    assert found["sentence"] == "Won't be logged: nobody on it is a contact."
    assert found["tone"] == "needs_action"
    assert (found["contacts"], found["attributed_to"], found["attribution"]) == ([], None, None)
    assert [a["action"] for a in found["actions"]] == ["log_now", "create_contact"]
    assert all(a["available"] for a in found["actions"])
    kinds = {p["field"]: p["kind"] for p in found["people"]}
    assert kinds["from"] == "unknown" and kinds["to"] == "user"


def test_a_newsletter_needs_no_action_in_thunderbird_either(
    host: Host, cache: tuple[sqlite3.Connection, Account]
) -> None:
    """Rules section 7 in the add-in: the cached row's bulk advisory quiets the badge and offers
    nothing, as in the app; a message not synced yet is judged by its sender."""
    conn, _ = cache
    row = row_by_subject(conn, "SaaS Sales Digest #96", "inbox")
    found = ask(host, op="explain", account=MIA, message=header_of(conn, row))
    assert (found["logged"], found["reason"]) == (False, "not_a_contact")
    assert (found["tone"], found["advisories"], found["actions"]) == ("wont_log", ["bulk"], [])
    prospect = row_by_subject(conn, "Request for a demo – Atlas Cargo", "inbox")
    found = ask(host, op="explain", account=MIA, message=header_of(conn, prospect))
    assert (found["tone"], found["advisories"]) == ("needs_action", [])
    message = header("<n1@news.example>", author="noreply@news.example", to=("mia@globex.example",))
    found = ask(host, op="explain", account=MIA, message=message)
    assert (found["source"], found["reason"]) == ("decided", "not_a_contact")
    assert (found["tone"], found["advisories"], found["actions"]) == ("wont_log", ["bulk"], [])


def test_attribution_comes_with_the_users_name(
    host: Host, cache: tuple[sqlite3.Connection, Account]
) -> None:
    conn, _ = cache
    row = row_by_subject(conn, "Budget approval for the Umbrella upsell", "inbox")
    found = ask(host, op="explain", account=MIA, message=header_of(conn, row))
    assert (found["logged"], found["attribution"]) == (True, "contact_owner")
    assert found["attributed_to_name"] == "Claire Dubois"
    assert found["attribution_text"].startswith("Counts for Claire Dubois, the sender's contact")
    assert found["tone"] == "will_log"


def test_a_message_not_synced_yet_is_decided_on_the_spot(host: Host) -> None:
    message = header(
        "<brand-new@umbrella-health.example>",
        author="Karen Liu <karen.liu@umbrella-health.example>",
        to=("Mia Rossi <mia@globex.example>",),
        subject="A new question",
        date="2026-11-27T10:00:00.000Z",
    )
    found = ask(host, op="explain", account=MIA, message=message)
    assert (found["source"], found["row"]) == ("decided", None)
    assert (found["logged"], found["reason"], found["contacts"]) == (
        True,
        "log_all_contact",
        ["c-karen"],
    )
    assert (found["attributed_to"], found["attribution"]) == ("u-mia", "single_recipient")


def test_fixes_of_a_message_not_synced_say_to_sync_first(host: Host) -> None:
    message = header(
        "<new@stranger.example>", author="x@stranger.example", to=("mia@globex.example",)
    )
    found = ask(host, op="explain", account=MIA, message=message)
    assert found["reason"] == "not_a_contact"
    assert [(a["action"], a["available"]) for a in found["actions"]] == [
        ("log_now", False),
        ("create_contact", False),
    ]
    assert "sync the mailbox" in found["actions"][0]["why_not"]
    refused = ask(host, op="act", account=MIA, action="log_now", message=message)
    assert refused["error"]["code"] == "not_cached"


def test_an_alias_finds_the_account_and_a_stranger_is_asked_to_connect(host: Host) -> None:
    message = header("<x@y>", author="a@b.example")
    alias = {"name": "Work", "identities": ["M.Rossi@globex.example"]}
    assert ask(host, op="explain", account=alias, message=message)["ok"]
    other = {"name": "Home", "identities": ["mia@home.example"]}
    found = ask(host, op="explain", account=other, message=message)
    assert found["error"]["code"] == "not_connected"
    assert found["error"]["message"].startswith("Connect this mailbox in Mailscope")


def compose(to: list[str], subject: str = "Intro", bcc: list[str] | None = None) -> dict[str, Any]:
    return {
        "from": "Mia Rossi <mia@globex.example>",
        "to": to,
        "cc": [],
        "bcc": bcc or [],
        "subject": subject,
        "type": "new",
    }


def test_a_draft_to_a_stranger_wont_be_logged_and_warns(host: Host) -> None:
    found = ask(host, op="check_compose", account=MIA, details=compose(["Sam <sam@new.example>"]))
    assert (found["logged"], found["reason"]) == (False, "not_a_contact")
    assert found["sentence"] == "Won't be logged: nobody on it is a contact."
    assert [(w["kind"], w["address"]) for w in found["warnings"]] == [
        ("not_a_contact", "sam@new.example")
    ]
    assert [f["action"] for f in found["warnings"][0]["fixes"]] == ["add_bcc", "create_contact"]
    assert [a["action"] for a in found["actions"]] == ["add_bcc"]
    assert found["bcc_address"] == BCC


def test_add_bcc_gives_the_new_bcc_list_and_a_logged_verdict(host: Host) -> None:
    details = compose(["Sam <sam@new.example>"], bcc=["boss@globex.example"])
    found = ask(host, op="act", account=MIA, action="add_bcc", details=details)
    assert found["bcc"] == ["boss@globex.example", BCC]
    assert found["text"] == f"Added {BCC} to the draft's Bcc."
    assert (found["check"]["logged"], found["check"]["reason"]) == (True, "bcc_address")
    again = ask(
        host, op="act", account=MIA, action="add_bcc", details={**details, "bcc": found["bcc"]}
    )
    assert (again["added"], again["text"]) == (False, f"{BCC} is already on this draft.")


def test_a_reply_all_prediction_names_who_it_counts_for(host: Host) -> None:
    details = compose(
        ["Karen Liu <karen.liu@umbrella-health.example>", "raj.patel@globex.example"],
        subject="Renewal",
    )
    found = ask(host, op="check_compose", account=MIA, details=details)
    assert (found["logged"], found["reason"], found["attribution"]) == (
        True,
        "log_all_contact",
        "sender",
    )
    assert [(r["contact"], r["attribution"]) for r in found["replies"]] == [
        ("c-karen", "contact_owner")
    ]
    assert found["replies"][0]["sentence"].startswith("If Karen Liu replies to all")


def test_a_reply_with_a_changed_subject_warns(
    host: Host, cache: tuple[sqlite3.Connection, Account]
) -> None:
    conn, _ = cache
    row = row_by_subject(conn, "Route optimisation for Quantum Freight", "sent")
    (mid,) = conn.execute("SELECT message_id FROM messages WHERE id = ?", (row,)).fetchone()
    details = {**compose(["quantum@x.example"], "Something else entirely"), "type": "reply"}
    found = ask(
        host,
        op="check_compose",
        account=MIA,
        details=details,
        related={"headerMessageId": mid.strip("<>")},
    )
    assert "subject_changed" in [w["kind"] for w in found["warnings"]]
    assert found["thread"]["key"] == mid


def test_log_now_queues_delivers_and_the_message_is_then_logged(
    host: Host, cache: tuple[sqlite3.Connection, Account]
) -> None:
    conn, account = cache
    row = row_by_subject(conn, "Request for a demo – Atlas Cargo", "inbox")
    message = header_of(conn, row)
    found = ask(host, op="act", account=MIA, action="log_now", message=message)
    assert found["ok"] and found["created"], found
    assert found["text"].startswith("Queued: Log Request for a demo")
    host.finish()
    items = outbox.items(conn, account.id)
    assert [(i.kind.value, i.state.value) for i in items] == [("log", "done")]
    after = ask(host, op="explain", account=MIA, message=message)
    assert (after["logged"], after["reason"]) == (True, "already_logged")
    twice = ask(host, op="act", account=MIA, action="log_now", message=message)
    assert twice["error"]["code"] == "refused"
    assert "already logged" in twice["error"]["message"]


def test_create_contact_from_a_compose_warning_and_its_refusals(host: Host) -> None:
    found = ask(
        host,
        op="act",
        account=MIA,
        action="create_contact",
        email="Sam@New.example",
        name="Sam Stone",
    )
    assert found["ok"], found
    assert (
        found["created"]
        and found["text"]
        == "Queued: Create contact sam@new.example. Mailscope sends it to the CRM."
    )
    host.finish()  # the host delivered it to the (local) CRM: Sam is a contact now
    twice = ask(host, op="act", account=MIA, action="create_contact", email="sam@new.example")
    assert twice["error"] == {"code": "refused", "message": "sam@new.example is already a contact."}
    user = ask(
        host, op="act", account=MIA, action="create_contact", email="raj.patel@globex.example"
    )
    assert user["error"] == {
        "code": "refused",
        "message": "raj.patel@globex.example is a user's address, not a contact.",
    }
    listed = ask(host, op="act", account=MIA, action="create_contact", email="x@initech.example")
    assert listed["error"]["code"] == "refused" and "Never-log" in listed["error"]["message"]


def test_an_unknown_action_is_a_bad_request(host: Host) -> None:
    found = ask(host, op="act", account=MIA, action="delete_everything")
    assert found["error"]["code"] == "bad_request"
