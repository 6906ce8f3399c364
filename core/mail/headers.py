"""Parse a raw header block once, fast and without ever raising, into engine-ready values.

The stdlib ``email`` parser costs 62 s per 100,000 messages with ``policy.default`` and
recurses on nested comments; this one unfolds lines, splits name and value, and decodes raw
8-bit bytes as UTF-8, its stray bytes as cp1252 (else latin-1). A header that cannot be
parsed is kept as written and named in ``flagged``; nothing is dropped. Addresses, dates,
encoded words and Message-IDs are then read by the rules core's functions. ``prepare`` reads
a fetched message in one pass: its engine message, what could not be parsed, and what the
cache keeps besides (``core.store.cache.row`` lays out the row); it memoises the senders,
subjects and address-list elements a mailbox repeats, with their packed text (a list's is
its elements' joined).
Each fast path here reads only inputs it is sure of and leaves the rest to the general code.
That general reading (``parse_block``, ``to_message``, ``problems``) is only the tests':
``tests/helpers/reference_headers.py`` holds it, and the tests prove the two equal.
"""

from __future__ import annotations

import re
from itertools import compress
from typing import Final, NamedTuple, TypeVar

from core.mail.header_bytes import decode_bytes
from core.mail.list_split import may_split, rejoin_quoted
from core.mail.wire_limits import Cut
from core.mailbox import FetchedMessage, NewMessage
from core.rules.addresses import Address, fast_element, parse_address_list, parse_mailbox
from core.rules.dates import parse_date
from core.rules.encoded_words import decode_words, sanitize
from core.rules.messages import as_folder
from core.rules.model import Folder, Message, build_message
from core.rules.subjects import normalize_decoded
from core.rules.threads import clean_message_id, read_in_reply_to, read_references, thread_key
from core.store.packed import FIELD, NEXT, pack

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
_DATE: Final = _INDEX["date"]
_EXTRA: Final = _INDEX["list-id"]  # from here on: kept in the row as written, not parsed
_RECIPIENTS: Final = ("to", "cc", "bcc")
# Address lists may legitimately be split over several headers: they are joined.
_LISTS: Final = frozenset(("to", "cc", "bcc", "references"))
# A field: its name (RFC 5322 ftext), optional blanks, a colon, the value and its folded lines.
_FIELD: Final = re.compile(r"^([!-9;-~]+)[ \t]*:(.*(?:\r?\n[ \t].*)*)", re.MULTILINE)
_FOLD: Final = re.compile(r"\r?\n(?=[ \t])")
_NAME: Final = re.compile(r"[!-9;-~]+")  # a field's name, written right before its colon
# A line's text before its first colon -> the index of its lower-case name in _KEYS when
# wanted, else -1; only valid names (_NAME) are here. Bounded: a hostile block may spell many.
_NAMES: dict[str, int] = {}
_T = TypeVar("_T")


class ParsedHeaders(NamedTuple):
    """The wanted headers of one block, by lower-case name, as decoded one-line text.

    ``flagged`` names what could not be parsed (kept raw in ``fields``): e.g. ``from``,
    ``date``, ``8bit``, ``duplicate-subject``, ``line``.
    """

    fields: dict[str, str]
    flagged: tuple[str, ...]


def _parse_text(text: str, eight_bit: bool) -> ParsedHeaders:
    """The wanted fields of any text, one regex pass (``_plain_values`` is the fast path)."""
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
    get = _NAMES.get  # looked up once: this loop runs for every line of every block
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


def prepare(fetched: FetchedMessage, folder: Folder) -> NewMessage:
    """A fetched message parsed once and ready for the cache (``core.store.cache.row``).

    Its message and flags are exactly what the general path reads (``to_message`` and
    ``problems`` in ``tests/helpers/reference_headers.py``: a Hypothesis test holds them
    equal), read in one pass with the whole From, To, Cc, Bcc and Subject values a mailbox
    repeats memoised, with the packed columns they give.
    """
    uid, flags, internaldate, size, header, gm_msgid, gm_thrid = fetched
    text, eight_bit = decode_bytes(header)
    values = _plain_values(text)  # as _parse_text reads them, without its dict
    flagged: tuple[str, ...]
    if values is not None:
        flagged = ("8bit",) if eight_bit else ()
    else:
        fields, flagged = _parse_text(text, eight_bit)
        values = [fields.get(key) for key in _KEYS]
    message, flagged, (to_list, cc_list, bcc_list) = _message(str(uid), folder, values, flagged)
    if header.__class__ is Cut:  # over the header limit: the wire kept its start only
        flagged += ("header-cut",)
    list_id, list_unsubscribe, precedence, auto_submitted = values[_EXTRA:]
    # tuple.__new__ is what NewMessage(...) calls, after a Python frame for its arguments.
    return _new_tuple(
        NewMessage,
        (
            uid,
            flags,
            internaldate,
            size,
            message,
            flagged,
            gm_msgid,
            gm_thrid,
            values[_DATE] if message.date is None else None,  # kept when it cannot be read
            list_id,
            list_unsubscribe,
            precedence,
            auto_submitted,
            to_list,
            cc_list,
            bcc_list,
        ),
    )


def _message(
    id: str, folder: Folder, values: list[str | None], flagged: tuple[str, ...]
) -> tuple[Message, tuple[str, ...], tuple[str | None, str | None, str | None]]:
    """The engine message of a block's values (in ``_KEYS``' order), ``flagged`` with what
    could not be read added (as ``problems`` names it), and its packed To, Cc and Bcc."""
    raw_from, raw_to, raw_cc, raw_bcc, raw_subject, raw_date, raw_id, raw_reply, refs = values[:9]
    if raw_from is None:
        sender = None
        flagged += ("no-from",)
    else:
        sender, bad = _SENDERS.get(raw_from) or _read_sender(raw_from)
        if bad:
            flagged += ("from",)
    date = parse_date(raw_date)
    if date is None and raw_date:
        flagged += ("date",)
    to, bad_to, to_list, _ = _read_list(raw_to) if raw_to else _NO_LIST
    cc, bad_cc, cc_list, _ = _read_list(raw_cc) if raw_cc else _NO_LIST
    bcc, bad_bcc, bcc_list, _ = _read_list(raw_bcc) if raw_bcc else _NO_LIST
    if bad_to or bad_cc or bad_bcc:  # in problems()' order: "to", "cc", "bcc"
        flagged += tuple(compress(_RECIPIENTS, (bad_to, bad_cc, bad_bcc)))
    subject, subject_key = (
        (_SUBJECTS.get(raw_subject) or _read_subject(raw_subject))
        if raw_subject
        else (raw_subject, "")
    )
    message_id = clean_message_id(raw_id)
    if raw_id is None:
        flagged += ("no-message-id",)
    elif "<" not in raw_id:  # as problems(): an id is found in any text with "<"
        flagged += ("message-id",)
    in_reply_to = read_in_reply_to(raw_reply) if raw_reply else None
    references = read_references(refs) if refs else ()
    message = build_message(
        id,
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
    return message, flagged, (to_list, cc_list, bcc_list)


# prepare's memos of whole values, by their text, with what problems() flags and (address
# lists) their packed text: a mailbox repeats its senders, correspondents and subjects, and
# parsing each again cost most of a sync. Bounded: each starts over when full, and keeps no
# text over 256 characters.
_Sender = tuple[Address | None, bool]  # and whether problems() flags it
_SENDERS: dict[str, _Sender] = {}
_List = tuple[tuple[Address, ...], bool, str | None, bool]  # see _read_part
_PARTS: dict[str, _List] = {}  # address-list elements (so also lists of one element)
_SUBJECTS: dict[str, tuple[str, str]] = {}  # the decoded subject and its N4 key
_NO_LIST: Final[_List] = ((), False, None, False)
_new_tuple = tuple.__new__  # NewMessage(...) without its Python frame (see prepare)


def _remember(memo: dict[str, _T], text: str, value: _T) -> _T:
    if len(text) <= 256:
        if len(memo) >= 65_536:
            memo.clear()
        memo[text] = value
    return value


def _read_sender(value: str) -> _Sender:
    sender = parse_mailbox(value)
    return _remember(_SENDERS, value, (sender, sender is None or sender.email is None))


def _read_list(value: str) -> _List:
    """``_one`` then ``parse_address_list``, as ``to_message`` reads an address list (both in
    ``tests/helpers/reference_headers.py``), by element; with whether one is invalid and the
    packed text (``core.store.packed``).

    Split where the parser splits: at commas outside quoted strings (``core.mail.list_split``;
    ``_one`` does not split a list with quotes, the parser does), and only when every element
    can be split, checked element by element; else the list is read whole. Each element is
    then memoised, ``"Brown, James" <jb@x>`` too. The list's packed text is its elements'
    joined (``packed.pack`` packs address by address).
    """
    parts = value.split(",")
    if len(parts) == 1:
        return _PARTS.get(value) or _read_part(value)
    if '"' in value:
        parts = rejoin_quoted(parts)
    found: list[Address] = []
    texts: list[str] = []
    bad = False
    get = _PARTS.get  # looked up once, not once per element
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
    text, and whether ``_one`` may split a list there (``may_split``: for a common element,
    unless its quoted name holds an escape)."""
    one = fast_element(value)
    if one is not None:  # valid, no control character in its fields: as pack() packs it
        address, escaped = one
        packed = f"{address.name}{FIELD}{address.email}"
        return _remember(_PARTS, value, ((address,), False, packed, not escaped))
    addresses = parse_address_list(value)
    if len(addresses) == 1:
        bad = addresses[0].email is None
    else:
        bad = any(a.email is None for a in addresses)
    return _remember(_PARTS, value, (addresses, bad, pack(addresses), may_split(value)))


def _read_subject(value: str) -> tuple[str, str]:
    decoded = decode_words(value)
    return _remember(_SUBJECTS, value, (decoded, normalize_decoded(decoded)))
