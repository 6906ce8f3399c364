"""Every message's flags, read in bulk (issue 10).

Without CONDSTORE (Microsoft Exchange/365 and many hosted servers) a sync learns about flag
changes and expunges only by listing every message's flags (``imap_lists.all_flags``: a few
UID windows, no UID SEARCH). Each window's responses are read many at a time straight from
the received bytes (``Wire.read_batch``): a run of Dovecot-shaped lines
``* n FETCH (UID u FLAGS (...))`` takes two regular-expression passes; any other response
(items in another order, literals, unsolicited ones) goes through ``imap_parse.flag_response``,
which reads the same values (read one by one, 100,000 flags cost ~0.5 s more).
"""

from __future__ import annotations

import re
from typing import Final

from core.i18n import _
from core.mail import imap_parse as parse
from core.mail.imap_conn import Wire, check_status
from core.mail.wire_limits import UID_MAX, ServerError
from core.mailbox import FlagChange

_FLAGS: Final = rb'[^()"{}\r\n]*'
_ONE: Final = re.compile(
    rb"\* \d{1,20} FETCH \(UID (\d{1,20}) FLAGS \((%s)\)(?: MODSEQ \((\d{1,20})\))?\)\r\n" % _FLAGS
)
_RUN: Final = re.compile(  # _ONE without its groups, repeated
    rb"(?:\* \d{1,20} FETCH \(UID \d{1,20} FLAGS \(%s\)(?: MODSEQ \(\d{1,20}\))?\)\r\n)+" % _FLAGS
)
# FlagChange(...) is tuple.__new__ after a Python frame for its arguments: flag_run builds
# one per message of a folder's listing without that frame.
_new_tuple = tuple.__new__


def flag_run(data: bytes, pos: int, into: list[FlagChange]) -> int:
    """Parse the run of plain flag responses at ``data[pos:]`` into ``into``; returns its end."""
    run = _RUN.match(data, pos)
    if run is None:
        return pos
    end = run.end()
    flags_of = parse.parse_flags  # looked up once, not once per response
    append = into.append
    for uid, flags, modseq in _ONE.findall(data, pos, end):
        change = (int(uid), flags_of(flags), int(modseq) if modseq else None)
        append(_new_tuple(FlagChange, change))
    return end


def collect_flags(parts: parse.Parts, into: list[FlagChange], most: int) -> None:
    """A flag FETCH response into ``into`` (other responses and foreign UIDs are ignored)."""
    if b"FETCH" not in parts[0][:40].upper():
        return
    change = parse.flag_response(parts)
    if change is not None and 0 < change.uid <= UID_MAX:
        if len(into) >= most:
            raise ServerError(
                _("the server sent flags for more than %(most)s messages") % {"most": most}
            )
        into.append(change)


def read_flags(wire: Wire, command: bytes, into: list[FlagChange], most: int) -> None:
    """Run a ``UID FETCH ... (UID FLAGS)`` and add every message's flags to ``into``: plain
    responses in bulk, others as :func:`collect_flags` reads them (a UID of 0 or past
    32 bits is ignored). More than ``most`` in all raises ``ServerError``; NO or BAD raises
    ``MailError``."""
    tag = wire.send(command)
    prefix = tag + b" "
    while True:
        start = len(into)
        parts = wire.read_batch(flag_run, into)
        if any(not 0 < change[0] <= UID_MAX for change in into[start:]):
            into[start:] = [c for c in into[start:] if 0 < c[0] <= UID_MAX]
        if len(into) > most:
            raise ServerError(
                _("the server sent flags for more than %(most)s messages") % {"most": most}
            )
        if parts is None:
            continue
        line = parts[0]
        if line.startswith(prefix):
            check_status(line[len(prefix) :])
            return
        collect_flags(parts, into, most)
