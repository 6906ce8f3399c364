"""An email logged through the API is attached as BCC logging attaches it: the contact, its
primary company, its five most recent open deals (association types 198, 186, 210)."""

from __future__ import annotations

from core.crm.hubspot_associations import Related, related_records
from core.crm.hubspot_emails import EmailLogger, KeyStrategy
from tests.crm.conftest import FakeClock, make_client
from tests.crm.test_hubspot_exactly_once import email
from tests.helpers.hubspot_server import OBJECT_SCOPES, FakeHubSpot


def _portal(hubspot: FakeHubSpot) -> tuple[str, str, list[str]]:
    lea = hubspot.add_contact(email="lea@client.example")
    primary = hubspot.add_company("Client SA")
    other = hubspot.add_company("Client Holding")
    hubspot.associate(lea, "companies", other)
    hubspot.associate(lea, "companies", primary, primary=True)
    deals = [hubspot.add_deal(f"Deal {n}", f"2026-0{n}-01T00:00:00Z") for n in range(1, 8)]
    closed = hubspot.add_deal("Won last year", "2026-09-01T00:00:00Z", closed=True)
    for deal in (*deals, closed):
        hubspot.associate(lea, "deals", deal)
    return lea, primary, deals


def test_the_primary_company_and_the_five_most_recent_open_deals(
    hubspot: FakeHubSpot, clock: FakeClock
) -> None:
    lea, primary, deals = _portal(hubspot)
    with make_client(hubspot, clock) as client:
        related = related_records(client, [lea])
    assert related == Related((primary,), tuple(reversed(deals[2:])), ())


def test_the_email_is_created_with_every_association(
    hubspot: FakeHubSpot, clock: FakeClock
) -> None:
    lea, primary, deals = _portal(hubspot)
    with make_client(hubspot, clock) as client:
        related = related_records(client, [lea])
        logged = EmailLogger(client, KeyStrategy()).log(
            email(), companies=related.companies, deals=related.deals
        )
    links = hubspot.emails[logged.email_id]["associations"]
    by_type: dict[int, list[str]] = {}
    for link in links:
        by_type.setdefault(link["types"][0]["associationTypeId"], []).append(link["to"]["id"])
    assert by_type == {198: ["901"], 186: [primary], 210: list(reversed(deals[2:]))}


def test_without_the_company_and_deal_scopes_the_contact_alone_is_attached(
    hubspot: FakeHubSpot, clock: FakeClock
) -> None:
    lea, _, _ = _portal(hubspot)
    hubspot.add_token("sk-objects", OBJECT_SCOPES)
    with make_client(hubspot, clock, token="sk-objects") as client:
        related = related_records(client, [lea])
    assert (related.companies, related.deals) == ((), ())
    assert related.notes == (
        "companies not attached: the token lacks crm.objects.companies.read",
        "deals not attached: the token lacks crm.objects.deals.read",
    )


def test_no_contact_means_no_lookup(hubspot: FakeHubSpot, clock: FakeClock) -> None:
    with make_client(hubspot, clock) as client:
        assert related_records(client, []) == Related()
    assert hubspot.requests == []
