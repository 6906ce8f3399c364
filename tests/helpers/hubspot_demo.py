"""The demo workspace's people as a HubSpot portal: its users as owners, its contacts."""

from __future__ import annotations

import json

from resources.demo import DIRECTORY
from tests.helpers.hubspot_server import FakeHubSpot


def fill_from_demo(hubspot: FakeHubSpot) -> dict[str, str]:
    """Add the demo's users as owners and its contacts; returns demo user id -> owner id."""
    doc = json.loads(DIRECTORY.read_text(encoding="utf-8"))
    owners: dict[str, str] = {}
    for user in doc["users"]:
        first, _, last = user.get("name", "").partition(" ")
        owners[user["id"]] = hubspot.add_owner(user["email"], first, last)
    for contact in doc["contacts"]:
        first, _, last = contact.get("name", "").partition(" ")
        props = {"email": contact["email"], "firstname": first, "lastname": last}
        if contact.get("additional_emails"):
            props["hs_additional_emails"] = ";".join(contact["additional_emails"])
        if contact.get("owner"):
            props["hubspot_owner_id"] = owners[contact["owner"]]
        hubspot.add_contact(**props)
    return owners
