"""Issue 15: while a sync writes, the window re-reads only what the sync changed.

Re-reading a 100k account's ids and counting its folders every 300 ms while another account
synced kept the database thread busy and stalled the event loop up to 60-100 ms
(``bench/gui_bench.py``). A live re-read now recounts only the accounts a sync wrote to and
reads the table's ids only when the table shows one of them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from core.store import db, views
from core.store.accounts import AccountKind, insert_account
from core.store.queries import Counts
from desktop.main_window import MainWindow
from desktop.reader import Live, _read
from desktop.sidebar import COUNTS_ROLE, SidebarModel, snapshot
from tests.desktop.conftest import OFFSCREEN_NOISE

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)


def _demo_and_other(cache: Path) -> tuple[int, int]:
    """The demo account's id and a second (empty) account's."""
    conn = db.connect(cache)
    demo = int(conn.execute("SELECT id FROM accounts WHERE name = 'demo'").fetchone()[0])
    other = insert_account(conn, "other", AccountKind.MAILDIR, path=str(cache.parent / "none"))
    conn.close()
    return demo, other.id


def _logged(states: list, account_id: int) -> int:  # type: ignore[type-arg]
    state = next(s for s in states if s.account.id == account_id)
    return sum(c.will_log for c in state.counts.values())


def test_a_live_re_read_recounts_and_reads_only_what_a_sync_wrote(demo_cache: Path) -> None:
    demo, other = _demo_and_other(demo_cache)
    conn = db.connect(demo_cache)
    query = views.TableQuery(account_id=demo)
    whole = _read(conn, query, True)
    assert whole.ids is not None and len(whole.ids) == 300 and whole.states is not None
    logged = _logged(whole.states, demo)
    with db.connect(demo_cache) as writer:  # as a sync of the demo account would
        writer.execute("UPDATE messages SET logged = 1, reason = 'contact' WHERE logged = 0")
    elsewhere = _read(conn, query, True, (), Live(frozenset({other}), whole.states))
    assert elsewhere.ids is None and elsewhere.live  # the table's account wrote nothing
    assert elsewhere.states is not None and _logged(elsewhere.states, demo) == logged
    here = _read(conn, query, True, (), Live(frozenset({demo}), whole.states))
    assert here.ids is not None and len(here.ids) == 300
    assert here.states is not None and _logged(here.states, demo) == 300 > logged
    everything = _read(conn, views.TableQuery(), True, (), Live(frozenset({other}), whole.states))
    assert everything.ids is not None  # a view of every account shows the other's rows too
    conn.close()


def test_snapshot_keeps_only_the_unchanged_accounts_it_was_given(demo_cache: Path) -> None:
    demo, other = _demo_and_other(demo_cache)
    conn = db.connect(demo_cache)
    states = snapshot(conn)
    stale = [s._replace(counts={f: Counts(1, 1, 0, 0, 0) for f in s.counts}) for s in states]
    kept = snapshot(conn, recount={other}, previous=stale)
    assert kept[0] is stale[0] and kept[0].account.id == demo  # not recounted
    assert snapshot(conn, recount={demo}, previous=stale) == states
    conn.execute("UPDATE accounts SET name = 'renamed' WHERE id = ?", (demo,))
    renamed = next(
        s for s in snapshot(conn, recount={other}, previous=stale) if s.account.id == demo
    )
    assert renamed.account.name == "renamed" and renamed.counts == states[0].counts  # counted
    conn.close()


def test_the_sidebar_updates_counts_in_place_and_rebuilds_on_new_folders(
    demo_cache: Path,
) -> None:
    conn = db.connect(demo_cache)
    states = snapshot(conn)
    conn.close()
    model = SidebarModel()
    assert model.show(states) is True
    inbox = model.item(0).child(0)
    folder = states[0].folders[0].id
    counted = [states[0]._replace(counts={**states[0].counts, folder: Counts(9, 9, 0, 0, 0)})]
    assert model.show(counted) is False  # the same items, new counts: the selection stays
    assert model.item(0).child(0) is inbox
    assert inbox.data(COUNTS_ROLE) == Counts(9, 9, 0, 0, 0)
    assert "9 messages" in inbox.toolTip()
    assert model.show(counted) is False
    fewer = [states[0]._replace(folders=states[0].folders[1:])]
    assert model.show(fewer) is True and model.item(0).rowCount() == len(fewer[0].folders)


def test_the_window_re_reads_its_rows_only_after_its_account_landed(
    qtbot, demo_window: MainWindow
) -> None:  # type: ignore[no-untyped-def]
    demo = demo_window.model.query.account_id
    assert demo is not None
    qtbot.waitUntil(lambda: not demo_window.reader.busy)
    before = demo_window.model._read_at
    with qtbot.waitSignal(demo_window.reader.ready, timeout=5000) as elsewhere:
        demo_window.reader.landed(demo + 1)  # another account's sync wrote rows
    assert elsewhere.args[0].ids is None and demo_window.model._read_at == before
    assert demo_window.model.rowCount() == 300
    with qtbot.waitSignal(demo_window.reader.ready, timeout=5000) as here:
        demo_window.reader.landed(demo)
    assert here.args[0].ids is not None
    qtbot.waitUntil(lambda: demo_window.model._read_at > before)


def test_a_new_filter_is_laid_out_as_it_is_shown(qtbot, demo_window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    """Issue 15: the rows of a new filter are laid out as they are shown, so the first repaint
    is the right one; Qt's delayed layout used to follow it with a second repaint of the whole
    table (~6-20 ms each at 100k, one search in two)."""
    from PySide6.QtCore import Qt

    from core.store.queries import Show

    qtbot.waitUntil(lambda: not demo_window.reader.busy and demo_window.model.rowCount() == 300)
    bar = demo_window.table.verticalScrollBar()
    seen: list[tuple[int, int]] = []  # (rows, scroll range) as each answer is shown

    def shown(_read: object) -> None:  # runs after the window's own slot, before any repaint
        seen.append((demo_window.model.rowCount(), bar.maximum()))

    demo_window.reader.ready.connect(shown)
    qtbot.mouseClick(demo_window.filter_bar.buttons[Show.WONT_LOG], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: demo_window._pending_query is None and not demo_window.reader.busy)
    qtbot.wait(50)
    rows, scroll = seen[-1]
    assert 0 < rows < 300
    assert scroll == bar.maximum()  # the range was already the new rows' when they were shown
