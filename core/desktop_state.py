"""What the desktop's detail pane shows of a message's body, computed without Qt: read from a
local file or fetched over IMAP. (Its verdict and trace: ``core.store.explain``.)
"""

from __future__ import annotations

import email
import email.policy
import sqlite3
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Final

from core.mail import mbox_scan
from core.mail.html_safe import safe_html
from core.mail.local import maildir_file
from core.mail.source import MailError, MailSource
from core.store.accounts import Account, AccountKind, account_of_row

MAX_BODY: Final = 2_000_000  # characters of text or HTML shown
MAX_DATA_IMAGE: Final = 256_000  # bytes of an inline image (cid: part or data: URL)


# -- bodies ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class InlinePart:
    mime: str
    data: bytes


@dataclass(frozen=True, slots=True)
class Body:
    """A message's readable content: its text part, its HTML part, and its ``cid:`` images."""

    text: str | None
    html: str | None  # rebuilt by core.mail.html_safe: nothing in it names a file
    inline: dict[str, InlinePart]  # Content-ID (without <>) -> image
    attachments: tuple[str, ...]  # file names, for a line under the text


def parse_body(raw: bytes) -> Body:
    """The text, HTML and inline images of a raw message (never raises on bad MIME)."""
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(parsed, EmailMessage)
    text = html = None
    inline: dict[str, InlinePart] = {}
    attachments: list[str] = []
    for part in parsed.walk():
        if part.is_multipart():
            continue
        kind = part.get_content_type()
        disposition = part.get_content_disposition()
        cid = str(part.get("Content-ID", "")).strip().strip("<>")
        if kind.startswith("image/") and cid:
            data = part.get_payload(decode=True)
            if isinstance(data, bytes) and len(data) <= MAX_DATA_IMAGE:
                inline[cid] = InlinePart(kind, data)
            continue
        if disposition == "attachment":
            attachments.append(part.get_filename() or kind)
            continue
        if kind == "text/plain" and text is None:
            text = _decoded(part)[:MAX_BODY]
        elif kind == "text/html" and html is None:
            html = safe_html(_decoded(part)[:MAX_BODY])  # here, off the GUI thread
    return Body(text, html, inline, tuple(attachments))


def _decoded(part: EmailMessage) -> str:
    try:
        return str(part.get_content())
    except (LookupError, UnicodeError, ValueError, AssertionError):
        data = part.get_payload(decode=True)
        return data.decode("utf-8", "replace") if isinstance(data, bytes) else ""


class BodyError(MailError):
    """The message's content cannot be read (gone, moved, unreadable); one line."""


@dataclass(frozen=True, slots=True)
class Location:
    """Where a cached row's message lives: its account, folder name and UID."""

    account: Account
    folder: str
    uid: int
    folder_id: int


def locate(conn: sqlite3.Connection, message_id: int) -> Location | None:
    account = account_of_row(conn, message_id)
    row = conn.execute(
        "SELECT f.name, m.uid, f.id FROM messages m JOIN folders f ON f.id = m.folder_id"
        " WHERE m.id = ?",
        (message_id,),
    ).fetchone()
    if account is None or row is None:
        return None
    return Location(account, str(row[0]), int(row[1]), int(row[2]))


def read_local(conn: sqlite3.Connection, where: Location) -> bytes:
    """The raw message of a Maildir or mbox row, read from its file."""
    row = conn.execute(
        "SELECT key FROM local_keys WHERE folder_id = ? AND uid = ?", (where.folder_id, where.uid)
    ).fetchone()
    if row is None or where.account.path is None:
        raise BodyError("this message is no longer in the mailbox")
    key, root = str(row[0]), Path(where.account.path)
    try:
        if where.account.kind is AccountKind.MAILDIR:
            return _maildir_file(root, where.folder, key)
        return _mbox_message(root if root.is_file() else root / where.folder, key)
    except OSError as error:
        raise BodyError(f"cannot read the message: {error.strerror or error}") from None


def _maildir_file(root: Path, folder: str, key: str) -> bytes:
    path = maildir_file(root, folder, key)
    if path is None:
        raise BodyError("this message was moved or deleted since the last sync")
    return path.read_bytes()


def _mbox_message(path: Path, key: str) -> bytes:
    data = mbox_scan.message(path, key)  # the key the sync gave it (core.mail.local)
    if data is None:
        raise BodyError("this message was changed or deleted since the last sync")
    return data


def fetch_remote(source: MailSource, where: Location) -> bytes:
    """The raw message of an IMAP row through an open source (``fetch_raw``)."""
    fetch = getattr(source, "fetch_raw", None)
    if fetch is None:
        raise BodyError("this mailbox cannot fetch whole messages")
    data = fetch(where.folder, where.uid)
    if data is None:
        raise BodyError("this message is no longer on the server")
    return bytes(data)
