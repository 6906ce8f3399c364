"""What a mailbox sync hands from its sources to the cache: folders, their state, messages.

The values ``core.mail`` produces (a transport lists folders and fetches raw headers; the
parser turns those into new messages) and ``core.store`` keeps (folders and rows). Neither
package owns them: the cache never imports the mail code, and the mail code hands what it
read to the store's functions (``core.store.cache``) as these values.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:  # annotations only: commands that never sync skip the rules' values
    from core.rules.model import Folder, Message


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
    # The UIDs that appeared since (a local folder's delta knows them; a server's are those
    # above the highest cached UID). With ``vanished`` and ``flags``, the whole delta.
    new: tuple[int, ...] | None = None


class NewMessage(NamedTuple):
    """A fetched message parsed once (``core.mail.headers.prepare``), ready for the cache.

    ``message`` is the engine's value; the other fields are what the cache stores besides it
    (``core.store.cache.row`` lays out the row). The header fields themselves are not kept: a
    sync holds thousands of these at a time.
    """

    uid: int
    flags: tuple[str, ...]
    internaldate: float | None
    size: int
    message: Message
    flagged: tuple[str, ...]  # what could not be parsed: "from", "date", "8bit"...
    gm_msgid: int | None
    gm_thrid: int | None
    date_raw: str | None  # the Date header as written, kept only when it could not be read
    list_id: str | None
    list_unsubscribe: str | None
    precedence: str | None
    auto_submitted: str | None
    to_list: str | None  # To, Cc and Bcc packed (``core.store.packed``), as the parser memoised
    cc_list: str | None
    bcc_list: str | None
