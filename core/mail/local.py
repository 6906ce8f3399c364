"""Local mail as a MailSource: a Maildir++ tree or mbox files, read with stable UIDs.

Maildir: the inbox is the root, ``.Sent``, ``.Drafts``, ``.Work.Projects`` are subfolders
(roles by name, as on IMAP servers without SPECIAL-USE). A message's key is its file name
before ``:2,``; flags come from the name, so a flag change costs a directory listing, and only
new keys' files are opened (their header block only). mbox: a file is a folder; a message's
key is a digest of its bytes without the Status lines (which change with flags; see
``core.mail.mbox_scan``), and a file whose size and mtime did not change is not read again (its
last scan's summary is kept in the cache, so this holds across runs).

Either way a scan is the folder's complete listing (``changes`` is ``complete``): the sync
compares it with the cache in one pass (``core.mail.plan``), so a resync costs a listing, not
a query per message (issue 10).
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Final, NamedTuple, Protocol

from core.mail import mbox_scan
from core.mail.folders import ListEntry, classify
from core.mail.source import (
    FetchedMessage,
    FlagChange,
    FolderChanges,
    FolderError,
    FolderInfo,
    FolderStatus,
    MailError,
)
from core.rules.model import Folder
from core.store.localkeys import Stamp

LOCAL_UIDVALIDITY: Final = 1
INBOX: Final = "INBOX"
_MAILDIR_FLAGS: Final = {
    "D": "\\Draft",
    "F": "\\Flagged",
    "P": "$Forwarded",
    "R": "\\Answered",
    "S": "\\Seen",
    "T": "\\Deleted",
}
_HEADER_END: Final = (b"\r\n\r\n", b"\n\n")


class KeyMap(Protocol):
    """Where stable UIDs and mbox scan stamps are kept (``core.store.localkeys.LocalKeys``)."""

    def assign(
        self, folder: str, keys: Sequence[str], *, sort_new: bool = False
    ) -> dict[str, int]: ...

    def rename(self, folder: str, renames: dict[str, str]) -> None: ...

    def legacy(self, folder: str) -> bool: ...

    def stamp(self, folder: str) -> Stamp | None: ...

    def save_stamp(self, folder: str, stamp: Stamp) -> None: ...


class _Entry(NamedTuple):
    key: str
    flags: tuple[str, ...]
    path: str | None = None  # Maildir: the file, read when fetched
    message: mbox_scan.MboxMessage | None = None  # mbox: its place in the file


_info_flags: dict[str, tuple[str, ...]] = {}  # a Maildir name's info ("2,FS") -> flags
_new_tuple = tuple.__new__


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
    """A scanned folder: entries by UID, a fingerprint of the scan, and (mbox) the file's
    stamp at the scan."""

    def __init__(
        self, entries: dict[int, _Entry], fingerprint: int, stamp: mbox_scan.Stamp = (0, 0)
    ) -> None:
        self.entries = entries
        self.fingerprint = fingerprint
        self.stamp = stamp


class LocalSource:
    """A Maildir++ tree (``kind="maildir"``) or mbox file(s) (``kind="mbox"``)."""

    def __init__(self, path: Path | str, kind: str, keys: KeyMap) -> None:
        self.path = Path(path)
        self.kind = kind
        self.keys = keys
        self._scans: dict[str, _Folder] = {}
        if kind not in ("maildir", "mbox"):
            raise ValueError(f"unknown local mail kind {kind!r}")
        if not self.path.exists():
            raise MailError(f"{self.path}: no such file or folder")

    # -- folders -------------------------------------------------------------------------
    def folders(self) -> Sequence[FolderInfo]:
        if self.kind == "maildir":
            names = [INBOX, *self._maildir_subfolders()]
            return classify(ListEntry((), "/", name) for name in names)
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
        return sorted(
            p.name
            for p in self.path.iterdir()
            if p.is_file() and not p.name.startswith(".") and p.suffix.lower() != ".msf"
        )

    # -- state ---------------------------------------------------------------------------
    def status(self, folder: FolderInfo) -> FolderStatus:
        if self.kind == "mbox" and (known := self._unchanged_mbox(folder)) is not None:
            return known
        scan = self._scan(folder)
        uidnext = max(scan.entries, default=0) + 1
        status = FolderStatus(LOCAL_UIDVALIDITY, uidnext, len(scan.entries), scan.fingerprint)
        if self.kind == "mbox":
            size, mtime_ns = scan.stamp
            self.keys.save_stamp(
                folder.name, Stamp(size, mtime_ns, uidnext, status.exists, scan.fingerprint)
            )
        return status

    def _unchanged_mbox(self, folder: FolderInfo) -> FolderStatus | None:
        """The last scan's status when the file's size and mtime did not change since."""
        try:
            stat = self._mbox_path(folder).stat()
        except OSError as error:
            raise FolderError(f"{folder.display}: cannot read: {error.strerror or error}") from None
        last = self.keys.stamp(folder.name)
        if last is None or (last.size, last.mtime_ns) != (stat.st_size, stat.st_mtime_ns):
            return None
        return FolderStatus(LOCAL_UIDVALIDITY, last.uidnext, last.exists, last.fingerprint)

    def uids(self, folder: FolderInfo) -> Sequence[int]:
        return sorted(self._scan(folder, reuse=True).entries)

    def changes(self, folder: FolderInfo, since_modseq: int | None) -> FolderChanges:
        """Every message's flags (a local folder has no MODSEQ: the list is complete)."""
        scan = self._scan(folder, reuse=True)
        flags = tuple(
            [_new_tuple(FlagChange, (uid, e.flags, None)) for uid, e in scan.entries.items()]
        )
        return FolderChanges(flags, None, complete=True)

    def fetch_headers(self, folder: FolderInfo, uids: Sequence[int]) -> Iterator[FetchedMessage]:
        scan = self._scan(folder, reuse=True)
        found = [(uid, entry) for uid in uids if (entry := scan.entries.get(uid)) is not None]
        if self.kind == "mbox":
            yield from self._mbox_headers(folder, scan, found)
            return
        for uid, entry in found:  # a missing one is gone since the listing, as an expunge
            assert entry.path is not None
            try:
                header, size, mtime = _read_header(entry.path)
            except FileNotFoundError:
                continue  # renamed by a flag change or deleted; the next sync sees it
            yield FetchedMessage(uid, entry.flags, mtime, size, header)

    def _mbox_headers(
        self, folder: FolderInfo, scan: _Folder, found: list[tuple[int, _Entry]]
    ) -> Iterator[FetchedMessage]:
        for start in range(0, len(found), 5000):  # bounded memory: headers read in chunks
            chunk = found[start : start + 5000]
            places = [entry.message for _, entry in chunk if entry.message is not None]
            try:
                blocks = mbox_scan.headers(self._mbox_path(folder), scan.stamp, places)
            except OSError as error:
                raise FolderError(f"{folder.display}: cannot read: {error.strerror}") from None
            if blocks is None:
                return  # the file changed since the listing: the next sync reads it again
            for (uid, entry), header, place in zip(chunk, blocks, places, strict=True):
                yield FetchedMessage(uid, entry.flags, None, place.stop - place.start, header)

    def close(self) -> None:
        self._scans.clear()

    # -- internals -----------------------------------------------------------------------
    def _scan(self, folder: FolderInfo, reuse: bool = False) -> _Folder:
        if reuse and folder.name in self._scans:
            return self._scans[folder.name]
        stamp: mbox_scan.Stamp = (0, 0)
        try:
            if self.kind == "maildir":
                listed = self._maildir(folder)
            else:
                listed, stamp = self._mbox(folder)
        except OSError as error:
            raise FolderError(f"{folder.display}: cannot read: {error.strerror or error}") from None
        uid_of = self.keys.assign(
            folder.name, [e.key for e in listed], sort_new=self.kind == "maildir"
        )
        entries = {uid_of[e.key]: e for e in listed}
        scan = _Folder(entries, _fingerprint(entries), stamp)
        self._scans[folder.name] = scan
        return scan

    def _maildir_path(self, folder: FolderInfo) -> Path:
        return maildir_box(self.path, folder.name)

    def _maildir(self, folder: FolderInfo) -> list[_Entry]:
        """The folder's files (new/ and cur/), unsorted: only new keys need an order."""
        root = self._maildir_path(folder)
        found: list[_Entry] = []
        append = found.append
        for sub in ("new", "cur"):
            with os.scandir(root / sub) as entries:
                for item in entries:
                    name = item.name
                    if name[:1] == "." or not item.is_file():
                        continue
                    key, _, info = name.partition(":")
                    flags = _info_flags.get(info)
                    if flags is None:
                        flags = _flags_of_info(info)
                    append(_Entry(key, flags, item.path))
        return found

    def _mbox_path(self, folder: FolderInfo) -> Path:
        return self.path if self.path.is_file() else self.path / folder.name

    def _mbox(self, folder: FolderInfo) -> tuple[list[_Entry], mbox_scan.Stamp]:
        """The file's messages; a file still keyed the old way is re-keyed once (same UIDs)."""
        path = self._mbox_path(folder)
        legacy = self.keys.legacy(folder.name)
        messages, stamp = mbox_scan.scan(path, legacy=legacy)
        if legacy:
            self.keys.rename(folder.name, {m.legacy: m.key for m in messages if m.legacy})
        return [_Entry(m.key, m.flags, None, m) for m in messages], stamp


def _flags_of_info(info: str) -> tuple[str, ...]:
    letters = info[2:] if info.startswith("2,") else ""
    flags = tuple(_MAILDIR_FLAGS[c] for c in sorted(letters) if c in _MAILDIR_FLAGS)
    if len(_info_flags) < 4096:
        _info_flags[info] = flags
    return flags


def _fingerprint(entries: dict[int, _Entry]) -> int:
    """A digest of the listing (UIDs and flags): unchanged, the sync has nothing to do."""
    flags_of = {uid: " ".join(e.flags) for uid, e in entries.items()}
    text = "\n".join(f"{uid} {flags_of[uid]}" for uid in sorted(flags_of))
    return zlib.crc32(text.encode())


def maildir_box(root: Path, folder: str) -> Path:
    """The directory of a Maildir++ folder: the root for the inbox, ``.A.B`` for ``A/B``."""
    return root if folder == INBOX else root / ("." + folder.replace("/", "."))


def maildir_file(root: Path, folder: str, key: str) -> Path | None:
    """The file of a message by its Maildir key (whatever its flags), or None when it is gone."""
    box = maildir_box(root, folder)
    for sub in ("cur", "new"):
        try:
            with os.scandir(box / sub) as entries:
                for item in entries:
                    if item.name == key or item.name.startswith(key + ":"):
                        return Path(item.path)
        except FileNotFoundError:
            continue
    return None
