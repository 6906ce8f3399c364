"""Message-IDs and thread keys (rules N5)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Final

from core.rules.encoded_words import sanitize

_MSGID: Final = re.compile(r"<[^<>]*>")


def clean_message_id(value: str | None) -> str | None:
    """A Message-ID as compared: exact, angle brackets kept, surrounding spaces trimmed."""
    if value is None:
        return None
    value = value.strip()
    if not value.isprintable():
        value = sanitize(value).strip()
    return value or None


def split_message_ids(value: str | None) -> tuple[str, ...]:
    """The ids of a raw References/In-Reply-To header: every ``<...>``, else the trimmed text."""
    if not value:
        return ()
    ids = _MSGID.findall(value)
    if ids:
        return tuple(ids)
    single = clean_message_id(value)
    return (single,) if single else ()


def clean_references(values: Iterable[str]) -> tuple[str, ...]:
    """Clean every id of a References list given as separate strings; empty ones are dropped."""
    cleaned = [v.strip() for v in values]
    if all(v and v.isprintable() for v in cleaned):
        return tuple(cleaned)  # the common case, without a call per id
    return tuple(c for v in cleaned if (c := clean_message_id(v)))


def read_references(value: str | None) -> tuple[str, ...]:
    """``clean_references(split_message_ids(value))``, the common case in one regex pass."""
    if not value:
        return ()
    ids = _MSGID.findall(value)
    if ids and value.isprintable():
        return tuple(ids)  # each is "<...>" and printable: nothing to trim or sanitize
    return clean_references(split_message_ids(value))


def read_in_reply_to(value: str | None) -> str | None:
    """The first id of a raw In-Reply-To header, cleaned; None when it has none."""
    if not value:
        return None
    first = _MSGID.search(value)
    if first is not None and value.isprintable():
        return first.group()  # split_message_ids' first, as clean_message_id leaves it
    ids = split_message_ids(value)
    return clean_message_id(ids[0]) if ids else None


def thread_key(
    message_id: str | None, in_reply_to: str | None, references: Sequence[str]
) -> str | None:
    """N5: the first id of References, else In-Reply-To, else the message's own Message-ID."""
    if references:
        return references[0]
    return in_reply_to or message_id
