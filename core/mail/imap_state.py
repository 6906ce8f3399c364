"""What a session learns about the server and a folder: its features (CAPABILITY) and the
numbers a SELECT or EXAMINE answers (EXISTS and the OK response codes).

Apart from ``core.mail.imap`` so the source reads as its commands; the numbers are bounded
here (``core.mail.wire_limits``), before anything stores them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from core.mail import imap_parse as parse
from core.mail.wire_limits import MODSEQ_MAX, NUMBER_MAX, UIDNEXT_MAX, number

STATUS: Final = {  # the SELECT/EXAMINE numbers kept, with their range
    b"EXISTS": NUMBER_MAX,
    b"UIDVALIDITY": NUMBER_MAX,
    b"UIDNEXT": UIDNEXT_MAX,
    b"HIGHESTMODSEQ": MODSEQ_MAX,
}


@dataclass(frozen=True, slots=True)
class Capabilities:
    """The server features the sync cares about."""

    condstore: bool
    qresync: bool
    uidplus: bool
    idle: bool
    special_use: bool
    gmail: bool

    @classmethod
    def from_names(cls, names: set[str]) -> Capabilities:
        upper = {name.upper() for name in names}
        return cls(
            condstore="CONDSTORE" in upper or "QRESYNC" in upper,
            qresync="QRESYNC" in upper,
            uidplus="UIDPLUS" in upper,
            idle="IDLE" in upper,
            special_use="SPECIAL-USE" in upper,
            gmail="X-GM-EXT-1" in upper,
        )


def read_status(found: dict[bytes, int], parts: parse.Parts) -> None:
    """Keep the numbers of one untagged SELECT/EXAMINE line in ``found`` (bounded)."""
    line = parts[0]
    words = line.split(None, 3)
    if len(words) >= 3 and words[1].isdigit() and words[2].upper() == b"EXISTS":
        found[b"EXISTS"] = number(words[1], NUMBER_MAX, "EXISTS")
    code = parse.response_code(line) if line.startswith(b"* OK") else None
    if code and code[0] in STATUS:
        found[code[0]] = number(code[1], STATUS[code[0]], code[0].decode())
