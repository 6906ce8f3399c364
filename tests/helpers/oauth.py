"""The OAuth2 test parts: the authorization server (npm's oauth2-mock-server), a Dovecot that
validates its tokens (``oauth2`` passdb, local JWT validation), and a browser played by HTTP.

The mock server runs from ``tests/oauth_server`` (installed by ``make test``); a missing
install fails the tests. Dovecot checks each token's signature with the server's public key,
its expiry and its issuer, and maps it to the mail user by its ``email`` claim.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import subprocess
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from tests.helpers.dovecot import Dovecot

ROOT = Path(__file__).parents[2]
SERVER_DIR = ROOT / "tests" / "oauth_server"
MISSING = (
    "the OAuth2 test server is not installed: `make test` installs it"
    " (npm ci --prefix tests/oauth_server)"
)
CLIENT_ID = "mailscope-test-client"
BROWSER = "test-browser"  # the thread playing the browser (its own logs hold the code)


class OAuthServerError(RuntimeError):
    """The authorization server could not be started or driven."""


class OAuthServer:
    """oauth2-mock-server 8.2.3 on loopback, with the launcher's control port."""

    def __init__(self) -> None:
        if shutil.which("node") is None:
            raise OAuthServerError("node is not installed: `make test` installs it (nodejs)")
        if not (SERVER_DIR / "node_modules" / "oauth2-mock-server").is_dir():
            raise OAuthServerError(MISSING)
        self._process = subprocess.Popen(
            ["node", str(SERVER_DIR / "server.mjs")],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            cwd=SERVER_DIR, text=True,
        )  # fmt: skip
        assert self._process.stdout is not None
        line = self._process.stdout.readline()
        if not line:
            self.stop()
            raise OAuthServerError("the OAuth2 test server did not start")
        info = json.loads(line)
        self.issuer: str = info["issuer"]
        self.control_url: str = info["control"]
        self.kid: str = info["kid"]
        self.public_key_pem: str = info["public_key_pem"]

    def control(self, path: str, body: dict[str, Any] | None = None) -> Any:
        response = httpx.post(self.control_url + path, json=body or {}, timeout=10)
        response.raise_for_status()
        return response.json()

    def set(self, **state: Any) -> None:
        """Change the next tokens: access_ttl, advertised_ttl, access_claims, id_claims..."""
        self.control("/set", state)

    def reset(self) -> None:
        self.control("/reset")

    def revoke(self) -> None:
        """Revoke every refresh token issued so far."""
        self.control("/revoke")

    def requests(self) -> list[dict[str, Any]]:
        """What the token endpoint was asked since the last reset."""
        return list(httpx.get(self.control_url + "/requests", timeout=10).json())

    def secrets(self) -> list[str]:
        """Every code, verifier and token the server issued or was sent (for the canary)."""
        return list(httpx.get(self.control_url + "/secrets", timeout=10).json())

    def fail_next(self, status: int, body: Any) -> None:
        """Answer the next token request with ``status`` and this JSON body."""
        self.control("/fail", {"status": status, "body": body})

    def token(self, **claims: Any) -> str:
        """A token signed by the server's key outside any flow (``ttl`` seconds, claims)."""
        return str(self.control("/token", {"sub": "johndoe", **claims})["token"])

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            if self._process.stdin is not None:
                self._process.stdin.close()  # the launcher exits when its stdin closes
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()


class OAuthDovecot(Dovecot):
    """A private Dovecot that also accepts XOAUTH2 and OAUTHBEARER with the server's tokens."""

    mechanisms = "plain login xoauth2 oauthbearer"

    def __init__(self, server: OAuthServer) -> None:
        super().__init__()
        self.server = server

    def extra_config(self) -> str:
        # Local validation looks the key up as shared/<azp>/<alg>/<kid> in the dict, which the
        # fs dict reads (shared/ dropped) at <prefix><azp>/<alg>/<kid>.
        keys = self.base / "oauth2-keys"
        folder = keys / "default" / "RS256"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / self.server.kid).write_text(self.server.public_key_pem)
        for path in [keys, *keys.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)
        settings = self.base / "oauth2.conf.ext"
        settings.write_text(
            "introspection_mode = local\n"
            f"local_validation_key_dict = fs:posix:prefix={keys}/\n"
            f"issuers = {self.server.issuer}\n"
            "username_attribute = email\n"
        )
        settings.chmod(0o644)
        return (
            "auth_verbose = yes\n"  # each refusal's reason in the log (expired, bad signature)
            "passdb {\n  driver = oauth2\n  mechanisms = xoauth2 oauthbearer\n"
            f"  args = {settings}\n}}\n"
        )

    def log(self) -> str:
        path = self.base / "dovecot.log"
        return path.read_text(errors="replace") if path.exists() else ""


@dataclass
class Browser:
    """Plays the system browser: follows the provider's redirect back to Mailscope.

    ``tamper`` may rewrite the redirect before it is followed (an attacker's answer);
    ``closed`` never visits anything (the user closed the browser).
    """

    tamper: Callable[[str], str] | None = None
    closed: bool = False
    opened: list[str] = field(default_factory=list)
    answers: list[tuple[int, str]] = field(default_factory=list)  # the loopback's pages
    redirects: list[str] = field(default_factory=list)
    _threads: list[threading.Thread] = field(default_factory=list)

    def __call__(self, url: str) -> None:
        self.opened.append(url)
        if self.closed:
            return
        # The sign-in waits for the redirect in the caller's thread: visit from another one.
        thread = threading.Thread(target=self.visit, args=(url,), daemon=True, name=BROWSER)
        thread.start()
        self._threads.append(thread)

    def visit(self, url: str) -> None:
        with httpx.Client(timeout=20) as client:
            response = client.get(url)
            location = response.headers.get("location", "")
            if response.status_code != 302 or not location:
                self.answers.append((response.status_code, response.text))
                return
            if self.tamper is not None:
                location = self.tamper(location)
            self.redirects.append(location)
            back = client.get(location)
            self.answers.append((back.status_code, back.text))

    def join(self) -> None:
        for thread in self._threads:
            thread.join(timeout=30)
