"""Parse a raw header block once, fast and without ever raising, into engine-ready values.

The stdlib ``email`` parser costs 62 s per 100,000 messages with ``policy.default`` and
recurses on nested comments; this one unfolds lines, splits name and value, and decodes raw
8-bit bytes as UTF-8, its stray bytes as cp1252 (else latin-1). A header that cannot be
parsed is kept as written and named in ``flagged``; nothing is dropped. Addresses, dates,
encoded words and Message-IDs are then read by the rules core's functions, as ``to_message``
(through ``core.rules.messages.make_message``) and ``problems`` read them; ``prepare`` does
both in one pass, with the cache row, and memoises the senders, subjects and address-list
elements a mailbox repeats (with their columns: an address list's packed text is its
elements').
Each fast path here reads only inputs it is sure of and leaves the rest to the general code.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final, NamedTuple, TypeVar

from core.mail.header_bytes import decode_bytes
from core.mail.source import FetchedMessage
from core.mail.wire_limits import Cut
from core.rules.addresses import Address, parse_address_list, parse_mailbox
from core.rules.dates import parse_date
from core.rules.encoded_words import decode_words, sanitize
from core.rules.messages import as_folder, make_message
from core.rules.model import Folder, Message, build_message
from core.rules.subjects import normalize_decoded
from core.rules.threads import (
    clean_message_id,
    read_in_reply_to,
    read_references,
    split_message_ids,
    thread_key,
)
from core.store.cache import NewMessage, flag_text_of
from core.store.packed import NEXT, pack

# The headers the rules (and later features) read; everything else in a block is ignored.
# In this order in the list of values _plain_values reads.
_KEYS: Final = (
    "from",
    "to",
    "cc",
    "bcc",
    "subject",
    "date",
    "message-id",
    "in-reply-to",
    "references",
    "list-id",
    "list-unsubscribe",
    "precedence",
    "auto-submitted",
)
WANTED: Final = frozenset(_KEYS)
_INDEX: Final = {key: i for i, key in enumerate(_KEYS)}
# Address lists may legitimately be split over several headers: they are joined.
_LISTS: Final = frozenset(("to", "cc", "bcc", "references"))
# A field: its name (RFC 5322 ftext), optional blanks, a colon, the value and its folded lines.
_FIELD: Final = re.compile(r"^([!-9;-~]+)[ \t]*:(.*(?:\r?\n[ \t].*)*)", re.MULTILINE)
_FOLD: Final = re.compile(r"\r?\n(?=[ \t])")
_NAME: Final = re.compile(r"[!-9;-~]+")  # a field's name, written right before its colon
# A line's text before its first colon -> the index of its lower-case name in _KEYS when
# wanted, else -1; only valid names (_NAME) are here. Bounded: a hostile block may spell many.
_NAMES: dict[str, int] = {}
_UNSAFE_SPLIT: Final = re.compile(r'["()\[\]\\:;]')
_T = TypeVar("_T")


class ParsedHeaders(NamedTuple):
    """The wanted headers of one block, by lower-case name, as decoded one-line text.

    ``flagged`` names what could not be parsed (kept raw in ``fields``): e.g. ``from``,
    ``date``, ``8bit``, ``duplicate-subject``, ``line``.
    """

    fields: dict[str, str]
    flagged: tuple[str, ...]


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


def _parse_text(text: str, eight_bit: bool) -> ParsedHeaders:
    """parse_block's general path, for any text."""
    fields: dict[str, str] = {}
    flagged: list[str] = ["8bit"] if eight_bit else []
    found = _FIELD.findall(text)
    covered = len(found)  # lines inside a field: its first one and its folded ones
    for name, value in found:
        if "\n" in value:
            covered += value.count("\n")
        key = name.lower()
        if key not in WANTED:
            continue
        if value[-1:] == "\r":
            value = value[:-1]  # the CR of CRLF: not a control character to flag or keep
        if "\n" in value:
            value = _FOLD.sub("", value)
        value = sanitize(value).strip()
        if key in fields:
            if key in _LISTS:
                separator = " " if key == "references" else ", "
                fields[key] = f"{fields[key]}{separator}{value}" if fields[key] else value
            else:
                flagged.append(f"duplicate-{key}")
            continue
        fields[key] = value
    if not _only_blank_lines_left(text, covered) and _FIELD.sub("", text).strip():
        flagged.append("line")  # not a header: a stray line, or a name with spaces
    return ParsedHeaders(fields, tuple(dict.fromkeys(flagged)))


def _plain_values(text: str) -> list[str | None] | None:
    """The field values of the common block in ``_KEYS``' order (None where absent), or None
    to let the regex pass read it.

    Common: every line (CR LF, or LF when the block has no CR) is empty, or one whole field:
    a valid name right before a colon, then a value; or a fold (a line starting with a
    space) of the field just before. Wanted values have no control characters (not even a
    tab), others no bare LF, and no wanted name comes twice. There each value is the regex
    pass's, as nothing is left to sanitize, and no line is stray: a fold joined to a stray
    line, to a blank one or to nothing never passes for a field.
    """
    if "\r" in text:
        lines = text.removesuffix("\r\n\r\n").split("\r\n")  # blank lines at the end: none
    else:
        lines = text.removesuffix("\n\n").split("\n")
    values: list[str | None] = [None] * len(_KEYS)
    get = _NAMES.get
    key: int | None = None  # the field the line before belongs to (-1: unwanted), if any
    raw = ""  # that field's value on its first line
    folded: dict[int, list[str]] = {}  # a folded wanted field's lines, joined at the end
    for line in lines:
        # Most fields are "Name: value": split there, so a value has no space to strip.
        # A known name holds no colon, so this is the line's first colon.
        name, colon, value = line.partition(": ")
        found = get(name) if colon else None
        if found is None:
            if not line:
                key = None  # a blank line: no fold may follow
                continue
            if line[0] == " ":  # a fold: the line break goes, its space stays
                if key is None:
                    return None
                if key >= 0:
                    if not line.isprintable():
                        return None
                    pieces = folded.get(key)
                    if pieces is None:
                        folded[key] = [raw, line]
                    else:
                        pieces.append(line)  # joined once: any number of folds, linear
                elif "\n" in line:
                    return None
                continue
            name, colon, value = line.partition(":")
            found = get(name) if colon else None
            if found is None:
                if not colon or len(_NAMES) >= 1024 or _NAME.fullmatch(name) is None:
                    return None  # a stray line (or too many spellings)
                _NAMES[name] = found = _INDEX.get(name.lower(), -1)
        key = found
        if found >= 0:
            if values[found] is not None or not value.isprintable():
                return None  # a name to join or flag; or CR, LF, NUL, tab... to sanitize
            raw = value
            values[found] = value.strip()
        elif "\n" in value:
            return None  # a bare LF in CR LF text: another line, maybe a field
    for key, pieces in folded.items():
        values[key] = "".join(pieces).strip()
    return values


def _only_blank_lines_left(text: str, covered: int) -> bool:
    """True when the lines no field covers are known blank: the common case, decided without
    a second regex pass over the block (False means: look).

    Fields never overlap, so ``covered`` of the block's lines are inside fields and the rest
    are not. An empty line (or a lone CR) can neither start a field nor continue one: when
    the uncovered count equals the number of such lines at the end, those are the ones.
    """
    left = text.count("\n") + 1 - covered
    if left == 0:
        return True
    tail = text.rsplit("\n", left)
    return len(tail) == left + 1 and all(line in ("", "\r") for line in tail[1:])


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


def _splittable(part: str) -> bool:
    """An element where ``_one`` may split a list: no quote, comment, group, escape or domain
    literal, and at most one ``<...>``, opened before it is closed (``x> <a@x, b@y`` is one
    invalid address for the parser, never a valid ``b@y``)."""
    if _UNSAFE_SPLIT.search(part) is not None:
        return False
    opens = part.find("<")
    closes = part.find(">")
    if opens < 0:
        return closes < 0
    return opens < closes and part.count("<") == 1 and part.count(">") == 1


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


def prepare(fetched: FetchedMessage, folder: Folder) -> NewMessage:
    """A fetched message parsed once and ready for the cache.

    Its message and flags are exactly ``to_message`` and ``problems``, and its row exactly
    ``core.store.cache.columns``, read in one pass with the whole From, To, Cc, Bcc and
    Subject values a mailbox repeats memoised, with the columns they give.
    """
    uid, flags, internaldate, size, header, gm_msgid, gm_thrid = fetched
    text, eight_bit = decode_bytes(header)
    flagged: tuple[str, ...]
    values = _plain_values(text)  # as parse_block reads them, without its dict
    if values is not None:
        flagged = ("8bit",) if eight_bit else ()
    else:
        fields, flagged = _parse_text(text, eight_bit)
        values = [fields.get(key) for key in _KEYS]
    (
        raw_from,
        raw_to,
        raw_cc,
        raw_bcc,
        raw_subject,
        raw_date,
        raw_message_id,
        raw_in_reply_to,
        raw_references,
        list_id,
        list_unsubscribe,
        precedence,
        auto_submitted,
    ) = values
    if raw_from is None:
        sender = from_email = from_name = None
        flagged += ("no-from",)
    else:
        sender, bad, from_email, from_name = _SENDERS.get(raw_from) or _read_sender(raw_from)
        if bad:
            flagged += ("from",)
    date = parse_date(raw_date)
    if date is not None:
        sort_date: float | None = date
        raw_date = None  # the row keeps it only when it could not be read
    else:
        sort_date = internaldate
        if raw_date:
            flagged += ("date",)
    to, bad, to_text, _ = _read_list(raw_to) if raw_to else _NO_LIST
    if bad:
        flagged += ("to",)
    cc, bad, cc_text, _ = _read_list(raw_cc) if raw_cc else _NO_LIST
    if bad:
        flagged += ("cc",)
    bcc, bad, bcc_text, _ = _read_list(raw_bcc) if raw_bcc else _NO_LIST
    if bad:
        flagged += ("bcc",)
    subject, subject_key = (
        (_SUBJECTS.get(raw_subject) or _read_subject(raw_subject))
        if raw_subject
        else (raw_subject, "")
    )
    message_id = clean_message_id(raw_message_id)
    if raw_message_id is None:
        flagged += ("no-message-id",)
    elif "<" not in raw_message_id:  # as problems(): an id is found in any text with "<"
        flagged += ("message-id",)
    if header.__class__ is Cut:  # over the header limit: the wire kept its start only
        flagged += ("header-cut",)
    in_reply_to = read_in_reply_to(raw_in_reply_to) if raw_in_reply_to else None
    references = read_references(raw_references) if raw_references else ()
    message = build_message(
        str(uid),
        as_folder(folder),
        date,
        sender,
        to,
        cc,
        bcc,
        subject,
        subject_key,
        message_id,
        in_reply_to,
        references,
        thread_key(message_id, in_reply_to, references),
        raw_from,
    )
    row = (
        uid,
        flag_text_of(flags),
        internaldate,
        size,
        date,
        sort_date,
        raw_date,
        raw_from,
        from_email,
        from_name,
        subject,
        subject_key,
        message_id,
        in_reply_to,
        ("\n".join(references) or None) if references else None,
        list_id,
        list_unsubscribe,
        precedence,
        auto_submitted,
        (",".join(flagged) or None) if flagged else None,
        gm_msgid,
        gm_thrid,
        to_text,
        cc_text,
        bcc_text,
    )
    # tuple.__new__ is what NewMessage(...) calls, after a Python frame for its arguments.
    return _new_tuple(
        NewMessage, (uid, flags, internaldate, size, message, flagged, gm_msgid, gm_thrid, row)
    )


# prepare's memos of whole values, by their text, with what problems() flags and the row's
# columns they give. Bounded: each starts over when full, and keeps no text over 256
# characters.
_Sender = tuple[Address | None, bool, str | None, str | None]  # and its email and name columns
_SENDERS: dict[str, _Sender] = {}
_List = tuple[tuple[Address, ...], bool, str | None, bool]  # see _read_part
_PARTS: dict[str, _List] = {}  # address-list elements (so also lists of one element)
_SUBJECTS: dict[str, tuple[str, str]] = {}  # the decoded subject and its N4 key
_NO_LIST: Final[_List] = ((), False, None, False)
_new_tuple = tuple.__new__


def _remember(memo: dict[str, _T], text: str, value: _T) -> _T:
    if len(text) <= 256:
        if len(memo) >= 65_536:
            memo.clear()
        memo[text] = value
    return value


def _read_sender(value: str) -> _Sender:
    sender = parse_mailbox(value)
    if sender is None:
        return _remember(_SENDERS, value, (None, True, None, None))
    email = sender.email
    return _remember(_SENDERS, value, (sender, email is None, email, sender.name or None))


def _read_list(value: str) -> _List:
    """``_one`` then ``parse_address_list``, as to_message reads an address list, by element;
    with whether one is invalid and the packed text (``core.store.packed``).

    ``_one`` splits only when every element can be split: so does this, element by element.
    The list's packed text is its elements' joined (``packed.pack`` packs address by address).
    """
    parts = value.split(",")
    if len(parts) == 1:
        return _PARTS.get(value) or _read_part(value)
    found: list[Address] = []
    texts: list[str] = []
    bad = False
    get = _PARTS.get
    for part in parts:
        addresses, part_bad, text, splits = get(part) or _read_part(part)
        if not splits:
            whole = parse_address_list(value)
            return whole, any(a.email is None for a in whole), pack(whole), False
        if text is not None:  # else no address: an empty element
            found += addresses
            texts.append(text)
            bad = bad or part_bad
    return tuple(found), bad, NEXT.join(texts) if texts else None, False


def _read_part(value: str) -> _List:
    """An element of an address list: its addresses, whether one is invalid, their packed
    text, and whether ``_one`` may split a list there."""
    addresses = parse_address_list(value)
    if len(addresses) == 1:
        bad = addresses[0].email is None
    else:
        bad = any(a.email is None for a in addresses)
    return _remember(_PARTS, value, (addresses, bad, pack(addresses), _splittable(value)))


def _read_subject(value: str) -> tuple[str, str]:
    decoded = decode_words(value)
    return _remember(_SUBJECTS, value, (decoded, normalize_decoded(decoded)))
