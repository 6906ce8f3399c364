"""What a logged email is attached to, as HubSpot's BCC and forward logging attach it.

HubSpot's knowledge base: an email logged by BCC or forward is associated with the contact,
the contact's primary company and its five most recent open deals. Mailscope does the same
through the API: ``POST /crm/v4/associations/contacts/companies/batch/read`` gives each
contact's companies with their association types (type 1, HUBSPOT_DEFINED, is "Primary"), the
same for deals, then ``POST /crm/v3/objects/deals/batch/read`` their ``hs_is_closed`` and
``createdate``. The email is then created with associations of types 198 (contact), 186
(company) and 210 (deal) from the associations v4 guide's table of HUBSPOT_DEFINED types.

Reading companies and deals needs their read scopes: without them the email is still logged
on its contacts, and the result says what was left out. "Most recent" is by ``createdate``
[decision: HubSpot does not say which date].
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from core.crm.errors import MissingScopes
from core.crm.hubspot import HubSpotClient

CONTACT_TO_PRIMARY_COMPANY: Final = 1  # HUBSPOT_DEFINED "Primary" (contact -> company)
OPEN_DEALS: Final = 5
DEAL_PROPERTIES: Final = ["hs_is_closed", "createdate", "dealname"]


@dataclass(frozen=True, slots=True)
class Related:
    """The records to attach besides the contacts, and what could not be read."""

    companies: tuple[str, ...] = ()
    deals: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


def primary_companies(entries: Mapping[str, Sequence[Mapping[str, Any]]]) -> list[str]:
    """Each contact's primary company, from a v4 batch read of contacts -> companies."""
    found: list[str] = []
    for targets in entries.values():
        for target in targets:
            types = target.get("associationTypes") or ()
            primary = any(
                t.get("typeId") == CONTACT_TO_PRIMARY_COMPANY
                and t.get("category", "HUBSPOT_DEFINED") == "HUBSPOT_DEFINED"
                for t in types
            )
            company = str(target.get("toObjectId") or "")
            if primary and company and company not in found:
                found.append(company)
    return found


def recent_open_deals(
    per_contact: Mapping[str, Sequence[str]], deals: Iterable[Mapping[str, Any]]
) -> list[str]:
    """Up to ``OPEN_DEALS`` open deals per contact, most recently created first."""
    info = {str(d.get("id")): d.get("properties") or {} for d in deals}
    found: list[str] = []
    for ids in per_contact.values():
        open_ids = [i for i in ids if i in info and str(info[i].get("hs_is_closed")) != "true"]
        open_ids.sort(key=lambda i: str(info[i].get("createdate") or ""), reverse=True)
        for deal in open_ids[:OPEN_DEALS]:
            if deal not in found:
                found.append(deal)
    return found


def _targets(entries: Mapping[str, Sequence[Mapping[str, Any]]]) -> dict[str, list[str]]:
    return {
        source: [str(t.get("toObjectId")) for t in targets if t.get("toObjectId") is not None]
        for source, targets in entries.items()
    }


def _left_out(what: str, error: MissingScopes) -> str:
    return f"{what} not attached: the token lacks {' or '.join(error.required) or 'a scope'}"


def related_records(client: HubSpotClient, contact_ids: Sequence[str]) -> Related:
    """The primary companies and recent open deals of the contacts an email is logged on."""
    if not contact_ids:
        return Related()
    notes: list[str] = []
    companies: list[str] = []
    deals: list[str] = []
    try:
        companies = primary_companies(client.associations("contacts", "companies", contact_ids))
    except MissingScopes as error:
        notes.append(_left_out("companies", error))
    try:
        per_contact = _targets(client.associations("contacts", "deals", contact_ids))
        all_deals = [d for ids in per_contact.values() for d in ids]
        if all_deals:
            read = client.read_objects("deals", all_deals, DEAL_PROPERTIES)
            deals = recent_open_deals(per_contact, read)
    except MissingScopes as error:
        notes.append(_left_out("deals", error))
    return Related(tuple(companies), tuple(deals), tuple(notes))
