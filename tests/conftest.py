"""Shared fixtures: the private Dovecot test servers, the OAuth2 server, a file keyring."""

from __future__ import annotations

import contextlib
import os
import secrets as random
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyrings.alt.file import PlaintextKeyring
from pytest_httpserver import HTTPServer

from core.mail.secrets import KeyringStore
from tests.helpers.dovecot import MISSING, NO_CONDSTORE, Dovecot, DovecotError, MailUser
from tests.helpers.hubspot_server import TOKEN, FakeHubSpot
from tests.helpers.oauth import OAuthDovecot, OAuthServer, OAuthServerError

# The suite expects English, the source language, whatever this machine's LANG: the tests of
# other languages set their own (tests/core/test_cli_language.py, docs/i18n.md).
os.environ["MAILSCOPE_LANG"] = "en"


def _start(special_use: bool, without: tuple[str, ...] = ()) -> Dovecot:
    if shutil.which("dovecot") is None:
        pytest.fail(MISSING, pytrace=False)  # a missing server fails, never skips
    # Its own temp folder, not pytest's basetemp: a concurrent pytest run prunes old
    # basetemps, which would delete the live server's users and mail.
    server = Dovecot(special_use=special_use, without=without)
    try:
        return server.start()
    except DovecotError as error:
        server.stop()
        pytest.fail(str(error), pytrace=False)


@pytest.fixture(scope="session")
def dovecot() -> Iterator[Dovecot]:
    """A private Dovecot with SPECIAL-USE folders Sent/Drafts/Archive/Junk/Trash."""
    server = _start(special_use=True)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def dovecot_names_only() -> Iterator[Dovecot]:
    """A private Dovecot without SPECIAL-USE folders: create folders by name only."""
    server = _start(special_use=False)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def dovecot_no_condstore() -> Iterator[Dovecot]:
    """A private Dovecot advertising neither CONDSTORE nor QRESYNC (as Microsoft 365)."""
    server = _start(special_use=True, without=NO_CONDSTORE)
    yield server
    server.stop()


@pytest.fixture
def mail_user(dovecot: Dovecot) -> MailUser:
    """A fresh user with an empty mailbox on the shared Dovecot."""
    return dovecot.new_user()


@contextlib.contextmanager
def file_keyring(backend: PlaintextKeyring, path: Path) -> Iterator[PlaintextKeyring]:
    """``backend`` (a file keyring at ``path``) as the keyring for the duration, chosen as a
    user chooses one (``PYTHON_KEYRING_BACKEND``): Mailscope writes only to a plaintext keyring
    the user picked (``core.mail.keyring_check``)."""
    before = keyring.get_keyring()
    chosen = os.environ.get("PYTHON_KEYRING_BACKEND")
    backend.file_path = str(path)  # type: ignore[misc]
    keyring.set_keyring(backend)
    os.environ["PYTHON_KEYRING_BACKEND"] = f"{type(backend).__module__}.{type(backend).__name__}"
    try:
        yield backend
    finally:
        keyring.set_keyring(before)
        if chosen is None:
            os.environ.pop("PYTHON_KEYRING_BACKEND", None)
        else:
            os.environ["PYTHON_KEYRING_BACKEND"] = chosen


@pytest.fixture
def secrets(tmp_path: Path) -> Iterator[KeyringStore]:
    """The real keyring API over keyrings.alt's file backend in a temp folder."""
    with file_keyring(PlaintextKeyring(), tmp_path / "keyring.cfg"):
        yield KeyringStore()


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 4 MB tmpfs (the tests run as root, as CI does), for a cache set up there, then
    the disk filled up (``tests.helpers.disk.fill_up``): room for small writes, not for the
    demo's 300 messages, so SQLite meets a genuine full disk."""
    mount = tmp_path / "tiny"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, f"cannot mount a tmpfs (the tests run as root): {done.stderr}"
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


@pytest.fixture(scope="session")
def oauth_server() -> Iterator[OAuthServer]:
    """The authorization server (npm oauth2-mock-server 8.2.3); missing, the tests fail."""
    try:
        server = OAuthServer()
    except OAuthServerError as error:
        pytest.fail(str(error), pytrace=False)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def oauth_dovecot(oauth_server: OAuthServer) -> Iterator[OAuthDovecot]:
    """A private Dovecot whose oauth2 passdb validates the authorization server's tokens."""
    if shutil.which("dovecot") is None:
        pytest.fail(MISSING, pytrace=False)
    server = OAuthDovecot(oauth_server)
    try:
        server.start()
    except DovecotError as error:
        server.stop()
        pytest.fail(str(error), pytrace=False)
    yield server
    server.stop()


@pytest.fixture
def oauth(oauth_server: OAuthServer) -> Iterator[OAuthServer]:
    """The authorization server with its defaults back, and no access token in memory."""
    from core.auth.tokens import forget

    oauth_server.reset()
    forget()
    yield oauth_server
    forget()


@pytest.fixture
def rep(oauth_dovecot: OAuthDovecot) -> MailUser:
    """A fresh empty mailbox on the OAuth2 Dovecot, named like the address tokens carry."""
    return oauth_dovecot.new_user(f"rep-{random.token_hex(3)}@example.test")


@pytest.fixture(scope="session")
def http_server() -> Iterator[HTTPServer]:
    """One threaded HTTP server on loopback (threaded: a held answer must not block others)."""
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    yield server
    server.clear()
    if server.is_running():
        server.stop()


@pytest.fixture
def hubspot(http_server: HTTPServer) -> Iterator[FakeHubSpot]:
    """A HubSpot portal as its API documents it (``tests.helpers.hubspot_server``)."""
    http_server.clear()
    fake = FakeHubSpot(http_server, TOKEN)
    yield fake
    fake.release()
    http_server.clear()
