"""Local mail as a MailSource: a Maildir++ tree or mbox files, read with stable UIDs.

Maildir: the inbox is the root, ``.Sent``, ``.Drafts``, ``.Work.Projects`` are subfolders
(roles by name, as on IMAP servers without SPECIAL-USE). A message's key is its file name
before ``:2,`` (or ``!2,``, see ``split_name``); flags come from the name, so a flag change
costs a directory listing, and only new keys' files are opened (their header block only).
mbox: a file is a folder; a message's key is a hash of its bytes without the Status lines
(which change with flags), and a file whose size and mtime did not change is not read again
(its last scan's summary is kept in the cache, so this holds across runs).
"""

from __future__ import annotations

import hashlib
import mailbox
import os
import re
import sys
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Final, Protocol

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
# The separator before a Maildir file name's info part ("2,FLAGS"): ":" by the Maildir spec,
# "!" where a file name cannot hold ":" (Windows; CPython's ``mailbox.Maildir.colon``).
INFO_SEPARATOR: Final = "!" if sys.platform == "win32" else ":"
INBOX: Final = "INBOX"
_MAILDIR_FLAGS: Final = {
    "D": "\\Draft",
    "F": "\\Flagged",
    "P": "$Forwarded",
    "R": "\\Answered",
    "S": "\\Seen",
    "T": "\\Deleted",
}
_MBOX_FLAGS: Final = {"R": "\\Seen", "A": "\\Answered", "F": "\\Flagged", "D": "\\Deleted"}
_HEADER_END: Final = (b"\r\n\r\n", b"\n\n")


class KeyMap(Protocol):
    """Where stable UIDs and mbox scan stamps are kept (``core.store.localkeys.LocalKeys``)."""

    def assign(self, folder: str, keys: Sequence[str]) -> dict[str, int]: ...

    def stamp(self, folder: str) -> Stamp | None: ...

    def save_stamp(self, folder: str, stamp: Stamp) -> None: ...


@dataclass(frozen=True, slots=True)
class _Entry:
    key: str
    flags: tuple[str, ...]
    path: Path | None = None  # Maildir: the file, read when fetched
    header: bytes = b""  # mbox: read with the scan
    size: int = 0


def header_block(data: bytes) -> bytes:
    """The header block of a raw message (up to the first empty line, or all of it)."""
    ends = [i + len(sep) for sep in _HEADER_END if (i := data.find(sep)) >= 0]
    return data[: min(ends)] if ends else data


def _read_header(path: Path) -> tuple[bytes, int]:
    with path.open("rb") as handle:
        data = handle.read(65536)
        while not any(sep in data for sep in _HEADER_END):
            more = handle.read(1 << 20)
            if not more:
                break
            data += more
        size = os.fstat(handle.fileno()).st_size
    return header_block(data), size


class _Folder:
    """A scanned folder: entries by UID, and a fingerprint of the scan."""

    def __init__(self, entries: dict[int, _Entry], fingerprint: int) -> None:
        self.entries = entries
        self.fingerprint = fingerprint


class LocalSource:
    """A Maildir++ tree (``kind="maildir"``) or mbox file(s) (``kind="mbox"``)."""

    def __init__(self, path: Path | str, kind: str, keys: KeyMap) -> None:
        self.path = Path(path)
        self.kind = kind
        self.keys = keys
        self._scans: dict[str, _Folder] = {}
        self._mbox_memo: dict[str, tuple[tuple[int, int], list[_Entry]]] = {}
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
            size, mtime_ns = self._mbox_memo[folder.name][0]
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
        flags = tuple(FlagChange(uid, e.flags) for uid, e in sorted(scan.entries.items()))
        return FolderChanges(flags, None, complete=True)

    def fetch_headers(self, folder: FolderInfo, uids: Sequence[int]) -> Iterator[FetchedMessage]:
        scan = self._scan(folder, reuse=True)
        for uid in uids:
            entry = scan.entries.get(uid)
            if entry is None:
                continue  # gone since the listing, as an expunge on a server
            fetched = self._fetch(uid, entry)
            if fetched is not None:
                yield fetched

    def close(self) -> None:
        self._scans.clear()

    # -- internals -----------------------------------------------------------------------
    @staticmethod
    def _fetch(uid: int, entry: _Entry) -> FetchedMessage | None:
        if entry.path is None:
            return FetchedMessage(uid, entry.flags, None, entry.size, entry.header)
        try:
            header, size = _read_header(entry.path)
            mtime = entry.path.stat().st_mtime
        except FileNotFoundError:
            return None  # renamed by a flag change or deleted; the next sync sees it
        return FetchedMessage(uid, entry.flags, mtime, size, header)

    def _scan(self, folder: FolderInfo, reuse: bool = False) -> _Folder:
        if reuse and folder.name in self._scans:
            return self._scans[folder.name]
        try:
            listed = self._maildir(folder) if self.kind == "maildir" else self._mbox(folder)
        except OSError as error:
            raise FolderError(f"{folder.display}: cannot read: {error.strerror or error}") from None
        uid_of = self.keys.assign(folder.name, [e.key for e in listed])
        entries = {uid_of[e.key]: e for e in listed}
        digest = zlib.crc32(
            "\n".join(f"{uid} {' '.join(e.flags)}" for uid, e in sorted(entries.items())).encode()
        )
        scan = _Folder(entries, digest)
        self._scans[folder.name] = scan
        return scan

    def _maildir_path(self, folder: FolderInfo) -> Path:
        return maildir_box(self.path, folder.name)

    def _maildir(self, folder: FolderInfo) -> list[_Entry]:
        root = self._maildir_path(folder)
        found: list[_Entry] = []
        for sub in ("new", "cur"):
            with os.scandir(root / sub) as entries:
                for item in entries:
                    if item.name.startswith(".") or not item.is_file():
                        continue
                    key, _, info = split_name(item.name)
                    letters = info[2:] if info.startswith("2,") else ""
                    flags = tuple(_MAILDIR_FLAGS[c] for c in sorted(letters) if c in _MAILDIR_FLAGS)
                    found.append(_Entry(key, flags, Path(item.path)))
        found.sort(key=lambda e: e.key)  # deterministic UIDs: keys begin with the time
        return found

    def _mbox_path(self, folder: FolderInfo) -> Path:
        return self.path if self.path.is_file() else self.path / folder.name

    def _mbox(self, folder: FolderInfo) -> list[_Entry]:
        path = self._mbox_path(folder)
        stat = path.stat()
        stamp = (stat.st_size, stat.st_mtime_ns)
        memo = self._mbox_memo.get(folder.name)
        if memo is not None and memo[0] == stamp:
            return memo[1]
        entries = _mbox_entries(path)
        self._mbox_memo[folder.name] = (stamp, entries)
        return entries


def _mbox_entries(path: Path) -> list[_Entry]:
    """The messages of an mbox file, keyed by content (Status lines left out)."""
    box = mailbox.mbox(str(path), create=False)
    seen: dict[str, int] = {}
    entries: list[_Entry] = []
    try:
        for key in box.iterkeys():
            data = box.get_bytes(key)
            header = header_block(data)
            digest = hashlib.blake2b(_without_status(data), digest_size=12).hexdigest()
            seen[digest] = seen.get(digest, 0) + 1  # identical copies stay distinct
            key_text = f"{digest}.{seen[digest]}"
            entries.append(_Entry(key_text, _mbox_flags(header), None, header, len(data)))
    finally:
        box.close()
    return entries


_STATUS_LINE: Final = re.compile(rb"^(?:X-)?Status:[^\n]*\n", re.IGNORECASE | re.MULTILINE)


def _without_status(data: bytes) -> bytes:
    header = header_block(data)
    return _STATUS_LINE.sub(b"", header) + data[len(header) :]


def _mbox_flags(header: bytes) -> tuple[str, ...]:
    letters = "".join(
        m.group(1).decode("ascii", "replace")
        for m in re.finditer(rb"^(?:X-)?Status:([^\r\n]*)", header, re.IGNORECASE | re.MULTILINE)
    )
    return tuple(sorted({_MBOX_FLAGS[c] for c in letters if c in _MBOX_FLAGS}))


def maildir_box(root: Path, folder: str) -> Path:
    """The directory of a Maildir++ folder: the root for the inbox, ``.A.B`` for ``A/B``."""
    return root if folder == INBOX else root / ("." + folder.replace("/", "."))


def split_name(name: str) -> tuple[str, str, str]:
    """A Maildir file name as (key, separator, info): ``1.M2P3.host:2,S`` gives
    ``("1.M2P3.host", ":", "2,S")``. A name with no ``:`` may carry its info after ``!2,``, as
    files written on Windows do (and the demo workspace, so that it installs there); a name with
    neither is all key."""
    key, separator, info = name.partition(":")
    if not separator:
        key, separator, info = name.rpartition("!")
        if not separator or not info.startswith("2,"):
            return name, "", ""
    return key, separator, info


def maildir_file(root: Path, folder: str, key: str) -> Path | None:
    """The file of a message by its Maildir key (whatever its flags), or None when it is gone."""
    box = maildir_box(root, folder)
    for sub in ("cur", "new"):
        try:
            with os.scandir(box / sub) as entries:
                for item in entries:
                    if split_name(item.name)[0] == key:
                        return Path(item.path)
        except FileNotFoundError:
            continue
    return None
