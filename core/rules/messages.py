"""Building engine-ready messages: parse and normalise once, from header strings."""

from __future__ import annotations

from collections.abc import Iterable

from core.rules.addresses import Address, parse_address_list, parse_mailbox
from core.rules.dates import parse_date
from core.rules.encoded_words import decode_words
from core.rules.model import Folder, Message
from core.rules.subjects import normalize_subject
from core.rules.threads import clean_message_id, clean_references, thread_key

_FOLDERS = {folder.value: folder for folder in Folder}


def as_folder(folder: Folder | str) -> Folder:
    """A folder role, given as itself or by its value (``ValueError`` when unknown)."""
    return folder if isinstance(folder, Folder) else _FOLDERS.get(folder) or Folder(folder)


def _addresses(values: Iterable[str]) -> tuple[Address, ...]:
    result: list[Address] = []
    for value in values:
        result.extend(parse_address_list(value))
    return tuple(result)


def make_message(
    id: str,
    *,
    folder: Folder | str = Folder.INBOX,
    date: str | None = None,
    sender: str | None = None,
    to: Iterable[str] = (),
    cc: Iterable[str] = (),
    bcc: Iterable[str] = (),
    subject: str | None = None,
    message_id: str | None = None,
    in_reply_to: str | None = None,
    references: Iterable[str] = (),
) -> Message:
    """A ``Message`` from the written fields of a scenario (or of headers already split)."""
    msgid = clean_message_id(message_id)
    reply_to = clean_message_id(in_reply_to)
    refs = clean_references(references)
    decoded = decode_words(subject) if subject is not None else None
    return Message(
        id=id,
        folder=as_folder(folder),
        date=parse_date(date),
        sender=parse_mailbox(sender),
        to=_addresses(to),
        cc=_addresses(cc),
        bcc=_addresses(bcc),
        subject=decoded,
        subject_key=normalize_subject(decoded),
        message_id=msgid,
        in_reply_to=reply_to,
        references=refs,
        thread_key=thread_key(msgid, reply_to, refs),
        from_raw=sender,
    )
