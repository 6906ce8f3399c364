"""The RFC 8252 sign-in against the real authorization server (npm oauth2-mock-server).

The server checks nothing itself, so each refusal here is Mailscope's own check: the state,
the redirect (path, host, port), the issuer (discovery, RFC 9207 ``iss``, the ID token) and the
client id (the ID token's audience). A refused answer's code is never exchanged.
"""

from __future__ import annotations

import socket
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from core.auth.discovery import discover, provider_from_metadata
from core.auth.errors import OAuthError, SignInTimeout, StateMismatch
from core.auth.flow import Pkce, sign_in
from core.auth.providers import OAuthProvider
from tests.helpers.oauth import CLIENT_ID, Browser, OAuthServer

EMAIL = "rep@example.test"


def provider(oauth: OAuthServer) -> OAuthProvider:
    return discover(oauth.issuer, CLIENT_ID)


def one_line(error: BaseException) -> str:
    text = str(error)
    assert "\n" not in text and text
    return text


def test_sign_in_sends_pkce_s256_and_state_and_checks_what_comes_back(oauth: OAuthServer) -> None:
    browser = Browser()
    tokens = sign_in(provider(oauth), login_hint=EMAIL, open_url=browser, timeout=20)
    browser.join()
    assert tokens.access_token and tokens.refresh_token and tokens.email == EMAIL
    assert tokens.access_token not in repr(tokens) and tokens.refresh_token not in repr(tokens)
    query = parse_qs(urlsplit(browser.opened[0]).query)
    assert query["code_challenge_method"] == ["S256"] and len(query["state"][0]) >= 32
    assert query["client_id"] == [CLIENT_ID] and query["login_hint"] == [EMAIL]
    assert "code_verifier" not in query
    redirect = query["redirect_uri"][0]
    assert redirect.startswith("http://127.0.0.1:") and redirect.endswith("/")
    (exchange,) = oauth.requests()
    assert exchange["grant_type"] == "authorization_code" and exchange["has_verifier"]
    assert (exchange["redirect_uri"], exchange["client_id"]) == (redirect, CLIENT_ID)
    assert browser.answers == [(200, browser.answers[0][1])]
    assert "go back to Mailscope" in browser.answers[0][1]


def test_the_pkce_challenge_is_the_s256_of_the_verifier() -> None:
    # RFC 7636 appendix B's example.
    pkce = Pkce("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
    assert pkce.challenge == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
    assert "dBjft" not in repr(pkce)


def test_a_state_mismatch_is_refused_and_its_code_never_exchanged(oauth: OAuthServer) -> None:
    def forge(location: str) -> str:
        return location.replace("state=", "state=forged")

    browser = Browser(tamper=forge)
    with pytest.raises(StateMismatch) as caught:
        sign_in(provider(oauth), login_hint=EMAIL, open_url=browser, timeout=20)
    browser.join()
    assert "state mismatch" in one_line(caught.value)
    assert oauth.requests() == []  # the code was not exchanged
    assert browser.answers[0][0] == 400


def test_an_answer_naming_another_issuer_is_refused(oauth: OAuthServer) -> None:
    browser = Browser(tamper=lambda location: location + "&iss=https%3A%2F%2Fevil.example")
    with pytest.raises(OAuthError, match="another issuer"):
        sign_in(provider(oauth), login_hint=EMAIL, open_url=browser, timeout=20)
    assert oauth.requests() == []


@pytest.mark.parametrize(
    ("claims", "message"),
    [
        ({"iss": "https://evil.example"}, "from another issuer"),
        ({"aud": "someone-else"}, "another application (client id)"),
        ({"nonce": "replayed"}, "nonce"),
    ],
)
def test_an_id_token_for_another_issuer_client_or_nonce_is_refused(
    oauth: OAuthServer, claims: dict[str, str], message: str
) -> None:
    oauth.set(id_claims=claims)
    with pytest.raises(OAuthError) as caught:
        sign_in(provider(oauth), login_hint=EMAIL, open_url=Browser(), timeout=20)
    assert message in one_line(caught.value)


def test_discovery_must_name_the_issuer_asked_for(oauth: OAuthServer) -> None:
    meta = httpx.get(oauth.issuer + "/.well-known/openid-configuration").json()
    assert provider_from_metadata(meta, oauth.issuer, CLIENT_ID).token_endpoint.startswith(
        oauth.issuer
    )
    with pytest.raises(OAuthError, match="for another issuer"):
        discover(oauth.issuer + "/", CLIENT_ID)  # served, but for "http://127.0.0.1:P"
    with pytest.raises(OAuthError, match="not an https:// address"):
        provider_from_metadata({**meta, "issuer": "http://idp.example"}, "http://idp.example", "c")
    meta["token_endpoint"] = "http://idp.example/token"
    with pytest.raises(OAuthError, match=r"token endpoint 'http://idp\.example/token' is not"):
        provider_from_metadata(meta, oauth.issuer, CLIENT_ID)


def test_a_redirect_port_taken_by_another_program_is_one_line(oauth: OAuthServer) -> None:
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        port = squatter.getsockname()[1]
        browser = Browser()
        with pytest.raises(OAuthError) as caught:
            sign_in(provider(oauth), login_hint=EMAIL, open_url=browser, port=port, timeout=5)
        assert one_line(caught.value).startswith(f"port {port} on 127.0.0.1 is in use")
        assert browser.opened == []  # the browser is not sent anywhere
        # With no fixed port, any free one is taken: the sign-in works beside the squatter.
        tokens = sign_in(provider(oauth), login_hint=EMAIL, open_url=Browser(), timeout=20)
        assert tokens.refresh_token


def test_a_closed_browser_times_out_with_one_line(oauth: OAuthServer) -> None:
    browser = Browser(closed=True)
    with pytest.raises(SignInTimeout) as caught:
        sign_in(provider(oauth), login_hint=EMAIL, open_url=browser, timeout=1)
    assert one_line(caught.value) == (
        "no answer from the browser within 1 second (was it closed?):"
        " sign in again when you are ready."
    )
    assert len(browser.opened) == 1 and oauth.requests() == []


def test_the_listener_ignores_other_paths_and_hosts_and_answers_once(oauth: OAuthServer) -> None:
    seen: list[tuple[int, int]] = []

    def visit(url: str) -> None:
        query = parse_qs(urlsplit(url).query)
        back = query["redirect_uri"][0]
        port = urlsplit(back).port
        with httpx.Client() as client:
            seen.append((client.get(back + "favicon.ico").status_code, 404))
            rebinding = client.get(back + "?code=x&state=y", headers={"Host": f"evil.test:{port}"})
            seen.append((rebinding.status_code, 404))
        Browser().visit(url)

    tokens = sign_in(provider(oauth), login_hint=EMAIL, open_url=_threaded(visit), timeout=20)
    assert tokens.access_token
    assert all(got == want for got, want in seen) and len(seen) == 2


def _threaded(action):  # type: ignore[no-untyped-def]
    import threading

    def start(url: str) -> None:
        threading.Thread(target=action, args=(url,), daemon=True).start()

    return start
