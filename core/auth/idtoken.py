"""The checks Mailscope makes itself on a token response's ID token (OpenID Connect Core §3.1.3.7).

The ID token comes straight from the token endpoint over verified TLS, so its signature need
not be checked again (§3.1.3.7, item 6); its claims are: the issuer must be the provider's,
the audience and authorized party our client id, the nonce ours, and it must not have expired.
Microsoft's multi-tenant issuer is a template, ``.../{tenantid}/v2.0``, filled with the token's
own ``tid``.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import time
from typing import Any, Final

from core.auth.errors import OAuthError
from core.i18n import _

_TENANT: Final = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_SKEW: Final = 300  # seconds of clock difference tolerated


def claims(token: str) -> dict[str, Any]:
    """The payload of a JWT, unverified (raises OAuthError when it is not one)."""
    data = _payload(token)
    if not isinstance(data, dict):
        raise OAuthError(_("the provider's ID token cannot be read"))
    return data


def _payload(token: str) -> Any:
    """The JSON of a JWT's middle part (base64url without padding); OAuthError otherwise."""
    try:
        payload = token.split(".")[1]
        return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError, binascii.Error):
        raise OAuthError(_("the provider's ID token cannot be read")) from None


def issuer_matches(expected: str, actual: str, tenant: object = None) -> bool:
    """Whether ``actual`` is the issuer ``expected`` names (``{tenantid}`` filled by ``tenant``)."""
    if "{tenantid}" not in expected:
        return actual == expected
    if not isinstance(tenant, str) or _TENANT.fullmatch(tenant) is None:
        return False
    return actual == expected.replace("{tenantid}", tenant)


def check_id_token(
    token: str, *, issuer: str, client_id: str, nonce: str, now: float | None = None
) -> dict[str, Any]:
    """The ID token's claims once they name our issuer, client and nonce (else OAuthError)."""
    found = claims(token)
    when = time.time() if now is None else now
    _check_issuer(found, issuer)
    _check_audience(found, client_id)
    _check_nonce(found, nonce)
    _check_expiry(found, when)
    return found


def _check_issuer(found: dict[str, Any], issuer: str) -> None:
    if not issuer_matches(issuer, str(found.get("iss")), found.get("tid")):
        raise OAuthError(
            _("the sign-in came back from another issuer (%(get)s): refused")
            % {"get": str(found.get("iss"))[:80]}
        )


def _check_audience(found: dict[str, Any], client_id: str) -> None:
    """The token is for this application: ``aud`` names it, and ``azp`` if present is it."""
    audience = found.get("aud")
    audiences = audience if isinstance(audience, list) else [audience]
    if client_id not in audiences or found.get("azp", client_id) != client_id:
        raise OAuthError(_("the sign-in was issued to another application (client id): refused"))


def _check_nonce(found: dict[str, Any], nonce: str) -> None:
    """The token answers this sign-in (its nonce), not a replayed one."""
    if found.get("nonce") != nonce:
        raise OAuthError(_("the sign-in answer does not carry this sign-in's nonce: refused"))


def _check_expiry(found: dict[str, Any], when: float) -> None:
    expires = found.get("exp")
    if not isinstance(expires, int | float) or expires + _SKEW < when:
        raise OAuthError(_("the sign-in answer has expired: check this computer's clock"))
