"""The directory as the engine reads it: who an address is (N3) and what is never logged (N2)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Final

from core.i18n import _
from core.rules.addresses import normalize_email
from core.rules.contact_index import ContactIndex, IndexedContacts, IndexedEmails, RecipientInfo
from core.rules.model import AccountSettings, Contact, User

USER: Final = "user"
CONTACT: Final = "contact"
UNKNOWN: Final = "unknown"
LOGGING_ADDRESS: Final = ("", False)  # the marker of a logging address in recipient_info


class NeverLogList:
    """N2: entries with ``@`` match one address; others are domains, subdomains included."""

    __slots__ = ("_addresses", "_domains", "_memo", "entries")

    def __init__(self, entries: Iterable[str]) -> None:
        self.entries: tuple[str, ...] = tuple(entries)
        self._addresses: set[str] = set()
        self._domains: set[str] = set()
        # address -> listed: the engine asks about the same senders and recipients again and
        # again, and a domain match walks the address's parent domains.
        self._memo: dict[str, bool] = {}
        for entry in self.entries:
            text = entry.strip().lower()
            if "@" in text and not text.startswith("@"):
                address = normalize_email(text)
                if address is not None:
                    self._addresses.add(address)
            else:
                domain = text.lstrip("@").strip(".")
                if domain:
                    self._domains.add(domain)

    def __bool__(self) -> bool:
        return bool(self._addresses or self._domains)

    def matches(self, email: str | None) -> bool:
        """Whether a normalised address is on the list (an unparseable one never is)."""
        if email is None:
            return False
        hit = self._memo.get(email)
        if hit is None:
            hit = email in self._addresses or self._domain_matches(email.rpartition("@")[2])
            self._memo[email] = hit
        return hit

    def _domain_matches(self, domain: str) -> bool:
        while domain:
            if domain in self._domains:
                return True
            domain = domain.partition(".")[2]
        return False


class Directory:
    """Settings, users and contacts of one account, indexed for one connected mailbox.

    With an ``index`` (a CRM portal's contacts in the cache), contacts are looked up one
    address at a time instead of held (``core.rules.contact_index``); ``contacts`` is unused.
    """

    def __init__(
        self,
        account: AccountSettings,
        users: Iterable[User],
        contacts: Iterable[Contact],
        mailbox_owner: str,
        index: ContactIndex | None = None,
    ) -> None:
        self.account = account
        self.users: dict[str, User] = {}
        self.contacts: Mapping[str, Contact] = {}
        self.user_of: dict[str, str] = {}
        self.contact_of: Mapping[str, str] = {}
        for user in users:
            self.users.setdefault(user.id, user)
            for written in (user.email, *user.connected, *user.aliases):
                if (email := normalize_email(written)) is not None:
                    self.user_of.setdefault(email, user.id)
        if index is None:
            self.contacts, self.contact_of = self._contacts(contacts)
        else:
            self.contacts = IndexedContacts(index)
            self.contact_of = IndexedEmails(index, self.user_of)
        self.mailbox_owner = mailbox_owner
        owner = self.users.get(mailbox_owner)
        personal = owner.never_log if owner is not None else ()
        self.never_log = NeverLogList((*account.never_log, *personal))
        self.listed: Callable[[str | None], bool] | None = (
            self.never_log.matches if self.never_log else None
        )
        self.logging_addresses: frozenset[str] = frozenset(
            email
            for written in (account.bcc_address, account.forward_address)
            if written and (email := normalize_email(written)) is not None
        )
        self.owner_address: str | None = self._owner_address(owner)
        # What the engine asks of every recipient, in one lookup: a logging address, or a
        # contact address with whether it is never-listed (N2).
        logging = dict.fromkeys(self.logging_addresses, LOGGING_ADDRESS)
        self.recipient_info: Mapping[str, tuple[str, bool]]
        # ``recipient_lookup`` is its ``get`` (None: neither), one C call for a known address.
        self.recipient_lookup: Callable[[str], tuple[str, bool] | None]
        if isinstance(self.contact_of, IndexedEmails):
            recipients = RecipientInfo(self.contact_of, self.never_log.matches, logging)
            self.recipient_info, self.recipient_lookup = recipients, recipients.lookup
        else:
            info = {e: (cid, self.never_log.matches(e)) for e, cid in self.contact_of.items()}
            self.recipient_info = info = info | logging
            self.recipient_lookup = info.get

    def prefetch(self, emails: Callable[[], Iterable[str]]) -> None:
        """About to ask for many addresses (a whole mailbox): look them up at once. ``emails``
        gives them, called only when there are contacts to look up (an index that has some)."""
        if isinstance(self.contact_of, IndexedEmails):
            self.contact_of.prefetch(emails)

    def _contacts(self, contacts: Iterable[Contact]) -> tuple[dict[str, Contact], dict[str, str]]:
        """Contacts held in memory (a scenario file): by id, and by address (N3)."""
        by_id: dict[str, Contact] = {}
        by_email: dict[str, str] = {}
        for contact in contacts:
            by_id.setdefault(contact.id, contact)
            for written in (contact.email, *contact.additional_emails):
                email = normalize_email(written)
                # N3: a user address stays a user address even when a contact shares it.
                if email is not None and email not in self.user_of:
                    by_email.setdefault(email, contact.id)
        return by_id, by_email

    @staticmethod
    def _owner_address(owner: User | None) -> str | None:
        """D1: the address a draft without From is sent from, the owner's connected one."""
        if owner is None:
            return None
        for written in (*owner.connected, owner.email):
            if (email := normalize_email(written)) is not None:
                return email
        return None

    def kind(self, email: str | None) -> str:
        """N3: ``user``, ``contact`` or ``unknown`` for a normalised address."""
        if email is None:
            return UNKNOWN
        if email in self.user_of:
            return USER
        return CONTACT if email in self.contact_of else UNKNOWN

    def user_label(self, user_id: str | None) -> str:
        if user_id is None:
            return _("nobody")
        user = self.users.get(user_id)
        return user.label if user is not None else user_id

    def contact_label(self, contact_id: str) -> str:
        contact = self.contacts.get(contact_id)
        return contact.label if contact is not None else contact_id

    def describe(self, email: str | None) -> str:
        """How a rep would name an address: "Lea Martin (contact, owner: Raj Patel)"."""
        if email is None:
            return _("an unreadable address")
        if (user_id := self.user_of.get(email)) is not None:
            return _("%(name)s (%(address)s, a user)") % {
                "name": self.user_label(user_id),
                "address": email,
            }
        if (contact_id := self.contact_of.get(email)) is not None:
            contact = self.contacts[contact_id]
            owner = self.user_label(contact.owner) if contact.owner else _("no owner")
            values = {"name": contact.name, "address": email, "owner": owner}
            if not contact.name:
                return _("%(address)s (a contact; owner: %(owner)s)") % values
            return _("%(name)s (%(address)s, a contact; owner: %(owner)s)") % values
        return _("%(address)s (not in the directory)") % {"address": email}
