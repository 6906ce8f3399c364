"""Seeding and changing a test mailbox from the outside, as another mail client would."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from imapclient import IMAPClient

if TYPE_CHECKING:
    from tests.helpers.dovecot import MailUser


class AdminError(RuntimeError):
    """The test mailbox could not be changed as asked."""


_APPENDUID = re.compile(rb"APPENDUID (\d+) (\d+)")


class Admin:
    """Seed and change a test mailbox from the outside, as another mail client would."""

    def __init__(self, user: MailUser) -> None:
        self.client = IMAPClient(user.host, port=user.port, ssl=False, timeout=30)
        self.client.folder_encode = False  # folder names as on the wire (modified UTF-7)
        self.client.login(user.user, user.password)

    def __enter__(self) -> Admin:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.client.logout()

    def append(
        self,
        folder: str,
        raw: bytes,
        flags: Sequence[str] = (),
        date: float | None = None,
    ) -> int:
        """APPEND one raw message; returns its UID (from APPENDUID)."""
        when = dt.datetime.fromtimestamp(date, dt.UTC) if date is not None else None
        reply = self.client.append(folder, raw, flags=tuple(flags), msg_time=when)
        match = _APPENDUID.search(reply)
        if match is None:
            raise AdminError(f"no APPENDUID in {reply!r}")
        return int(match.group(2))

    def append_many(self, folder: str, raws: Iterable[bytes]) -> list[int]:
        return [self.append(folder, raw) for raw in raws]

    def set_flags(self, folder: str, uids: Sequence[int], flags: Sequence[str]) -> None:
        self.client.select_folder(folder)
        self.client.set_flags(list(uids), list(flags), silent=True)

    def add_flags(self, folder: str, uids: Sequence[int], flags: Sequence[str]) -> None:
        self.client.select_folder(folder)
        self.client.add_flags(list(uids), list(flags), silent=True)

    def expunge(self, folder: str, uids: Sequence[int]) -> None:
        self.client.select_folder(folder)
        self.client.delete_messages(list(uids), silent=True)
        self.client.uid_expunge(list(uids))

    def create_folder(self, name: str) -> None:
        """Create a folder (no SPECIAL-USE); ``name`` as sent on the wire (modified UTF-7)."""
        self.client.create_folder(name)

    def delete_folder(self, name: str) -> None:
        # Deleting the selected folder ends the session on some servers: unselect first.
        with contextlib.suppress(IMAPClient.Error):
            self.client.unselect_folder()
        if self.client.folder_exists(name):
            self.client.delete_folder(name)

    def uidvalidity(self, folder: str) -> int:
        status = self.client.folder_status(folder, ["UIDVALIDITY"])
        return int(status[b"UIDVALIDITY"])

    def recreate_folder(self, name: str, raws: Iterable[bytes] = ()) -> int:
        """Delete and recreate ``name`` (a new UIDVALIDITY), then APPEND ``raws``; returns it."""
        before = self.uidvalidity(name)
        self.delete_folder(name)
        self.create_folder(name)
        for raw in raws:
            self.append(name, raw)
        after = self.uidvalidity(name)
        if after == before:
            raise AdminError(f"UIDVALIDITY of {name} did not change")
        return after

    def uids(self, folder: str) -> list[int]:
        self.client.select_folder(folder, readonly=True)
        return sorted(int(uid) for uid in self.client.search("ALL"))
