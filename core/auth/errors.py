"""OAuth2 errors: one line a user can act on, never a token, a code or a verifier."""

from __future__ import annotations


class OAuthError(Exception):
    """Signing in or renewing a sign-in failed; ``str()`` is one line for the user."""


class SignInRequired(OAuthError):
    """The provider refused to renew the sign-in (revoked or expired): sign in again."""


class SignInTimeout(OAuthError):
    """No answer came back from the browser in time (the user closed it, or walked away)."""


class StateMismatch(OAuthError):
    """The browser brought back an answer to a request Mailscope did not make."""


class Cancelled(OAuthError):
    """The user cancelled the sign-in."""
