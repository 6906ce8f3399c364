"""Sync behaviour on a local Maildir: progress reports, cancel and resume."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from core.mail import accounts, sync
from core.mail.sync import SyncProgress
from core.store import db
from core.store.accounts import AccountKind


def _maildir(root: Path, count: int) -> None:
    for part in ("cur", "new", "tmp"):
        (root / part).mkdir(parents=True)
    for n in range(count):
        text = f"From: a{n}@x.example\r\nMessage-ID: <{n}@x>\r\nSubject: s{n}\r\n\r\nbody\r\n"
        (root / "cur" / f"{1000 + n}.k{n}.host:2,S").write_bytes(text.encode())


def test_progress_then_cancel_then_resume(tmp_path: Path) -> None:
    root = tmp_path / "Maildir"
    _maildir(root, 50)
    conn = db.connect(tmp_path / "c.sqlite")
    account = accounts.add_local(conn, "m", AccountKind.MAILDIR, str(root))
    cancel = threading.Event()
    seen: list[SyncProgress] = []

    def progress(p: SyncProgress) -> None:
        seen.append(p)
        if p.phase == "fetching" and p.done >= 20:
            cancel.set()

    def open_source() -> sync.MailSource:
        return accounts.open_source(conn, account, None)  # type: ignore[arg-type]

    with pytest.raises(sync.Cancelled):
        sync.sync_account(conn, account, open_source, progress=progress, cancel=cancel, batch=10)
    assert conn.execute("SELECT count(*) FROM messages").fetchone() == (20,)
    assert seen[0].phase == "folders"
    fetching = [p.done for p in seen if p.phase == "fetching"]
    assert fetching == sorted(fetching) and all(
        p.total == 50 for p in seen if p.phase == "fetching"
    )

    seen.clear()
    summary = sync.sync_account(conn, account, open_source, progress=seen.append, batch=10)
    assert summary.new == 30 and summary.decided == 50
    assert [p.phase for p in seen][-2:] == ["deciding", "done"]
    assert conn.execute("SELECT count(*) FROM messages WHERE decided_at IS NULL").fetchone() == (0,)
    assert summary.line().startswith("m: 1 folders, 30 new, 0 changed, 0 removed in ")


def test_a_bulk_load_gives_the_same_cache_with_every_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The demo workspace synced with its indexes deferred (a big first fill) and without."""
    import resources.demo as demo
    from core import workspace
    from core.store import bulk

    caches = {}
    begin = bulk.Deferral.begin
    for deferred in (False, True):
        monkeypatch.setattr(bulk, "MIN_ROWS", 1 if deferred else 10**9)
        dropped: list[bool] = []

        def spy(self: bulk.Deferral, new_rows: int, into: list[bool] = dropped) -> bool:
            into.append(begin(self, new_rows))
            return into[-1]

        monkeypatch.setattr(bulk.Deferral, "begin", spy)
        conn, account = workspace.open_demo(demo, tmp_path / f"{deferred}.sqlite")
        workspace.sync_demo(conn, account)
        assert any(dropped) is deferred
        assert bulk.missing(conn) == []
        caches[deferred] = conn.execute(
            "SELECT f.name, m.uid, m.message_id, m.logged, m.reason, m.contacts, m.attributed_to"
            " FROM messages m JOIN folders f ON f.id = m.folder_id ORDER BY f.name, m.uid"
        ).fetchall()
    assert caches[True] == caches[False] and len(caches[True]) >= 300
