"""Secrets live in the OS keyring (service "mailscope") and nowhere else: the one module that
reads and writes them, for the mail and the CRM alike.

Keys: ``imap:<account>`` (a password), ``oauth2:<account>`` (a refresh token),
``hubspot:<portal>`` (a Service Key or private-app token), ``hubspot-oauth:<portal>`` (the
OAuth tokens with their expiry, as JSON), ``hubspot-app:<client id>`` (a public app's client
secret) and ``smtp:<account>`` (the forwards' SMTP password). Never SQLite, logs or messages:
an error names the key, never the value. Windows' credential store holds about 1,280
characters a secret (2,560 bytes of UTF-16) and Microsoft refresh tokens can be longer, while
``keyring`` does not split them: a longer secret is kept in parts ``<key>#1``, ``<key>#2``...
and the entry ``<key>`` itself says how many there are and carries a short digest, so a part
left over from another write is detected, not joined.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Final, Protocol

from core.i18n import _

SERVICE: Final = "mailscope"
PART_UNITS: Final = 1280  # UTF-16 code units per keyring entry (Windows: 2,560 bytes)
_MARK: Final = "\x1fmailscope-parts:"  # a control character no typed password starts with


class SecretError(Exception):
    """The keyring cannot be used (none installed, locked, refused); one line naming the key."""


class Keyring(Protocol):
    """The three calls of a ``keyring`` backend this module uses (a port, for tests)."""

    def get_password(self, service: str, username: str) -> str | None: ...

    def set_password(self, service: str, username: str, password: str) -> None: ...

    def delete_password(self, service: str, username: str) -> None: ...


class SecretStore(Protocol):
    """Where secrets are kept, by key."""

    def get(self, key: str) -> str | None: ...

    def set(self, key: str, secret: str) -> None: ...

    def delete(self, key: str) -> None: ...


def imap_key(account: str) -> str:
    return f"imap:{account}"


def oauth2_key(account: str) -> str:
    return f"oauth2:{account}"


def hubspot_key(portal: str) -> str:
    return f"hubspot:{portal}"


def hubspot_oauth_key(portal: str) -> str:
    return f"hubspot-oauth:{portal}"


def hubspot_app_key(client_id: str) -> str:
    return f"hubspot-app:{client_id}"


def smtp_key(account: str) -> str:
    return f"smtp:{account}"


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


# Secrets typed this session when the keyring is not safe (``core.mail.keyring_check``): kept
# in memory only, never written, so the app asks again next session. By (service, key).
_SESSION: dict[tuple[str, str], str] = {}


class KeyringStore:
    """The OS keyring through the ``keyring`` package (its configured backend, or ``backend``).

    With no ``backend`` given and a keyring that is not safe and was not chosen by the user
    (``keyring_check().persistent`` False), secrets stay in this process's memory."""

    def __init__(self, service: str = SERVICE, backend: Keyring | None = None) -> None:
        self.service = service
        self._backend = backend

    def _in_memory(self) -> bool:
        if self._backend is not None:
            return False
        from core.mail.keyring_check import keyring_check

        return not keyring_check().persistent

    def __repr__(self) -> str:
        return f"KeyringStore(service={self.service!r})"

    def _ring(self) -> Keyring:
        if self._backend is not None:
            return self._backend
        import keyring  # imported when used (start-up); the backend configured at this call

        ring: Keyring = keyring.get_keyring()
        return ring

    def get(self, key: str) -> str | None:
        head = self._get(key)
        count = _part_count(head)
        if head is None or not count:
            return head
        parts = [self._get(f"{key}#{n}") for n in range(1, count + 1)]
        secret = "".join(part or "" for part in parts)
        if None in parts or head != f"{_MARK}{count}:{_digest(secret)}":
            raise SecretError(
                _("the keyring entry %(key)s is incomplete: sign in or add it again") % {"key": key}
            )
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
        from keyring.errors import KeyringError

        if self._in_memory():
            return _SESSION.get((self.service, key))
        try:
            return self._ring().get_password(self.service, key)
        except KeyringError as error:
            raise SecretError(
                _("Cannot read %(key)s from the keyring (%(kind)s).")
                % {"key": key, "kind": _kind(error)}
            ) from None

    def _set(self, key: str, secret: str) -> None:
        from keyring.errors import KeyringError

        if self._in_memory():
            _SESSION[(self.service, key)] = secret
            return
        try:
            self._ring().set_password(self.service, key, secret)
        except KeyringError as error:
            raise SecretError(
                _("Cannot save %(key)s in the keyring (%(kind)s).")
                % {"key": key, "kind": _kind(error)}
            ) from None

    def _delete(self, key: str) -> None:
        from keyring.errors import KeyringError, PasswordDeleteError

        if self._in_memory():
            _SESSION.pop((self.service, key), None)
            return
        try:
            self._ring().delete_password(self.service, key)
        except PasswordDeleteError:
            return  # nothing stored: already deleted
        except KeyringError as error:
            raise SecretError(
                _("Cannot remove %(key)s from the keyring (%(kind)s).")
                % {"key": key, "kind": _kind(error)}
            ) from None


def _kind(error: Exception) -> str:
    # The backend's own text may quote what it was given: only its class name is shown.
    return type(error).__name__


class AskingStore:
    """A store that asks for a password it does not have (``ask(key)``, None: the rep
    declined), and keeps the answer for the session through ``inner``: the command line and
    the app use it when the keyring is not safe (``core.mail.keyring_check``), so the rep
    types a password once a session and it is written nowhere."""

    def __init__(self, inner: SecretStore, ask: Callable[[str], str | None]) -> None:
        self._inner = inner
        self._ask = ask

    def get(self, key: str) -> str | None:
        found = self._inner.get(key)
        if found is None and key.startswith(("imap:", "smtp:")):
            found = self._ask(key)
            if found:
                self._inner.set(key, found)
        return found

    def set(self, key: str, secret: str) -> None:
        self._inner.set(key, secret)

    def delete(self, key: str) -> None:
        self._inner.delete(key)
