"""A custom provider from its issuer URL: OpenID Connect discovery, with the issuer checked.

The metadata must name exactly the issuer asked for (OpenID Connect Discovery 1.0 §4.3,
RFC 8414 §3.3): a document served for another issuer is refused, so a mistyped or hijacked
URL cannot send the user to someone else's sign-in page. Every endpoint must be HTTPS, except
on a loopback host (a local test server).
"""

from __future__ import annotations

from typing import Any, Final
from urllib.parse import urlsplit

from core.auth.errors import OAuthError
from core.auth.providers import OPENID, OAuthProvider
from core.i18n import _

WELL_KNOWN = "/.well-known/openid-configuration"


def is_loopback_url(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return host in ("127.0.0.1", "::1", "localhost") or host.startswith("127.")


def check_url(url: str, what: str) -> str:
    """``url`` if it is HTTPS (or HTTP to a loopback host); else a one-line OAuthError."""
    if _is_safe(url):
        return url
    raise OAuthError(
        _("the %(what)s %(url)r is not an https:// address") % {"what": what, "url": url}
    )


def _is_safe(url: str) -> bool:
    """HTTPS to a named host, or HTTP that stays on this machine (a loopback address)."""
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return True
    return parts.scheme == "http" and is_loopback_url(url)


def discover(issuer: str, client_id: str, *, timeout: float = 10.0) -> OAuthProvider:
    """Fetch ``issuer``'s OpenID configuration and build the provider (raises OAuthError)."""
    import httpx

    check_url(issuer, "issuer")
    url = issuer.rstrip("/") + WELL_KNOWN
    try:
        response = httpx.get(url, timeout=timeout, follow_redirects=False)
    except httpx.HTTPError as error:
        raise OAuthError(
            _("cannot reach the issuer %(issuer)s: %(name)s")
            % {"issuer": issuer, "name": type(error).__name__}
        ) from None
    if response.status_code != 200:
        raise OAuthError(
            _("%(url)s answered HTTP %(status_code)s: is %(issuer)s an issuer?")
            % {"url": url, "status_code": response.status_code, "issuer": issuer}
        )
    try:
        meta: Any = response.json()
    except ValueError:
        raise OAuthError(_("%(url)s is not a JSON document") % {"url": url}) from None
    return provider_from_metadata(meta, issuer, client_id)


_ENDPOINTS: Final = ("authorization_endpoint", "token_endpoint")


def _endpoint(meta: dict[str, Any], issuer: str, name: str) -> str:
    """The document's endpoint ``name``, once its URL checks out."""
    value = meta.get(name)
    if not isinstance(value, str):
        raise OAuthError(
            _("the OpenID configuration of %(issuer)s has no %(name)s")
            % {"issuer": issuer, "name": name}
        )
    return check_url(value, name.replace("_", " "))


def _check_pkce(meta: dict[str, Any], issuer: str) -> None:
    """PKCE with S256 is offered (a document that does not list its methods is not refused)."""
    methods = meta.get("code_challenge_methods_supported")
    if isinstance(methods, list) and "S256" not in methods:
        raise OAuthError(_("%(issuer)s does not support PKCE with S256") % {"issuer": issuer})


def provider_from_metadata(meta: Any, issuer: str, client_id: str) -> OAuthProvider:
    """The provider a discovery document describes, once its issuer and endpoints check out."""
    check_url(issuer, "issuer")
    if not isinstance(meta, dict):
        raise OAuthError(
            _("the OpenID configuration of %(issuer)s is not an object") % {"issuer": issuer}
        )
    if meta.get("issuer") != issuer:
        raise OAuthError(
            _(
                "the OpenID configuration at %(issuer)s is for another issuer "
                "(%(get)r): refusing to sign in there"
            )
            % {"issuer": issuer, "get": str(meta.get("issuer"))[:80]}
        )
    _check_pkce(meta, issuer)
    endpoints = [_endpoint(meta, issuer, name) for name in _ENDPOINTS]
    host = urlsplit(issuer).hostname or issuer
    return OAuthProvider(
        key="custom",
        label=host,
        issuer=issuer,
        authorization_endpoint=endpoints[0],
        token_endpoint=endpoints[1],
        scopes=(*OPENID, "offline_access"),
        client_id=client_id,
    )
