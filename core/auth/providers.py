"""The sign-in presets (Google, Microsoft 365) and a custom provider found by OpenID discovery.

Mailscope ships no client secret: it is a public client (RFC 8252) and proves itself with PKCE.
Client ids are settings. Each account keeps the one it signed in with; a new account takes
``--client-id``, else the organisation's file ``<data folder>/oauth2-clients.json``
(``{"google": {"client_id": "..."}, "microsoft": {"client_id": "...", "tenant": "..."}}``),
else the built-in default below. Mailscope has no app registration of its own yet, so the
built-in defaults are empty and signing in names the file to fill.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Final

from core.auth.errors import OAuthError
from core.i18n import _

CLIENTS_FILE: Final = "oauth2-clients.json"
BUILTIN_CLIENT_IDS: Final[dict[str, str]] = {"google": "", "microsoft": ""}
OPENID: Final = ("openid", "email")


@dataclass(frozen=True, slots=True)
class OAuthProvider:
    """Where to sign in and what to ask for; ``issuer`` may hold ``{tenantid}`` (Microsoft)."""

    key: str  # google, microsoft or custom
    label: str  # for "Sign in with <label>"
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    scopes: tuple[str, ...]
    client_id: str = ""
    extra_params: tuple[tuple[str, str], ...] = ()


GOOGLE: Final = OAuthProvider(
    key="google",
    label="Google",
    issuer="https://accounts.google.com",
    authorization_endpoint="https://accounts.google.com/o/oauth2/v2/auth",
    token_endpoint="https://oauth2.googleapis.com/token",
    scopes=("https://mail.google.com/", *OPENID),
    # A refresh token comes only with offline access; consent makes Google send a new one.
    extra_params=(("access_type", "offline"), ("prompt", "consent")),
)

_MS: Final = "https://login.microsoftonline.com"
MICROSOFT: Final = OAuthProvider(
    key="microsoft",
    label="Microsoft",
    issuer=_MS + "/{tenantid}/v2.0",
    authorization_endpoint=_MS + "/{tenant}/oauth2/v2.0/authorize",
    token_endpoint=_MS + "/{tenant}/oauth2/v2.0/token",
    scopes=(
        "https://outlook.office.com/IMAP.AccessAsUser.All",
        "https://outlook.office.com/SMTP.Send",
        "offline_access",
        *OPENID,
    ),
)
PRESETS: Final = {"google": GOOGLE, "microsoft": MICROSOFT}
KINDS: Final = ("google", "microsoft", "custom")


@dataclass(frozen=True, slots=True)
class OAuthConfig:
    """What an account keeps about its sign-in (no secret): the provider, issuer, client id."""

    provider: str  # google, microsoft or custom
    client_id: str = ""
    issuer: str | None = None  # custom only
    tenant: str | None = None  # microsoft only: a tenant id or domain; default "common"

    def to_json(self) -> str:
        fields = {"method": "oauth2", "provider": self.provider, "client_id": self.client_id}
        fields |= {k: v for k, v in (("issuer", self.issuer), ("tenant", self.tenant)) if v}
        return json.dumps(fields, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> OAuthConfig:
        fields = json.loads(text)
        return cls(
            provider=str(fields["provider"]),
            client_id=str(fields.get("client_id") or ""),
            issuer=fields.get("issuer"),
            tenant=fields.get("tenant"),
        )


def configured_clients(folder: Path) -> dict[str, dict[str, str]]:
    """The organisation's client ids (``oauth2-clients.json`` in ``folder``), if any."""
    path = folder / CLIENTS_FILE
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as error:
        raise OAuthError(
            _("%(path)s cannot be read: %(error)s") % {"path": path, "error": error}
        ) from None
    if not isinstance(document, dict):
        raise OAuthError(_("%(path)s: expected an object of providers") % {"path": path})
    return {k: v for k, v in document.items() if isinstance(v, dict)}


def default_config(kind: str, folder: Path) -> OAuthConfig:
    """A preset's config with the organisation's client id (else the built-in one)."""
    entry = configured_clients(folder).get(kind, {})
    client_id = str(entry.get("client_id") or BUILTIN_CLIENT_IDS.get(kind, ""))
    tenant = entry.get("tenant") if kind == "microsoft" else None
    return OAuthConfig(kind, client_id, tenant=str(tenant) if tenant else None)


def preset(config: OAuthConfig, folder: Path) -> OAuthProvider:
    """The Google or Microsoft preset for ``config``, with its client id and tenant."""
    base = PRESETS[config.provider]
    if not config.client_id:
        raise OAuthError(
            _(
                "no %(base_label)s client id is set: enter your "
                "organisation's (ask your administrator), or put it in "
                "%(value)s"
            )
            % {"base_label": base.label, "value": folder / CLIENTS_FILE}
        )
    tenant = config.tenant or "common"
    return replace(
        base,
        client_id=config.client_id,
        authorization_endpoint=base.authorization_endpoint.replace("{tenant}", tenant),
        token_endpoint=base.token_endpoint.replace("{tenant}", tenant),
    )
