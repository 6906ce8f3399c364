"""Passwords live in the OS keyring (service "mailscope", key "imap:<account>") and nowhere else."""

from __future__ import annotations

from typing import Final, Protocol

SERVICE: Final = "mailscope"


class SecretError(Exception):
    """The keyring cannot be used (none installed, locked, refused)."""


class SecretStore(Protocol):
    """Where secrets are kept, by key."""

    def get(self, key: str) -> str | None: ...

    def set(self, key: str, secret: str) -> None: ...

    def delete(self, key: str) -> None: ...


def imap_key(account: str) -> str:
    return f"imap:{account}"


class KeyringStore:
    """The OS keyring through the ``keyring`` package (its configured backend)."""

    def __init__(self, service: str = SERVICE) -> None:
        self.service = service

    def get(self, key: str) -> str | None:
        import keyring
        from keyring.errors import KeyringError

        try:
            value: str | None = keyring.get_password(self.service, key)
        except KeyringError as error:
            raise SecretError(f"cannot read the keyring: {type(error).__name__}") from None
        return value

    def set(self, key: str, secret: str) -> None:
        import keyring
        from keyring.errors import KeyringError

        try:
            keyring.set_password(self.service, key, secret)
        except KeyringError as error:
            raise SecretError(f"cannot write to the keyring: {type(error).__name__}") from None

    def delete(self, key: str) -> None:
        import keyring
        from keyring.errors import KeyringError, PasswordDeleteError

        try:
            keyring.delete_password(self.service, key)
        except PasswordDeleteError:
            return  # nothing stored: already deleted
        except KeyringError as error:
            raise SecretError(f"cannot write to the keyring: {type(error).__name__}") from None
