"""RFC 2047 encoded words, decoded in linear time and without ever raising.

The stdlib decoder is quadratic on long runs of encoded words (a 32,000-word Subject takes
seconds) and lets a decoded CR LF through; this one is a single regex pass.
"""

from __future__ import annotations

import binascii
import re
from typing import Final

_WORD: Final = re.compile(r"=\?([^?\s]+)\?([QqBb])\?([^?\s]*)\?=")
# Whitespace between encoded words goes; matched after "?=" (not taking it), so an empty
# replacement, which re.sub makes without parsing a template.
_BETWEEN_WORDS: Final = re.compile(r"(?<=\?=)[ \t\r\n]+(?==\?[^?\s]+\?[QqBb]\?)")
_CONTROL: Final = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
_Q_HEX: Final = re.compile(rb"=([0-9A-Fa-f]{2})")
_NOT_HEX: Final = re.compile(rb"=(?![0-9A-Fa-f]{2})")


def _decode_q(text: str) -> bytes:
    raw = text.replace("_", " ").encode("ascii", "replace")
    if b"=" not in raw:
        return raw
    if _NOT_HEX.search(raw) is None:  # every "=" starts "=XX": binascii decodes just those
        return binascii.a2b_qp(raw)
    return _Q_HEX.sub(lambda m: bytes([int(m.group(1), 16)]), raw)


def _decode_b(text: str) -> bytes:
    padded = text + "=" * (-len(text) % 4)
    try:
        # base64.b64decode(padded, validate=False), without its Python frames
        return binascii.a2b_base64(padded.encode("ascii"))
    except (binascii.Error, ValueError):
        return text.encode("ascii", "replace")


def _decode_word(match: re.Match[str]) -> str:
    charset, encoding, text = match.groups()
    if "*" in charset:
        charset = charset.split("*", 1)[0]  # RFC 2231 language suffix
    data = _decode_b(text) if encoding in "Bb" else _decode_q(text)
    try:
        return data.decode(charset, "replace")
    except (LookupError, ValueError):
        return data.decode("latin-1")


def decode_words(value: str) -> str:
    """Decode the RFC 2047 encoded words of a header value; control characters become spaces."""
    if "=?" in value:
        value = _BETWEEN_WORDS.sub("", value)
        value = _WORD.sub(_decode_word, value)
    return sanitize(value)


def sanitize(value: str) -> str:
    """Replace control characters (CR, LF, NUL, ...) with spaces so a value is one line."""
    if value.isprintable() or _CONTROL.search(value) is None:  # printable: the cheap "none"
        return value
    return _CONTROL.sub(" ", value)
