"""Local mail as a MailSource: a Maildir++ tree or mbox files, read with stable UIDs.

Maildir: the inbox is the root, ``.Sent``, ``.Drafts``, ``.Work.Projects`` are subfolders
(roles by name, as on IMAP servers without SPECIAL-USE). A message's key is its file name
before ``:2,`` (or ``!2,``, see ``split_name``); flags come from the name, so a flag change
costs a directory listing, and only new keys' files are opened (their header block only).
mbox: a file is a folder; a message's key is a digest of its bytes without the Status lines
(which change with flags; see ``core.mail.mbox_scan``), and a file whose size and mtime did
not change is not read again (its last scan's summary is kept in the cache, so this holds
across runs).

Either way a scan is matched with the folder's last listing, kept in the cache
(``core.mail.local_listing``): only what changed is read. When the cache holds that listing
(the folder's HIGHESTMODSEQ is its token), ``changes`` gives the delta (vanished, re-flagged
and new UIDs) and the sync touches only those rows; otherwise it gives the complete listing,
which the sync compares with the cache in one pass (``core.mail.plan``). Issue 10.
"""

from __future__ import annotations

import functools
import operator
import os
import time
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Final, Protocol, overload

from core.i18n import _
from core.mail import local_listing, mbox_scan
from core.mail.folders import ListEntry, classify
from core.mail.local_listing import Delta, Listing, ListingStore
from core.mail.maildir_names import INBOX as INBOX
from core.mail.maildir_names import INFO_SEPARATOR as INFO_SEPARATOR
from core.mail.maildir_names import maildir_box as maildir_box
from core.mail.maildir_names import maildir_file as maildir_file
from core.mail.maildir_names import read_names
from core.mail.maildir_names import split_name as split_name
from core.mail.source import FolderError, MailError, Twin
from core.mailbox import FetchedMessage, FlagColumns, FolderChanges, FolderInfo, FolderStatus
from core.rules.model import Folder
from core.store.localkeys import Stamp

LOCAL_UIDVALIDITY: Final = 1
_HEADER_END: Final = (b"\r\n\r\n", b"\n\n")


class KeyMap(ListingStore, Protocol):
    """Where stable UIDs, listings and mbox scan stamps are kept
    (``core.store.localkeys.LocalKeys``)."""

    def rename(self, folder: str, renames: dict[str, str]) -> None: ...

    def legacy(self, folder: str) -> bool: ...

    def stamp(self, folder: str) -> Stamp | None: ...

    def save_stamp(self, folder: str, stamp: Stamp) -> None: ...

    def key_of(self, folder: str, uid: int) -> str | None: ...

    def drop_listing(self, folder: str) -> None: ...


# What says a folder did not change since its last scan: an mbox file's size and mtime, a
# Maildir's new/ and cur/ mtimes (every delivery, flag change and removal touches them).
PathStamp = tuple[int, int]
MboxPlace = tuple[int, int]  # where a message's From line starts, and the next one
RACY_NS: Final = 3_000_000_000  # a stamp this recent may miss a change in the same tick


def header_block(data: bytes) -> bytes:
    """The header block of a raw message (up to the first empty line, or all of it)."""
    ends = [i + len(sep) for sep in _HEADER_END if (i := data.find(sep)) >= 0]
    return data[: min(ends)] if ends else data


def _read_header(path: str) -> tuple[bytes, int, float]:
    """A file's header block, size and mtime (one open, one fstat)."""
    with open(path, "rb") as handle:
        data = handle.read(65536)
        while not any(sep in data for sep in _HEADER_END):
            more = handle.read(1 << 20)
            if not more:
                break
            data += more
        stat = os.fstat(handle.fileno())
    return header_block(data), stat.st_size, stat.st_mtime


class _Folder:
    """A scanned folder, column by column (a 100k folder is scanned in a few C-level passes):
    each message's UID, flags and place (Maildir: its file; mbox: its place in the file); the
    listing's token, its delta from the last listing, and the scan's stamp."""

    def __init__(
        self,
        listing: tuple[Listing, Delta | None],
        places: Sequence[str] | Sequence[MboxPlace],
        stamp: PathStamp,
    ) -> None:
        self.uids = listing[0].uids
        self.flags = listing[0].flags
        self.token = listing[0].token
        self.delta = listing[1]
        self.places = places
        self.stamp = stamp
        self._index: dict[int, int] | None = None

    @property
    def index(self) -> dict[int, int]:
        """UID -> position (built when first asked: a resync with nothing new never asks)."""
        if self._index is None:
            self._index = dict(zip(self.uids, range(len(self.uids)), strict=True))
        return self._index


class LocalSource:
    """A Maildir++ tree (``kind="maildir"``) or mbox file(s) (``kind="mbox"``)."""

    def __init__(self, path: Path | str, kind: str, keys: KeyMap) -> None:
        self.path = Path(path)
        self.kind = kind
        self.keys = keys
        self._scans: dict[str, _Folder] = {}
        if kind not in ("maildir", "mbox"):
            raise ValueError(_("unknown local mail kind %(kind)r") % {"kind": kind})
        if not self.path.exists():
            raise MailError(_("%(path)s: no such file or folder") % {"path": self.path})

    # -- folders -------------------------------------------------------------------------
    def folders(self) -> Sequence[FolderInfo]:
        if self.kind == "maildir":
            names = [INBOX, *self._maildir_subfolders()]
            return classify(ListEntry((), "/", name) for name in names)
        return self._mbox_folders()

    def _mbox_folders(self) -> list[FolderInfo]:
        found = classify(ListEntry((), "/", name) for name in self._mbox_files())
        if self.path.is_file() and found[0].role is Folder.OTHER:
            # One exported mbox file: it is read as the inbox unless its name says otherwise.
            found = [replace(found[0], role=Folder.INBOX)]
        return found

    def _maildir_subfolders(self) -> list[str]:
        return sorted(
            p.name[1:].replace(".", "/")
            for p in self.path.iterdir()
            if p.name.startswith(".") and p.is_dir() and (p / "cur").is_dir()
        )

    def _mbox_files(self) -> list[str]:
        if self.path.is_file():
            return [self.path.name]
        return sorted(p.name for p in self.path.iterdir() if _is_mbox_file(p))

    # -- state ---------------------------------------------------------------------------
    def status(self, folder: FolderInfo) -> FolderStatus:
        """The folder's state; its last scan's when its stamp says nothing changed since (a
        later process included), else a new scan's."""
        now = self._path_stamp(folder)
        last = self.keys.stamp(folder.name)
        if last is not None and (last.size, last.mtime_ns) == now:
            return FolderStatus(LOCAL_UIDVALIDITY, last.uidnext, last.exists, last.fingerprint)
        scan = self._scan(folder)
        uidnext = max(scan.uids, default=0) + 1
        status = FolderStatus(LOCAL_UIDVALIDITY, uidnext, len(scan.index), scan.token)
        stamp = self._stamp(scan, now)
        self.keys.save_stamp(folder.name, Stamp(*stamp, uidnext, status.exists, scan.token))
        return status

    def _stamp(self, scan: _Folder, now: PathStamp) -> PathStamp:
        """The stamp saved with a scan; one too recent to trust is saved as never matching."""
        stamp = scan.stamp if self.kind == "mbox" else now  # taken before the listing
        newest = stamp[1] if self.kind == "mbox" else max(stamp)
        if time.time_ns() - newest < RACY_NS:
            return (-1, -1)  # a change in the same clock tick would leave it unchanged
        return stamp

    def _path_stamp(self, folder: FolderInfo) -> PathStamp:
        try:
            if self.kind == "mbox":
                stat = self._mbox_path(folder).stat()
                return stat.st_size, stat.st_mtime_ns
            root = self._maildir_path(folder)
            return (root / "new").stat().st_mtime_ns, (root / "cur").stat().st_mtime_ns
        except OSError as error:
            raise FolderError(
                _("%(folder_display)s: cannot read: %(strerror)s")
                % {"folder_display": folder.display, "strerror": error.strerror or error}
            ) from None

    def uids(self, folder: FolderInfo) -> Sequence[int]:
        return sorted(self._scan(folder, reuse=True).index)

    def changes(
        self, folder: FolderInfo, since_modseq: int | None, status: FolderStatus | None = None
    ) -> FolderChanges:
        """What changed since the listing the cache holds (its token is ``since_modseq``), or,
        when the cache holds another, every message's flags (``complete``)."""
        scan = self._scan(folder, reuse=True)
        delta = scan.delta
        if delta is not None and since_modseq == delta.base:
            return FolderChanges(delta.flags, delta.vanished, new=delta.new)
        return FolderChanges(FlagColumns(scan.uids, scan.flags), None, complete=True)

    def fetch_headers(self, folder: FolderInfo, uids: Sequence[int]) -> Iterator[FetchedMessage]:
        scan = self._scan(folder, reuse=True)
        found = [(uid, at) for uid in uids if (at := scan.index.get(uid)) is not None]
        if self.kind == "mbox":
            yield from self._mbox_headers(folder, scan, found)
            return
        for uid, at in found:  # a missing one is gone since the listing, as an expunge
            path = scan.places[at]
            assert isinstance(path, str)
            try:
                header, size, mtime = _read_header(path)
            except (FileNotFoundError, IsADirectoryError):
                # Renamed by a flag change or deleted, or a folder: the cache will not hold
                # this listing, so the next sync compares every message with it.
                self.keys.drop_listing(folder.name)
                continue
            yield FetchedMessage(uid, scan.flags[at], mtime, size, header)

    def _mbox_headers(
        self, folder: FolderInfo, scan: _Folder, found: list[tuple[int, int]]
    ) -> Iterator[FetchedMessage]:
        for start in range(0, len(found), 5000):  # bounded memory: headers read in chunks
            chunk = found[start : start + 5000]
            wanted = [p for _, at in chunk if isinstance(p := scan.places[at], tuple)]
            try:
                blocks = mbox_scan.headers(self._mbox_path(folder), scan.stamp, wanted)
            except OSError as error:
                raise FolderError(
                    _("%(folder_display)s: cannot read: %(strerror)s")
                    % {"folder_display": folder.display, "strerror": error.strerror}
                ) from None
            if blocks is None:  # the file changed since the listing: the next sync reads it
                self.keys.drop_listing(folder.name)  # and compares every message (see above)
                return
            for (uid, at), (header, size) in zip(chunk, blocks, strict=True):
                yield FetchedMessage(uid, scan.flags[at], None, size, header)

    def fetch_raw(self, folder: str, uid: int) -> bytes | None:
        """The whole raw message, or None when the UID is gone (as ``ImapSource.fetch_raw``):
        found by the key the sync gave the UID, in the file the sync read."""
        key = self.keys.key_of(folder, uid)
        if key is None:
            return None
        try:
            return self._raw(folder, key)
        except OSError as error:
            raise MailError(
                _("cannot read the message: %(strerror)s") % {"strerror": error.strerror or error}
            ) from None

    def _raw(self, folder: str, key: str) -> bytes | None:
        """The bytes of the message with ``key``, or None when its file is gone."""
        if self.kind == "mbox":
            return mbox_scan.message(self._mbox_file(folder), key)
        path = maildir_file(self.path, folder, key)
        return path.read_bytes() if path is not None else None

    def twin(self) -> Twin | None:
        """None: reading files needs no second connection (its parse stays in this process)."""
        return None

    def close(self) -> None:
        self._scans.clear()

    # -- internals -----------------------------------------------------------------------
    def _scan(self, folder: FolderInfo, reuse: bool = False) -> _Folder:
        if reuse and folder.name in self._scans:
            return self._scans[folder.name]
        try:
            scan = self._maildir(folder) if self.kind == "maildir" else self._mbox(folder)
        except OSError as error:
            raise FolderError(
                _("%(folder_display)s: cannot read: %(strerror)s")
                % {"folder_display": folder.display, "strerror": error.strerror or error}
            ) from None
        self._scans[folder.name] = scan
        return scan

    def _maildir_path(self, folder: FolderInfo) -> Path:
        return maildir_box(self.path, folder.name)

    def _maildir(self, folder: FolderInfo) -> _Folder:
        """The folder's files (new/ and cur/, unsorted: only new keys need an order), matched
        by name with its last listing. Names only, no stat: a stray directory is skipped when
        it is read."""
        root = self._maildir_path(folder)
        new = _listed(f"{root / 'new'}{os.sep}")
        cur = _listed(f"{root / 'cur'}{os.sep}")
        names = new + cur
        read = functools.partial(read_names, names)
        found = local_listing.rescan(self.keys, folder.name, names, read, maildir=True)
        return _Folder(found, _Paths(root, names, len(new)), (0, 0))

    def _mbox_path(self, folder: FolderInfo) -> Path:
        return self._mbox_file(folder.name)

    def _mbox_file(self, name: str) -> Path:
        return self.path if self.path.is_file() else self.path / name

    def _mbox(self, folder: FolderInfo) -> _Folder:
        """The file's messages, matched with its last listing; a file still keyed the old way
        is re-keyed once (same UIDs)."""
        path = self._mbox_path(folder)
        if self.keys.legacy(folder.name):
            messages, _stamp = mbox_scan.scan(path, legacy=True)
            self.keys.rename(folder.name, {m.legacy: m.key for m in messages if m.legacy})
            self.keys.drop_listing(folder.name)
        with mbox_scan.opened(path) as box:
            idents = box.idents
            found = local_listing.rescan(self.keys, folder.name, idents, box.read, maildir=False)
            return _Folder(found, list(zip(box.starts, box.ends, strict=True)), box.stamp)


def _listed(where: str) -> list[str]:
    """The names in a Maildir directory, but hidden ones."""
    names = os.listdir(where)
    if any(map(operator.methodcaller("startswith", "."), names)):
        names = [name for name in names if name[:1] != "."]
    return names


class _Paths(Sequence[str]):
    """The paths of a Maildir's files, by position (new/ then cur/), made when asked: a resync
    reads only its new files."""

    def __init__(self, root: Path, names: list[str], new: int) -> None:
        self.new = f"{root / 'new'}{os.sep}"
        self.cur = f"{root / 'cur'}{os.sep}"
        self.names = names
        self.split = new

    def __len__(self) -> int:
        return len(self.names)

    @overload
    def __getitem__(self, at: int) -> str: ...

    @overload
    def __getitem__(self, at: slice) -> Sequence[str]: ...

    def __getitem__(self, at: int | slice) -> str | Sequence[str]:
        if isinstance(at, slice):
            return [self[n] for n in range(*at.indices(len(self)))]
        return (self.new if at < self.split else self.cur) + self.names[at]


def _is_mbox_file(path: Path) -> bool:
    """A file of a folder of mbox files: not hidden, not Thunderbird's ``.msf`` summary."""
    return path.is_file() and not path.name.startswith(".") and path.suffix.lower() != ".msf"
