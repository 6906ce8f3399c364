"""Long secrets over several keyring entries, as Windows' credential store needs (~1,280 chars)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from keyring.errors import PasswordSetError
from keyrings.alt.file import PlaintextKeyring

from core.auth.discovery import discover
from core.auth.flow import sign_in
from core.auth.tokens import AccessTokens
from core.mail.secrets import PART_UNITS, KeyringStore, SecretError, split_secret
from tests.conftest import file_keyring
from tests.helpers.oauth import CLIENT_ID, Browser, OAuthServer


class WindowsSizedKeyring(PlaintextKeyring):
    """A real file keyring that refuses what Windows' credential store refuses."""

    def set_password(self, service: str, username: str, password: str) -> None:
        if len(password.encode("utf-16-le")) > 2560:
            raise PasswordSetError("the stub received bad data")  # Windows' own words
        super().set_password(service, username, password)


@pytest.fixture
def small_keyring(tmp_path: Path) -> Iterator[WindowsSizedKeyring]:
    with file_keyring(WindowsSizedKeyring(), tmp_path / "keyring.cfg") as backend:
        yield backend  # type: ignore[misc]


def entries(backend: WindowsSizedKeyring, key: str) -> dict[str, str]:
    found = {}
    for name in [key] + [f"{key}#{n}" for n in range(1, 10)]:
        value = backend.get_password("mailscope", name)
        if value is not None:
            found[name] = value
    return found


def test_a_long_secret_is_split_and_joined(small_keyring: WindowsSizedKeyring) -> None:
    store = KeyringStore()
    secret = "0.AXoA" + "x" * 3990  # a Microsoft-sized refresh token
    store.set("oauth2:work", secret)
    stored = entries(small_keyring, "oauth2:work")
    assert sorted(stored) == [
        "oauth2:work",
        "oauth2:work#1",
        "oauth2:work#2",
        "oauth2:work#3",
        "oauth2:work#4",
    ]
    assert all(len(v) <= PART_UNITS for v in stored.values())
    assert secret not in stored["oauth2:work"]
    assert store.get("oauth2:work") == secret
    store.set("oauth2:work", "short")  # shrinks back to one entry
    assert entries(small_keyring, "oauth2:work") == {"oauth2:work": "short"}
    store.set("oauth2:work", secret)
    store.delete("oauth2:work")
    assert entries(small_keyring, "oauth2:work") == {}
    assert store.get("oauth2:work") is None


def test_a_missing_or_foreign_part_is_refused(small_keyring: WindowsSizedKeyring) -> None:
    store = KeyringStore()
    store.set("oauth2:work", "a" * 3000)
    small_keyring.set_password("mailscope", "oauth2:work#2", "b" * 1280)  # from another write
    with pytest.raises(SecretError, match="incomplete: sign in or add it again"):
        store.get("oauth2:work")
    small_keyring.delete_password("mailscope", "oauth2:work#2")
    with pytest.raises(SecretError, match="incomplete"):
        store.get("oauth2:work")


def test_splitting_counts_utf16_units_and_never_cuts_a_character() -> None:
    assert split_secret("é" * 1281) == ["é" * 1280, "é"]
    emoji = "😀" * 700  # two UTF-16 units each
    parts = split_secret(emoji)
    assert [len(p) for p in parts] == [640, 60] and "".join(parts) == emoji


def test_a_long_refresh_token_from_a_real_sign_in_survives_rotation(
    small_keyring: WindowsSizedKeyring, oauth: OAuthServer
) -> None:
    oauth.set(refresh_token_length=4000)
    provider = discover(oauth.issuer, CLIENT_ID)
    tokens = sign_in(provider, login_hint="rep@example.test", open_url=Browser(), timeout=20)
    assert tokens.refresh_token is not None and len(tokens.refresh_token) == 4000
    store = KeyringStore()
    store.set("oauth2:work", tokens.refresh_token)
    source = AccessTokens("oauth2:work", store, lambda: provider)
    assert source.token()  # renewed with the joined token; the rotated one is split again
    rotated = store.get("oauth2:work")
    assert rotated is not None and len(rotated) == 4000 and rotated != tokens.refresh_token
