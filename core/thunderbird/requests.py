"""The add-in's requests read into typed values, every field checked: a wrong type, an
over-long text or list, or a missing field is a ``bad_request`` naming the field.

A MailExtension ``MessageHeader`` carries its Message-ID without angle brackets
(``headerMessageId``) and its date as an ISO string once serialised; ``ComposeDetails`` lists
recipients as mailbox strings. Both are turned into what the rules engine reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from core.i18n import _
from core.rules.model import Folder
from core.thunderbird.protocol import ProtocolError

MAX_TEXT: Final = 4_000  # characters of one field (a subject, an address)
MAX_ITEMS: Final = 1_000  # recipients of one email, identities of one account

_ROLES: Final = {
    "inbox": Folder.INBOX,
    "sent": Folder.SENT,
    "drafts": Folder.DRAFTS,
    "archives": Folder.ARCHIVE,
    "archive": Folder.ARCHIVE,
}


def bad(field: str, expected: str) -> ProtocolError:
    return ProtocolError(
        "bad_request",
        _("'%(field)s' must be %(expected)s") % {"field": field, "expected": expected},
    )


def obj(value: dict[str, Any], key: str, *, where: str = "") -> dict[str, Any]:
    found = value.get(key)
    if not isinstance(found, dict):
        raise bad(where + key, "an object")
    return found


def text(value: dict[str, Any], key: str, *, where: str = "", required: bool = False) -> str | None:
    found = value.get(key)
    if found is None and not required:
        return None
    if not isinstance(found, str) or len(found) > MAX_TEXT:
        raise bad(where + key, f"a text of at most {MAX_TEXT} characters")
    return found


def texts(value: dict[str, Any], key: str, *, where: str = "") -> tuple[str, ...]:
    found = value.get(key)
    if found is None:
        return ()
    if not isinstance(found, list) or len(found) > MAX_ITEMS:
        raise bad(where + key, f"a list of at most {MAX_ITEMS} texts")
    if not all(isinstance(item, str) and len(item) <= MAX_TEXT for item in found):
        raise bad(where + key, f"a list of texts of at most {MAX_TEXT} characters")
    return tuple(found)


def with_brackets(message_id: str | None) -> str | None:
    """A Message-ID as the cache keeps it: ``<...>`` (Thunderbird strips the brackets)."""
    if message_id is None or not message_id.strip():
        return None
    bare = message_id.strip()
    return bare if bare.startswith("<") else f"<{bare}>"


@dataclass(frozen=True, slots=True)
class AccountRef:
    """The Thunderbird account a request is about: its name and its identities' addresses."""

    name: str
    identities: tuple[str, ...]


def account_ref(request: dict[str, Any]) -> AccountRef:
    account = obj(request, "account")
    identities = texts(account, "identities", where="account.")
    return AccountRef(text(account, "name", where="account.") or "", identities)


@dataclass(frozen=True, slots=True)
class Header:
    """The fields of a displayed message the rules read."""

    message_id: str | None
    author: str | None
    to: tuple[str, ...]
    cc: tuple[str, ...]
    bcc: tuple[str, ...]
    subject: str | None
    date: float | None
    folder: Folder


def _date(value: object) -> float | None:
    if isinstance(value, bool):
        raise bad("message.date", "a date (ISO text or milliseconds)")
    if isinstance(value, int | float):
        return float(value) / 1000.0
    if isinstance(value, str) and len(value) <= 64:
        try:
            return datetime.fromisoformat(value).timestamp()
        except ValueError:
            return None
    if value is None:
        return None
    raise bad("message.date", "a date (ISO text or milliseconds)")


def _folder(header: dict[str, Any]) -> Folder:
    folder = header.get("folder")
    if folder is None:
        return Folder.INBOX
    if not isinstance(folder, dict):
        raise bad("message.folder", "an object")
    uses = texts(folder, "specialUse", where="message.folder.")
    kind = text(folder, "type", where="message.folder.")
    return _role(uses, kind)


def _role(uses: tuple[str, ...], kind: str | None) -> Folder:
    """The role the folder's first known special use names, else its type's, else OTHER."""
    for use in (*uses, kind or ""):
        if use in _ROLES:
            return _ROLES[use]
    return Folder.OTHER


def header(request: dict[str, Any]) -> Header:
    """The ``message`` of a request: a MailExtension MessageHeader (the fields we read)."""
    h = obj(request, "message")
    w = "message."
    return Header(
        message_id=with_brackets(text(h, "headerMessageId", where=w)),
        author=text(h, "author", where=w),
        to=texts(h, "recipients", where=w),
        cc=texts(h, "ccList", where=w),
        bcc=texts(h, "bccList", where=w),
        subject=text(h, "subject", where=w),
        date=_date(h.get("date")),
        folder=_folder(h),
    )


@dataclass(frozen=True, slots=True)
class Draft:
    """The fields of an email being written: ComposeDetails, and the Message-ID it answers."""

    sender: str | None
    to: tuple[str, ...]
    cc: tuple[str, ...]
    bcc: tuple[str, ...]
    subject: str
    kind: str  # "new", "reply", "forward", "draft", "redirect", "template"
    replies_to: str | None  # the related message's Message-ID (a reply), with brackets


def draft(request: dict[str, Any]) -> Draft:
    """The ``details`` of a request (ComposeDetails) and its ``related`` message's id."""
    d = obj(request, "details")
    w = "details."
    related = request.get("related")
    parent: str | None = None
    if related is not None:
        if not isinstance(related, dict):
            raise bad("related", "an object")
        parent = with_brackets(text(related, "headerMessageId", where="related."))
    kind = text(d, "type", where=w) or "new"
    return Draft(
        sender=text(d, "from", where=w),
        to=texts(d, "to", where=w),
        cc=texts(d, "cc", where=w),
        bcc=texts(d, "bcc", where=w),
        subject=text(d, "subject", where=w) or "",
        kind=kind,
        replies_to=parent if kind == "reply" else None,
    )
