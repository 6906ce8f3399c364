"""Every message's flags in one ``UID FETCH 1:* (UID FLAGS)``, read in bulk (issue 10).

Without CONDSTORE (Microsoft Exchange/365 and many hosted servers) a sync learns about flag
changes and expunges only by listing every message's flags. That listing is one command, not a
UID SEARCH plus windows of FETCHes, and its responses are read many at a time straight from
the received bytes (``Wire.read_batch``): a run of Dovecot-shaped lines
``* n FETCH (UID u FLAGS (...))`` takes two regular-expression passes; any other response
(items in another order, literals, unsolicited ones) goes through ``imap_parse.flag_response``,
which reads the same values.
"""

from __future__ import annotations

import re
from typing import Final

from core.mail import imap_parse as parse
from core.mail.imap_conn import Wire, check_status
from core.mail.source import FlagChange

_FLAGS: Final = rb'[^()"{}\r\n]*'
_ONE: Final = re.compile(
    rb"\* \d{1,20} FETCH \(UID (\d{1,20}) FLAGS \((%s)\)(?: MODSEQ \((\d{1,20})\))?\)\r\n" % _FLAGS
)
_RUN: Final = re.compile(  # _ONE without its groups, repeated
    rb"(?:\* \d{1,20} FETCH \(UID \d{1,20} FLAGS \(%s\)(?: MODSEQ \(\d{1,20}\))?\)\r\n)+" % _FLAGS
)
_new_tuple = tuple.__new__


def flag_run(data: bytes, pos: int, into: list[FlagChange]) -> int:
    """Parse the run of plain flag responses at ``data[pos:]`` into ``into``; returns its end."""
    run = _RUN.match(data, pos)
    if run is None:
        return pos
    end = run.end()
    flags_of = parse.parse_flags
    append = into.append
    for uid, flags, modseq in _ONE.findall(data, pos, end):
        change = (int(uid), flags_of(flags), int(modseq) if modseq else None)
        append(_new_tuple(FlagChange, change))
    return end


def all_flags(wire: Wire) -> list[FlagChange]:
    """``UID FETCH 1:* (UID FLAGS)`` on the selected folder: every message's flags, in the
    server's order. A NO or BAD raises ``MailError``."""
    tag = wire.send(b"UID FETCH 1:* (UID FLAGS)")
    prefix = tag + b" "
    found: list[FlagChange] = []
    while True:
        parts = wire.read_batch(flag_run, found)
        if parts is None:
            continue
        line = parts[0]
        if line.startswith(prefix):
            check_status(line[len(prefix) :])
            return found
        if b"FETCH" in line[:40].upper():
            change = parse.flag_response(parts)
            if change is not None:
                found.append(change)
