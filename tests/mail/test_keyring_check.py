"""With no secure keyring, Mailscope says so in one line, keeps what the rep types in memory for
the session only, and never writes a password to a plaintext file it was not asked to use."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail
from keyrings.alt.file import PlaintextKeyring

from core.mail import secrets
from core.mail.keyring_check import keyring_check
from core.mail.secrets import KeyringStore, SecretError, imap_key


@pytest.fixture
def picked(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A keyring ``keyring`` picked by itself: no PYTHON_KEYRING_BACKEND, no keyringrc.cfg."""
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    monkeypatch.setattr(keyring.core, "load_config", lambda: None)
    monkeypatch.setattr(secrets, "_SESSION", {})
    before = keyring.get_keyring()
    yield
    keyring.set_keyring(before)


def test_a_plaintext_keyring_picked_by_default_gets_nothing(picked: None, tmp_path: Path) -> None:
    backend = PlaintextKeyring()
    backend.file_path = str(tmp_path / "keyring.cfg")  # type: ignore[misc]
    keyring.set_keyring(backend)
    check = keyring_check()
    assert (check.secure, check.persistent, check.backend) == (False, False, "PlaintextKeyring")
    assert check.line.count("\n") == 0 and "No secure keyring" in check.line
    assert "each session" in check.line
    store = KeyringStore()
    store.set(imap_key("work"), "s3cret-pw")
    assert store.get(imap_key("work")) == "s3cret-pw"  # for this session
    assert not (tmp_path / "keyring.cfg").exists()  # never written
    assert all("s3cret-pw" not in p.read_text(errors="replace") for p in tmp_path.rglob("*"))
    secrets._SESSION.clear()  # a new session: asked again
    assert store.get(imap_key("work")) is None
    store.set(imap_key("work"), "again")
    store.delete(imap_key("work"))
    assert store.get(imap_key("work")) is None


def test_the_fail_keyring_is_detected_and_secrets_stay_in_memory(picked: None) -> None:
    keyring.set_keyring(fail.Keyring())
    check = keyring_check()
    assert (check.secure, check.persistent, check.backend) == (False, False, "Keyring")
    assert check.line and "\n" not in check.line
    store = KeyringStore()
    store.set(imap_key("work"), "pw")  # no error: kept in memory
    assert store.get(imap_key("work")) == "pw"


def test_a_plaintext_keyring_the_user_chose_is_used_and_named(
    picked: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    backend = PlaintextKeyring()
    backend.file_path = str(tmp_path / "keyring.cfg")  # type: ignore[misc]
    keyring.set_keyring(backend)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyrings.alt.file.PlaintextKeyring")
    check = keyring_check()
    assert (check.secure, check.persistent) == (False, True)
    assert "does not encrypt" in check.line
    KeyringStore().set(imap_key("work"), "pw")
    assert backend.get_password("mailscope", imap_key("work")) == "pw"


def test_the_chosen_fail_keyring_still_refuses_with_one_line(
    picked: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    keyring.set_keyring(fail.Keyring())
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    with pytest.raises(SecretError) as caught:
        KeyringStore().set(imap_key("work"), "pw")
    assert "pw" not in str(caught.value) and "\n" not in str(caught.value)


def test_an_os_keyring_is_secure() -> None:
    class SecretService:  # stands for a real backend: only its module and priority are read
        priority = 5

    check = keyring_check(SecretService())
    assert (check.secure, check.persistent, check.line) == (True, True, "")
    assert os.environ.get("MAILSCOPE_LANG") == "en"
