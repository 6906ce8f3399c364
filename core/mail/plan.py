"""Change detection: what a folder's sync must remove, fetch and re-flag, at the cost of what
changed (issue 10).

A folder whose UIDVALIDITY did not change is compared with the cache in one of three ways:

- QRESYNC after a complete sync: the server says what vanished and which flags changed since
  the saved MODSEQ, and the new UIDs are those above the highest cached one. Nothing is listed.
- A complete flag listing (``FolderChanges.complete``): IMAP without CONDSTORE (one
  ``UID FETCH 1:* (UID FLAGS)``), a Maildir's directory listing, an mbox's scan. It holds every
  UID with its flags, so one pass over it and the cached flags gives the removals, the new UIDs
  and the flags that really changed; no UID SEARCH.
- A local folder's delta from the listing the cache holds (``FolderChanges.new`` set): what
  vanished, was re-flagged and appeared, as QRESYNC; checked against the cached row count.
- Otherwise (CONDSTORE without QRESYNC): the UIDs are listed and compared with the cache, and
  the CONDSTORE delta gives the flags.

Only flags that differ from the cached ones are planned, so a sync writes only changed rows.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from itertools import compress
from operator import ne
from typing import NamedTuple, Protocol, runtime_checkable

from core.mail.source import MailSource
from core.mailbox import FlagChange, FlagColumns, FolderChanges, FolderInfo, FolderStatus
from core.store import cache
from core.store.cache import flag_text_of

FIRST_FILL_SLACK = 10_000  # a first fill lists no UIDs unless UIDNEXT is far above EXISTS


@runtime_checkable
class ChangeSource(Protocol):
    """A source that reports flag changes (CONDSTORE) or every flag (``complete``)."""

    def changes(
        self, folder: FolderInfo, since_modseq: int | None, status: FolderStatus | None = None
    ) -> FolderChanges: ...


class Plan(NamedTuple):
    gone: list[int]  # cached UIDs the server no longer has, sorted
    new: Sequence[int]  # UIDs to fetch, sorted (a range when it is one: never materialised)
    flags: list[tuple[int, str]]  # (uid, flag_text) of cached rows whose flags changed


def plan(
    conn: sqlite3.Connection,
    source: MailSource,
    info: FolderInfo,
    state: cache.FolderState,
    status: FolderStatus,
) -> Plan:
    """What to remove, fetch and re-flag in a folder whose UIDVALIDITY did not change."""
    cached_count = cache.count_messages(conn, state.id)
    if not cached_count and _dense(status):
        # A first fill: every UID below UIDNEXT is new, and absent ones are just not
        # returned. Listing them first would cost a second EXAMINE and the UID SEARCH
        # round trips (~0.2 s on Dovecot's 100k Maildir).
        return Plan([], range(1, status.uidnext), [])
    since = state.highestmodseq if state.uidvalidity == status.uidvalidity else None
    changes = None
    if cached_count and isinstance(source, ChangeSource):  # new rows bring their flags
        changes = source.changes(info, since, status)  # the status just read: not again
        if changes.new is not None:
            delta = _from_delta(changes)
            if cached_count - len(delta.gone) + len(delta.new) == status.exists:
                return delta
            changes = source.changes(info, None, status)  # the cache is not what it assumed
    uidvalidity = status.uidvalidity
    if changes is not None and changes.complete:
        return compare(cache.cached_flags(conn, state.id, uidvalidity), changes.flags, status)
    top = cache.max_uid(conn, state.id, uidvalidity)
    if (
        changes is not None
        and changes.vanished is not None
        and since is not None
        and status.uidnext - top <= 2 * status.exists + FIRST_FILL_SLACK  # no absurd UID gap
    ):
        return _from_vanished(changes, top, status)
    cached = cache.cached_flags(conn, state.id, uidvalidity)
    server = set(source.uids(info))
    gone = cached.keys() - server
    if changes is not None and changes.vanished:
        gone |= set(changes.vanished) & cached.keys()
    flags = _changed_flags(changes.flags if changes is not None else (), cached)
    return Plan(sorted(gone), sorted(server - cached.keys()), _not_gone(flags, gone))


def _dense(status: FolderStatus) -> bool:
    """UIDNEXT is not far above EXISTS: few UIDs below it are missing (no absurd UID gap)."""
    return 0 < status.uidnext <= 2 * status.exists + FIRST_FILL_SLACK


def _from_vanished(changes: FolderChanges, top: int, status: FolderStatus) -> Plan:
    """The plan from the server's VANISHED UIDs and flag changes: no UID list is read."""
    gone = set(changes.vanished or ())
    delta = [(c.uid, flag_text_of(c.flags)) for c in changes.flags if c.uid <= top]
    return Plan(sorted(gone), range(top + 1, status.uidnext), _not_gone(delta, gone))


def _from_delta(changes: FolderChanges) -> Plan:
    """The plan from a local folder's delta (``core.mail.local_listing``): no cached row read."""
    gone = set(changes.vanished or ())
    delta = [(c.uid, flag_text_of(c.flags)) for c in changes.flags]
    return Plan(sorted(gone), sorted(changes.new or ()), _not_gone(delta, gone))


def _changed_flags(listed: Iterable[FlagChange], cached: dict[int, str]) -> list[tuple[int, str]]:
    """(uid, flag_text) of the cached rows whose flags differ from the server's."""
    flags: list[tuple[int, str]] = []
    for change in listed:
        text = flag_text_of(change.flags)
        if change.uid in cached and cached[change.uid] != text:
            flags.append((change.uid, text))
    return flags


def _not_gone(flags: list[tuple[int, str]], gone: set[int]) -> list[tuple[int, str]]:
    return [pair for pair in flags if pair[0] not in gone] if gone else flags


def compare(cached: dict[int, str], listed: Sequence[FlagChange], status: FolderStatus) -> Plan:
    """A complete listing against the cached flags, in one pass over each.

    UIDs at or above UIDNEXT (mail that arrived after the folder's status was read) wait for
    the next sync, as the state saved with this one says UIDNEXT. Every step is a bulk
    operation over the two columns (a FlagColumns is not taken apart): a folder that did not
    change costs one dictionary comparison.
    """
    if isinstance(listed, FlagColumns):
        uids, sets = listed.uids, listed.flags
    else:
        uids, sets = [change[0] for change in listed], [change[1] for change in listed]
    texts = {flags: flag_text_of(flags) for flags in set(sets)}  # a handful of distinct sets
    server = dict(zip(uids, map(texts.__getitem__, sets), strict=True))
    if status.uidnext and uids and max(uids) >= status.uidnext:
        server = {uid: text for uid, text in server.items() if uid < status.uidnext}
    if server == cached:
        return Plan([], [], [])
    same = server.keys() == cached.keys()
    new = [] if same else sorted(server.keys() - cached.keys())
    gone = [] if same else sorted(cached.keys() - server.keys())
    differ = map(ne, server.values(), map(cached.get, server))  # new UIDs differ too
    flags = sorted(pair for pair in compress(server.items(), differ) if pair[0] in cached)
    return Plan(gone, new, flags)
