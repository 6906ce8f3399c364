"""Logging an email in HubSpot exactly once, without trusting search.

HubSpot's search index lags behind creates (hubspot-api-php issue #59 and others: a new
object is invisible to search for seconds), so "search before re-sending" can send twice right
after a crash or a time-out. Two paths, chosen once per portal (``probe_key_property``) and
recorded on each outbox row:

- ``key``: the portal has the unique property ``mailscope_message_key`` (``hasUniqueValue``;
  creating it needs a ``crm.schemas.*.write`` scope). The email is created with its key in it;
  an attempt whose outcome is unknown reads it by key
  (``GET /crm/v3/objects/emails/{key}?idProperty=``), which does not go through search, and a
  duplicate create is refused by HubSpot itself (409), which is then read by key too.
- ``search``: no unique property (only the object scopes were granted). After an unknown
  outcome, Mailscope waits until the search index has caught up with the lost attempt before a
  negative search may decide to create again: ``SEARCH_INDEX_LAG`` seconds after the moment the
  lost attempt could last have been applied (its send time plus the request timeout, or now if
  sooner), at most ``SEARCH_INDEX_LAG`` from now. The search is on the earlier, non-unique
  ``mailscope_message_id`` when the portal has it, else on the fingerprint of
  ``core.crm.hubspot_shapes.fingerprint_search_body``.

``SEARCH_INDEX_LAG`` is 20 s [decision]: the reports measure a few seconds; four times that is
a bounded wait a rep only meets after a crash or a time-out, never on a normal log.
"""

from __future__ import annotations

import enum
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Final

from core.crm.errors import CrmError, MissingScopes, Rejected
from core.crm.hubspot import HubSpotClient
from core.crm.hubspot_shapes import (
    KEY_PROPERTY,
    MESSAGE_ID_PROPERTY,
    EmailToLog,
    email_body,
    fingerprint_search_body,
    key_property_body,
    same_email,
    search_body,
)
from core.crm.hubspot_transport import Json
from core.i18n import _

SEARCH_INDEX_LAG: Final = 20.0


class Path(enum.StrEnum):
    """How an email's single creation is guaranteed (recorded on its outbox row)."""

    KEY = "key"  # read by the unique property; HubSpot refuses a duplicate
    SEARCH = "search"  # search, after waiting out the index lag when an attempt was lost


@dataclass(frozen=True, slots=True)
class KeyStrategy:
    """What the portal offers to find an email again (learnt once, remembered per portal)."""

    key_property: str | None = None  # the unique property, when usable
    legacy_property: bool = False  # ``mailscope_message_id`` exists (non-unique)
    note: str = ""  # why there is no unique property, for the rep

    @property
    def path(self) -> Path:
        return Path.KEY if self.key_property else Path.SEARCH

    def written_property(self) -> str | None:
        """The property the key is written to on create."""
        if self.key_property:
            return self.key_property
        return MESSAGE_ID_PROPERTY if self.legacy_property else None


def probe_key_property(client: HubSpotClient, name: str = KEY_PROPERTY) -> KeyStrategy:
    """Find or create the unique key property; without the schema scope, say so and go on."""
    legacy = client.email_property(MESSAGE_ID_PROPERTY) is not None
    found = client.email_property(name)
    if found is not None and found.get("hasUniqueValue"):
        return KeyStrategy(name, legacy)
    if found is not None:
        return KeyStrategy(None, legacy, f"The property {name} exists but is not unique.")
    try:
        client.create_email_property(key_property_body(name))
    except MissingScopes as error:
        scopes = " or ".join(error.required) or "a crm.schemas write scope"
        note = _("Without %(scopes)s, a lost attempt is checked by search after a wait.") % {
            "scopes": scopes
        }
        return KeyStrategy(None, legacy, note)
    except Rejected as error:
        if error.status != 409:  # 409: created meanwhile (another app or process)
            raise
    return KeyStrategy(name, legacy)


@dataclass(frozen=True, slots=True)
class IndexWait:
    """The bounded wait for the search index after an attempt whose outcome is unknown."""

    lag: float = SEARCH_INDEX_LAG
    request_timeout: float = 30.0
    sleep: Callable[[float], None] = time.sleep
    now: Callable[[], float] = time.time

    def until_visible(self, sent_at: float | None) -> float:
        """Sleep until a create sent at ``sent_at`` is searchable; returns the seconds slept."""
        now = self.now()
        applied_by = now if sent_at is None else min(now, sent_at + self.request_timeout)
        wait = max(0.0, min(applied_by + self.lag - now, self.lag))
        if wait > 0:
            self.sleep(wait)
        return wait


@dataclass(frozen=True, slots=True)
class Attempt:
    """What the outbox knows of earlier tries: whether one may have reached HubSpot, when."""

    earlier: bool = False
    sent_at: float | None = None


@dataclass(frozen=True, slots=True)
class Logged:
    """The logged email's id, how exactly-once was kept, and what else is worth saying."""

    email_id: str
    path: Path
    found: bool = False  # an earlier attempt had created it
    waited: float = 0.0  # seconds spent waiting for the search index
    notes: tuple[str, ...] = field(default=())


class EmailLogger:
    """Creates one email in a portal, finding it instead when an earlier attempt made it."""

    def __init__(
        self,
        client: HubSpotClient,
        strategy: KeyStrategy,
        wait: IndexWait | None = None,
        on_send: Callable[[float], None] | None = None,
    ) -> None:
        self.client = client
        self.strategy = strategy
        self.wait = wait or IndexWait()
        self._on_send = on_send
        self._waited = 0.0

    def log(
        self,
        email: EmailToLog,
        attempt: Attempt = Attempt(),
        companies: tuple[str, ...] = (),
        deals: tuple[str, ...] = (),
    ) -> Logged:
        """Find the email of an earlier attempt, or create it (with its associations)."""
        path = self.strategy.path
        if attempt.earlier and (found := self.find(email, attempt.sent_at)) is not None:
            return Logged(found, path, True, self._waited)
        body = email_body(email, self.strategy.written_property(), companies, deals)
        sent_at = self.wait.now()
        if self._on_send is not None:
            self._on_send(sent_at)
        try:
            email_id = self.client.create_email(body, lambda: self._again(email, sent_at))
        except Rejected as error:
            if error.status != 409 or path is not Path.KEY:
                raise
            # hasUniqueValue: HubSpot refused a second email with this key; it is there.
            if (existing := self.client.email_by_key(email.key, self._key())) is None:
                raise
            return Logged(existing, path, True, self._waited)
        return Logged(email_id, path, False, self._waited)

    def find(self, email: EmailToLog, sent_at: float | None) -> str | None:
        """The id of this email if an earlier attempt created it (never a stale negative)."""
        if self.strategy.path is Path.KEY:
            return self.client.email_by_key(email.key, self._key())
        self._waited += self.wait.until_visible(sent_at)
        mine = self._search(email)
        return str(mine[0]["id"]) if mine else None

    def _search(self, email: EmailToLog) -> list[Json]:
        """The search hits that are this email: by its key in the legacy Message-ID property,
        else by its fingerprint, checked against its sender."""
        if self.strategy.legacy_property:
            hits = self.client.search_emails(search_body(email.key, MESSAGE_ID_PROPERTY))
            return [h for h in hits if _key_of(h) == email.key]
        hits = self.client.search_emails(fingerprint_search_body(email))
        return [h for h in hits if same_email(h, email)]

    def _again(self, email: EmailToLog, sent_at: float) -> Json | None:
        """Before the transport re-sends an ambiguous create: is it there after all?"""
        found = self.find(email, sent_at)
        return {"id": found} if found is not None else None

    def _key(self) -> str:
        if self.strategy.key_property is None:
            raise CrmError(_("No unique key property to read by."))
        return self.strategy.key_property


def _key_of(hit: Json) -> object:
    return (hit.get("properties") or {}).get(MESSAGE_ID_PROPERTY)
