"""OAuth through a public app: sign-in over a loopback redirect with PKCE and state, tokens
that expire and are refreshed by ``expires_in``, every secret in the keyring only."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import httpx
import pytest
from keyrings.alt.file import PlaintextKeyring

from core.crm import hubspot_connect
from core.crm.delivery import Channels
from core.crm.errors import AuthError
from core.crm.hubspot import HubSpotClient
from core.crm.hubspot_auth import OAuthApp, OAuthSession, OAuthTokens
from core.crm.hubspot_oauth import LoopbackReceiver, SignInCancelled, introspect, sign_in
from core.crm.hubspot_shapes import OPTIONAL_SCOPES, REQUIRED_SCOPES
from core.crm.service import CrmService
from core.mail.secrets import KeyringStore
from tests.crm.workspace import demo_cache
from tests.helpers.hubspot_server import FakeHubSpot

CLIENT_ID, CLIENT_SECRET = "mailscope-test-app", "client-secret-5f2e9a7c"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def browser(url: str) -> None:
    """Plays the rep's browser: follows HubSpot's redirect back to the loopback receiver."""
    answer = httpx.get(url, follow_redirects=True, timeout=10.0)
    assert answer.status_code == 200 and "connected to HubSpot" in answer.text


def app_for(hubspot: FakeHubSpot) -> OAuthApp:
    hubspot.add_app(CLIENT_ID, CLIENT_SECRET)
    return OAuthApp(CLIENT_ID, CLIENT_SECRET, hubspot.url, f"{hubspot.url}/oauth/authorize")


def test_sign_in_asks_required_and_optional_scopes_with_pkce(hubspot: FakeHubSpot) -> None:
    app = app_for(hubspot)
    grant = sign_in(
        app, browser, scopes=REQUIRED_SCOPES, optional=OPTIONAL_SCOPES, port=free_port()
    )
    assert grant.hub_id == "4455667" and grant.user_id == "5501"
    assert set(grant.scopes) == set(REQUIRED_SCOPES) | set(OPTIONAL_SCOPES)
    assert grant.tokens.expires_at == pytest.approx(time.time() + 1800, abs=5)
    (asked,) = hubspot.seen("GET", "/oauth/authorize")
    assert asked.query["scope"].split() == list(REQUIRED_SCOPES)
    assert asked.query["code_challenge_method"] == "S256" and len(asked.query["state"]) > 20
    assert asked.query["redirect_uri"].startswith("http://localhost:")
    info = introspect(app, grant.tokens.access_token)
    assert (info.hub_id, info.user) == ("4455667", "mia@globex.example")


def test_a_refused_optional_scope_still_connects(hubspot: FakeHubSpot) -> None:
    hubspot.refuse_optional = True
    grant = sign_in(app_for(hubspot), browser, scopes=REQUIRED_SCOPES, port=free_port())
    assert set(grant.scopes) == set(REQUIRED_SCOPES)


def test_a_forged_answer_or_a_cancel_stores_nothing(hubspot: FakeHubSpot) -> None:
    port = free_port()
    receiver = LoopbackReceiver(port)
    try:
        httpx.get(f"http://127.0.0.1:{port}/oauth-callback?code=x&state=forged")
        with pytest.raises(AuthError, match="did not match this sign-in"):
            receiver.wait("the-real-state", timeout=5.0)
    finally:
        receiver.close()
    stop = threading.Event()
    stop.set()
    receiver = LoopbackReceiver(port)
    try:
        with pytest.raises(SignInCancelled):
            receiver.wait("state", timeout=5.0, cancel=stop)
    finally:
        receiver.close()


def test_an_expiring_token_is_refreshed_ahead_of_expires_in(hubspot: FakeHubSpot) -> None:
    hubspot.access_ttl = 2.0
    app = app_for(hubspot)
    grant = sign_in(app, browser, scopes=REQUIRED_SCOPES, port=free_port())
    saved: list[OAuthTokens] = []
    session = OAuthSession(app, grant.tokens, saved.append, margin=1.0)
    hubspot.add_owner("mia@globex.example")
    with HubSpotClient(session, base_url=hubspot.url) as client:
        client.owners()
        time.sleep(1.2)  # within a second of expiry: refreshed before the next request
        client.owners()
    assert session.refreshes == 1 and len(saved) == 1
    used = [r.authorization for r in hubspot.seen("GET", "/crm/v3/owners")]
    assert used == [f"Bearer {hubspot.issued[0]}", f"Bearer {hubspot.issued[1]}"]
    assert saved[0].refresh_token == grant.tokens.refresh_token
    time.sleep(1.0)  # the first token has expired: HubSpot refuses it
    expired = httpx.get(
        f"{hubspot.url}/crm/v3/owners", headers={"Authorization": f"Bearer {hubspot.issued[0]}"}
    )
    assert expired.status_code == 401 and "expired" in expired.json()["message"]


def test_a_revoked_refresh_token_asks_to_connect_again(hubspot: FakeHubSpot) -> None:
    app = app_for(hubspot)
    stale = OAuthTokens("CJgone", "revoked-refresh-token", expires_at=0.0)
    session = OAuthSession(app, stale, lambda t: None)
    with pytest.raises(AuthError, match="connect HubSpot again") as caught:
        session.bearer()
    assert "revoked-refresh-token" not in str(caught.value) and CLIENT_SECRET not in str(
        caught.value
    )


def test_a_signed_in_account_logs_with_tokens_kept_in_the_keyring_only(
    tmp_path: Path, hubspot: FakeHubSpot
) -> None:
    hubspot.access_ttl = 600.0
    app = app_for(hubspot)
    grant = sign_in(app, browser, scopes=REQUIRED_SCOPES, port=free_port())
    ring = PlaintextKeyring()
    ring.file_path = str(tmp_path / "keyring.cfg")  # type: ignore[misc]
    secrets = KeyringStore(backend=ring)
    path = tmp_path / "mailscope.sqlite"
    conn, account = demo_cache(path)
    service = CrmService(conn, account)
    with HubSpotClient(grant.tokens.access_token, base_url=hubspot.url) as client:
        result = hubspot_connect.check(client, "mia@globex.example", grant)
    config = hubspot_connect.connect(
        service, result, secrets=secrets, url=hubspot.url, grant=grant, app=app
    )
    assert (config.hubspot_auth, config.hubspot_client_id) == ("oauth", CLIENT_ID)
    hubspot.add_owner("mia@globex.example")
    with Channels(secrets).hubspot(service.config()) as client:
        assert len(client.owners()) == 1
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    stored = b"".join(p.read_bytes() for p in path.parent.glob("mailscope.sqlite*"))
    for secret in (grant.tokens.access_token, grant.tokens.refresh_token, CLIENT_SECRET):
        assert secret.encode() not in stored
    assert ring.get_password("mailscope", f"hubspot-app:{CLIENT_ID}") == CLIENT_SECRET
    assert "refresh" in str(ring.get_password("mailscope", "hubspot-oauth:4455667"))
    conn.close()
