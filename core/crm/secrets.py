"""CRM secrets in the OS keyring: the HubSpot private-app token and the SMTP password.

Service ``mailscope``; keys ``hubspot:<portal>`` and ``smtp:<account>``. The keyring is the only
place they are kept: never SQLite, logs or messages. Callers read a secret just before use and
hand it to ``HubSpotClient`` or ``forward``; errors name the key, never the value.
"""

from __future__ import annotations

from typing import Final, Protocol

from core.crm.errors import AuthError, CrmError

SERVICE: Final = "mailscope"


class Keyring(Protocol):
    """The three calls of the ``keyring`` package that this module uses (a port, for tests)."""

    def get_password(self, service: str, username: str) -> str | None: ...

    def set_password(self, service: str, username: str, password: str) -> None: ...

    def delete_password(self, service: str, username: str) -> None: ...


def hubspot_key(portal: str) -> str:
    return f"hubspot:{portal}"


def smtp_key(account: str) -> str:
    return f"smtp:{account}"


class CrmSecrets:
    """Read and write the CRM's secrets in a keyring (the configured OS keyring by default)."""

    def __init__(self, backend: Keyring | None = None, service: str = SERVICE) -> None:
        if backend is None:
            import keyring

            backend = keyring.get_keyring()
        self._backend = backend
        self._service = service

    def __repr__(self) -> str:
        return f"CrmSecrets(service={self._service!r})"

    def hubspot_token(self, portal: str) -> str:
        """The portal's private-app token; ``AuthError`` when none is stored."""
        token = self._get(hubspot_key(portal))
        if not token:
            raise AuthError(
                f"No HubSpot private-app token is stored for portal {portal}: "
                "add it in the account settings."
            )
        return token

    def set_hubspot_token(self, portal: str, token: str) -> None:
        token = token.strip()
        if not token:
            raise AuthError("The HubSpot private-app token is empty.")
        self._set(hubspot_key(portal), token)

    def forget_hubspot_token(self, portal: str) -> None:
        self._delete(hubspot_key(portal))

    def smtp_password(self, account: str) -> str | None:
        """The SMTP password of an account, None when the server needs none or none is stored."""
        return self._get(smtp_key(account))

    def set_smtp_password(self, account: str, password: str) -> None:
        self._set(smtp_key(account), password)

    def forget_smtp_password(self, account: str) -> None:
        self._delete(smtp_key(account))

    def _get(self, key: str) -> str | None:
        from keyring.errors import KeyringError

        try:
            return self._backend.get_password(self._service, key)
        except KeyringError as error:
            raise CrmError(
                f"Cannot read {key} from the keyring ({type(error).__name__})."
            ) from None

    def _set(self, key: str, secret: str) -> None:
        from keyring.errors import KeyringError

        try:
            self._backend.set_password(self._service, key, secret)
        except KeyringError as error:
            raise _keyring_error("save", key, error) from None

    def _delete(self, key: str) -> None:
        from keyring.errors import KeyringError, PasswordDeleteError

        try:
            self._backend.delete_password(self._service, key)
        except PasswordDeleteError:
            return  # nothing stored: already forgotten
        except KeyringError as error:
            raise CrmError(
                f"Cannot remove {key} from the keyring ({type(error).__name__})."
            ) from None


def _keyring_error(verb: str, key: str, error: Exception) -> CrmError:
    # The backend's own text may quote what it was given: only its class name is shown.
    return CrmError(f"Cannot {verb} {key} in the keyring ({type(error).__name__}).")
