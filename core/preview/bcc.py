"""Add the BCC address to a raw message, changing no other byte.

The header block is found up to its first empty line; a new ``Bcc:`` line goes just before
that line, written with the line ending the header block already uses, or an existing Bcc field
is extended at the end of its last (possibly folded) line. Header order, folding, the body and
the attachments are left byte for byte as they were.
"""

from __future__ import annotations

import re
from typing import Final

from core.i18n import _
from core.rules.addresses import normalize_email, parse_address_list

_FIELD: Final = re.compile(rb"^bcc[ \t]*:", re.IGNORECASE)
_SAFE: Final = re.compile(r"[!-~]+@[!-~]+")


class BccError(ValueError):
    """The address or the message cannot take the BCC header; the message is one line."""


def _lines(header: bytes) -> list[bytes]:
    """The header block split into lines, each with its own line ending."""
    return header.splitlines(keepends=True)


def _header_end(raw: bytes) -> int:
    """Where the empty line that ends the header block starts (len(raw) when there is none)."""
    pos = 0
    while pos < len(raw):
        if raw.startswith(b"\r\n", pos) or raw.startswith(b"\n", pos):
            return pos
        nl = raw.find(b"\n", pos)
        if nl < 0:
            return len(raw)
        pos = nl + 1
    return len(raw)


def _eol(header: bytes) -> bytes:
    first = header.find(b"\n")
    if first > 0 and header[first - 1 : first] == b"\r":
        return b"\r\n"
    return b"\n" if first >= 0 else b"\r\n"


def _bcc_field(lines: list[bytes]) -> tuple[int, int] | None:
    """The first Bcc field as (first line, one past its last continuation line)."""
    for i, line in enumerate(lines):
        if _FIELD.match(line):
            return i, _field_end(lines, i + 1)
    return None


def _field_end(lines: list[bytes], end: int) -> int:
    """One past the continuation lines (folded, starting with a space or tab) from ``end``."""
    while end < len(lines) and lines[end][:1] in (b" ", b"\t"):
        end += 1
    return end


def has_address(raw: bytes, address: str) -> bool:
    """Whether the Bcc (or To/Cc) of a raw message already holds ``address``."""
    wanted = normalize_email(address)
    header = raw[: _header_end(raw)]
    text = header.decode("utf-8", "replace").replace("\r\n", "\n")
    unfolded = re.sub(r"\n[ \t]+", " ", text)
    for line in unfolded.split("\n"):
        name, _, value = line.partition(":")
        if name.strip().lower() in ("to", "cc", "bcc") and any(
            a.email == wanted for a in parse_address_list(value)
        ):
            return True
    return False


def add_bcc(raw: bytes, address: str) -> bytes:
    """The raw message with ``address`` added to its Bcc field (a new field when it has none).

    Returns ``raw`` itself when the address is already a recipient. Raises ``BccError`` for an
    address that is not a plain ASCII ``local@domain``.
    """
    address = address.strip()
    if _SAFE.fullmatch(address) is None or normalize_email(address) is None:
        raise BccError(
            _("%(address)r is not a plain email address; check the BCC address setting")
            % {"address": address}
        )
    if has_address(raw, address):
        return raw
    end = _header_end(raw)
    header, rest = raw[:end], raw[end:]
    lines = _lines(header)
    found = _bcc_field(lines)
    if found is None:
        eol = _eol(header)
        if header and not header.endswith(b"\n"):
            raise BccError(_("the message has no complete header block"))
        return header + b"Bcc: " + address.encode("ascii") + eol + rest
    last = lines[found[1] - 1]
    body = last.rstrip(b"\r\n")
    ending = last[len(body) :]
    value = b"".join(lines[found[0] : found[1]]).split(b":", 1)[1]
    sep = b", " if value.strip() else b" "
    lines[found[1] - 1] = body + sep + address.encode("ascii") + ending
    return b"".join(lines) + rest
