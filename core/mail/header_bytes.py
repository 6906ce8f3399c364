"""Header bytes as text: UTF-8, and only the stray bytes of a line read another way.

A header block should be ASCII or UTF-8, but mailers still write Latin-1 or cp1252 bytes, and
sometimes one such byte into a line of UTF-8. One decode keeps every valid UTF-8 run and
reads each run of stray bytes as cp1252 (latin-1 where cp1252 has no character): a line of
UTF-8 with one stray byte keeps its UTF-8 (issue 10: it came out whole as cp1252, garbled).
A line break is never inside a UTF-8 sequence nor in a run of stray bytes, so a block decodes
as its lines would one by one.
"""

from __future__ import annotations

import codecs
from typing import Final

_CP1252: Final = [bytes([b]).decode("cp1252", "ignore") or chr(b) for b in range(256)]


def _stray_bytes(error: UnicodeError) -> tuple[str, int]:
    """The bytes a UTF-8 decode stopped at, as cp1252 (a codec error handler)."""
    assert isinstance(error, UnicodeDecodeError)
    return "".join(_CP1252[b] for b in error.object[error.start : error.end]), error.end


codecs.register_error("mailscope-stray-bytes", _stray_bytes)


def decode_bytes(raw: bytes) -> tuple[str, bool]:
    """Text of raw header bytes: UTF-8, its stray bytes as cp1252 (else latin-1); True when
    some were not UTF-8."""
    try:
        return raw.decode("utf-8"), False
    except UnicodeDecodeError:
        return raw.decode("utf-8", "mailscope-stray-bytes"), True
