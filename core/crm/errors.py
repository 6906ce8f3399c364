"""The errors of the CRM delivery channels (HubSpot API, SMTP forward): one line for the user.

``str(error)`` is a sentence a rep can act on. It never contains a token or a password: the
channels build every message themselves and never embed a request, its headers or a repr.
Errors of ours (bugs) are not in this hierarchy; they surface as ordinary exceptions.
"""

from __future__ import annotations


class CrmError(Exception):
    """An error of the environment (network, CRM, credentials, limits): a message for the user."""


class AuthError(CrmError):
    """The CRM or the mail server rejected the credentials (token, scopes or password)."""


class MissingScopes(AuthError):
    """HubSpot's 403 ``MISSING_SCOPES``: ``required`` are the scopes it names in
    ``errors[].context.requiredScopes`` (one of them is enough when it lists several)."""

    def __init__(self, message: str, required: tuple[str, ...]) -> None:
        super().__init__(message)
        self.required = required


class RateLimited(CrmError):
    """The CRM kept answering 429 after the bounded retries; ``retry_after`` is in seconds.

    ``daily``: the portal's daily limit is spent, so nothing more should be sent today.
    """

    def __init__(
        self, message: str, retry_after: float | None = None, *, daily: bool = False
    ) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        self.daily = daily


class CrmUnavailable(CrmError):
    """The CRM could not be reached or kept failing (5xx, timeout, refused) after retries."""


class OutcomeUnknown(CrmUnavailable):
    """A create request was sent but no answer came: it may or may not have been applied.

    The caller must look for the object (``HubSpotClient.find_email``) before creating it again.
    """


class Rejected(CrmError):
    """The CRM refused the request itself (a 4xx other than auth and rate limits)."""

    def __init__(self, message: str, status: int | None = None, detail: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.detail = detail  # HubSpot's own ``message`` field, one line


class NeverLogged(CrmError):
    """Mailscope refuses to log an email to a contact on the Never-log list."""


class ForwardError(CrmError):
    """Forwarding to the CRM's logging address failed or was refused before sending."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind  # "too_large", "dns", "refused", "timeout", "certificate", "tls", ...
