"""What the desktop's detail pane shows, computed without Qt: a message's verdict with its trace,
its people, and its body (read from a local file or fetched over IMAP).

The trace is not stored: the message is re-decided by the engine with the messages it is linked
to (its thread, through shared ids) in engine order, which gives the same verdict as deciding
the whole account (``core.store.verdicts``), and the result is checked against the stored row.
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
from core.rules.actions import Action, suggested_actions
from core.rules.directory import Directory
from core.rules.engine import decide_all
from core.rules.model import Message, Step, Verdict
from core.store import views
from core.store.accounts import Account, AccountKind, get_account
from core.store.directory import load_directory
from core.store.verdicts import load_messages, verdict_columns

MAX_BODY: Final = 2_000_000  # characters of text or HTML shown
MAX_DATA_IMAGE: Final = 256_000  # bytes of an inline image (cid: part or data: URL)


@dataclass(frozen=True, slots=True)
class Explanation:
    """A message's verdict as the engine decides it now, and what the pane shows with it."""

    message: Message
    verdict: Verdict
    directory: Directory
    actions: tuple[Action, ...]
    matches_stored: bool  # the stored verdict equals the engine's (False: a re-sync is due)
    # Rendered where the verdict was decided: the directory looks contacts up on demand, on
    # the connection (and so the thread) that decided (a GUI shows these, never asks it).
    trace: tuple[Step, ...] = ()
    contacts: tuple[str, ...] = ()  # the participants in the directory, described
    users: tuple[str, ...] = ()
    attributed: str = "nobody"  # the user the message counts for


def _people(message: Message, directory: Directory) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The message's participants known to the directory: contacts and users, described."""
    contacts: list[str] = []
    users: list[str] = []
    seen: set[str] = set()
    for address in (*((message.sender,) if message.sender else ()), *message.recipients):
        email = address.email
        if email is None or email in seen:
            continue
        seen.add(email)
        if email in directory.user_of:
            users.append(directory.describe(email))
        elif email in directory.contact_of:
            contacts.append(directory.describe(email))
    return tuple(contacts), tuple(users)


def account_of(conn: sqlite3.Connection, message_id: int) -> Account | None:
    """The account a cached row belongs to (with how it signs in)."""
    row = conn.execute(
        "SELECT a.name FROM messages m JOIN folders f ON f.id = m.folder_id"
        " JOIN accounts a ON a.id = f.account_id WHERE m.id = ?",
        (message_id,),
    ).fetchone()
    return None if row is None else get_account(conn, str(row[0]))


def explain(conn: sqlite3.Connection, message_id: int) -> Explanation | None:
    """Re-decide one cached message with its linked messages; None when the row is gone."""
    account = account_of(conn, message_id)
    if account is None:
        return None
    views.affected_set(conn, account.id, message_id)
    order = views.affected_rows(conn)
    loaded = load_messages(conn, [row.id for row in order])
    messages = [loaded[row.id] for row in order]
    directory, state = load_directory(conn, account)
    verdicts = decide_all(messages, directory, state)
    index = next(i for i, row in enumerate(order) if row.id == message_id)
    verdict = verdicts[index]
    before = order[index]
    contacts, users = _people(messages[index], directory)
    return Explanation(
        message=messages[index],
        verdict=verdict,
        directory=directory,
        actions=suggested_actions(messages[index], verdict),
        matches_stored=before.decided and before.columns == verdict_columns(verdict),
        trace=verdict.trace,
        contacts=contacts,
        users=users,
        attributed=directory.user_label(verdict.attributed_to),
    )


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
    account = account_of(conn, message_id)
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
