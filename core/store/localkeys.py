"""Stable UIDs for local mail (Maildir, mbox): a key -> UID map persisted in the cache.

A key keeps its UID for as long as the folder exists, even after its message is gone, so a
UID is never given to another message (the sync would take it for the old one).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from typing import Final, NamedTuple

from core.store.transaction import in_chunks, write

LOOKUP_MOST: Final = 20_000  # more keys than this are read with the folder's every key


class Stamp(NamedTuple):
    """A local file's size and mtime at its last scan, and what that scan found."""

    size: int
    mtime_ns: int
    uidnext: int
    exists: int
    fingerprint: int  # the token of the scan's listing (core.mail.local_listing)


class LocalKeys:
    """The key -> UID maps of one account's local folders."""

    def __init__(self, conn: sqlite3.Connection, account_id: int) -> None:
        self.conn = conn
        self.account_id = account_id

    def _folder_id(self, folder: str) -> int:
        row = self.conn.execute(
            "SELECT id FROM folders WHERE account_id = ? AND name = ?", (self.account_id, folder)
        ).fetchone()
        if row is not None:
            return int(row[0])
        with write(self.conn):
            cursor = self.conn.execute(
                "INSERT INTO folders (account_id, name, display, role) VALUES (?, ?, ?, 'other')",
                (self.account_id, folder, folder),
            )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def assign(self, folder: str, keys: Iterable[str], *, sort_new: bool = False) -> dict[str, int]:
        """UIDs of the given keys; unknown keys get new UIDs in the order given (sorted with
        ``sort_new``: a Maildir's keys begin with their time)."""
        folder_id = self._folder_id(folder)
        known: dict[str, int] = dict(
            self.conn.execute("SELECT key, uid FROM local_keys WHERE folder_id = ?", (folder_id,))
        )
        known.update(self._add(folder_id, _unknown(list(keys), known, sort_new)))
        return known  # every key of the folder: the given ones and those seen before

    def lookup(
        self, folder: str, keys: Sequence[str], *, sort_new: bool = False, add: bool = True
    ) -> dict[str, int]:
        """``assign``, reading only the given keys (by the primary key): a resync's few new or
        changed messages (issue 10); without ``add``, the known ones only. Many keys are read
        as ``assign`` reads them, all at once."""
        if len(keys) > LOOKUP_MOST and add:
            return self.assign(folder, keys, sort_new=sort_new)
        folder_id = self._folder_id(folder)
        wanted = list(dict.fromkeys(keys))
        known: dict[str, int] = {}
        for chunk, marks in in_chunks(wanted, 500):
            sql = f"SELECT key, uid FROM local_keys WHERE folder_id = ? AND key IN ({marks})"
            known.update(self.conn.execute(sql, (folder_id, *chunk)))
        if add:
            known.update(self._add(folder_id, _unknown(wanted, known, sort_new)))
        return known

    def _add(self, folder_id: int, fresh: list[str]) -> dict[str, int]:
        """New UIDs for ``fresh`` keys, in that order, above every UID the folder gave."""
        if not fresh:
            return {}
        with write(self.conn):
            row = self.conn.execute(
                "SELECT max(uid) FROM local_keys WHERE folder_id = ?", (folder_id,)
            ).fetchone()
            start = int(row[0] or 0) + 1
            rows = [(folder_id, key, start + n) for n, key in enumerate(fresh)]
            self.conn.executemany("INSERT INTO local_keys VALUES (?, ?, ?)", rows)
        return {key: uid for _, key, uid in rows}

    def key_of(self, folder: str, uid: int) -> str | None:
        """The key the sync gave a UID (None when the folder or the UID is unknown)."""
        row = self.conn.execute(
            "SELECT k.key FROM local_keys k JOIN folders f ON f.id = k.folder_id"
            " WHERE f.account_id = ? AND f.name = ? AND k.uid = ?",
            (self.account_id, folder, uid),
        ).fetchone()
        return str(row[0]) if row is not None else None

    def legacy(self, folder: str) -> bool:
        """True when the folder has mbox keys of the old form (``core.mail.mbox_scan``)."""
        row = self.conn.execute(
            # Old keys are hex digests, all sorting before "z": one seek in the primary key.
            "SELECT 1 FROM local_keys k JOIN folders f ON f.id = k.folder_id"
            " WHERE f.account_id = ? AND f.name = ? AND k.key < 'z' LIMIT 1",
            (self.account_id, folder),
        ).fetchone()
        return row is not None

    def rename(self, folder: str, renames: dict[str, str]) -> None:
        """Give keys new names, keeping their UIDs (old -> new; unknown old keys are ignored)."""
        if not renames:
            return
        folder_id = self._folder_id(folder)
        with write(self.conn):
            self.conn.executemany(
                "UPDATE local_keys SET key = ? WHERE folder_id = ? AND key = ?",
                [(new, folder_id, old) for old, new in renames.items()],
            )

    def stamp(self, folder: str) -> Stamp | None:
        """The folder's last scan summary, if any."""
        row = self.conn.execute(
            "SELECT s.size, s.mtime_ns, s.uidnext, s.messages, s.fingerprint FROM local_stamps s"
            " JOIN folders f ON f.id = s.folder_id WHERE f.account_id = ? AND f.name = ?",
            (self.account_id, folder),
        ).fetchone()
        return Stamp(*row) if row is not None else None

    def save_stamp(self, folder: str, stamp: Stamp) -> None:
        """Remember a scan summary (written only when it changed)."""
        if self.stamp(folder) == stamp:
            return
        folder_id = self._folder_id(folder)
        with write(self.conn):
            self.conn.execute(
                "INSERT OR REPLACE INTO local_stamps VALUES (?, ?, ?, ?, ?, ?)",
                (folder_id, *stamp),
            )

    def listing(self, folder: str) -> bytes | None:
        """The folder's last listing (``core.mail.local_listing``), if any."""
        row = self.conn.execute(
            "SELECT l.data FROM local_listings l JOIN folders f ON f.id = l.folder_id"
            " WHERE f.account_id = ? AND f.name = ?",
            (self.account_id, folder),
        ).fetchone()
        return bytes(row[0]) if row is not None else None

    def save_listing(self, folder: str, data: bytes) -> None:
        folder_id = self._folder_id(folder)
        with write(self.conn):
            self.conn.execute(
                "INSERT OR REPLACE INTO local_listings VALUES (?, ?)", (folder_id, data)
            )

    def drop_listing(self, folder: str) -> None:
        """Forget the folder's last listing and stamp: its next scan reads every message and the
        next sync compares it with the cache (a fetch missed a message of that listing)."""
        folder_id = self._folder_id(folder)
        with write(self.conn):
            self.conn.execute("DELETE FROM local_listings WHERE folder_id = ?", (folder_id,))
            self.conn.execute("DELETE FROM local_stamps WHERE folder_id = ?", (folder_id,))


def file_of_row(conn: sqlite3.Connection, row_id: int) -> tuple[str, str] | None:
    """Where a local row's message is: its folder's name and its key (None when unknown)."""
    found = conn.execute(
        "SELECT f.name, k.key FROM messages m JOIN folders f ON f.id = m.folder_id"
        " JOIN local_keys k ON k.folder_id = m.folder_id AND k.uid = m.uid WHERE m.id = ?",
        (row_id,),
    ).fetchone()
    return None if found is None else (str(found[0]), str(found[1]))


def key_of(conn: sqlite3.Connection, folder_id: int, uid: int) -> str | None:
    """The key (file name, or mbox key) a folder's UID was given (None when unknown)."""
    row = conn.execute(
        "SELECT key FROM local_keys WHERE folder_id = ? AND uid = ?", (folder_id, uid)
    ).fetchone()
    return None if row is None else str(row[0])


def _unknown(keys: list[str], known: dict[str, int], sort_new: bool) -> list[str]:
    """The keys without a UID yet, once each, in the order given (or sorted)."""
    unknown = set(keys).difference(known)
    fresh = list(dict.fromkeys([key for key in keys if key in unknown])) if unknown else []
    if sort_new:
        fresh.sort()
    return fresh
