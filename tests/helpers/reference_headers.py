"""The general reading of a header block, that the sync's fast path is proved equal to.

``core.mail.headers.prepare`` reads a fetched message in one pass, with memo tables and a
line-by-line fast path; these functions read the same block the plain way, through the rules
core's parsers: its fields (``parse_block``), its engine message (``to_message``), what could
not be parsed (``problems``) and its cache row (``columns``). Only the tests call them:
``tests/mail/test_headers_fast.py`` holds the two readings equal on any input (Hypothesis).
"""

from __future__ import annotations

from collections.abc import Sequence

from core.mail.header_bytes import decode_bytes
from core.mail.headers import _KEYS, ParsedHeaders, _parse_text, _plain_values
from core.mail.list_split import _splittable
from core.rules.advisories import BulkSignals, is_bulk
from core.rules.messages import make_message
from core.rules.model import Folder, Message
from core.rules.threads import split_message_ids
from core.store.cache import flag_text_of
from core.store.packed import pack


def parse_block(block: bytes) -> ParsedHeaders:
    """Split a raw header block into the wanted fields. Never raises.

    The common block is read line by line (``_plain_values``); any other takes one regex
    pass that finds every field with its continuation lines, where whatever is left that is
    not blank is a stray line, and the row is flagged ``line``.
    """
    text, eight_bit = decode_bytes(block)
    values = _plain_values(text)
    if values is not None:
        fields = {key: value for key, value in zip(_KEYS, values, strict=True) if value is not None}
        return ParsedHeaders(fields, ("8bit",) if eight_bit else ())
    return _parse_text(text, eight_bit)


def to_message(id: str, folder: Folder, parsed: ParsedHeaders) -> Message:
    """The engine's value for one message of a folder with the given role."""
    f = parsed.fields
    reply_ids = split_message_ids(f.get("in-reply-to"))
    return make_message(
        id,
        folder=folder,
        date=f.get("date"),
        sender=f.get("from"),
        to=_one(f.get("to")),
        cc=_one(f.get("cc")),
        bcc=_one(f.get("bcc")),
        subject=f.get("subject"),
        message_id=f.get("message-id"),
        in_reply_to=reply_ids[0] if reply_ids else None,
        references=split_message_ids(f.get("references")),
    )


def _one(value: str | None) -> Sequence[str]:
    """An address list as separate elements when that is safe, so each one is memoised.

    A mailbox repeats addresses, not whole lists: the rules core memoises what it parses,
    so splitting "a, b, c" into its elements makes most of them cache hits. The split is
    done only where the parser would split the same way: no quotes, comments, groups,
    escapes or domain literals, and no comma inside ``<...>``.
    """
    if not value:
        return ()
    if "," not in value:
        return (value,)
    parts = value.split(",")
    if not all(_splittable(part) for part in parts):
        return (value,)
    return parts


def problems(parsed: ParsedHeaders, message: Message) -> tuple[str, ...]:
    """What could not be parsed, after the engine read the fields (for the ``flagged`` column)."""
    f = parsed.fields
    found = list(parsed.flagged)
    if "from" not in f:
        found.append("no-from")
    elif message.sender is None or message.sender.email is None:
        found.append("from")
    if f.get("date") and message.date is None:
        found.append("date")
    for key, addresses in (("to", message.to), ("cc", message.cc), ("bcc", message.bcc)):
        for a in addresses:  # a loop, not any(): measured cheaper on 100k messages
            if a.email is None:
                found.append(key)
                break
    if "message-id" not in f:
        found.append("no-message-id")
    elif not split_message_ids(f["message-id"]) or "<" not in f["message-id"]:
        found.append("message-id")
    return tuple(found)


def columns(
    uid: int,
    flags: tuple[str, ...],
    internaldate: float | None,
    size: int,
    message: Message,
    flagged: tuple[str, ...],
    gm_msgid: int | None,
    gm_thrid: int | None,
    fields: dict[str, str],
) -> tuple[object, ...]:
    """A new message's row after the folder and UIDVALIDITY, its recipients packed
    (``core.store.packed``): the general form of ``core.store.cache.row``, in the same
    order. ``fields`` are the wanted headers by lower-case name (``parse_block``)."""
    m, f = message, fields
    sender = m.sender
    return (
        uid,
        flag_text_of(flags),
        internaldate,
        size,
        m.date,
        m.date if m.date is not None else internaldate,
        m.from_raw,
        sender.email if sender is not None else None,
        sender.name if sender is not None and sender.name else None,
        m.subject,
        m.subject_key,
        m.message_id,
        m.in_reply_to,
        "\n".join(m.references) or None,  # ids may hold spaces, never a line break
        ",".join(flagged) or None,
        gm_msgid,
        gm_thrid,
        f.get("date") if m.date is None else None,  # kept only when it could not be read
        f.get("list-id"),
        f.get("list-unsubscribe"),
        f.get("precedence"),
        f.get("auto-submitted"),
        pack(m.to),
        pack(m.cc),
        pack(m.bcc),
        is_bulk(BulkSignals(f.get("list-id"), f.get("list-unsubscribe"), f.get("precedence"),
                            f.get("auto-submitted"), sender.email if sender else None)),
    )  # fmt: skip
