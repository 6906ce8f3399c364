"""A local folder's last listing, kept in the cache: a resync costs what changed (issue 10).

A scan names each message by an *ident* that changes whenever anything the sync reads of it
does: a Maildir file's name (its key and flags), an mbox message's CRC-32 and length (From and
Status lines included, ``core.mail.mbox_scan.Box``). The listing saved with a scan holds each
ident's UID and flags. The next scan matches its idents against it in a few C-level passes;
only the messages whose ident is new ("read" ones) are read as the general path reads every
message: their keys and flags, their UIDs looked up by key. What the old listing had and the
new one did not match is gone or re-flagged. So the folder's complete listing is known at the
cost of what changed, and so is its *delta* from the old listing: the sync applies that delta
alone when the cache holds the old listing (the folder's saved HIGHESTMODSEQ is the listing's
token), as QRESYNC would, and reads no cached row.

Equal to the general path (every message read, ``LocalKeys.assign``): a matched message has
the same bytes or name, so the same key, flags and UID. Keys are numbered by copy over the
whole file (mbox); a message whose key digest has copies is "shared" and never matched, and a
read message whose UID turns out to be a matched one's (a new copy of a matched message) makes
the scan read every message instead. ``tests/mail/test_local_listing.py`` holds both equal.
"""

from __future__ import annotations

import itertools
import random
from array import array
from collections import Counter
from collections.abc import Callable, Hashable, Sequence
from typing import NamedTuple, Protocol

from core.mailbox import FlagChange

Flags = tuple[str, ...]
# Reads the messages at the given positions (file order): their keys and flags.
Reader = Callable[[Sequence[int]], tuple[list[str], list[Flags]]]


class Listing(NamedTuple):
    """Every message of a scan, in its order: ident, UID, flags; the positions whose key
    digest has copies (never matched); the token that names this listing."""

    token: int
    idents: Sequence[Hashable]
    uids: list[int]
    flags: list[Flags]
    shared: list[int]


class Delta(NamedTuple):
    """What changed from the listing named ``base`` to the new one."""

    base: int
    vanished: tuple[int, ...]
    flags: tuple[FlagChange, ...]
    new: tuple[int, ...]


class ListingStore(Protocol):
    """Where UIDs and listings are kept (``core.store.localkeys.LocalKeys``)."""

    def lookup(
        self, folder: str, keys: Sequence[str], *, sort_new: bool, add: bool = True
    ) -> dict[str, int]: ...

    def listing(self, folder: str) -> bytes | None: ...

    def save_listing(self, folder: str, data: bytes) -> None: ...


def rescan(
    store: ListingStore, folder: str, idents: Sequence[Hashable], read: Reader, *, maildir: bool
) -> tuple[Listing, Delta | None]:
    """The folder's listing from its idents (read where the old listing does not tell), saved,
    and its delta from the old one (None when there was none to start from). A Maildir's new
    keys get their UIDs in key order (they begin with their time); an mbox's keys are
    numbered by copy."""
    old = unpack(store.listing(folder), idents[:1])
    found = None if old is None else _update(store, folder, old, idents, read, maildir)
    listing, delta = found or (_read_all(store, folder, idents, read, maildir), None)
    if old is None or listing.token != old.token or listing.idents != old.idents:
        store.save_listing(folder, pack(listing))
    return listing, delta


def _read_all(
    store: ListingStore, folder: str, idents: Sequence[Hashable], read: Reader, maildir: bool
) -> Listing:
    """Every message read (the general path): a new token."""
    keys, flags = read(range(len(idents)))
    uid_of = store.lookup(folder, keys, sort_new=maildir)
    uids = list(map(uid_of.__getitem__, keys))
    return Listing(_token(), idents, uids, flags, [] if maildir else _shared(keys))


def _update(
    store: ListingStore,
    folder: str,
    old: Listing,
    idents: Sequence[Hashable],
    read: Reader,
    maildir: bool,
) -> tuple[Listing, Delta] | None:
    """The new listing and the delta, reading only unmatched messages (None: read them all)."""
    none = len(old.idents)
    at = _matches(old, idents, none)
    unread = list(itertools.compress(range(len(idents)), map(none.__eq__, at)))
    keys, flags = read(unread)
    left = set(range(none)).difference(at)  # old positions nothing matched
    known = store.lookup(folder, keys, sort_new=maildir, add=False)
    if not _distinct(keys, known, old, left):
        return None  # before new keys get UIDs: the general path gives them theirs
    uid_of = known | store.lookup(folder, [k for k in keys if k not in known], sort_new=maildir)
    uids_read = list(map(uid_of.__getitem__, keys))
    uids = list(map([*old.uids, 0].__getitem__, at))
    all_flags = list(map([*old.flags, ()].__getitem__, at))
    for pos, uid, found in zip(unread, uids_read, flags, strict=True):
        uids[pos], all_flags[pos] = uid, found
    delta = _delta(old, left, uids_read, flags)
    changed = bool(delta.vanished or delta.flags or delta.new)
    token = _token() if changed else old.token
    shared = [] if maildir else [unread[n] for n in _shared(keys)]
    return Listing(token, idents, uids, all_flags, shared), delta


def _matches(old: Listing, idents: Sequence[Hashable], none: int) -> list[int]:
    """For each ident, the position of the same ident in ``old`` (``none``: not matched). An
    ident repeated on either side, or shared in ``old``, is never matched."""
    where = dict(zip(old.idents, range(none), strict=True))
    for ident in _repeated(old.idents, len(where)):
        del where[ident]
    for pos in old.shared:
        where.pop(old.idents[pos], None)
    at = list(map(where.get, idents, itertools.repeat(none)))
    taken = set(at)
    taken.discard(none)
    if len(taken) < len(at) - at.count(none):  # an old message matched twice: a repeated ident
        twice = {pos for pos, count in Counter(at).items() if count > 1 and pos != none}
        at = [none if pos in twice else pos for pos in at]
    return at


def _repeated(idents: Sequence[Hashable], distinct: int) -> set[Hashable]:
    """The idents found more than once (none, without counting, when all are distinct)."""
    if distinct == len(idents):
        return set()
    return {ident for ident, count in Counter(idents).items() if count > 1}


def _distinct(keys: list[str], known: dict[str, int], old: Listing, left: set[int]) -> bool:
    """Whether the old listing's UIDs and the read keys are distinct and no read key has a
    matched message's UID (a Maildir key in two files, a new copy of a matched mbox message)."""
    if not keys and not left:
        return True  # nothing to tell apart
    olds = set(old.uids)
    if len(olds) < len(old.uids) or len(set(keys)) < len(keys):
        return False
    return olds.difference(old.uids[pos] for pos in left).isdisjoint(known.values())


def _delta(old: Listing, left: set[int], uids_read: list[int], flags: list[Flags]) -> Delta:
    """The old listing's unmatched messages against the read ones: gone, re-flagged, new."""
    before = {old.uids[pos]: old.flags[pos] for pos in left}
    changes = tuple(
        FlagChange(uid, found, None)
        for uid, found in zip(uids_read, flags, strict=True)
        if uid in before and before[uid] != found
    )
    new = tuple(uid for uid in uids_read if uid not in before)
    vanished = tuple(before.keys() - set(uids_read))
    return Delta(old.token, vanished, changes, new)


def _shared(keys: list[str]) -> list[int]:
    """Positions of keys whose digest has copies (``digest.2`` and its ``digest.1``)."""
    digests = [key.rpartition(".")[0] for key in keys if not key.endswith(".1")]
    if not digests:
        return []
    copied = set(digests)
    return [n for n, key in enumerate(keys) if key.rpartition(".")[0] in copied]


def _token() -> int:
    """A listing's name: random (63 bits, as HIGHESTMODSEQ), never that of another listing."""
    return random.getrandbits(63) | 1


# -- the stored form: a few arrays, packed (~40 bytes a message) ------------------------------
def pack(listing: Listing) -> bytes:
    """The listing as bytes (``unpack`` reads it back)."""
    sets = sorted(set(listing.flags))
    index = dict(zip(sets, range(len(sets)), strict=True))
    if listing.idents and isinstance(listing.idents[0], str):
        idents = ["\0".join(listing.idents).encode("utf-8", "surrogateescape")]  # type: ignore[arg-type]
    else:
        crcs, lengths = zip(*listing.idents, strict=True) if listing.idents else ((), ())
        idents = [array("I", crcs).tobytes(), array("Q", lengths).tobytes()]
    sections = [
        array("Q", [listing.token, len(listing.uids)]).tobytes(),
        "\n".join(" ".join(flags) for flags in sets).encode(),
        array("H", map(index.__getitem__, listing.flags)).tobytes(),
        array("Q", listing.uids).tobytes(),
        array("Q", listing.shared).tobytes(),
        *idents,
    ]
    return array("Q", [len(sections), *map(len, sections)]).tobytes() + b"".join(sections)


def unpack(data: bytes | None, like: Sequence[Hashable]) -> Listing | None:
    """A stored listing, if any and of the kind of ``like`` (idents of a new scan)."""
    if data is None:
        return None
    count = array("Q", data[:8])[0] if len(data) >= 8 else 0
    if count not in (6, 7):
        return None
    sizes = array("Q", data[8 : 8 * (1 + count)]).tolist()
    bounds = list(itertools.accumulate(sizes, initial=8 * (1 + count)))
    parts = [data[a:b] for a, b in itertools.pairwise(bounds)]
    token, size = array("Q", parts[0]).tolist()
    sets = [tuple(text.split(" ")) if text else () for text in parts[1].decode().split("\n")]
    idents: Sequence[Hashable]
    if count == 6:
        idents = parts[5].decode("utf-8", "surrogateescape").split("\0") if size else []
    else:
        crcs, lengths = array("I", parts[5]).tolist(), array("Q", parts[6]).tolist()
        idents = list(zip(crcs, lengths, strict=True))
    if like and idents and type(like[0]) is not type(idents[0]):
        return None
    flags = list(map(sets.__getitem__, array("H", parts[2]).tolist()))
    uids, shared = array("Q", parts[3]).tolist(), array("Q", parts[4]).tolist()
    return Listing(token, idents, uids, flags, shared)
