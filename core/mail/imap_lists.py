"""What an IMAP server lists for a folder: its UIDs, its flags, what vanished; all bounded.

UIDs and flags are asked for in UID windows (never one huge answer); a UID outside 32 bits
stops the folder, a VANISHED range is clamped below UIDNEXT, and no list grows past
``WireLimits.messages`` entries, whatever the server claims.
"""

from __future__ import annotations

from typing import Final

from core.i18n import _
from core.mail import imap_parse as parse
from core.mail.imap_conn import Wire, check_status
from core.mail.imap_flags import collect_flags, read_flags
from core.mail.source import MailError
from core.mail.wire_limits import UID_MAX, ServerError, flatten, number, uid_ranges
from core.mailbox import FlagChange, FlagColumns, FolderChanges

SEARCH_WINDOW: Final = 25_000  # UIDs per UID SEARCH window


def windows(uidnext: int, step: int = SEARCH_WINDOW) -> list[bytes]:
    """UID windows covering 1..uidnext-1 (or ``1:*`` when UIDNEXT is unknown)."""
    if uidnext <= 1:
        return [b"1:*"] if uidnext == 0 else []
    step = max(step, -(-uidnext // 200))  # at most ~200 round trips
    return [b"%d:%d" % (low, min(low + step - 1, uidnext - 1)) for low in range(1, uidnext, step)]


def search_uids(wire: Wire, uidnext: int, most: int, step: int = SEARCH_WINDOW) -> list[int]:
    """Every UID below ``uidnext`` by UID SEARCH windows, sorted; at most ``most``."""
    found: set[int] = set()

    def collect(parts: parse.Parts) -> None:
        if parts[0][:9].upper() == b"* SEARCH ":
            found.update(number(word, UID_MAX, "a UID") for word in parts[0].split()[2:])
            if len(found) > most:
                raise ServerError(
                    _("the server listed more than %(most)s UIDs in a folder") % {"most": most}
                )

    for window in windows(uidnext, step):
        wire.run(b"UID SEARCH UID " + window, collect)
    top = uidnext - 1 if uidnext else None
    return sorted(uid for uid in found if top is None or uid <= top)


def all_flags(wire: Wire, uidnext: int, most: int) -> FlagColumns:
    """Every message's flags (a server without CONDSTORE), by UID windows, read in bulk
    (``core.mail.imap_flags``).

    The windows' commands go out together: the server lists the next window while this one
    is read. A refused window is raised once every window is read (the connection stays in
    step); a failure while reading leaves responses unread, so the wire is marked broken
    (the sync reconnects before the next folder).
    """
    listed = FlagColumns()
    tags = [wire.send(b"UID FETCH " + window + b" (UID FLAGS)") for window in windows(uidnext)]
    try:
        statuses = [read_flags(wire, tag, listed, most) for tag in tags]
    except MailError:
        wire.broken = True
        raise
    for status in statuses:
        check_status(status)
    return listed.below(uidnext) if uidnext else listed


def changed_since(
    wire: Wire, since_modseq: int, uidnext: int, most: int, qresync: bool
) -> FolderChanges:
    """Flag changes (and, with QRESYNC, vanished UIDs) since a MODSEQ: CHANGEDSINCE."""
    vanished: list[int] | None = [] if qresync else None
    changed: list[FlagChange] = []

    def collect(parts: parse.Parts) -> None:
        if vanished is not None and parts[0][:11].upper() == b"* VANISHED ":
            vanished.extend(vanished_uids(parts[0], uidnext, most - len(vanished)))
            return
        collect_flags(parts, changed, most)

    modifier = b" VANISHED" if vanished is not None else b""
    wire.run(b"UID FETCH 1:* (UID FLAGS) (CHANGEDSINCE %d%s)" % (since_modseq, modifier), collect)
    return FolderChanges(tuple(changed), None if vanished is None else tuple(sorted(vanished)))


def vanished_uids(line: bytes, uidnext: int, most: int) -> list[int]:
    """The UIDs of a VANISHED response below UIDNEXT (ranges clamped, never over ``most``)."""
    words = line.split()
    uid_set = words[-1] if words else b""
    top = uidnext - 1 if uidnext else UID_MAX
    return flatten(uid_ranges(uid_set, top, most)) if uid_set else []
