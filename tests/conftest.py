"""Shared fixtures: the private Dovecot test server (see tests/helpers/dovecot.py), a keyring."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyrings.alt.file import PlaintextKeyring

from core.mail.secrets import KeyringStore
from tests.helpers.dovecot import MISSING, Dovecot, DovecotError, MailUser


def _start(special_use: bool) -> Dovecot:
    if shutil.which("dovecot") is None:
        pytest.fail(MISSING, pytrace=False)  # a missing server fails, never skips
    # Its own temp folder, not pytest's basetemp: a concurrent pytest run prunes old
    # basetemps, which would delete the live server's users and mail.
    server = Dovecot(special_use=special_use)
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


@pytest.fixture
def mail_user(dovecot: Dovecot) -> MailUser:
    """A fresh user with an empty mailbox on the shared Dovecot."""
    return dovecot.new_user()


@pytest.fixture
def secrets(tmp_path: Path) -> Iterator[KeyringStore]:
    """The real keyring API over keyrings.alt's file backend in a temp folder."""
    before = keyring.get_keyring()
    backend = PlaintextKeyring()
    backend.file_path = str(tmp_path / "keyring.cfg")  # type: ignore[misc]
    keyring.set_keyring(backend)
    yield KeyringStore()
    keyring.set_keyring(before)
