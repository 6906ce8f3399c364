"""With no secure keyring, the app asks for a mailbox password once a session, before a sync,
and writes it nowhere (issue 15); a safe keyring or an OAuth2 sign-in is never asked about."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyrings.alt.file import PlaintextKeyring
from PySide6.QtWidgets import QInputDialog, QWidget

from core.mail import secrets
from core.mail.secrets import KeyringStore, imap_key
from core.store.accounts import Account, AccountKind
from desktop.session_password import password_ready

WORK = Account(1, "work", AccountKind.IMAP, "127.0.0.1", 993, "tls", "rep@example.com")


@pytest.fixture
def unsafe(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    """keyrings.alt's plaintext file, picked by ``keyring`` itself (nobody chose it)."""
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    monkeypatch.setattr(keyring.core, "load_config", lambda: None)
    monkeypatch.setattr(secrets, "_SESSION", {})
    before = keyring.get_keyring()
    backend = PlaintextKeyring()
    backend.file_path = str(tmp_path / "keyring.cfg")  # type: ignore[misc]
    keyring.set_keyring(backend)
    yield tmp_path
    keyring.set_keyring(before)


@pytest.fixture
def asked(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The questions put to the rep (the dialog answers "s3cret-pw")."""
    questions: list[str] = []

    def get_text(parent: object, title: str, label: str, *args: object) -> tuple[str, bool]:
        questions.append(label)
        return "s3cret-pw", True

    monkeypatch.setattr(QInputDialog, "getText", staticmethod(get_text))
    return questions


def test_asked_once_a_session_and_written_nowhere(qtbot, unsafe: Path, asked: list[str]) -> None:  # type: ignore[no-untyped-def]
    parent = QWidget()
    qtbot.addWidget(parent)
    store = KeyringStore()
    assert password_ready(parent, WORK, store) and password_ready(parent, WORK, store)
    assert len(asked) == 1 and "No secure keyring" in asked[0] and "rep@example.com" in asked[0]
    assert store.get(imap_key("work")) == "s3cret-pw"
    assert all("s3cret-pw" not in p.read_text(errors="replace") for p in unsafe.rglob("*"))
    secrets._SESSION.clear()  # the next session asks again
    assert password_ready(parent, WORK, store) and len(asked) == 2


def test_a_declined_question_means_no_sync(
    qtbot, unsafe: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a: ("", False)))
    parent = QWidget()
    qtbot.addWidget(parent)
    assert not password_ready(parent, WORK, KeyringStore())


def test_a_sign_in_or_a_local_folder_is_never_asked(qtbot, unsafe: Path, asked: list[str]) -> None:  # type: ignore[no-untyped-def]
    parent = QWidget()
    qtbot.addWidget(parent)
    signed_in = Account(2, "g", AccountKind.IMAP, "imap.gmail.com", 993, "tls", "r@x", auth="{}")
    local = Account(3, "local", AccountKind.MAILDIR, path="/tmp/Maildir")
    assert password_ready(parent, signed_in, KeyringStore())
    assert password_ready(parent, local, KeyringStore()) and asked == []


def test_a_safe_keyring_is_never_asked(qtbot, secrets: KeyringStore, asked: list[str]) -> None:  # type: ignore[no-untyped-def]
    """The tests' file keyring is one the user chose (PYTHON_KEYRING_BACKEND): persistent."""
    parent = QWidget()
    qtbot.addWidget(parent)
    assert password_ready(parent, WORK, secrets) and asked == []
