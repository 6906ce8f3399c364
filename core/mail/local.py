"""Local mail as a MailSource: a Maildir++ tree or mbox files, read with stable UIDs.

Maildir: the inbox is the root, ``.Sent``, ``.Drafts``, ``.Work.Projects`` are subfolders
(roles by name, as on IMAP servers without SPECIAL-USE). A message's key is its file name
before ``:2,`` (or ``!2,``, see ``split_name``); flags come from the name, so a flag change
costs a directory listing, and only new keys' files are opened (their header block only).
mbox: a file is a folder; a message's key is a digest of its bytes without the Status lines
(which change with flags; see ``core.mail.mbox_scan``), and a file whose size and mtime did
not change is not read again (its last scan's summary is kept in the cache, so this holds
across runs).

Either way a scan is the folder's complete listing (``changes`` is ``complete``): the sync
compares it with the cache in one pass (``core.mail.plan``), so a resync costs a listing, not
a query per message (issue 10).
"""

from __future__ import annotations

import functools
import itertools
import os
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Final, Protocol

from core.i18n import _
from core.mail import mbox_scan
from core.mail.folders import ListEntry, classify
from core.mail.source import FolderError, MailError
from core.mailbox import FetchedMessage, FlagChange, FolderChanges, FolderInfo, FolderStatus
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

    def key_of(self, folder: str, uid: int) -> str | None: ...


_info_flags: dict[str, tuple[str, ...]] = {}  # a Maildir name's info ("2,FS") -> flags
_new_tuple = tuple.__new__
_flag_change = functools.partial(_new_tuple, FlagChange)  # FlagChange(*t) without a frame
# What says a folder did not change since its last scan: an mbox file's size and mtime, a
# Maildir's new/ and cur/ mtimes (every delivery, flag change and removal touches them).
PathStamp = tuple[int, int]
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
    each message's UID, flags and place (Maildir: its file; mbox: its place in the file);
    a fingerprint of the scan, and its stamp."""

    def __init__(
        self,
        uids: list[int],
        flags: list[tuple[str, ...]],
        places: Sequence[str | mbox_scan.MboxMessage],
        fingerprint: int,
        stamp: PathStamp,
    ) -> None:
        self.uids = uids
        self.flags = flags
        self.places = places
        self.fingerprint = fingerprint
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
        status = FolderStatus(LOCAL_UIDVALIDITY, uidnext, len(scan.index), scan.fingerprint)
        stamp = self._stamp(scan, now)
        self.keys.save_stamp(folder.name, Stamp(*stamp, uidnext, status.exists, scan.fingerprint))
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
        """Every message's flags (a local folder has no MODSEQ: the list is complete)."""
        scan = self._scan(folder, reuse=True)
        flags = zip(scan.uids, scan.flags, itertools.repeat(None))
        return FolderChanges(tuple(map(_flag_change, flags)), None, complete=True)

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
                continue  # renamed by a flag change or deleted (the next sync sees it); a folder
            yield FetchedMessage(uid, scan.flags[at], mtime, size, header)

    def _mbox_headers(
        self, folder: FolderInfo, scan: _Folder, found: list[tuple[int, int]]
    ) -> Iterator[FetchedMessage]:
        for start in range(0, len(found), 5000):  # bounded memory: headers read in chunks
            chunk = found[start : start + 5000]
            places = [scan.places[at] for _, at in chunk]
            wanted = [p for p in places if isinstance(p, mbox_scan.MboxMessage)]
            try:
                blocks = mbox_scan.headers(self._mbox_path(folder), scan.stamp, wanted)
            except OSError as error:
                raise FolderError(
                    _("%(folder_display)s: cannot read: %(strerror)s")
                    % {"folder_display": folder.display, "strerror": error.strerror}
                ) from None
            if blocks is None:
                return  # the file changed since the listing: the next sync reads it again
            for (uid, at), header, place in zip(chunk, blocks, wanted, strict=True):
                yield FetchedMessage(uid, scan.flags[at], None, place.stop - place.start, header)

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

    def close(self) -> None:
        self._scans.clear()

    # -- internals -----------------------------------------------------------------------
    def _scan(self, folder: FolderInfo, reuse: bool = False) -> _Folder:
        if reuse and folder.name in self._scans:
            return self._scans[folder.name]
        stamp: PathStamp = (0, 0)
        places: Sequence[str | mbox_scan.MboxMessage]
        try:
            if self.kind == "maildir":
                keys, flags, places, tokens = self._maildir(folder)
            else:
                keys, flags, places, tokens, stamp = self._mbox(folder)
        except OSError as error:
            raise FolderError(
                _("%(folder_display)s: cannot read: %(strerror)s")
                % {"folder_display": folder.display, "strerror": error.strerror or error}
            ) from None
        uid_of = self.keys.assign(folder.name, keys, sort_new=self.kind == "maildir")
        uids = list(map(uid_of.__getitem__, keys))
        scan = _Folder(uids, flags, places, _fingerprint(tokens), stamp)
        self._scans[folder.name] = scan
        return scan

    def _maildir_path(self, folder: FolderInfo) -> Path:
        return maildir_box(self.path, folder.name)

    def _maildir(
        self, folder: FolderInfo
    ) -> tuple[list[str], list[tuple[str, ...]], list[str], list[str]]:
        """The keys, flags and files of the folder (new/ and cur/, unsorted: only new keys
        need an order), and the file names (keys and flags: the fingerprint's tokens). Names
        only, no stat: a stray directory is skipped when it is read."""
        root = self._maildir_path(folder)
        names: list[str] = []
        paths: list[str] = []
        for sub in ("new", "cur"):
            where = f"{root / sub}{os.sep}"
            listed = [name for name in os.listdir(where) if name[:1] != "."]
            names += listed
            paths += [where + name for name in listed]
        # split_name, as most names have a ":" (C-level for those)
        parts = [name.partition(":") if ":" in name else split_name(name) for name in names]
        infos = [part[2] for part in parts]
        for info in set(infos) - _info_flags.keys():
            _info_flags[info] = _flags_of_info(info)
        flags = list(map(_info_flags.__getitem__, infos))
        if len(_info_flags) > 4096:  # bounded: a hostile folder may spell many
            _info_flags.clear()
        return [part[0] for part in parts], flags, paths, names

    def _mbox_path(self, folder: FolderInfo) -> Path:
        return self._mbox_file(folder.name)

    def _mbox_file(self, name: str) -> Path:
        return self.path if self.path.is_file() else self.path / name

    def _mbox(
        self, folder: FolderInfo
    ) -> tuple[list[str], list[tuple[str, ...]], list[mbox_scan.MboxMessage], list[str], PathStamp]:
        """The file's messages; a file still keyed the old way is re-keyed once (same UIDs)."""
        path = self._mbox_path(folder)
        legacy = self.keys.legacy(folder.name)
        messages, stamp = mbox_scan.scan(path, legacy=legacy)
        if legacy:
            self.keys.rename(folder.name, {m.legacy: m.key for m in messages if m.legacy})
        keys = [m.key for m in messages]
        flags = [m.flags for m in messages]
        tokens = [f"{m.key} {' '.join(m.flags)}" for m in messages]
        return keys, flags, messages, tokens, stamp


def _flags_of_info(info: str) -> tuple[str, ...]:
    letters = info[2:] if info.startswith("2,") else ""
    return tuple(_MAILDIR_FLAGS[c] for c in sorted(letters) if c in _MAILDIR_FLAGS)


def _fingerprint(tokens: list[str]) -> int:
    """A digest of a listing's keys and flags (keys give the UIDs): equal, nothing changed.

    Python's hash of the set of tokens (63 bits, to fit the folder's HIGHESTMODSEQ column):
    C-level, and no sort. It is seeded per process, so a later process never finds it equal:
    it then compares the listing with the cache, finding what changed or nothing (only when a
    folder's stamp did not already say "unchanged")."""
    return hash(frozenset(tokens)) & 0x7FFF_FFFF_FFFF_FFFF


def maildir_box(root: Path, folder: str) -> Path:
    """The directory of a Maildir++ folder: the root for the inbox, ``.A.B`` for ``A/B``."""
    return root if folder == INBOX else root / ("." + folder.replace("/", "."))


def _is_mbox_file(path: Path) -> bool:
    """A file of a folder of mbox files: not hidden, not Thunderbird's ``.msf`` summary."""
    return path.is_file() and not path.name.startswith(".") and path.suffix.lower() != ".msf"


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
