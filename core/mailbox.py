"""What a mailbox sync hands from its sources to the cache: folders, their state, messages.

The values ``core.mail`` produces (a transport lists folders and fetches raw headers; the
parser turns those into new messages) and ``core.store`` keeps (folders and rows). Neither
package owns them: the cache never imports the mail code, and the mail code hands what it
read to the store's functions (``core.store.cache``) as these values.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple, overload

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


class FlagColumns(Sequence[FlagChange]):
    """A complete flag listing as two columns, UIDs and their flag sets (issue 10).

    A folder of 100,000 messages lists 100,000 flag sets on every sync without CONDSTORE;
    kept as two lists they are built and compared in bulk (``core.mail.imap_flags``,
    ``core.mail.plan.compare``), never as one FlagChange each. It reads as the sequence of
    FlagChange it holds (without MODSEQ: a complete listing is not a delta).
    """

    __slots__ = ("flags", "uids")
    __hash__ = None  # type: ignore[assignment]  # mutable, like a list

    def __init__(self, uids: list[int] | None = None, flags: list[tuple[str, ...]] | None = None):
        self.uids: list[int] = [] if uids is None else uids
        self.flags: list[tuple[str, ...]] = [] if flags is None else flags

    def append(self, change: FlagChange) -> None:
        self.uids.append(change.uid)
        self.flags.append(change.flags)

    def __len__(self) -> int:
        return len(self.uids)

    def below(self, uidnext: int) -> FlagColumns:
        """The listing without UIDs at or above ``uidnext`` (mail that arrived meanwhile)."""
        if not self.uids or max(self.uids) < uidnext:
            return self
        kept = [k for k, uid in enumerate(self.uids) if uid < uidnext]
        return FlagColumns([self.uids[k] for k in kept], [self.flags[k] for k in kept])

    @overload
    def __getitem__(self, index: int) -> FlagChange: ...

    @overload
    def __getitem__(self, index: slice) -> list[FlagChange]: ...

    def __getitem__(self, index: int | slice) -> FlagChange | list[FlagChange]:
        if isinstance(index, slice):
            return list(map(FlagChange, self.uids[index], self.flags[index]))
        return FlagChange(self.uids[index], self.flags[index])

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence):
            return NotImplemented
        return list(self) == list(other)

    def __repr__(self) -> str:
        return f"FlagColumns({list(self)!r})"


class FolderChanges(NamedTuple):
    """What changed in a folder since a MODSEQ (or, without CONDSTORE, every UID's flags)."""

    flags: Sequence[FlagChange]  # a complete listing comes as FlagColumns
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
