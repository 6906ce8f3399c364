"""A local folder's resync from its last listing equals the general path (issue 10).

The general path reads every message (``mbox_scan.scan`` or every Maildir name) and gives UIDs
with ``LocalKeys.assign``; the sync then compares that complete listing with the cache
(``plan.compare``). The listing path reads only unmatched messages and hands the sync a delta.
Here, on any mbox or Maildir and any edit of it (flag changes, removals, new mail, copies of a
message, rewritten From lines, the same Maildir key in new/ and cur/), both give the same UIDs
and flags for every message, and the same cache after the sync.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.mail import local_listing, mbox_scan
from core.mail.maildir_names import read_names
from core.store import db
from core.store.accounts import AccountKind, insert_account
from core.store.localkeys import LocalKeys

FROMS = [b"From a@x Mon Sep  1 00:00:00 2025\n", b"From b@y Tue Sep  2 00:00:00 2025\n"]
STATUS = ["", "Status: O\n", "Status: RO\n", "Status: R\nX-Status: AF\n", "X-Status: D\n"]
# (From line, Status lines, body): few values, so copies of a message happen often.
MESSAGES = st.tuples(st.integers(0, 1), st.integers(0, 4), st.integers(0, 5))
EDIT_KINDS = st.sampled_from(["flag", "drop", "insert", "copy", "from"])
EDITS = st.lists(st.tuples(EDIT_KINDS, st.integers(0, 40), MESSAGES), max_size=6)


def _entry(message: tuple[int, int, int]) -> bytes:
    line, status, body = message
    head = f"Subject: s{body % 3}\n{STATUS[status]}Message-ID: <m{body}@x>\n\n"
    return FROMS[line] + head.encode() + f"body {body}\n".encode() * (body % 2 + 1) + b"\n"


def _edit(
    box: list[tuple[int, int, int]], edits: list[tuple[str, int, tuple[int, int, int]]]
) -> list[tuple[int, int, int]]:
    box = list(box)
    for kind, at, message in edits:
        n = at % (len(box) + 1)
        if kind in ("insert", "copy") or not box:
            box.insert(n, box[at % len(box)] if kind == "copy" and box else message)
            continue
        n %= len(box)
        line, status, body = box[n]
        if kind == "drop":
            del box[n]
        else:
            box[n] = (line, message[1], body) if kind == "flag" else (1 - line, status, body)
    return box


def _keys(tmp: Path) -> LocalKeys:
    tmp.mkdir()
    conn = db.connect(tmp / "c.sqlite")
    return LocalKeys(conn, insert_account(conn, "a", AccountKind.MBOX, path=str(tmp)).id)


def _general_mbox(keys: LocalKeys, path: Path) -> list[tuple[int, tuple[str, ...]]]:
    messages, _ = mbox_scan.scan(path)
    uid_of = keys.assign("INBOX", [m.key for m in messages])
    return [(uid_of[m.key], m.flags) for m in messages]


def _listed_mbox(
    keys: LocalKeys, path: Path
) -> tuple[local_listing.Listing, local_listing.Delta | None]:
    with mbox_scan.opened(path) as box:
        return local_listing.rescan(keys, "INBOX", box.idents, box.read, maildir=False)  # type: ignore[arg-type]


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(MESSAGES, max_size=10), EDITS, EDITS)
def test_an_mbox_listing_equals_the_general_scan(
    before: list[tuple[int, int, int]],
    edits: list[tuple[str, int, tuple[int, int, int]]],
    more: list[tuple[str, int, tuple[int, int, int]]],
) -> None:
    with tempfile.TemporaryDirectory() as where:
        tmp = Path(where)
        fast, general = _keys(tmp / "f"), _keys(tmp / "g")
        path = tmp / "box"
        state: dict[int, tuple[str, ...]] = {}
        for box in (before, _edit(before, edits), _edit(_edit(before, edits), more)):
            path.write_bytes(b"".join(map(_entry, box)))
            listing, delta = _listed_mbox(fast, path)
            assert list(zip(listing.uids, listing.flags, strict=True)) == _general_mbox(
                general, path
            )
            now = dict(zip(listing.uids, listing.flags, strict=True))
            if delta is not None:  # the delta turns the last listing into this one
                assert _applied(state, delta, now) == now
            state = now


def _applied(
    state: dict[int, tuple[str, ...]], delta: local_listing.Delta, now: dict[int, tuple[str, ...]]
) -> dict[int, tuple[str, ...]]:
    """``state`` with the delta applied (new UIDs with their flags in ``now``)."""
    assert set(delta.vanished) <= state.keys()
    after = {uid: flags for uid, flags in state.items() if uid not in delta.vanished}
    for change in delta.flags:
        assert change.uid in after
        after[change.uid] = change.flags
    assert not set(delta.new) & state.keys()
    return after | {uid: now[uid] for uid in delta.new}


NAMES = st.tuples(st.integers(0, 12), st.sampled_from(["", "S", "FS", "RS", "T"]), st.booleans())


def _names(files: list[tuple[int, str, bool]]) -> list[str]:
    """Maildir names (the same key may be in new/ and cur/, as a delivery being moved)."""
    return sorted(
        {
            f"{1_700_000_000 + key}.M{key}.host:2,{flags}"
            if cur
            else f"{1_700_000_000 + key}.M{key}.host"
            for key, flags, cur in files
        }
    )


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.lists(NAMES, max_size=12), min_size=1, max_size=4))
def test_a_maildir_listing_equals_the_general_listing(
    steps: list[list[tuple[int, str, bool]]],
) -> None:
    with tempfile.TemporaryDirectory() as where:
        tmp = Path(where)
        fast, general = _keys(tmp / "f"), _keys(tmp / "g")
        state: dict[int, tuple[str, ...]] = {}
        for files in steps:
            names = _names(files)
            read = lambda at, names=names: read_names(names, at)  # noqa: E731
            listing, delta = local_listing.rescan(fast, "INBOX", names, read, maildir=True)  # type: ignore[arg-type]
            keys, flags = read_names(names, range(len(names)))
            uid_of = general.assign("INBOX", keys, sort_new=True)
            assert listing.uids == [uid_of[k] for k in keys]
            assert listing.flags == flags
            now = dict(zip(listing.uids, listing.flags, strict=True))
            if delta is not None:
                assert _applied(state, delta, now) == now
            state = now
