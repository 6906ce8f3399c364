"""The team policy: its file, and the Never-log check every logged email passes.

The file: account settings and users as JSON, exported by one admin, imported by all.

Format: ``{"mailscope_policy": 1, "account": {...}, "users": [...]}`` with the scenario schema's
``account`` and ``users`` shapes (``spec/scenario.schema.json``). Importing replaces the
account settings and users (contacts and the ledger stay). An admin may import any policy; a
rep without account access may import the team's policy (that is how it reaches them) but not
one that would grant them account access, and an import never replaces the importer's own
personal Never-log list (it is theirs).

The check (:func:`check_never_log`): the HubSpot API does not apply the Never-log list to
integrations, so Mailscope does: once when an email is delivered (``core.crm.delivery``,
against the directory of that moment), after the click refused what it could already see
(``core.crm.actions``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any, Final, Protocol

from core.crm.errors import NeverLogged
from core.crm.permissions import Permission
from core.crm.service import CrmService
from core.i18n import _
from core.rules.addresses import Address, normalize_email
from core.rules.directory import Directory
from core.rules.model import Contact, User
from core.rules.scenario import ScenarioError
from core.store.directory import parse_directory
from core.store.verdicts import Settled

VERSION: Final = 1
MARK: Final = "mailscope_policy"


def _user(u: User) -> dict[str, Any]:
    return {
        "id": u.id,
        "name": u.name,
        "email": u.email,
        "connected": list(u.connected),
        "aliases": list(u.aliases),
        "personal_email_access": u.personal_email_access,
        "account_access": u.account_access,
        "never_log": list(u.never_log),
    }


def export_policy(service: CrmService) -> dict[str, Any]:
    """The account settings and users of an account, as a policy document."""
    directory = service.directory()
    a = directory.account
    return {
        MARK: VERSION,
        "account": {
            "logging_rule": a.logging_rule.value,
            "never_log": list(a.never_log),
            "bcc_address": a.bcc_address,
            "forward_address": a.forward_address,
            "create_contacts": a.create_contacts,
        },
        "users": [_user(u) for u in directory.users.values()],
    }


def import_policy(service: CrmService, doc: Any) -> Settled:
    """Replace settings and users from a policy document; raises ``ScenarioError`` or denies."""
    if not isinstance(doc, dict) or doc.get(MARK) != VERSION:
        raise ScenarioError(
            MARK,
            _("not a Mailscope policy file (expected %(mark)s: %(version)s)")
            % {"mark": MARK, "version": VERSION},
        )
    me = service.current_user()
    owner = me.id
    body = {k: v for k, v in doc.items() if k != MARK}
    scenario = parse_directory({**body, "contacts": [], "mailbox_owner": owner})
    if owner not in {u.id for u in scenario.users}:
        raise ScenarioError(
            "users", _("the policy has no user %(owner)r (this mailbox's owner)") % {"owner": owner}
        )
    mine = next(u for u in scenario.users if u.id == owner)
    if mine.account_access and not service.permission().allowed:
        Permission(
            False,
            _("This policy would grant you account access; only an account admin can do that."),
        ).check()
    if me.account_access and not mine.account_access:
        Permission(
            False, _("This policy would take your own account access away: ask another admin.")
        ).check()
    users = [replace(u, never_log=me.never_log) if u.id == owner else u for u in scenario.users]
    return service.replace_users(users, scenario.account, as_policy=True)


class Parties(Protocol):
    """Who takes part in an email (an engine ``Message``, a ``LogRequest``)."""

    @property
    def sender(self) -> Address | None: ...
    @property
    def to(self) -> tuple[Address, ...]: ...
    @property
    def cc(self) -> tuple[Address, ...]: ...
    @property
    def bcc(self) -> tuple[Address, ...]: ...


def check_never_log(
    directory: Directory, contact_ids: tuple[str, ...], email: Parties | None = None
) -> None:
    """Raise ``NeverLogged`` when a contact to associate is on the effective Never-log list.

    With ``email``, only the addresses through which a contact takes part in it count (N2);
    without, any address of the contact does. An id missing from the directory is refused too:
    what cannot be checked is not logged.
    """
    taking_part: set[str] | None = None
    if email is not None:
        people = (email.sender, *email.to, *email.cc, *email.bcc)
        taking_part = {a.email for a in people if a is not None and a.email is not None}
    for contact_id in contact_ids:
        contact = directory.contacts.get(contact_id)
        if contact is None:
            raise NeverLogged(
                _(
                    "Refusing to log to contact %(contact_id)s: it is not in the "
                    "directory, so the Never-log list cannot be checked; refresh "
                    "the contacts."
                )
                % {"contact_id": contact_id}
            )
        for address in _addresses(contact):
            if taking_part is not None and address not in taking_part:
                continue
            if directory.never_log.matches(address):
                raise NeverLogged(
                    _("Refusing to log: %(contact_label)s <%(address)s> is on the Never-log list.")
                    % {"contact_label": contact.label, "address": address}
                )


def _addresses(contact: Contact) -> Iterator[str]:
    for written in (contact.email, *contact.additional_emails):
        if (email := normalize_email(written)) is not None:
            yield email
