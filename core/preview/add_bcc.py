"""Add the account's BCC address to a draft, in its mailbox, then refresh the cache.

IMAP: fetch the draft raw, add the one header (``core.preview.bcc``), APPEND it with ``\\Draft``
to the same folder, then remove the old one (UID EXPUNGE with UIDPLUS, else flagged
``\\Deleted`` and left for the mail client). If the draft's UID is gone (or its folder's
UIDVALIDITY changed), nothing is written and the rep is told. Maildir: the new file is written
under ``tmp/`` and renamed into ``cur/`` under a new name (one atomic step), then the old file is
removed. A Maildir shipped with the app (the demo's: the caller says which, ``shipped``) is
first copied under ``MAILSCOPE_HOME`` and the account pointed at the copy, with the same file
names, so the cache's UIDs stay valid.
"""

from __future__ import annotations

import enum
import os
import shutil
import socket
import sqlite3
import time
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Final, NamedTuple, Protocol

from core.i18n import _
from core.mail.local import INFO_SEPARATOR, LocalSource, maildir_file, split_name
from core.mail.source import MailError, MailSource
from core.mail.sync import sync_source
from core.mailbox import FolderInfo
from core.preview.bcc import BccError, add_bcc
from core.rules.model import Folder
from core.store import db
from core.store.accounts import Account, AccountKind, account_by_id, move_account
from core.store.directory import load_directory
from core.store.localkeys import LocalKeys, key_of
from core.store.queries import Place, place, row_at

COPIES: Final = "maildirs"  # under MAILSCOPE_HOME: writable copies of read-only Maildirs
_KEPT_FLAGS: Final = ("\\Seen", "\\Flagged", "\\Answered")


class DraftGone(MailError):
    """The draft is no longer where the cache says: nothing was written."""


class Outcome(enum.StrEnum):
    ADDED = "added"
    ALREADY_THERE = "already_there"


class BccResult(NamedTuple):
    """What happened, and the draft's row in the refreshed cache (None if not found)."""

    outcome: Outcome
    address: str
    row_id: int | None
    text: str  # one line for the rep


class _Capabilities(Protocol):
    @property
    def uidplus(self) -> bool: ...


class DraftServer(MailSource, Protocol):
    """What adding a BCC needs of an IMAP source (``core.mail.imap.ImapSource``)."""

    @property
    def capabilities(self) -> _Capabilities: ...

    def fetch_raw(self, folder: str, uid: int) -> bytes | None: ...

    def append(self, folder: str, raw: bytes, flags: tuple[str, ...] = ()) -> int | None: ...

    def delete(self, folder: str, uid: int) -> None: ...


class _Draft(NamedTuple):
    account: Account
    at: Place  # where the cache last saw it


def _draft(conn: sqlite3.Connection, row_id: int) -> _Draft:
    found = place(conn, row_id)
    account = account_by_id(conn, found.account_id) if found is not None else None
    if found is None or account is None:
        raise DraftGone("this draft is no longer in the mailbox (sync to see the current drafts)")
    return _Draft(account, found)


def _bcc_address(conn: sqlite3.Connection, account: Account) -> str:
    directory, _logged = load_directory(conn, account)
    address = directory.account.bcc_address
    if not address:
        raise BccError(_("the account has no BCC address set (see the account settings)"))
    return address


def add_bcc_to_draft(
    conn: sqlite3.Connection,
    row_id: int,
    open_source: Callable[[], DraftServer] | None = None,
    *,
    shipped: Collection[Path] = (),
) -> BccResult:
    """Add the BCC address to the draft of cache row ``row_id``; the cache is synced after.

    ``open_source`` opens the account's IMAP source (unused for Maildir); ``shipped`` are the
    Maildirs that come with the app, never changed in place. Raises ``DraftGone`` (nothing
    written), ``BccError`` or ``MailError`` with a one-line message.
    """
    draft = _draft(conn, row_id)
    if draft.at.role != "drafts":
        raise BccError(_("only a draft can get the BCC address; this message is already sent"))
    address = _bcc_address(conn, draft.account)
    if draft.account.kind is AccountKind.IMAP:
        if open_source is None:
            raise MailError(_("cannot reach the mail server for this account"))
        source = open_source()
        try:
            outcome, new_uid = _imap(source, draft, address)
            if outcome is Outcome.ADDED:
                sync_source(conn, draft.account, source)
        finally:
            source.close()
        account = draft.account
    elif draft.account.kind is AccountKind.MAILDIR:
        account = ensure_writable(conn, draft.account, shipped)
        outcome, new_uid = _maildir(conn, account, draft, address)
        if outcome is Outcome.ADDED:
            assert account.path is not None
            local = LocalSource(account.path, "maildir", LocalKeys(conn, account.id))
            sync_source(conn, account, local)
    else:
        raise BccError(_("an mbox draft cannot be changed here: add the BCC in your mail client"))
    found = _row(conn, draft, new_uid)
    text = (
        f"Added {address} to the draft's Bcc."
        if outcome is Outcome.ADDED
        else f"{address} is already on this draft."
    )
    return BccResult(outcome, address, found, text)


def _row(conn: sqlite3.Connection, draft: _Draft, uid: int | None) -> int | None:
    return None if uid is None else row_at(conn, draft.at.folder_id, uid)


def _imap(source: DraftServer, draft: _Draft, address: str) -> tuple[Outcome, int | None]:
    gone = DraftGone(
        "this draft changed on the server since the last sync (it is no longer there): "
        "nothing was written; sync and try again"
    )
    if source.status(_folder_info(draft)).uidvalidity != draft.at.uidvalidity:
        raise gone
    raw = source.fetch_raw(draft.at.folder, draft.at.uid)
    if raw is None:
        raise gone
    changed = add_bcc(raw, address)
    if changed is raw:
        return Outcome.ALREADY_THERE, draft.at.uid
    flags = ("\\Draft", *(f for f in draft.at.flags if f in _KEPT_FLAGS))
    new_uid = source.append(draft.at.folder, changed, flags)
    try:
        if source.capabilities.uidplus:
            source.delete(draft.at.folder, draft.at.uid)
        else:
            _flag_deleted(source, draft)
    except MailError as error:
        raise MailError(
            f"the draft with the BCC address was saved, but the old one could not be removed "
            f"({error}): delete the older copy in your mail client"
        ) from None
    return Outcome.ADDED, new_uid


def _flag_deleted(source: DraftServer, draft: _Draft) -> None:
    """Without UIDPLUS an EXPUNGE would remove every \\Deleted message: only flag this one."""
    from core.mail.imap import ImapSource

    if not isinstance(source, ImapSource):
        raise MailError(_("this server cannot remove the old draft"))
    source._ensure_selected(draft.at.folder, readonly=False)
    source.wire.run(b"UID STORE %d +FLAGS.SILENT (\\Deleted)" % draft.at.uid, lambda parts: None)


def _folder_info(draft: _Draft) -> FolderInfo:
    return FolderInfo(draft.at.folder, draft.at.folder, Folder(draft.at.role))


def ensure_writable(
    conn: sqlite3.Connection, account: Account, shipped: Collection[Path] = ()
) -> Account:
    """A Maildir account whose files can be rewritten.

    A Maildir in ``shipped`` (the demo's, inside the package) must stay as shipped: it is
    copied (same file names, so the same UIDs) to ``MAILSCOPE_HOME/maildirs/<account>`` and
    the account is pointed at the copy; called again, it finds the account already on its
    copy. Any other Maildir is the rep's own mail: it is never swapped for a copy, and when it
    cannot be written, ``BccError`` says so.
    """
    assert account.path is not None
    root = Path(account.path)
    if root.resolve() not in {Path(p).resolve() for p in shipped}:
        if not os.access(root, os.W_OK):
            raise BccError(
                _("%(folder)s: this Maildir is read-only, so the draft cannot be changed")
                % {"folder": root}
            )
        return account
    copy = db.home() / COPIES / account.name
    if not copy.exists():
        staging = copy.with_name(copy.name + ".partial")
        shutil.rmtree(staging, ignore_errors=True)
        shutil.copytree(root, staging)
        for folder in [staging, *staging.glob(".*/")]:  # writable, whatever the package's modes
            for sub in ("cur", "new", "tmp"):
                (folder / sub).mkdir(exist_ok=True)
                (folder / sub).chmod(0o700)
        staging.rename(copy)
    return move_account(conn, account, str(copy))


def _find_file(conn: sqlite3.Connection, root: Path, draft: _Draft) -> Path:
    key = key_of(conn, draft.at.folder_id, draft.at.uid)
    path = maildir_file(root, draft.at.folder, key) if key is not None else None
    if path is None:
        raise DraftGone(
            "this draft changed in the mailbox since the last sync (it is no longer there): "
            "nothing was written; sync and try again"
        )
    return path


_counter = 0


def _new_key() -> str:
    """A unique Maildir file name (the Maildir spec's time.MusecPpid.host, plus a counter)."""
    global _counter
    _counter += 1
    now = time.time()
    host = socket.gethostname().replace("/", "\\057").replace(":", "\\072") or "localhost"
    return f"{int(now)}.M{int(now % 1 * 1e6)}P{os.getpid()}Q{_counter}.{host}"


def _maildir(
    conn: sqlite3.Connection, account: Account, draft: _Draft, address: str
) -> tuple[Outcome, int | None]:
    assert account.path is not None
    old = _find_file(conn, Path(account.path), draft)
    raw = old.read_bytes()
    changed = add_bcc(raw, address)
    if changed is raw:
        return Outcome.ALREADY_THERE, draft.at.uid
    _base, separator, info = split_name(old.name)  # a copy of the demo keeps its "!"
    separator, info = separator or INFO_SEPARATOR, info or "2,D"
    key = _new_key()
    box = old.parent.parent
    staging = box / "tmp" / key
    with staging.open("xb") as handle:
        handle.write(changed)
        handle.flush()
        os.fsync(handle.fileno())
    os.rename(staging, box / "cur" / f"{key}{separator}{info}")
    old.unlink()
    return Outcome.ADDED, LocalKeys(conn, account.id).assign(draft.at.folder, [key])[key]
