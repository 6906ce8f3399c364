"""Secrets live in the OS keyring (service "mailscope") and nowhere else.

Keys: ``imap:<account>`` (a password) and ``oauth2:<account>`` (a refresh token). Windows'
credential store holds about 1,280 characters a secret (2,560 bytes of UTF-16) and Microsoft
refresh tokens can be longer, while ``keyring`` does not split them: a longer secret is kept
in parts ``<key>#1``, ``<key>#2``... and the entry ``<key>`` itself says how many there are
and carries a short digest, so a part left over from another write is detected, not joined.
"""

from __future__ import annotations

import hashlib
from typing import Final, Protocol

SERVICE: Final = "mailscope"
PART_UNITS: Final = 1280  # UTF-16 code units per keyring entry (Windows: 2,560 bytes)
_MARK: Final = "\x1fmailscope-parts:"  # a control character no typed password starts with


class SecretError(Exception):
    """The keyring cannot be used (none installed, locked, refused)."""


class SecretStore(Protocol):
    """Where secrets are kept, by key."""

    def get(self, key: str) -> str | None: ...

    def set(self, key: str, secret: str) -> None: ...

    def delete(self, key: str) -> None: ...


def imap_key(account: str) -> str:
    return f"imap:{account}"


def oauth2_key(account: str) -> str:
    return f"oauth2:{account}"


def split_secret(secret: str, units: int = PART_UNITS) -> list[str]:
    """``secret`` cut into pieces of at most ``units`` UTF-16 code units (never mid-character)."""
    parts: list[str] = []
    current: list[str] = []
    size = 0
    for char in secret:
        width = 2 if ord(char) > 0xFFFF else 1
        if size + width > units:
            parts.append("".join(current))
            current, size = [], 0
        current.append(char)
        size += width
    parts.append("".join(current))
    return parts


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()[:16]


def _part_count(head: str | None) -> int:
    """How many parts a head entry announces (0: the head is the secret itself)."""
    if head is None or not head.startswith(_MARK):
        return 0
    count = head[len(_MARK) :].partition(":")[0]
    return int(count) if count.isdigit() else 0


class KeyringStore:
    """The OS keyring through the ``keyring`` package (its configured backend)."""

    def __init__(self, service: str = SERVICE) -> None:
        self.service = service

    def get(self, key: str) -> str | None:
        head = self._get(key)
        count = _part_count(head)
        if head is None or not count:
            return head
        parts = [self._get(f"{key}#{n}") for n in range(1, count + 1)]
        secret = "".join(part or "" for part in parts)
        if None in parts or head != f"{_MARK}{count}:{_digest(secret)}":
            raise SecretError(f"the keyring entry {key} is incomplete: sign in or add it again")
        return secret

    def set(self, key: str, secret: str) -> None:
        old = _part_count(self._get(key))
        parts = split_secret(secret)
        if len(parts) == 1:
            self._set(key, secret)
        else:
            for n, part in enumerate(parts, start=1):
                self._set(f"{key}#{n}", part)
            self._set(key, f"{_MARK}{len(parts)}:{_digest(secret)}")
        for n in range(len(parts) + 1 if len(parts) > 1 else 1, old + 1):
            self._delete(f"{key}#{n}")

    def delete(self, key: str) -> None:
        count = _part_count(self._get(key))
        self._delete(key)
        for n in range(1, count + 1):
            self._delete(f"{key}#{n}")

    def _get(self, key: str) -> str | None:
        import keyring
        from keyring.errors import KeyringError

        try:
            value: str | None = keyring.get_password(self.service, key)
        except KeyringError as error:
            raise SecretError(f"cannot read the keyring: {type(error).__name__}") from None
        return value

    def _set(self, key: str, secret: str) -> None:
        import keyring
        from keyring.errors import KeyringError

        try:
            keyring.set_password(self.service, key, secret)
        except KeyringError as error:
            raise SecretError(f"cannot write to the keyring: {type(error).__name__}") from None

    def _delete(self, key: str) -> None:
        import keyring
        from keyring.errors import KeyringError, PasswordDeleteError

        try:
            keyring.delete_password(self.service, key)
        except PasswordDeleteError:
            return  # nothing stored: already deleted
        except KeyringError as error:
            raise SecretError(f"cannot write to the keyring: {type(error).__name__}") from None
