"""Connecting an account to HubSpot: the check call, then what is stored where.

``check`` is what the "Connect HubSpot" dialog (and ``mailscope crm hubspot``) shows before
anything is saved: the portal (``GET /account-info/v3/details``), the user (for a sign-in,
the token's user; for a Service Key, the owner whose address is the mailbox's) and the scopes.
A sign-in's scopes come from HubSpot; a Service Key's cannot be listed, so each read scope
Mailscope needs is proved by one small read, and a refusal names what is missing from
``errors[].context.requiredScopes``. Write scopes cannot be proved without writing: they are
checked by the first log.

``connect`` then stores the secret in the keyring, where the account logs in ``crm_settings``,
and what the check learnt in ``hubspot_portals``. Loading owners and contacts is a separate
step (``core.crm.refresh``) with progress and Cancel.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Final

from core.crm import hubspot_portal
from core.crm.errors import MissingScopes
from core.crm.hubspot import HubSpotClient
from core.crm.hubspot_auth import (
    Grant,
    OAuthApp,
    forget_portal,
    store_client_secret,
    store_oauth,
    store_token,
)
from core.crm.hubspot_shapes import REQUIRED_SCOPES, Owner
from core.crm.refresh import Loading, refresh_from_hubspot
from core.crm.service import CrmConfig, CrmKind, CrmService
from core.i18n import _
from core.mail.secrets import KeyringStore, SecretStore
from core.rules.model import AccountSettings
from core.store.verdicts import Settled

TOKEN: Final = "token"
OAUTH: Final = "oauth"
WRITE_SCOPES: Final = ("crm.objects.contacts.write",)


@dataclass(frozen=True, slots=True)
class Check:
    """What the check call found (nothing stored yet)."""

    portal: str
    ui_domain: str | None
    time_zone: str | None
    user: str | None  # the signed-in user, or the mailbox's owner in HubSpot
    owner: Owner | None  # the HubSpot owner whose address is the mailbox's
    scopes: tuple[str, ...]  # granted, as far as known
    missing: tuple[str, ...]  # required scopes HubSpot says are missing
    unproved: tuple[str, ...]  # required scopes only the first log can prove

    @property
    def bcc_address(self) -> str:
        return f"{self.portal}@bcc.hubspot.com"

    @property
    def forward_address(self) -> str:
        return f"{self.portal}@forward.hubspot.com"

    @property
    def ok(self) -> bool:
        return not self.missing


def _probe(read: Callable[[], object], scope: str, granted: list[str], missing: list[str]) -> None:
    try:
        read()
    except MissingScopes as error:
        missing.extend(s for s in (error.required or (scope,)) if s not in missing)
        return
    granted.append(scope)


def check(client: HubSpotClient, mailbox: str | None, grant: Grant | None = None) -> Check:
    """The check call: portal, user and scopes (see the module docstring)."""
    details = client.details()
    portal = str(details.get("portalId") or (grant.hub_id if grant else "") or "")
    granted: list[str] = []
    missing: list[str] = []
    owner: Owner | None = None

    def find_owner() -> None:
        nonlocal owner
        owner = client.owner_by_email(mailbox) if mailbox else None
        if not mailbox:
            client.transport.get("/crm/v3/owners", {"limit": 1})

    _probe(find_owner, "crm.objects.owners.read", granted, missing)
    if grant is not None and grant.scopes:
        granted = list(grant.scopes)
        missing = [s for s in REQUIRED_SCOPES if s not in grant.scopes]
        unproved: tuple[str, ...] = ()
    else:
        contacts_read = "crm.objects.contacts.read"
        _probe(
            lambda: client.transport.get("/crm/v3/objects/contacts", {"limit": 1}),
            contacts_read,
            granted,
            missing,
        )
        unproved = WRITE_SCOPES
    user = owner.email if owner is not None else None
    return Check(
        portal=portal,
        ui_domain=details.get("uiDomain"),
        time_zone=details.get("timeZone"),
        user=user,
        owner=owner,
        scopes=tuple(granted),
        missing=tuple(missing),
        unproved=unproved,
    )


def with_user(result: Check, user: str | None) -> Check:
    """The check with the signed-in user named (from the token's introspection)."""
    return replace(result, user=user or result.user)


def connect(
    service: CrmService,
    result: Check,
    *,
    secrets: SecretStore,
    url: str | None = None,
    token: str | None = None,
    grant: Grant | None = None,
    app: OAuthApp | None = None,
) -> CrmConfig:
    """Store the secret in the keyring and where the account logs (account access needed)."""
    service.permission().check()
    portal = result.portal
    if grant is not None and app is not None:
        store_client_secret(secrets, app.client_id, app.client_secret)
        store_oauth(secrets, portal, grant.tokens)
        kind, client_id = OAUTH, app.client_id
    elif token is not None:
        store_token(secrets, portal, token)
        kind, client_id = TOKEN, None
    else:
        raise ValueError(_("connect needs a token or a sign-in"))
    old = service.config()
    config = replace(
        old,
        crm=CrmKind.HUBSPOT,
        hubspot_portal=portal,
        hubspot_url=url,
        hubspot_auth=kind,
        hubspot_client_id=client_id,
    )
    service.set_config(config)
    hubspot_portal.save_connection(service.conn, portal, result.user, result.scopes)
    return config


def disconnect(service: CrmService, secrets: SecretStore) -> None:
    """Back to the local CRM; the portal's secrets leave the keyring (the directory stays)."""
    config = service.config()
    service.permission().check()
    if config.hubspot_portal:
        forget_portal(secrets, config.hubspot_portal)
    service.set_config(
        replace(config, crm=CrmKind.LOCAL, hubspot_auth=None, hubspot_client_id=None)
    )


def portal_of(conn: sqlite3.Connection, portal: str) -> hubspot_portal.PortalInfo | None:
    return hubspot_portal.load(conn, portal)


@dataclass(frozen=True, slots=True)
class Credentials:
    """What the rep gave: a token, or a sign-in (its grant and app). Never shown, never logged."""

    url: str | None = None
    token: str | None = field(default=None, repr=False)
    grant: Grant | None = field(default=None, repr=False)
    app: OAuthApp | None = None

    @property
    def bearer(self) -> str:
        if self.grant is not None:
            return self.grant.tokens.access_token
        return self.token or ""


def run_check(credentials: Credentials, mailbox: str | None) -> tuple[Check, tuple[Owner, ...]]:
    """The check call, and the owners to choose from when none has the mailbox's address."""
    from core.crm.hubspot_oauth import introspect
    from core.crm.hubspot_transport import DEFAULT_BASE_URL

    url = credentials.url or DEFAULT_BASE_URL
    with HubSpotClient(credentials.bearer, base_url=url) as client:
        result = check(client, mailbox, credentials.grant)
        owners: tuple[Owner, ...] = ()
        if result.owner is None and "crm.objects.owners.read" in result.scopes:
            owners = tuple(o for o in client.owners() if not o.archived)
    if credentials.app is not None and credentials.grant is not None:
        result = with_user(result, introspect(credentials.app, credentials.bearer).user)
    return result, owners


def connect_and_load(
    service: CrmService,
    result: Check,
    credentials: Credentials,
    settings: AccountSettings,
    *,
    owner_id: str | None = None,
    progress: Callable[[Loading], None] | None = None,
    cancel: threading.Event | None = None,
) -> Settled:
    """Store the connection and the account settings, then load owners and contacts."""
    from core.crm.delivery import Channels

    secrets = KeyringStore()
    connect(
        service,
        result,
        secrets=secrets,
        url=credentials.url,
        token=credentials.token,
        grant=credentials.grant,
        app=credentials.app,
    )
    service.apply_settings(settings)
    with Channels(secrets).hubspot(service.config()) as client:
        return refresh_from_hubspot(
            service, client, owner_id=owner_id, progress=progress, cancel=cancel
        )
