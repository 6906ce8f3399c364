"""Delivering one outbox row to the CRM: the local ledger, HubSpot, or the SMTP forward.

``deliver`` performs the action and, in one transaction, records its effect (ledger entry,
new contacts) and marks the row done; the verdicts are then settled, so a logged message turns
to ``already_logged`` and its later replies to ``thread_reply``. The Never-log guard runs again
against the directory of the moment (it may have changed since the click).
"""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final

from core.crm import ledger, outbox
from core.crm.errors import CrmError
from core.crm.forward import SmtpSettings, forward
from core.crm.hubspot import HubSpotClient, check_never_log
from core.crm.hubspot_shapes import Direction, EmailToLog
from core.crm.hubspot_transport import DEFAULT_BASE_URL, RetryPolicy
from core.crm.ledger import How, LedgerEntry
from core.crm.outbox import Kind, OutboxItem
from core.crm.secrets import CrmSecrets
from core.crm.service import CrmConfig, CrmKind, CrmService
from core.mail.source import Security
from core.rules.addresses import parse_address_list
from core.rules.messages import make_message
from core.rules.model import Contact, Message
from core.store.accounts import Account
from core.store.db import write

if TYPE_CHECKING:
    from core.mail.sasl import BearerTokens

# Test hook: kill this process right after the CRM accepted an action and before "done" is
# recorded, to prove that a restart neither loses nor doubles it (tests/crm/test_outbox_kill).
KILL_AFTER_SEND: Final = "MAILSCOPE_TEST_KILL_AFTER_SEND"


class Channels:
    """How the worker reaches the CRMs: tokens and passwords from the keyring, read per use."""

    def __init__(self, secrets: CrmSecrets | None = None, policy: RetryPolicy | None = None):
        self._secrets = secrets
        self._policy = policy
        self._prepared: set[str] = set()

    def secrets(self) -> CrmSecrets:
        if self._secrets is None:
            self._secrets = CrmSecrets()
        return self._secrets

    def hubspot(self, config: CrmConfig) -> HubSpotClient:
        if not config.hubspot_portal:
            raise CrmError("This account logs to HubSpot but no portal is set: connect it again.")
        token = self.secrets().hubspot_token(config.hubspot_portal)
        client = HubSpotClient(
            token, base_url=config.hubspot_url or DEFAULT_BASE_URL, policy=self._policy
        )
        if config.hubspot_portal not in self._prepared:
            client.ensure_message_id_property()
            self._prepared.add(config.hubspot_portal)
        return client

    def smtp_password(self, account: str) -> str | None:
        return self.secrets().smtp_password(account)

    def smtp_tokens(self, account: Account, password: str | None) -> BearerTokens | None:
        """The mail account's own sign-in for SMTP (AUTH XOAUTH2), when it has no password."""
        if password is not None or account.auth is None:
            return None
        from core.mail.accounts import tokens_of
        from core.mail.secrets import KeyringStore

        return tokens_of(account, KeyringStore())


def local_contact_id(email: str) -> str:
    """A stable id for a contact created in the local CRM (asking twice gives the same one)."""
    return "local-" + hashlib.sha256(email.encode("utf-8")).hexdigest()[:12]


def _message(item: OutboxItem) -> Message:
    p = item.payload
    return make_message(
        str(item.id),
        sender=p.get("from"),
        to=p.get("to") or (),
        cc=p.get("cc") or (),
        bcc=p.get("bcc") or (),
        subject=p.get("subject"),
        message_id=p.get("message_id"),
    )


def _entry(
    item: OutboxItem, contacts: tuple[str, ...], how: How, crm_id: str | None
) -> LedgerEntry:
    p = item.payload
    return LedgerEntry(
        message_id=str(p.get("message_id") or item.key),
        thread_key=p.get("thread_key"),
        subject=p.get("subject"),
        in_reply_to=p.get("in_reply_to"),
        references=tuple(p.get("references") or ()),
        contacts=contacts,
        attributed_to=p.get("attributed_to"),
        how=how,
        logged_at=time.time(),
        crm_id=crm_id,
    )


def _crash_point() -> None:
    if os.environ.get(KILL_AFTER_SEND):
        os.kill(os.getpid(), signal.SIGKILL)


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
        _crash_point()
        with write(self.conn):
            self.service.upsert_contacts_in_transaction([contact])
            outbox.finish_in_transaction(self.conn, item.id, contact.id)
        self.service.settle()
        return contact.id

    def _client(self) -> HubSpotClient | None:
        return self.channels.hubspot(self.config) if self.config.crm == CrmKind.HUBSPOT else None

    # -- log -------------------------------------------------------------------------------

    def _contacts(self, client: HubSpotClient | None, item: OutboxItem) -> tuple[str, ...]:
        """The payload's contacts, after creating the new ones it asks for (idempotent)."""
        p = item.payload
        ids = list(p.get("contacts") or ())
        names = p.get("new_contact_names") or {}
        created = [
            self._new_contact(
                client,
                {"email": e, "owner": p.get("attributed_to"), **_named(names.get(e))},
            )
            for e in p.get("new_contacts") or ()
        ]
        if created:
            self.service.upsert_contacts(created)
            ids += [c.id for c in created]
        return tuple(sorted(set(ids)))

    def _log(self, item: OutboxItem) -> str:
        client = self._client()
        try:
            contacts = self._contacts(client, item)
            message = _message(item)
            check_never_log(self.service.directory(), contacts, message)
            crm_id = None
            if client is not None:
                email = self._email(item, contacts, message)
                check_first = item.unknown or item.attempts > 1
                crm_id = client.create_email(
                    email, self.service.directory(), message=message, check_first=check_first
                )
        finally:
            if client is not None:
                client.close()
        _crash_point()
        how = How.HUBSPOT if client is not None else How.MANUAL
        return self._record(item, _entry(item, contacts, how, crm_id), crm_id or "logged")

    def _email(self, item: OutboxItem, contacts: tuple[str, ...], m: Message) -> EmailToLog:
        p = item.payload
        return EmailToLog(
            key=item.key,
            timestamp=float(p["timestamp"]),
            direction=Direction(p["direction"]),
            owner_id=p.get("attributed_to"),
            contact_ids=contacts,
            subject=p.get("subject") or "",
            text=p.get("text") or "",
            sender=m.sender,
            to=parse_address_list(", ".join(p.get("to") or ())),
            cc=parse_address_list(", ".join(p.get("cc") or ())),
            bcc=parse_address_list(", ".join(p.get("bcc") or ())),
        )

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
            raise CrmError("No SMTP server is set for forwards: add it in the CRM settings.")
        raw = outbox.raw_of(self.conn, item.id)
        if raw is None:
            raise CrmError("The original of this email was not kept: forward it again.")
        directory = self.service.directory()
        contacts = tuple(item.payload.get("contacts") or ())
        check_never_log(directory, contacts, _message(item))
        sender = c.smtp_sender or self.service.current_user().email
        settings = SmtpSettings(
            host=c.smtp_host,
            port=c.smtp_port or 587,
            security=Security(c.smtp_security or Security.STARTTLS.value),
            username=c.smtp_user,
            ca_file=c.smtp_ca_file,
        )
        password = self.channels.smtp_password(self.account.name)
        forward(
            raw,
            settings=settings,
            password=password,
            sender=sender,
            forward_address=str(item.payload["forward_address"]),
            tokens=self.channels.smtp_tokens(self.account, password),
        )
        _crash_point()
        return self._record(item, _entry(item, contacts, How.FORWARD, None), "forwarded")


def _named(name: list[str] | None) -> dict[str, str]:
    """The first and last name the click recorded for a new contact (JSON: a list of two)."""
    first, last = name if name else ("", "")
    return {"first": first, "last": last}
