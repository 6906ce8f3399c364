"""Delivering one outbox row to the CRM: the local ledger, HubSpot, or the SMTP forward.

``deliver`` performs the action and, in one transaction, records its effect (ledger entry,
new contacts) and marks the row done; the verdicts are then settled, so a logged message turns
to ``already_logged`` and its later replies to ``thread_reply``. What a log or a forward sends
is the ``LogRequest`` the click fixed (addresses parsed then, never again here); the Never-log
check (``core.crm.policy``) runs here once, against the directory of the moment (it may have
changed since the click).
"""

from __future__ import annotations

import hashlib
import sqlite3
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from core.crm import hubspot_portal
from core.crm.errors import CrmError, ForwardError
from core.crm.forward import SmtpSettings, forward
from core.crm.hubspot import HubSpotClient
from core.crm.hubspot_associations import related_records
from core.crm.hubspot_auth import (
    OAuthApp,
    OAuthSession,
    StaticToken,
    TokenSource,
    store_oauth,
    stored_client_secret,
    stored_oauth,
    stored_token,
)
from core.crm.hubspot_emails import Attempt, EmailLogger, IndexWait, KeyStrategy, probe_key_property
from core.crm.hubspot_shapes import EmailToLog
from core.crm.hubspot_transport import DEFAULT_BASE_URL, RetryPolicy
from core.crm.log_request import LogRequest, NewContact
from core.crm.policy import check_never_log
from core.crm.service import CrmConfig, CrmKind, CrmService
from core.i18n import _, lazy_pgettext
from core.mail.secrets import KeyringStore, SecretStore, smtp_key
from core.mail.source import Security
from core.rules.model import Contact
from core.store import ledger, outbox
from core.store.accounts import Account
from core.store.ledger import How, LedgerEntry
from core.store.outbox import Kind, OutboxItem
from core.store.transaction import write

if TYPE_CHECKING:
    from core.mail.sasl import BearerTokens

SMTP_SETTINGS = lazy_pgettext(
    "menu path", "CRM › Forwarding (SMTP)…"
)  # where a rep fixes a failed forward
# Forward failures the SMTP settings can fix (the others are the server's or the network's).
_SETTINGS_FAULTS = frozenset(
    {"auth", "insecure", "starttls", "certificate", "tls", "dns", "refused", "sender"}
)


class Channels:
    """How the worker reaches the CRMs: tokens and passwords from the keyring, read per use.

    One per worker: it keeps each portal's OAuth session (so a refreshed token is reused) and
    asks the portal's key property once per portal (then the cache remembers it).
    """

    def __init__(
        self,
        secrets: SecretStore | None = None,
        policy: RetryPolicy | None = None,
        index_wait: IndexWait | None = None,
    ):
        self._secrets = secrets
        self._policy = policy
        self.index_wait = index_wait or IndexWait()
        self._sessions: dict[str, OAuthSession] = {}

    def secrets(self) -> SecretStore:
        if self._secrets is None:
            self._secrets = KeyringStore()
        return self._secrets

    def auth(self, config: CrmConfig) -> TokenSource:
        """The bearer source of the account's portal: a sign-in, or a token."""
        portal = config.hubspot_portal
        if not portal:
            raise CrmError(
                _("This account logs to HubSpot but no portal is set: connect it again.")
            )
        if config.hubspot_auth != "oauth" or not config.hubspot_client_id:
            return StaticToken(stored_token(self.secrets(), portal))
        session = self._sessions.get(portal)
        if session is None:
            keys = self.secrets()
            app = OAuthApp(
                config.hubspot_client_id,
                stored_client_secret(keys, config.hubspot_client_id),
                api_url=config.hubspot_url or DEFAULT_BASE_URL,
            )
            session = OAuthSession(
                app, stored_oauth(keys, portal), lambda t: store_oauth(keys, portal, t)
            )
            self._sessions[portal] = session
        return session

    def hubspot(self, config: CrmConfig) -> HubSpotClient:
        return HubSpotClient(
            self.auth(config), base_url=config.hubspot_url or DEFAULT_BASE_URL, policy=self._policy
        )

    def strategy(
        self, conn: sqlite3.Connection, config: CrmConfig, client: HubSpotClient
    ) -> KeyStrategy:
        """How this portal's emails are found again: asked once, then read from the cache."""
        portal = str(config.hubspot_portal)
        known = hubspot_portal.load(conn, portal)
        if known is not None and known.strategy is not None:
            return known.strategy
        strategy = probe_key_property(client)
        hubspot_portal.save_strategy(conn, portal, strategy)
        return strategy

    def smtp_password(self, account: str) -> str | None:
        return self.secrets().get(smtp_key(account))

    def smtp_tokens(self, account: Account, password: str | None) -> BearerTokens | None:
        """The mail account's own sign-in for SMTP (AUTH XOAUTH2), when it has no password."""
        if password is not None or account.auth is None:
            return None
        from core.mail.accounts import tokens_of

        return tokens_of(account, self.secrets())


def local_contact_id(email: str) -> str:
    """A stable id for a contact created in the local CRM (asking twice gives the same one)."""
    return "local-" + hashlib.sha256(email.encode("utf-8")).hexdigest()[:12]


def _entry(
    item: OutboxItem, request: LogRequest, contacts: tuple[str, ...], how: How, crm_id: str | None
) -> LedgerEntry:
    return LedgerEntry(
        message_id=request.message_id or item.key,
        thread_key=request.thread_key,
        subject=request.subject,
        in_reply_to=request.in_reply_to,
        references=request.references,
        contacts=contacts,
        attributed_to=request.attributed_to,
        how=how,
        logged_at=time.time(),
        crm_id=crm_id,
    )


class Delivery:
    """Delivers rows of one account (a fresh one per row: the directory may have changed)."""

    def __init__(self, conn: sqlite3.Connection, account: Account, channels: Channels) -> None:
        self.conn = conn
        self.account = account
        self.service = CrmService(conn, account)
        self.config = self.service.config()
        self.channels = channels

    def run(self, item: OutboxItem) -> str:
        """Deliver; returns the result recorded on the row (a CRM id or a short note)."""
        if item.kind is Kind.CREATE_CONTACT:
            return self._create_contact(item)
        if item.kind is Kind.FORWARD:
            return self._forward(item)
        return self._log(item)

    # -- contacts --------------------------------------------------------------------------

    def _new_contact(self, client: HubSpotClient | None, p: Mapping[str, Any]) -> Contact:
        email = str(p["email"])
        first, last = str(p.get("first") or ""), str(p.get("last") or "")
        owner = p.get("owner") or self.service.directory().mailbox_owner
        if client is None:
            cid = local_contact_id(email)
        else:
            cid = client.create_contact(email, first, last, owner)
        return Contact(cid, email, " ".join(x for x in (first, last) if x), (), owner)

    def _create_contact(self, item: OutboxItem) -> str:
        client = self._client()
        try:
            contact = self._new_contact(client, item.payload)
        finally:
            if client is not None:
                client.close()
        with write(self.conn):
            self.service.upsert_contacts_in_transaction([contact])
            outbox.finish_in_transaction(self.conn, item.id, contact.id)
        self.service.settle()
        return contact.id

    def _client(self) -> HubSpotClient | None:
        return self.channels.hubspot(self.config) if self.config.crm == CrmKind.HUBSPOT else None

    # -- log -------------------------------------------------------------------------------

    def _contacts(self, client: HubSpotClient | None, request: LogRequest) -> tuple[str, ...]:
        """The request's contacts, after creating the new ones it asks for (idempotent)."""
        ids = list(request.contacts)
        created = [self._create(client, new, request.attributed_to) for new in request.new_contacts]
        if created:
            self.service.upsert_contacts(created)
            ids += [c.id for c in created]
        return tuple(sorted(set(ids)))

    def _create(self, client: HubSpotClient | None, new: NewContact, owner: str | None) -> Contact:
        return self._new_contact(
            client, {"email": new.email, "first": new.first, "last": new.last, "owner": owner}
        )

    def _log(self, item: OutboxItem) -> str:
        request = LogRequest.from_json(item.payload)
        client = self._client()
        try:
            contacts = self._contacts(client, request)
            check_never_log(self.service.directory(), contacts, request)
            crm_id, result = None, "logged"
            if client is not None:
                crm_id, result = self._log_in_hubspot(client, item, request, contacts)
        finally:
            if client is not None:
                client.close()
        how = How.HUBSPOT if client is not None else How.MANUAL
        return self._record(item, _entry(item, request, contacts, how, crm_id), result)

    def _log_in_hubspot(
        self,
        client: HubSpotClient,
        item: OutboxItem,
        request: LogRequest,
        contacts: tuple[str, ...],
    ) -> tuple[str, str]:
        """Create the email once (``core.crm.hubspot_emails``); the row keeps the path taken."""
        strategy = self.channels.strategy(self.conn, self.config, client)
        related = related_records(client, contacts)
        logger = EmailLogger(
            client,
            strategy,
            self.channels.index_wait,
            on_send=lambda at: outbox.mark_sent(self.conn, item.id, at, strategy.path.value),
        )
        attempt = Attempt(item.unknown or item.sent_at is not None, item.sent_at)
        logged = logger.log(
            _email(item, request, contacts), attempt, related.companies, related.deals
        )
        outbox.set_path(self.conn, item.id, logged.path.value)
        notes = "; ".join(related.notes)
        return logged.email_id, logged.email_id + (f" ({notes})" if notes else "")

    def _record(self, item: OutboxItem, entry: LedgerEntry, result: str) -> str:
        with write(self.conn):
            ledger.record(self.conn, self.account.id, entry)
            outbox.finish_in_transaction(self.conn, item.id, result)
        self.service.settle()
        return result

    # -- forward ---------------------------------------------------------------------------

    def _forward(self, item: OutboxItem) -> str:
        c = self.config
        if not c.smtp_host:
            raise CrmError(
                _("No SMTP server is set for forwards: add it in %(smtp_settings)s")
                % {"smtp_settings": SMTP_SETTINGS}
            )
        raw = outbox.raw_of(self.conn, item.id)
        if raw is None:
            raise CrmError(_("The original of this email was not kept: forward it again."))
        request = LogRequest.from_json(item.payload)
        check_never_log(self.service.directory(), request.contacts, request)
        sender = c.smtp_sender or self.service.current_user().email
        settings = SmtpSettings(
            host=c.smtp_host,
            port=c.smtp_port or 587,
            security=Security(c.smtp_security or Security.STARTTLS.value),
            username=c.smtp_user,
            ca_file=c.smtp_ca_file,
        )
        password = self.channels.smtp_password(self.account.name)
        try:
            forward(
                raw,
                settings=settings,
                password=password,
                sender=sender,
                forward_address=str(request.forward_address),
                tokens=self.channels.smtp_tokens(self.account, password),
            )
        except ForwardError as error:
            if error.kind in _SETTINGS_FAULTS:
                raise ForwardError(
                    error.kind,
                    _("%(error)s Check %(smtp_settings)s")
                    % {"error": error, "smtp_settings": SMTP_SETTINGS},
                ) from None
            raise
        entry = _entry(item, request, request.contacts, How.FORWARD, None)
        return self._record(item, entry, "forwarded")


def _email(item: OutboxItem, request: LogRequest, contacts: tuple[str, ...]) -> EmailToLog:
    assert request.timestamp is not None  # the click refuses an undated log
    return EmailToLog(
        key=item.key,
        timestamp=request.timestamp,
        direction=request.direction,
        owner_id=request.attributed_to,
        contact_ids=contacts,
        subject=request.subject or "",
        text=request.text,
        sender=request.sender,
        to=request.to,
        cc=request.cc,
        bcc=request.bcc,
    )
