"""The contract between mail transports (IMAP, Maildir, mbox) and the sync into the cache.

A transport lists folders, tells a folder's state, and yields raw header blocks; the sync
(``core.mail.sync``) compares that with the cache and writes the difference. Headers are parsed
once, by ``core.mail.headers``, never by a transport.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple, Protocol

if TYPE_CHECKING:  # an annotation only: commands that never sync skip the rules' values
    from core.rules.model import Folder


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
class FolderInfo:
    """One folder as listed by the source."""

    name: str  # the server's name (IMAP: as sent to SELECT), or the local path key
    display: str  # decoded for people (modified UTF-7 decoded)
    role: Folder
    skipped: bool = False  # junk and trash are skipped by default
    special_use: str | None = None  # "\\Sent", "\\Drafts", ... when the server said so


@dataclass(frozen=True, slots=True)
class FolderStatus:
    """A folder's sync state as the server reports it on SELECT."""

    uidvalidity: int
    uidnext: int
    exists: int
    highestmodseq: int | None = None  # None without CONDSTORE


class FetchedMessage(NamedTuple):
    """One message's raw headers and metadata as fetched; parsing happens in the cache."""

    uid: int
    flags: tuple[str, ...]
    internaldate: float | None  # seconds since the epoch, UTC
    size: int
    header: bytes  # the raw header block of the fields the rules need
    gm_msgid: int | None = None
    gm_thrid: int | None = None


class FlagChange(NamedTuple):
    uid: int
    flags: tuple[str, ...]
    modseq: int | None = None


class FolderChanges(NamedTuple):
    """What changed in a folder since a MODSEQ (or, without CONDSTORE, every UID's flags)."""

    flags: tuple[FlagChange, ...]
    vanished: tuple[int, ...] | None  # None: the source cannot tell; compare UID lists
    complete: bool = False  # True: ``flags`` lists every message (no CONDSTORE), not a delta


class MailSource(Protocol):
    """A mailbox the sync can read: IMAP, a Maildir or an mbox file."""

    def folders(self) -> Sequence[FolderInfo]: ...

    def status(self, folder: FolderInfo) -> FolderStatus: ...

    def uids(self, folder: FolderInfo) -> Sequence[int]: ...

    def fetch_headers(
        self, folder: FolderInfo, uids: Sequence[int]
    ) -> Iterator[FetchedMessage]: ...

    def close(self) -> None: ...
