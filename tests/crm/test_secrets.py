"""The CRM's secrets in a real keyring backend (keyrings.alt's plaintext file, in a temp folder),
through the one secrets module (``core.mail.secrets``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from keyring.backend import KeyringBackend
from keyring.errors import KeyringLocked
from keyrings.alt.file import PlaintextKeyring

from core.crm.errors import AuthError
from core.crm.hubspot_auth import forget_portal, store_token, stored_token
from core.mail.secrets import KeyringStore, SecretError, smtp_key

TOKEN = "pat-na1-11111111-2222-3333-4444-555555555555"


@pytest.fixture
def backend(tmp_path: Path) -> PlaintextKeyring:
    ring = PlaintextKeyring()
    ring.file_path = str(tmp_path / "keyring.cfg")  # type: ignore[misc]
    return ring


def test_the_token_round_trips_under_the_documented_key(backend: PlaintextKeyring) -> None:
    secrets = KeyringStore(backend=backend)
    store_token(secrets, "4455667", f"  {TOKEN}\n")
    assert stored_token(secrets, "4455667") == TOKEN
    assert backend.get_password("mailscope", "hubspot:4455667") == TOKEN
    assert TOKEN not in repr(secrets)
    forget_portal(secrets, "4455667")
    forget_portal(secrets, "4455667")  # forgetting twice is fine
    with pytest.raises(AuthError, match="No HubSpot token is stored for portal 4455"):
        stored_token(secrets, "4455667")


def test_an_empty_token_is_not_stored(backend: PlaintextKeyring) -> None:
    with pytest.raises(AuthError, match="empty"):
        store_token(KeyringStore(backend=backend), "1", "   ")
    assert backend.get_password("mailscope", "hubspot:1") is None


def test_the_smtp_password_round_trips(backend: PlaintextKeyring) -> None:
    secrets = KeyringStore(backend=backend)
    assert secrets.get(smtp_key("work")) is None
    secrets.set(smtp_key("work"), "pw-ÿ-1")
    assert secrets.get(smtp_key("work")) == "pw-ÿ-1"
    assert backend.get_password("mailscope", "smtp:work") == "pw-ÿ-1"


class LockedKeyring(KeyringBackend):
    """A backend whose every call fails as a locked keyring does."""

    priority = 1  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        raise KeyringLocked("locked")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise KeyringLocked("locked")

    def delete_password(self, service: str, username: str) -> None:
        raise KeyringLocked("locked")


def test_a_locked_keyring_gives_a_one_line_error_without_the_secret() -> None:
    secrets = KeyringStore(backend=LockedKeyring())
    with pytest.raises(
        SecretError, match=r"^Cannot read hubspot:9 from the keyring \(KeyringLocked\)"
    ):
        stored_token(secrets, "9")
    with pytest.raises(SecretError) as caught:
        store_token(secrets, "9", TOKEN)
    assert TOKEN not in str(caught.value)
