"""The contract between mail transports (IMAP, Maildir, mbox) and the sync into the cache.

A transport lists folders, tells a folder's state, and yields raw header blocks; the sync
(``core.mail.sync``) compares that with the cache and writes the difference. Headers are parsed
once, by ``core.mail.headers``, never by a transport. The values a transport hands over
(``FolderInfo``, ``FetchedMessage``...) are ``core.mailbox``'s: the cache reads them too.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final, Protocol

if TYPE_CHECKING:  # annotations only: commands that never sync skip the rules' values
    from core.mailbox import FetchedMessage, FolderInfo, FolderStatus

# How long one wait for news may last before it is renewed: the IMAP IDLE command is re-issued
# (servers drop a client idle for 30 minutes; RFC 2177 asks for a new IDLE within 29), and the
# watcher resyncs the account (``core.mail.watch``), which costs one status per folder.
IDLE_RENEW: Final = 9 * 60.0


class Security(enum.StrEnum):
    SSL = "ssl"  # implicit TLS, the default on port 993
    STARTTLS = "starttls"  # fails when the server does not offer it
    NONE = "none"  # accepted only for loopback hosts


class MailError(Exception):
    """An error of the environment (network, server, credentials): a message for the user.

    ``str(error)`` is one line a rep can act on; it never contains a password.
    """


class ConnectError(MailError):
    """The connection could not be made or secured: ``kind`` says which step failed."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind  # "dns", "refused", "timeout", "tls", "certificate", "starttls", ...


class LoginError(MailError):
    """The server rejected the user name or password."""


class SignInNeeded(LoginError):
    """An OAuth2 sign-in was refused or revoked: the user must sign in again (nothing is lost)."""


class FolderError(MailError):
    """A folder cannot be synced (for example its UIDVALIDITY keeps changing)."""


class ConnectionLost(MailError):
    """The connection dropped (or timed out) mid-command: reconnect and retry."""


@dataclass(frozen=True, slots=True)
class Twin:
    """How a helper process opens a second connection to the same mailbox (``MailSource.twin``,
    ``core.mail.fetch_split``): the connection's settings as JSON values, the secret it signed
    in with (a password, or an OAuth2 access token when ``bearer``), and the seconds left
    before the sync's deadline (None: no deadline). Never in a repr, a log or an argument."""

    settings: dict[str, object]
    secret: str = field(repr=False)
    bearer: bool
    seconds_left: float | None


class MailSource(Protocol):
    """A mailbox the sync can read: IMAP, a Maildir or an mbox file."""

    def folders(self) -> Sequence[FolderInfo]: ...

    def status(self, folder: FolderInfo) -> FolderStatus: ...

    def uids(self, folder: FolderInfo) -> Sequence[int]: ...

    def fetch_headers(
        self, folder: FolderInfo, uids: Sequence[int]
    ) -> Iterator[FetchedMessage]: ...

    def twin(self) -> Twin | None:
        """How a helper process may read this mailbox too, or None (local folders)."""
        ...

    def close(self) -> None: ...
