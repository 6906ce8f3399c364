"""Scopes as HubSpot enforces them: the object scopes are enough; the key property is optional
and checked once per portal; a 403 names ``errors[].context.requiredScopes``."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.crm import hubspot_connect, hubspot_portal
from core.crm.delivery import Channels
from core.crm.errors import MissingScopes
from core.crm.hubspot_emails import KeyStrategy, probe_key_property
from core.crm.hubspot_shapes import KEY_PROPERTY
from core.crm.service import CrmConfig
from core.store import db
from tests.crm.conftest import FakeClock, make_client
from tests.helpers.hubspot_server import ALL_SCOPES, OBJECT_SCOPES, FakeHubSpot

OBJECTS_ONLY = "sk-eu1-objects-only"
NO_CONTACTS = "sk-eu1-no-contacts"
PROPERTIES = "/crm/v3/properties/emails"


def test_a_403_names_the_scopes_hubspot_requires(hubspot: FakeHubSpot, clock: FakeClock) -> None:
    hubspot.add_token(NO_CONTACTS, frozenset({"crm.objects.owners.read"}))
    with make_client(hubspot, clock, token=NO_CONTACTS) as client:
        assert client.owners() == ()
        with pytest.raises(MissingScopes) as caught:
            client.contacts()
    assert caught.value.required == ("crm.objects.contacts.read",)
    message = str(caught.value)
    assert message.startswith("HubSpot refused: the token lacks the scope crm.objects.contacts")
    assert "CRM › Connect HubSpot" in message and "\n" not in message
    assert len(hubspot.seen("GET", "/crm/v3/objects/contacts")) == 1  # not retried


def test_without_the_schema_scope_the_property_is_skipped_not_an_error(
    hubspot: FakeHubSpot, clock: FakeClock
) -> None:
    hubspot.add_token(OBJECTS_ONLY, OBJECT_SCOPES)
    with make_client(hubspot, clock, token=OBJECTS_ONLY) as client:
        strategy = probe_key_property(client)
    assert strategy == KeyStrategy(
        None, False, "Without crm.schemas.contacts.write, a lost attempt is checked by search "
        "after a wait."
    )  # fmt: skip
    assert hubspot.email_properties == {}
    (refused,) = hubspot.seen("POST", PROPERTIES)
    assert refused.body["hasUniqueValue"] is True and refused.body["name"] == KEY_PROPERTY


def test_with_the_schema_scope_a_unique_property_is_created_once(
    hubspot: FakeHubSpot, clock: FakeClock
) -> None:
    with make_client(hubspot, clock) as client:
        first = probe_key_property(client)
        second = probe_key_property(client)  # found this time: not created again
    assert first == second == KeyStrategy(KEY_PROPERTY, False)
    assert len(hubspot.seen("POST", PROPERTIES)) == 1
    hubspot.add_email_property("mailscope_message_id", unique=False)  # the earlier, non-unique
    with make_client(hubspot, clock) as client:
        assert probe_key_property(client) == KeyStrategy(KEY_PROPERTY, True)


def test_an_existing_non_unique_property_of_that_name_is_not_trusted(
    hubspot: FakeHubSpot, clock: FakeClock
) -> None:
    hubspot.add_email_property(KEY_PROPERTY, unique=False)
    with make_client(hubspot, clock) as client:
        strategy = probe_key_property(client)
    assert strategy.key_property is None and "not unique" in strategy.note


def test_the_property_is_checked_once_per_portal_and_remembered(
    tmp_path: Path, hubspot: FakeHubSpot, clock: FakeClock
) -> None:
    conn = db.connect(tmp_path / "c.sqlite")
    config = CrmConfig(crm="hubspot", hubspot_portal="4455667", hubspot_url=hubspot.url)
    channels = Channels()
    with make_client(hubspot, clock) as client:
        assert channels.strategy(conn, config, client).key_property == KEY_PROPERTY
        assert channels.strategy(conn, config, client).key_property == KEY_PROPERTY
    assert len(hubspot.seen("GET", f"{PROPERTIES}/{KEY_PROPERTY}")) == 1
    other = Channels()  # another process: the cache remembers
    with make_client(hubspot, clock) as client:
        other.strategy(conn, config, client)
    assert len(hubspot.seen("GET", f"{PROPERTIES}/{KEY_PROPERTY}")) == 1
    hubspot_portal.save_connection(conn, "4455667", "mia@globex.example", ())  # reconnected
    info = hubspot_portal.load(conn, "4455667")
    assert info is not None and info.strategy is None  # checked again on the next log
    conn.close()


def _check(hubspot: FakeHubSpot, clock: FakeClock, token: str) -> hubspot_connect.Check:
    with make_client(hubspot, clock, token=token) as client:
        return hubspot_connect.check(client, "mia@globex.example")


def test_the_check_call_shows_portal_user_and_scopes(
    hubspot: FakeHubSpot, clock: FakeClock
) -> None:
    mia = hubspot.add_owner("mia@globex.example", "Mia", "Rossi")
    hubspot.add_token(OBJECTS_ONLY, OBJECT_SCOPES)
    found = _check(hubspot, clock, OBJECTS_ONLY)
    assert (found.portal, found.ui_domain, found.user) == (
        "4455667",
        "app-eu1.hubspot.com",
        "mia@globex.example",
    )
    assert found.owner is not None and found.owner.id == mia
    assert found.scopes == ("crm.objects.owners.read", "crm.objects.contacts.read")
    assert found.unproved == ("crm.objects.contacts.write",) and found.ok
    assert (found.bcc_address, found.forward_address) == (
        "4455667@bcc.hubspot.com",
        "4455667@forward.hubspot.com",
    )
    hubspot.add_token(NO_CONTACTS, frozenset({"crm.objects.owners.read"}))
    lacking = _check(hubspot, clock, NO_CONTACTS)
    assert lacking.missing == ("crm.objects.contacts.read",) and not lacking.ok


def test_every_scope_the_fake_knows_is_one_mailscope_asks_for() -> None:
    from core.crm.hubspot_shapes import OPTIONAL_SCOPES, REQUIRED_SCOPES

    assert set(REQUIRED_SCOPES) == OBJECT_SCOPES
    assert set(REQUIRED_SCOPES) | set(OPTIONAL_SCOPES) == ALL_SCOPES
