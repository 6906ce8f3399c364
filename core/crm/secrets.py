"""CRM secrets in the OS keyring: HubSpot tokens, the public app's secret, the SMTP password.

Service ``mailscope``; keys ``hubspot:<portal>`` (a Service Key or private-app token),
``hubspot-oauth:<portal>`` (the OAuth access and refresh tokens with their expiry, as JSON:
about 400 characters, well under Windows' 1,280 per secret), ``hubspot-app:<client id>`` (the
public app's client secret) and ``smtp:<account>``. The keyring is the only place they are
kept: never SQLite, logs or messages. Callers read a secret just before use and hand it to
``HubSpotClient`` or ``forward``; errors name the key, never the value.
"""

from __future__ import annotations

from typing import Final, Protocol

from core.crm.errors import AuthError, CrmError
from core.crm.hubspot_auth import OAuthTokens

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


def oauth_key(portal: str) -> str:
    return f"hubspot-oauth:{portal}"


def app_key(client_id: str) -> str:
    return f"hubspot-app:{client_id}"


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
                f"No HubSpot token is stored for portal {portal}: connect HubSpot again "
                "(CRM › Connect HubSpot…)."
            )
        return token

    def set_hubspot_token(self, portal: str, token: str) -> None:
        token = token.strip()
        if not token:
            raise AuthError("The HubSpot token is empty.")
        self._set(hubspot_key(portal), token)

    def forget_hubspot_token(self, portal: str) -> None:
        self._delete(hubspot_key(portal))
        self._delete(oauth_key(portal))

    def hubspot_oauth(self, portal: str) -> OAuthTokens:
        """The portal's OAuth tokens; ``AuthError`` when none (or unreadable) are stored."""
        text = self._get(oauth_key(portal))
        try:
            return OAuthTokens.from_json(text) if text else _no_sign_in(portal)
        except (ValueError, KeyError, TypeError):
            return _no_sign_in(portal)

    def set_hubspot_oauth(self, portal: str, tokens: OAuthTokens) -> None:
        self._set(oauth_key(portal), tokens.to_json())

    def hubspot_client_secret(self, client_id: str) -> str:
        secret = self._get(app_key(client_id))
        if not secret:
            raise AuthError(
                f"No client secret is stored for the HubSpot app {client_id}: "
                "connect HubSpot again (CRM › Connect HubSpot…)."
            )
        return secret

    def set_hubspot_client_secret(self, client_id: str, secret: str) -> None:
        if not secret.strip():
            raise AuthError("The HubSpot app's client secret is empty.")
        self._set(app_key(client_id), secret.strip())

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


def _no_sign_in(portal: str) -> OAuthTokens:
    raise AuthError(
        f"No HubSpot sign-in is stored for portal {portal}: connect HubSpot again "
        "(CRM › Connect HubSpot…)."
    )


def _keyring_error(verb: str, key: str, error: Exception) -> CrmError:
    # The backend's own text may quote what it was given: only its class name is shown.
    return CrmError(f"Cannot {verb} {key} in the keyring ({type(error).__name__}).")
