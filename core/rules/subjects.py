"""Subject normalisation (rules N4): what makes "RE: [Sales] Fwd: Quote" the same as "quote"."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Final

from core.rules.encoded_words import decode_words

_PREFIXES: Final = r"(?:re|fwd|fw|tr|aw|wg|sv|antw|rif|r)"
# One reply/forward prefix, or one list tag, at the start; applied repeatedly. Blanks are
# taken whole (with ``\s*(...)?\s*`` a run before no ":" was cut at each blank in turn:
# "re" and 20,000 blanks took 0.5 s).
_LEADING: Final = re.compile(
    rf"\s*+(?:{_PREFIXES}\s*+(?:\[\d+\]|\(\d+\))?\s*+:|\[[^\[\]]*\])",
    re.IGNORECASE,
)


def _key(text: str) -> str:
    """N4 of a decoded subject."""
    pos = 0
    while (match := _LEADING.match(text, pos)) is not None and match.end() > pos:
        pos = match.end()
    return " ".join(text[pos:].split()).casefold()  # runs of spaces folded, ends trimmed


# Memoised: a mailbox repeats its subjects (each reply of a thread carries one), and decoding
# encoded words is most of the cost of a key.
@lru_cache(maxsize=65536)
def _normalize(subject: str) -> str:
    return _key(decode_words(subject))


def normalize_subject(subject: str | None) -> str:
    """The N4 form: leading Re:/Fwd:/... and [list] tags stripped, case and spaces folded."""
    if not subject:
        return ""
    if len(subject) > 4096:
        return _normalize.__wrapped__(subject)
    return _normalize(subject)


def normalize_decoded(decoded: str) -> str:
    """``normalize_subject`` of a subject ``decode_words`` returned, without the memo (for a
    caller that memoises whole subjects). Without an encoded word ("=?") or a control
    character, the text decodes to itself: it is read as it is."""
    if "=?" in decoded or not decoded.isprintable():
        return normalize_subject(decoded)
    return _key(decoded)
