"""Every message's flags, read in bulk (issue 10).

Without CONDSTORE (Microsoft Exchange/365 and many hosted servers) a sync learns about flag
changes and expunges only by listing every message's flags (``imap_lists.all_flags``: a few
UID windows, pipelined, no UID SEARCH). The responses are read straight from the received
bytes (``Wire.read_batch``): a run of Dovecot-shaped lines ``* n FETCH (UID u FLAGS (...))``
is only matched as it arrives, and kept; every few hundred kilobytes the runs kept are taken
apart by one ``findall`` into the two columns of a :class:`FlagColumns` (no Python step per
message). Any other response (items in another order, literals, unsolicited ones) goes
through ``imap_parse.flag_response``, which reads the same values, in the order they came
(tests/mail/test_imap_flags.py holds the two equal).
"""

from __future__ import annotations

import re
from typing import Final

from core.i18n import _
from core.mail import imap_parse as parse
from core.mail.imap_conn import Wire
from core.mail.wire_limits import UID_MAX, ServerError
from core.mailbox import FlagChange, FlagColumns

_FLAGS: Final = rb'[^()"{}\r\n]*'
_ONE: Final = re.compile(  # one plain response: its UID and flags
    rb"\* \d{1,20} FETCH \(UID (\d{1,20}) FLAGS \((%s)\)(?: MODSEQ \(\d{1,20}\))?\)\r\n" % _FLAGS
)
_RUN: Final = re.compile(  # _ONE without its groups, repeated
    rb"(?:\* \d{1,20} FETCH \(UID \d{1,20} FLAGS \(%s\)(?: MODSEQ \(\d{1,20}\))?\)\r\n)+" % _FLAGS
)


def flag_run(data: bytes, pos: int, into: list[bytes]) -> int:
    """Keep the run of plain flag responses at ``data[pos:]`` in ``into``; returns its end."""
    run = _RUN.match(data, pos)
    if run is None:
        return pos
    into.append(data[pos : run.end()])
    return run.end()


def add_runs(runs: list[bytes], into: FlagColumns) -> None:
    """The responses of ``runs`` (as :func:`flag_run` kept them) into ``into``'s columns; a
    UID of 0 or past 32 bits is ignored."""
    found = _ONE.findall(b"".join(runs))
    if not found:
        return
    uids, raws = zip(*found, strict=True)
    numbers = list(map(int, uids))
    sets = {raw: parse.parse_flags(raw) for raw in set(raws)}  # a handful of distinct sets
    flags = list(map(sets.__getitem__, raws))
    if min(numbers) < 1 or max(numbers) > UID_MAX:
        kept = [k for k, uid in enumerate(numbers) if 0 < uid <= UID_MAX]
        numbers, flags = [numbers[k] for k in kept], [flags[k] for k in kept]
    into.uids += numbers
    into.flags += flags


def collect_flags(parts: parse.Parts, into: list[FlagChange] | FlagColumns, most: int) -> None:
    """A flag FETCH response into ``into`` (other responses and foreign UIDs are ignored)."""
    if b"FETCH" not in parts[0][:40].upper():
        return
    change = parse.flag_response(parts)
    if change is not None and 0 < change.uid <= UID_MAX:
        _check_most(len(into) + 1, most)
        into.append(change)


def _check_most(count: int, most: int) -> None:
    if count > most:
        raise ServerError(
            _("the server sent flags for more than %(most)s messages") % {"most": most}
        )


def read_flags(wire: Wire, tag: bytes, into: FlagColumns, most: int) -> bytes:
    """Read the responses of the ``UID FETCH ... (UID FLAGS)`` sent as ``tag`` up to its
    status line, which it returns (``check_status`` it), adding every message's flags to
    ``into``: plain responses in bulk, others as :func:`collect_flags` reads them. More than
    ``most`` in all raises ``ServerError``."""
    prefix = tag + b" "
    while True:
        runs: list[bytes] = []
        parts = wire.read_batch(flag_run, runs)
        add_runs(runs, into)
        _check_most(len(into), most)
        if parts is None:
            continue
        line = parts[0]
        if line.startswith(prefix):
            return line[len(prefix) :]
        collect_flags(parts, into, most)
