"""IMAP's modified UTF-7 for folder names (RFC 3501 section 5.1.3): decode and encode."""

from __future__ import annotations

import base64
import binascii


def decode(name: str) -> str:
    """Decode a modified UTF-7 folder name for display; a malformed shift is kept as sent."""
    out: list[str] = []
    i = 0
    while i < len(name):
        char = name[i]
        end = name.find("-", i + 1) if char == "&" else -1
        if end < 0:
            out.append(char)
            i += 1
            continue
        chunk = name[i + 1 : end]
        out.append("&" if not chunk else _decode_chunk(chunk) or name[i : end + 1])
        i = end + 1
    return "".join(out)


def _decode_chunk(chunk: str) -> str | None:
    data = chunk.replace(",", "/")
    data += "=" * (-len(data) % 4)
    try:
        raw = base64.b64decode(data, validate=True)
        return raw.decode("utf-16-be")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None


def _shifted(chars: list[str]) -> str:
    """Characters outside printable ASCII as a shift: modified base64 of UTF-16, ``&...-``."""
    raw = "".join(chars).encode("utf-16-be")
    return "&" + base64.b64encode(raw).decode("ascii").rstrip("=").replace("/", ",") + "-"


def encode(name: str) -> str:
    """Encode a folder name to modified UTF-7, as sent on the wire."""
    out: list[str] = []
    pending: list[str] = []

    def flush() -> None:
        if pending:
            out.append(_shifted(pending))
            pending.clear()

    for char in name:
        if 0x20 <= ord(char) <= 0x7E:
            flush()
            out.append("&-" if char == "&" else char)
        else:
            pending.append(char)
    flush()
    return "".join(out)
