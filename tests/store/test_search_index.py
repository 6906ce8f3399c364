"""Issue 15: the search's trigram index narrows a search to candidates and never changes what
it finds. Whatever the index holds (nothing yet, part of the rows, texts of rows since deleted,
an old text under a re-used id), a search through it gives exactly the rows and the order of
the search's predicate alone (``queries.where`` without ``narrowed``)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field, replace
from itertools import chain
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.rules.model import Folder
from core.store import accounts, cache, db, queries, schema, search_index, views
from core.store.accounts import AccountKind, insert_account
from core.store.queries import PageQuery, Show
from core.store.views import TableQuery
from tests.store.builders import folder_info, new

FOLDERS = (("INBOX", Folder.INBOX), ("Sent", Folder.SENT))
# Letters with Unicode case pairs LIKE does not fold (É/é, İ/i, ß/SS, Σ/σ/ς), LIKE's own
# wildcards and escape, a quote (the FTS5 query's), and plain ASCII of both cases.
LETTERS = 'aAbBqQéÉßSsİiIıΣσς%_\\" @.-'

words = st.text(st.sampled_from(LETTERS), min_size=0, max_size=7)
local = st.text(st.sampled_from("abqsiIİ%_.-éÉ"), min_size=1, max_size=5)
emails = st.builds(lambda a, b: f"{a}@{b}.example", local, local)
mails = st.tuples(
    st.integers(0, len(FOLDERS) - 1),
    words,  # subject
    st.tuples(words, emails),  # sender: name, email
    st.lists(st.tuples(words, emails), max_size=3),  # To
)
operations = st.one_of(
    st.tuples(st.just("insert"), st.lists(mails, min_size=1, max_size=4)),
    st.tuples(st.just("remove newest"), st.integers(0, 1), st.integers(1, 3)),
    st.tuples(st.just("remove oldest"), st.integers(0, 1), st.integers(1, 2)),
    st.tuples(st.just("reset"), st.integers(0, 1)),
    st.tuples(st.just("drop folder"), st.integers(0, 1)),
    st.tuples(st.just("catch up"), st.integers(1, 4)),
    st.tuples(st.just("catch up all"), st.just(0)),
)


def _address(name: str, email: str) -> str:
    quoted = name.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{quoted}" <{email}>' if name else email


@dataclass
class Mailbox:
    """A real in-memory cache driven by the sync's own writers, as the operations say."""

    conn: sqlite3.Connection = field(default_factory=lambda: db.connect(":memory:"))
    uids: dict[int, int] = field(default_factory=dict)  # folder index -> next UID
    validity: dict[int, int] = field(default_factory=dict)  # folder index -> UIDVALIDITY

    def __post_init__(self) -> None:
        self.account = insert_account(self.conn, "work", AccountKind.MAILDIR, path="/nowhere")

    def folder(self, n: int) -> int:
        name, role = FOLDERS[n]
        return cache.ensure_folder(self.conn, self.account.id, folder_info(name, role)).id

    def insert(self, batch: list[tuple[int, str, tuple[str, str], list[tuple[str, str]]]]) -> None:
        for where, subject, sender, to in batch:
            uid = self.uids[where] = self.uids.get(where, 0) + 1
            message = new(uid, FOLDERS[where][1], from_=_address(*sender), subject=subject,
                          to=", ".join(_address(*a) for a in to) or "x@y.example")  # fmt: skip
            cache.insert_messages(self.conn, self.folder(where), self.validity.get(where, 1),
                                  [message])  # fmt: skip

    def _uids(self, n: int) -> list[int]:
        rows = self.conn.execute(
            "SELECT uid FROM messages WHERE folder_id = ? ORDER BY id", (self.folder(n),)
        )
        return [int(uid) for (uid,) in rows]

    def run(self, op: tuple[Any, ...]) -> None:
        kind, *args = op
        if kind == "insert":
            self.insert(args[0])
        elif kind in ("remove newest", "remove oldest"):
            n, count = int(args[0]), int(args[1])
            uids = self._uids(n)
            gone = uids[-count:] if kind == "remove newest" else uids[:count]
            cache.remove_uids(self.conn, self.folder(n), self.validity.get(n, 1), gone)
        elif kind == "reset":
            n = int(args[0])
            self.validity[n] = self.validity.get(n, 1) + 1
            cache.reset_folder(self.conn, self.folder(n), self.validity[n], 1)
        elif kind == "drop folder":  # the cascade from folders to messages
            keep = [name for k, (name, _) in enumerate(FOLDERS) if k != args[0]]
            cache.remove_folders_except(self.conn, self.account.id, keep)
        elif kind == "catch up":
            search_index.catch_up(self.conn, int(args[0]))
        else:
            while search_index.catch_up(self.conn, 3):
                pass


def _plain(conn: sqlite3.Connection, query: TableQuery, narrowed: str | None = None) -> list[int]:
    """The ids the search's predicate finds (through the index's candidates: ``narrowed``)."""
    clause, params = queries.where(query, narrowed)
    sql = f"SELECT m.id FROM messages m{clause} ORDER BY m.sort_date DESC, m.id DESC"
    return [int(i) for (i,) in conn.execute(sql, params)]


def _same_rows(box: Mailbox, text: str) -> None:
    """Every way the app searches ``text`` finds the predicate's rows, in its order."""
    conn = box.conn
    folders = [int(f) for (f,) in conn.execute("SELECT id FROM folders")]
    scopes = [TableQuery(), TableQuery(box.account.id), *(TableQuery(folder_id=f) for f in folders)]
    narrowed = search_index.match(text)
    for scope in (TableQuery(box.account.id, show=Show.WONT_LOG), *scopes):
        query = TableQuery(scope.account_id, scope.folder_id, scope.show, search=text)
        expected = _plain(conn, query)
        if narrowed is not None:
            assert _plain(conn, query, narrowed) == expected, (text, query)
        assert list(views.ids(conn, query)) == expected, (text, query)
        parts = [part for part, _more in views.ids_in_parts(conn, query, 2)]
        assert list(chain.from_iterable(parts)) == expected, (text, query)
        page = PageQuery(query.folder_id, query.account_id, query.show, search=text, limit=500)
        assert [row.id for row in queries.page(conn, page)] == expected, (text, query)


def _texts_of_rows(conn: sqlite3.Connection) -> set[str]:
    """A search for each row's subject, sender's name and email, and first recipient."""
    found: set[str] = set()
    for subject, name, email, to in conn.execute(
        "SELECT subject, from_name, from_email, to_list FROM messages"
    ):
        first = (to or "").split("\x1e")[0].partition("\x1f")[2]
        found.update(str(t) for t in (subject, name, email, first[:4]) if t)
    return found


def _typed(ops: list[tuple[Any, ...]]) -> list[str]:
    """What a user may type to find the mail the operations inserted: each subject, name and
    email (the recipients' too), whole or their first four characters, as written or in
    capitals."""
    found: set[str] = set()
    for op in ops:
        for _where, subject, sender, to in op[1] if op[0] == "insert" else ():
            for text in (subject, *sender, *chain.from_iterable(to)):
                found.update((text, text[:4], text.upper(), text.upper()[:4]))
    return sorted(found)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(operations, max_size=12), st.lists(words, max_size=3), st.data())
def test_a_search_through_the_index_finds_the_rows_of_the_predicate(
    ops: list[tuple[Any, ...]], searched: list[str], data: st.DataObject
) -> None:
    box = Mailbox()
    for op in ops:
        box.run(op)
    typed = _typed(ops)
    if typed:
        searched += data.draw(st.lists(st.sampled_from(typed), max_size=12, unique=True))
    for text in sorted(_texts_of_rows(box.conn) | set(searched) | {"", "ab", "qqq"}):
        _same_rows(box, text)
    box.conn.close()


def _indexed(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT indexed FROM search_state").fetchone()[0])


def test_catch_up_goes_in_chunks_and_says_what_is_left() -> None:
    box = Mailbox()
    box.insert([(0, f"Quote {n}", ("Lea", "lea@x.example"), []) for n in range(5)])
    assert search_index.lag(box.conn) == 5
    assert [search_index.catch_up(box.conn, 2) for _ in range(4)] == [3, 1, 0, 0]
    assert _indexed(box.conn) == 5 and search_index.lag(box.conn) == 0
    assert not box.conn.in_transaction


def test_a_reused_id_is_searched_though_the_index_holds_its_old_text() -> None:
    """The newest rows deleted, their ids come back (no AUTOINCREMENT): the watermark went
    down with them, so the new rows are tested by the predicate until indexed."""
    box = Mailbox()
    box.insert([(0, "Quote one", ("Lea", "lea@x.example"), []),
                (0, "Quote two", ("Lea", "lea@x.example"), [])])  # fmt: skip
    search_index.catch_up(box.conn)
    (second,) = box.conn.execute("SELECT max(id) FROM messages").fetchone()
    cache.remove_uids(box.conn, box.folder(0), 1, [2])
    assert _indexed(box.conn) == second - 1
    box.insert([(0, "Invoice", ("Sam", "sam@y.example"), [])])
    assert box.conn.execute("SELECT max(id) FROM messages").fetchone()[0] == second  # re-used
    query = TableQuery(box.account.id, search="invoice")
    assert list(views.ids(box.conn, query)) == [second]
    assert list(views.ids(box.conn, TableQuery(search="quote two"))) == []
    search_index.catch_up(box.conn)
    assert list(views.ids(box.conn, query)) == [second]


def test_an_account_deleted_takes_the_watermark_down_with_its_rows() -> None:
    box = Mailbox()
    box.insert([(0, "Quote", ("Lea", "lea@x.example"), [])] * 3)
    search_index.catch_up(box.conn)
    assert accounts.delete_account(box.conn, "work")
    assert _indexed(box.conn) == 0
    assert box.conn.execute("SELECT stale FROM search_state").fetchone()[0] == 3


def test_a_changed_text_empties_the_index() -> None:
    """The searched columns never change once written; if they did, the index starts over."""
    box = Mailbox()
    box.insert([(0, "Quote", ("Lea", "lea@x.example"), [])] * 2)
    search_index.catch_up(box.conn)
    box.conn.execute("UPDATE messages SET subject = 'Invoice' WHERE uid = 1")
    assert _indexed(box.conn) == 0
    assert len(views.ids(box.conn, TableQuery(search="invoice"))) == 1
    box.conn.execute("UPDATE messages SET flags = '\\Seen'")  # other columns: nothing
    search_index.catch_up(box.conn)
    box.conn.execute("UPDATE messages SET flags = ''")
    assert _indexed(box.conn) == 2


def test_an_index_mostly_of_deleted_rows_starts_over(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search_index, "STALE_SLACK", 2)
    box = Mailbox()
    box.insert([(0, f"Quote {n}", ("Lea", "lea@x.example"), []) for n in range(8)])
    search_index.catch_up(box.conn)
    cache.remove_uids(box.conn, box.folder(0), 1, [1, 2, 3, 4, 5])
    assert box.conn.execute("SELECT entries, stale FROM search_state").fetchone() == (8, 5)
    search_index.catch_up(box.conn)
    assert box.conn.execute("SELECT entries, stale FROM search_state").fetchone() == (3, 0)
    assert len(views.ids(box.conn, TableQuery(search="quote"))) == 3


@pytest.mark.parametrize(
    ("text", "narrowed"),
    [("ab", False), ("  ab  ", False), ("abc", True), ("a\0bc", False), ("İs", False)],
)
def test_a_text_under_three_characters_is_scanned(text: str, narrowed: bool) -> None:
    """No trigram in it ("İs" too, though lowered it is three: i, a combining dot, s)."""
    assert (search_index.match(text) is not None) is narrowed


def test_a_common_text_or_a_lagging_index_is_scanned(monkeypatch: pytest.MonkeyPatch) -> None:
    box = Mailbox()
    box.insert([(0, "Quote", ("Lea", "lea@x.example"), [])] * 4)
    search_index.catch_up(box.conn)
    monkeypatch.setattr(search_index, "MOST", 4)
    assert search_index.narrowing(box.conn, "quote") is not None
    monkeypatch.setattr(search_index, "MOST", 3)  # four candidates: the scan is quicker
    assert search_index.narrowing(box.conn, "quote") is None
    assert search_index.narrowing(box.conn, "zzz") is not None
    box.insert([(0, "Other", ("Lea", "lea@x.example"), [])] * 4)  # four rows not indexed
    assert search_index.narrowing(box.conn, "zzz") is None


def _steps(conn: sqlite3.Connection, query: TableQuery) -> list[str]:
    clause, params = queries.where(query, search_index.narrowing(conn, query.search))
    sql = f"SELECT m.id FROM messages m{clause} ORDER BY m.sort_date DESC, m.id DESC"
    return [str(r[3]) for r in conn.execute("EXPLAIN QUERY PLAN " + sql, params)]


def _old_cache(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cache of before migration 0540, with mail in two folders."""
    with monkeypatch.context() as patch:
        patch.setattr(schema, "MIGRATIONS", [m for m in schema.MIGRATIONS if m[0] < "0540"])
        conn = db.connect(path)
    account = insert_account(conn, "work", AccountKind.MAILDIR, path="/nowhere")
    for n, (name, role) in enumerate(FOLDERS):
        f = cache.ensure_folder(conn, account.id, folder_info(name, role))
        cache.insert_messages(conn, f.id, 1, [
            new(uid, role, from_="Lea <lea@initech.example>", to="mia@globex.example",
                subject=f"Quote {n} {uid}" if uid % 2 else "Hello")
            for uid in range(1, 21)
        ])  # fmt: skip
    conn.close()


def test_the_migration_on_an_existing_cache_then_the_catch_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "cache.sqlite"
    _old_cache(path, monkeypatch)
    monkeypatch.setattr(search_index, "MOST", 30)  # 40 rows not indexed: more than that
    conn = db.connect(path)
    assert "0540_search_text" in schema.applied(conn)
    assert (_indexed(conn), search_index.lag(conn)) == (0, 40)
    account = accounts.get_account(conn, "work")
    assert account is not None
    scopes = [TableQuery(account.id, search="quote"), TableQuery(folder_id=1, search="quote")]
    before = [list(views.ids(conn, q)) for q in scopes]
    assert [len(ids) for ids in before] == [20, 10]
    assert not any("search_text" in step for q in scopes for step in _steps(conn, q))
    while search_index.catch_up(conn, 15):
        pass
    assert [list(views.ids(conn, q)) for q in scopes] == before
    filtered = [replace(q, show=show) for q in scopes for show in Show if show is not Show.REASON]
    for query in filtered:  # the index's candidates, found by id, whatever the scope and filter
        steps = _steps(conn, query)
        assert "SCAN search_text VIRTUAL TABLE INDEX 0:M1" in steps, steps
        assert "SEARCH m USING INTEGER PRIMARY KEY (rowid=?)" in steps, steps
        assert not any(s.startswith("SCAN m") or "messages_search" in s for s in steps), steps
    short = TableQuery(folder_id=1, search="qu")  # no trigram: the folder's index, in order
    assert _steps(conn, short) == ["SEARCH m USING COVERING INDEX messages_search (folder_id=?)"]
    conn.close()
