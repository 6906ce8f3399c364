"""A message's readable content for the desktop's reader: its text part, its HTML part (made
safe by ``core.mail.html_safe``, here and so off the GUI thread) and its inline images,
read from its mailbox (``load_body``: a local file or IMAP, through the source's
``fetch_raw``, so a local message is found by the same key the sync gave it).

Parsing never raises on bad MIME: a part that cannot be decoded is read as UTF-8 with
replacements, and sizes are capped so a hostile message cannot make the reader slow.
"""

from __future__ import annotations

import contextlib
import email
import email.policy
import sqlite3
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Final

from core.i18n import _
from core.mail.accounts import open_source
from core.mail.html_safe import safe_html
from core.mail.secrets import SecretStore
from core.mail.source import MailError
from core.store.places import locate

MAX_BODY: Final = 2_000_000  # characters of text or HTML shown
MAX_DATA_IMAGE: Final = 256_000  # bytes of an inline image (cid: part or data: URL)


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


def _content_id(part: EmailMessage) -> str:
    """The part's Content-ID without its angle brackets ("" when it has none)."""
    return str(part.get("Content-ID", "")).strip().strip("<>")


def _image(part: EmailMessage, kind: str) -> InlinePart | None:
    """An image part, decoded, when it is small enough to show inline."""
    data = part.get_payload(decode=True)
    if isinstance(data, bytes) and len(data) <= MAX_DATA_IMAGE:
        return InlinePart(kind, data)
    return None


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
        cid = _content_id(part)
        if kind.startswith("image/") and cid:
            if (image := _image(part, kind)) is not None:
                inline[cid] = image
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


def load_body(conn: sqlite3.Connection, row_id: int, secrets: SecretStore) -> Body:
    """The body of a cached row, read from its mailbox (raises ``MailError``: one line)."""
    where = locate(conn, row_id)
    if where is None:
        raise BodyError(_("this message is no longer in the cache"))
    source = open_source(conn, where.account, secrets)
    try:
        fetch = getattr(source, "fetch_raw", None)
        if fetch is None:
            raise BodyError(_("this mailbox cannot fetch whole messages"))
        raw = fetch(where.folder, where.uid)
    finally:
        with contextlib.suppress(Exception):
            source.close()
    if raw is None:
        if where.account.path is not None:
            raise BodyError(_("this message was moved or deleted since the last sync"))
        raise BodyError(_("this message is no longer on the server"))
    return parse_body(bytes(raw))
