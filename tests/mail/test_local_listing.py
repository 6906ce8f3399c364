"""A local folder's resync from its last listing equals the general path (issue 10).

The general path reads every message (``mbox_scan.scan`` or every Maildir name) and gives UIDs
with ``LocalKeys.assign``; the sync then compares that complete listing with the cache
(``plan.compare``). The listing path reads only unmatched messages and hands the sync a delta.
Here, on any mbox or Maildir and any edit of it (flag changes, removals, new mail, copies of a
message, rewritten From lines, the same Maildir key in new/ and cur/), both give the same UIDs
and flags for every message, and the same cache after the sync.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from collections.abc import Callable
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.mail import accounts, local_listing, mbox_scan, sync
from core.mail.maildir_names import read_names
from core.store import db
from core.store.accounts import Account, AccountKind, insert_account
from core.store.localkeys import LocalKeys
from tests.helpers.statements import recorded

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


# -- the sync: the delta leaves the cache the complete comparison leaves ----------------------
def _synced(tmp: Path, kind: AccountKind, path: Path) -> tuple[sqlite3.Connection, Account]:
    tmp.mkdir()
    conn = db.connect(tmp / "c.sqlite")
    return conn, accounts.add_local(conn, kind.value, kind, str(path))


def _sync(
    conn: sqlite3.Connection, account: Account, **kw: object
) -> tuple[sync.SyncSummary, list[str]]:
    with recorded(conn) as seen:
        opener = lambda: accounts.open_source(conn, account, None)  # type: ignore[arg-type]  # noqa: E731
        return sync.sync_account(conn, account, opener, **kw), seen  # type: ignore[arg-type]


def _cache(conn: sqlite3.Connection) -> list[tuple[object, ...]]:
    return conn.execute("SELECT uid, flags, message_id FROM messages ORDER BY uid").fetchall()


def _reads_cached_flags(statements: list[str]) -> bool:
    return any(s.startswith("SELECT uid, flags FROM messages") for s in statements)


def _drop_listings(conn: sqlite3.Connection) -> None:
    conn.execute("DELETE FROM local_listings")


def _maildir_changes(root: Path) -> list[Callable[[], None]]:
    cur = root / "cur"

    def write(n: int, where: str = "cur", info: str = ":2,S") -> None:
        name = f"{1_700_000_000 + n}.M{n}.host{info if where == 'cur' else ''}"
        (root / where / name).write_bytes(_entry((0, 0, n))[len(FROMS[0]) :])

    def flag() -> None:
        for path in sorted(cur.iterdir())[3:6]:
            path.rename(path.with_name(path.name + "F"))

    def expunge() -> None:
        sorted(cur.iterdir())[7].unlink()

    def deliver() -> None:
        for n in range(100, 105):
            write(n, "new")

    def move_in() -> None:  # a delivery read: new/ to cur/ with flags
        for path in sorted((root / "new").iterdir())[:3]:
            path.rename(cur / (path.name + ":2,S"))

    def twice() -> None:  # the same key in new/ and cur/: compared whole (see local_listing)
        write(103, "cur", ":2,")

    for sub in ("cur", "new", "tmp"):
        (root / sub).mkdir(parents=True)
    for n in range(20):
        write(n)
    return [flag, expunge, deliver, move_in, expunge, twice]


def _mbox_changes(path: Path) -> list[Callable[[], None]]:
    box = [(0, n % 5, n) for n in range(8)]

    def rewrite(
        name: str, edits: list[tuple[str, int, tuple[int, int, int]]]
    ) -> Callable[[], None]:
        def change() -> None:
            nonlocal box
            box = _edit(box, edits)
            path.write_bytes(b"".join(map(_entry, box)))

        change.__name__ = name
        return change

    path.write_bytes(b"".join(map(_entry, box)))
    return [
        rewrite("flag", [("flag", 2, (0, 2, 0)), ("flag", 7, (0, 3, 0))]),
        rewrite("expunge", [("drop", 4, (0, 0, 0))]),
        rewrite("deliver", [("insert", 20, (0, 0, 8)), ("insert", 20, (1, 1, 9))]),
        rewrite("from", [("from", 3, (0, 0, 0)), ("drop", 0, (0, 0, 0)), ("flag", 5, (0, 4, 0))]),
        rewrite("copy", [("copy", 2, (0, 0, 0)), ("flag", 1, (0, 2, 0))]),
        # The same message again, before the first (another From line): compared whole, as
        # its copy number would take the first one's UID (core.mail.local_listing).
        rewrite("twice", [("insert", 0, (1, 1, 5))]),
    ]


def test_a_resync_by_delta_leaves_the_cache_the_general_resync_leaves(tmp_path: Path) -> None:
    for kind in (AccountKind.MAILDIR, AccountKind.MBOX):
        where = tmp_path / kind.value
        where.mkdir()
        path = where / "box"
        changes = _maildir_changes(path) if kind is AccountKind.MAILDIR else _mbox_changes(path)
        (fast, fast_account), (general, general_account) = (
            _synced(where / "fast", kind, path),
            _synced(where / "general", kind, path),
        )
        _sync(fast, fast_account)
        _sync(general, general_account)
        for change in changes:
            change()
            _drop_listings(general)  # the general path: every message read, the cache compared
            done, statements = _sync(fast, fast_account)
            expected, general_statements = _sync(general, general_account)
            assert (done.new, done.changed, done.removed) == (
                expected.new,
                expected.changed,
                expected.removed,
            ), (kind, change)
            assert _cache(fast) == _cache(general), (kind, change)
            assert _reads_cached_flags(statements) == (change.__name__ == "twice"), (kind, change)
            assert _reads_cached_flags(general_statements), (kind, change)


def test_a_message_the_fetch_missed_is_cached_by_the_next_sync(tmp_path: Path) -> None:
    root = tmp_path / "Maildir"
    _maildir_changes(root)
    conn, account = _synced(tmp_path / "c", AccountKind.MAILDIR, root)
    _sync(conn, account)
    (root / "new" / "1800000000.M1.host").write_bytes(b"Message-ID: <late@x>\n\nhi\n")

    def read_meanwhile(progress: sync.SyncProgress) -> None:  # a mail client reads it
        if progress.phase is sync.Phase.FETCHING and progress.total:
            for path in (root / "new").iterdir():
                shutil.move(path, root / "cur" / (path.name + ":2,S"))

    missed, _ = _sync(conn, account, progress=read_meanwhile)
    assert missed.new == 0
    caught, _ = _sync(conn, account)
    assert caught.new == 1
    assert conn.execute("SELECT flags FROM messages WHERE message_id = '<late@x>'").fetchone() == (
        "\\Seen",
    )


def test_a_cache_that_lost_a_row_is_compared_whole(tmp_path: Path) -> None:
    """The delta assumes the cache holds the last listing; the row count says when it does not."""
    root = tmp_path / "Maildir"
    changes = _maildir_changes(root)
    conn, account = _synced(tmp_path / "c", AccountKind.MAILDIR, root)
    _sync(conn, account)
    lost = conn.execute("SELECT uid, message_id FROM messages ORDER BY uid LIMIT 1").fetchone()
    conn.execute("DELETE FROM messages WHERE uid = ?", (lost[0],))
    changes[0]()  # three flag changes
    done, statements = _sync(conn, account)
    assert (done.new, done.changed) == (1, 3)
    assert _reads_cached_flags(statements)
    assert conn.execute("SELECT uid FROM messages WHERE message_id = ?", (lost[1],)).fetchone() == (
        lost[0],
    )
