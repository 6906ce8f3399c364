"""Subject normalisation (rules N4): what makes "RE: [Sales] Fwd: Quote" the same as "quote"."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Final

from core.rules.encoded_words import decode_words

_PREFIXES: Final = r"(?:re|fwd|fw|tr|aw|wg|sv|antw|rif|r)"
# One reply/forward prefix, or one list tag, at the start; applied repeatedly.
_LEADING: Final = re.compile(
    rf"\s*(?:{_PREFIXES}\s*(?:\[\d+\]|\(\d+\))?\s*:|\[[^\[\]]*\])",
    re.IGNORECASE,
)


@lru_cache(maxsize=65536)
def _normalize(subject: str) -> str:
    text = decode_words(subject)
    pos = 0
    while (match := _LEADING.match(text, pos)) is not None and match.end() > pos:
        pos = match.end()
    return " ".join(text[pos:].split()).casefold()  # runs of spaces folded, ends trimmed


def normalize_subject(subject: str | None) -> str:
    """The N4 form: leading Re:/Fwd:/... and [list] tags stripped, case and spaces folded."""
    if not subject:
        return ""
    if len(subject) > 4096:
        return _normalize.__wrapped__(subject)
    return _normalize(subject)
