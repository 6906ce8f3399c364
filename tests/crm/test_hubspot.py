"""The HubSpot connector against a real HTTP server playing the documented CRM v3 shapes."""

from __future__ import annotations

import json

import pytest

from core.crm.errors import NeverLogged, Rejected
from core.crm.hubspot import HubSpotClient
from core.crm.hubspot_shapes import (
    Direction,
    EmailToLog,
    Owner,
    email_body,
    email_to_log,
    stamp_ms,
)
from core.crm.policy import check_never_log
from core.rules.addresses import parse_address_list
from core.rules.directory import Directory
from core.rules.engine import LoggedState, decide
from core.rules.messages import make_message
from core.rules.model import AccountSettings, Contact, LoggingRule, User
from tests.crm.conftest import TOKEN, FakeClock
from tests.helpers.hubspot_server import FakeHubSpot, Fault

BEARER = f"Bearer {TOKEN}"
CONTACT_QUERY = "email,hs_additional_emails,hubspot_owner_id,firstname,lastname"


def directory(never_log: tuple[str, ...] = ()) -> Directory:
    account = AccountSettings(logging_rule=LoggingRule.ALL, never_log=never_log)
    users = [User(id="501", email="raj@acme.example", name="Raj Patel")]
    contacts = [
        Contact(id="901", email="lea@client.example", name="Lea Martin", owner="501"),
        Contact(
            id="902",
            email="tom@other.example",
            additional_emails=("tom@blocked.example",),
            owner="501",
        ),
    ]
    return Directory(account, users, contacts, mailbox_owner="501")


def outbound(key: str = "abc@acme.example", contacts: tuple[str, ...] = ("901",)) -> EmailToLog:
    return EmailToLog(
        key=key,
        timestamp=1_767_225_600.25,  # 2026-01-01T00:00:00.250Z
        direction=Direction.OUTBOUND,
        owner_id="501",
        contact_ids=contacts,
        subject="Pricing for Q1",
        text="Hi Lea, here are the numbers.",
        sender=parse_address_list("Raj Patel <raj@acme.example>")[0],
        to=parse_address_list("Lea Martin <lea@client.example>"),
        cc=parse_address_list("ops@acme.example"),
    )


def test_the_portal_id_tells_which_account_the_token_opens(
    hubspot: FakeHubSpot, client: HubSpotClient
) -> None:
    assert client.portal_id() == "4455667"
    (request,) = hubspot.seen("GET", "/account-info/v3/details")
    assert request.authorization == BEARER


def test_owners_are_read_page_by_page_with_the_bearer_token(
    hubspot: FakeHubSpot, client: HubSpotClient
) -> None:
    hubspot.page_size = 2
    raj = hubspot.add_owner("raj@acme.example", "Raj", "Patel")
    hubspot.add_owner("ana@acme.example", "Ana", "")
    gone = hubspot.add_owner("old@acme.example", "Old", "Timer", archived=True)

    owners = client.owners()

    assert [o.id for o in owners] == [raj, owners[1].id, gone]
    assert owners[0] == Owner(raj, "raj@acme.example", "Raj", "Patel", int(raj) + 5000, False)
    assert owners[2].archived
    seen = hubspot.seen("GET", "/crm/v3/owners")
    assert [r.query for r in seen] == [
        {"archived": "false", "limit": "100"},
        {"archived": "false", "limit": "100", "after": "2"},
    ]
    assert all(r.authorization == BEARER for r in seen)


def test_users_are_the_active_owners_keyed_by_owner_id(
    hubspot: FakeHubSpot, client: HubSpotClient
) -> None:
    raj = hubspot.add_owner("raj@acme.example", "Raj", "Patel")
    hubspot.add_owner("old@acme.example", archived=True)
    assert client.users() == (User(id=raj, email="raj@acme.example", name="Raj Patel"),)


def test_contacts_are_read_with_their_emails_owner_and_names(
    hubspot: FakeHubSpot, client: HubSpotClient
) -> None:
    hubspot.page_size = 2
    lea = hubspot.add_contact(
        email="lea@client.example",
        firstname="Lea",
        lastname="Martin",
        hs_additional_emails="lea.m@client.example; lea@home.example",
        hubspot_owner_id="501",
    )
    bare = hubspot.add_contact(email="x@y.example")
    third = hubspot.add_contact(email="z@y.example", firstname="Zoe")

    contacts = client.contacts()

    assert contacts == (
        Contact(
            lea,
            "lea@client.example",
            "Lea Martin",
            ("lea.m@client.example", "lea@home.example"),
            "501",
        ),
        Contact(bare, "x@y.example"),
        Contact(third, "z@y.example", "Zoe"),
    )
    seen = hubspot.seen("GET", "/crm/v3/objects/contacts")
    assert [r.query for r in seen] == [
        {"properties": CONTACT_QUERY, "limit": "100"},
        {"properties": CONTACT_QUERY, "limit": "100", "after": "2"},
    ]


def test_create_email_sends_the_documented_properties_and_associations(
    hubspot: FakeHubSpot, client: HubSpotClient
) -> None:
    body = email_body(outbound(contacts=("901", "902")), companies=("71",), deals=("81", "82"))
    email_id = client.create_email(body)

    (request,) = hubspot.seen("POST", "/crm/v3/objects/emails")
    assert request.authorization == BEARER
    props = request.body["properties"]
    assert {k: v for k, v in props.items() if k != "hs_email_headers"} == {
        "hs_timestamp": f"2026-01-01T00:00:00.{stamp_ms(outbound()) % 1000:03d}Z",
        "hubspot_owner_id": "501",
        "hs_email_direction": "EMAIL",
        "hs_email_subject": "Pricing for Q1",
        "hs_email_text": "Hi Lea, here are the numbers.",
        "mailscope_message_key": "abc@acme.example",
    }
    assert json.loads(props["hs_email_headers"]) == {
        "from": {"email": "raj@acme.example", "firstName": "Raj", "lastName": "Patel"},
        "to": [{"email": "lea@client.example", "firstName": "Lea", "lastName": "Martin"}],
        "cc": [{"email": "ops@acme.example", "firstName": "", "lastName": ""}],
        "bcc": [],
    }

    def kind(type_id: int) -> list[dict[str, object]]:
        return [{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": type_id}]

    assert request.body["associations"] == [
        {"to": {"id": "901"}, "types": kind(198)},
        {"to": {"id": "902"}, "types": kind(198)},
        {"to": {"id": "71"}, "types": kind(186)},
        {"to": {"id": "81"}, "types": kind(210)},
        {"to": {"id": "82"}, "types": kind(210)},
    ]
    assert list(hubspot.emails) == [email_id]


def test_the_timestamp_carries_a_fingerprint_of_the_key_in_its_milliseconds() -> None:
    one, other = stamp_ms(outbound("a@x")), stamp_ms(outbound("b@x"))
    assert one // 1000 == other // 1000 == 1_767_225_600  # the Date's second is kept
    assert one == stamp_ms(outbound("a@x")) and one != other
    without_key = email_body(outbound(), key_property=None)["properties"]
    assert not any(name.startswith("mailscope") for name in without_key)


def test_a_never_listed_contact_is_refused_before_any_request(
    hubspot: FakeHubSpot, client: HubSpotClient
) -> None:
    with pytest.raises(NeverLogged, match=r"tom@blocked\.example> is on the Never-log list"):
        check_never_log(directory(("blocked.example",)), ("901", "902"))
    assert hubspot.requests == []


def test_the_guard_refuses_unknown_contacts_and_listed_addresses() -> None:
    listed = directory(("lea@client.example",))
    check_never_log(listed, ("902",))
    with pytest.raises(NeverLogged, match=r"Lea Martin <lea@client\.example>"):
        check_never_log(listed, ("901",))
    with pytest.raises(NeverLogged, match="not in the directory"):
        check_never_log(listed, ("999",))


def test_with_the_message_only_the_addresses_taking_part_count() -> None:
    blocked = directory(("blocked.example",))
    message = make_message("m1", sender="raj@acme.example", to=["tom@other.example"])
    check_never_log(blocked, ("902",), message)
    via_blocked = make_message("m2", sender="raj@acme.example", to=["tom@blocked.example"])
    with pytest.raises(NeverLogged):
        check_never_log(blocked, ("902",), via_blocked)


def test_email_to_log_follows_the_verdict() -> None:
    found = directory()
    message = make_message(
        "m1",
        folder="inbox",
        date="Thu, 01 Jan 2026 09:30:00 +0000",
        sender="Lea Martin <lea@client.example>",
        to=["raj@acme.example"],
        subject="Re: Pricing",
        message_id="<reply-1@client.example>",
    )
    verdict = decide(message, found, LoggedState())
    assert verdict.logged
    email = email_to_log(message, verdict, found, text="Thanks!")
    assert email.key == "<reply-1@client.example>"
    assert email.direction is Direction.INBOUND
    assert email.owner_id == verdict.attributed_to
    assert email.contact_ids == ("901",)
    assert email.timestamp == 1_767_259_800.0
    with pytest.raises(ValueError, match="idempotency key"):
        email_to_log(make_message("m2"), verdict, found)


def test_create_contact_returns_the_new_id_then_the_existing_one_on_conflict(
    hubspot: FakeHubSpot, client: HubSpotClient
) -> None:
    created = client.create_contact("new@client.example", "New", "Person", "501")
    assert client.create_contact("NEW@client.example") == created
    requests = hubspot.seen("POST", "/crm/v3/objects/contacts")
    assert requests[0].body == {
        "properties": {
            "email": "new@client.example",
            "firstname": "New",
            "lastname": "Person",
            "hubspot_owner_id": "501",
        }
    }
    assert len(requests) == 2
    assert list(hubspot.contacts) == [created]


def test_other_client_errors_carry_hubspots_message(
    hubspot: FakeHubSpot, client: HubSpotClient
) -> None:
    bad = EmailToLog(
        key="k", timestamp=0.0, direction=Direction.INBOUND, owner_id=None, contact_ids=()
    )
    body = {"status": "error", "message": "Property values were not valid", "category": "X"}
    hubspot.fail_next("POST", "/crm/v3/objects/emails", Fault(status=400, body=body))
    with pytest.raises(Rejected, match=r"^HubSpot refused the request \(400\): Property values"):
        client.create_email(email_body(bad))
    assert len(hubspot.seen("POST", "/crm/v3/objects/emails")) == 1


def test_announced_limits_slow_the_client_down(
    hubspot: FakeHubSpot, client: HubSpotClient, clock: FakeClock
) -> None:
    hubspot.page_size = 1
    for n in range(3):
        hubspot.add_owner(f"u{n}@acme.example")
    hubspot.rate_remaining = 21  # after each answer: one more fits before the 20% reserve

    assert len(client.owners()) == 3
    assert clock.sleeps == [pytest.approx(10.0)]  # the third page waits for the next window
