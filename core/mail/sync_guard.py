"""What keeps one sync bounded against a broken or hostile server, whatever it sends.

- The whole sync has a deadline (:data:`SYNC_SECONDS`), handed to the source, which ends
  any command at it (``core.mail.wire_limits``).
- A dropped connection is retried a bounded number of times (``core.mail.sync``); a folder
  that dropped it :data:`FOLDER_DROPS` times is skipped on the next try, so one folder a
  server cannot serve does not stop the others.
- A folder whose name SQLite cannot hold (bytes that are not UTF-8) is skipped and named.
- After a folder that broke the connection (a ``ServerError``), the source reconnects before
  the next folder.
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from typing import Final, Protocol, runtime_checkable

from core.i18n import _
from core.mail.source import ConnectionLost, MailError, MailSource
from core.mail.wire_limits import SyncTimeout, Unresponsive
from core.mailbox import FolderInfo
from core.store import cache

SYNC_SECONDS: Final = 30 * 60.0  # a whole sync; the next one continues where it stopped
FOLDER_DROPS: Final = 2  # drops while reading one folder before it is skipped

__all__ = [
    "FOLDER_DROPS",
    "SYNC_SECONDS",
    "Attempts",
    "SyncTimeout",
    "Unresponsive",
    "close_quietly",
    "listing_problems",
    "note_failure",
    "prepare_source",
    "revive",
    "shown",
]


@runtime_checkable
class _Deadlined(Protocol):
    def set_deadline(self, when: float) -> None: ...


@runtime_checkable
class _Revivable(Protocol):
    @property
    def broken(self) -> bool: ...

    def reconnect(self) -> None: ...


def listing_problems(source: MailSource) -> list[str]:
    """The folders a source listed but could not read (one line each), e.g. a LIST line."""
    return [
        f"the server listed a folder Mailscope cannot read ({text}): skipped"
        for text in getattr(source, "unlisted", ())
    ]


def prepare_source(source: MailSource, due: float) -> None:
    """Give the source the sync's deadline (``time.monotonic()``), when it keeps one."""
    if isinstance(source, _Deadlined):
        source.set_deadline(due)


def revive(source: MailSource) -> None:
    """Reconnect a source whose connection a folder broke, before the next folder."""
    if isinstance(source, _Revivable) and source.broken:
        source.reconnect()


def close_quietly(source: MailSource) -> None:
    with contextlib.suppress(Exception):  # closing a broken connection must not hide the cause
        source.close()


def note_failure(
    conn: sqlite3.Connection, account_id: int, info: FolderInfo, error: MailError, store: bool
) -> tuple[str, str]:
    """A folder that could not be synced: its name and one line, kept on its cached row.

    Without ``store`` its name cannot be stored (the error says so): nothing is written.
    """
    if not store:
        return shown(info.name), str(error)
    text = str(error) if str(error).startswith(info.display) else f"{info.display}: {error}"
    state = cache.ensure_folder(conn, account_id, info)
    cache.set_folder_error(conn, state.id, text)
    return info.name, text


def shown(name: str) -> str:
    """A folder name fit for a terminal and a log: bytes that are not UTF-8 as escapes."""
    raw = name.encode("utf-8", "surrogateescape")
    return raw.decode("utf-8", "backslashreplace")


class Attempts:
    """What the tries of one sync met: how many drops, and in which folders."""

    def __init__(self, due: float) -> None:
        self.due = due  # the sync's deadline, time.monotonic()
        self.count = 0  # connections lost so far
        self.reading: str | None = None  # the folder being read, set by the sync
        self._drops: dict[str, list[str]] = {}  # folder -> why it dropped, each time

    def dropped(self, error: ConnectionLost) -> None:
        """The connection was lost (while ``reading``, when set)."""
        self.count += 1
        if self.reading is not None:
            self._drops.setdefault(self.reading, []).append(str(error))
        self.reading = None

    def overdue(self) -> bool:
        return time.monotonic() >= self.due

    def final(self, error: ConnectionLost) -> ConnectionLost:
        """The one line that ends a sync the server kept dropping."""
        if self.overdue():
            return ConnectionLost(
                _("%(error)s (the sync ran out of time after %(count)s tries)")
                % {"error": error, "count": self.count}
            )
        return ConnectionLost(
            _("%(error)s (the connection was lost %(count)s times: stopped)")
            % {"error": error, "count": self.count}
        )

    def unreadable(self, folder: FolderInfo) -> str | None:
        """Why ``folder`` is skipped this time (one line), or None to read it."""
        if not self.storable(folder):
            return (
                f"{shown(folder.name)}: the server sent this folder's name in bytes that are"
                " not UTF-8 (RFC 3501 wants modified UTF-7): skipped"
            )
        drops = self._drops.get(folder.name, [])
        if len(drops) >= FOLDER_DROPS:
            return (
                f"{folder.display}: the server dropped the connection {len(drops)} times while"
                f" this folder was read ({drops[-1]}): skipped"
            )
        return None

    @staticmethod
    def storable(folder: FolderInfo) -> bool:
        """Whether the folder's names are text the cache can hold (no lone surrogates)."""
        try:
            folder.name.encode("utf-8")
            folder.display.encode("utf-8")
        except UnicodeEncodeError:
            return False
        return True
