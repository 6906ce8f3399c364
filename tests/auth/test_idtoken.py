"""The ID token checks on their own: Microsoft's multi-tenant issuer template, audience, expiry."""

from __future__ import annotations

import base64
import json
import time

import pytest

from core.auth.errors import OAuthError
from core.auth.idtoken import check_id_token, issuer_matches
from core.auth.providers import MICROSOFT

TENANT = "9188040d-6c67-4c5b-b112-36a304b66dad"  # Microsoft's consumer-accounts tenant


def token(**claims: object) -> str:
    body = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    return f"eyJhbGciOiJSUzI1NiJ9.{body}.c2lnbmF0dXJl"


def test_microsoft_issuer_is_filled_with_the_tokens_own_tenant() -> None:
    issuer = f"https://login.microsoftonline.com/{TENANT}/v2.0"
    assert issuer_matches(MICROSOFT.issuer, issuer, TENANT)
    assert not issuer_matches(MICROSOFT.issuer, issuer, "00000000-0000-0000-0000-000000000000")
    assert not issuer_matches(MICROSOFT.issuer, "https://login.microsoftonline.com/x/v2.0", "x")
    assert not issuer_matches(MICROSOFT.issuer, issuer, None)


def test_a_good_microsoft_id_token_passes_and_a_stale_one_does_not() -> None:
    claims = {"iss": f"https://login.microsoftonline.com/{TENANT}/v2.0", "tid": TENANT,
              "aud": "app", "nonce": "n", "exp": time.time() + 3600}  # fmt: skip
    found = check_id_token(token(**claims), issuer=MICROSOFT.issuer, client_id="app", nonce="n")
    assert found["tid"] == TENANT
    with pytest.raises(OAuthError, match="expired: check this computer's clock"):
        check_id_token(
            token(**{**claims, "exp": time.time() - 3600}),
            issuer=MICROSOFT.issuer, client_id="app", nonce="n",
        )  # fmt: skip
    with pytest.raises(OAuthError, match="another application"):
        check_id_token(
            token(**{**claims, "aud": ["app"], "azp": "other"}),
            issuer=MICROSOFT.issuer, client_id="app", nonce="n",
        )  # fmt: skip
    with pytest.raises(OAuthError, match="cannot be read"):
        check_id_token("not-a-jwt", issuer=MICROSOFT.issuer, client_id="app", nonce="n")
