"""Verdicts in the cache equal the engine's on the same mailbox, whole or incremental."""

from __future__ import annotations

import json
import random
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from core.mail.headers import prepare
from core.mailbox import FetchedMessage
from core.rules.model import Folder, Message
from core.store import cache, verdicts
from core.store.accounts import Account
from core.store.directory import import_directory, parse_directory
from tests.helpers.statements import recorded
from tests.store.builders import folder_info, scenario_header

SCENARIOS = Path(__file__).parents[1] / "data" / "scenarios"
NAMES = ["log_all_basics", "replies_only_basics"]


def _load(name: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    doc = json.loads((SCENARIOS / f"{name}.json").read_text())
    expected = json.loads((SCENARIOS / f"{name}.expected.json").read_text())
    return doc, expected


def _insert(
    conn: sqlite3.Connection,
    account: Account,
    messages: list[dict[str, Any]],
    first_uid: int,
    known: dict[int, Message] | None = None,
) -> dict[int, str]:
    """Insert scenario messages in input order (one row each); returns uid -> scenario id."""
    names: dict[int, str] = {}
    for n, m in enumerate(messages):
        role = Folder(m.get("folder", "inbox"))
        f = cache.ensure_folder(conn, account.id, folder_info(role.value, role))
        uid = first_uid + n
        fetched = FetchedMessage(uid, (), None, 10, scenario_header(m))
        added = cache.insert_messages(conn, f.id, 1, [prepare(fetched, role)])
        if known is not None:
            known.update(added)
        names[uid] = m["id"]
    return names


def _stored(conn: sqlite3.Connection, names: dict[int, str]) -> dict[str, dict[str, object]]:
    out: dict[str, dict[str, object]] = {}
    for uid, logged, reason, contacts, who, why in conn.execute(
        "SELECT uid, logged, reason, contacts, attributed_to, attribution FROM messages"
    ):
        out[names[uid]] = {
            "id": names[uid],
            "logged": bool(logged),
            "reason": reason,
            "contacts": json.loads(contacts),
            "attributed_to": who,
            "attribution": why,
        }
    return out


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("in_memory", [False, True])
def test_whole_account_matches_expected(
    name: str, in_memory: bool, fresh_db: sqlite3.Connection, account: Account
) -> None:
    """Rebuilt from the cache or handed over as parsed, the messages get the same verdicts."""
    doc, expected = _load(name)
    import_directory(fresh_db, account.id, parse_directory({**doc, "messages": []}))
    known: dict[int, Message] | None = {} if in_memory else None
    names = _insert(fresh_db, account, doc["messages"], 1, known)
    settled = verdicts.settle(fresh_db, account, known=known)
    assert settled.decided == len(doc["messages"])
    got = _stored(fresh_db, names)
    assert [got[e["id"]] for e in expected] == expected


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("seed", range(4))
def test_incremental_settling_equals_whole(
    name: str,
    seed: int,
    fresh_db: sqlite3.Connection,
    account: Account,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Messages arrive in random chunks; each chunk settles only what it affects."""
    doc, expected = _load(name)
    import_directory(fresh_db, account.id, parse_directory({**doc, "messages": []}))
    messages = list(doc["messages"])
    order = list(range(len(messages)))
    random.Random(seed).shuffle(order)
    names: dict[int, str] = {}
    monkeypatch.setattr(verdicts, "WHOLE_ACCOUNT_SHARE", 1.0)  # always the closure path
    chunks = [order[i : i + 3] for i in range(0, len(order), 3)]
    for chunk in chunks:
        for i in sorted(chunk):
            names.update(_insert(fresh_db, account, [messages[i]], 1 + i))
        verdicts.settle(fresh_db, account)
    assert fresh_db.execute(
        "SELECT count(*) FROM messages WHERE decided_at IS NULL"
    ).fetchone() == (0,)
    got = _stored(fresh_db, names)
    by_id = {e["id"]: e for e in expected}
    for uid, sid in names.items():
        assert got[sid] == by_id[sid], (uid, sid)


def test_settle_twice_writes_nothing(fresh_db: sqlite3.Connection, account: Account) -> None:
    doc, _ = _load("log_all_basics")
    import_directory(fresh_db, account.id, parse_directory({**doc, "messages": []}))
    _insert(fresh_db, account, doc["messages"], 1)
    verdicts.settle(fresh_db, account)
    before = fresh_db.total_changes
    with recorded(fresh_db) as seen:
        assert verdicts.settle(fresh_db, account) == verdicts.Settled(0, 0)
    assert fresh_db.total_changes == before
    assert not [s for s in seen if "count(*)" in s]  # nothing undecided: the account not counted


def test_a_first_fill_handed_over_whole_is_settled_without_a_scan_for_undecided_rows(
    fresh_db: sqlite3.Connection, account: Account
) -> None:
    """The sync added every row of the account and hands them over: those are the undecided
    rows, none with a stored verdict, so the table is not read to find them (a bulk load has
    dropped the index that would answer)."""
    doc, expected = _load("log_all_basics")
    import_directory(fresh_db, account.id, parse_directory({**doc, "messages": []}))
    known: dict[int, Message] = {}
    names = _insert(fresh_db, account, doc["messages"], 1, known)
    with recorded(fresh_db) as seen:
        assert verdicts.settle(fresh_db, account, known=known).decided == len(doc["messages"])
    assert not [s for s in seen if "decided_at IS NULL" in s or "reason IS NOT NULL" in s]
    got = _stored(fresh_db, names)
    assert [got[e["id"]] for e in expected] == expected


def test_rows_an_earlier_run_left_undecided_are_found_beside_those_handed_over(
    fresh_db: sqlite3.Connection, account: Account
) -> None:
    """A sync killed after caching some rows: the next one hands over only its own rows, and
    the settle still finds and decides the others (the table is read for them)."""
    doc, expected = _load("log_all_basics")
    import_directory(fresh_db, account.id, parse_directory({**doc, "messages": []}))
    half = len(doc["messages"]) // 2
    names = _insert(fresh_db, account, doc["messages"][:half], 1)  # never decided
    known: dict[int, Message] = {}
    names.update(_insert(fresh_db, account, doc["messages"][half:], 1 + half, known))
    with recorded(fresh_db) as seen:
        assert verdicts.settle(fresh_db, account, known=known).decided == len(doc["messages"])
    assert [s for s in seen if "decided_at IS NULL" in s]
    got = _stored(fresh_db, names)
    assert [got[e["id"]] for e in expected] == expected


def test_rows_that_share_a_verdict_are_written_by_their_ids_and_the_rest_with_theirs(
    fresh_db: sqlite3.Connection, account: Account, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``_store`` writes each row's columns whichever way it takes it: a verdict shared by
    ``SHARED`` rows or more by one statement binding their ids (cut at ``SHARED_IDS``), the
    others by the statement that binds each row's columns."""
    monkeypatch.setattr(verdicts, "SHARED_IDS", 5)
    f = cache.ensure_folder(fresh_db, account.id, folder_info("inbox", Folder.INBOX))
    header = b"From: a@x.example\r\nMessage-ID: <%d@x.example>\r\n\r\n"
    fetched = [FetchedMessage(uid, (), None, 10, header % uid) for uid in range(1, 61)]
    rowids = sorted(
        cache.insert_messages(fresh_db, f.id, 1, [prepare(m, Folder.INBOX) for m in fetched])
    )
    common = (0, "not_a_contact", "R9", "[]", None, None)
    shared = (1, "log_all_contact", "R8", '["c1"]', "u1", "single_recipient")
    rng = random.Random(7)
    wanted: dict[int, tuple[object, ...]] = {}
    for n, rowid in enumerate(rng.sample(rowids, len(rowids))):
        if n < 30:
            wanted[rowid] = common
        elif n < 30 + verdicts.SHARED:
            wanted[rowid] = shared
        elif n < 50:  # one fewer than SHARED each: written with their columns
            wanted[rowid] = (1, "thread_reply", "R4", f'["c{n % 2}"]', None, "mailbox_owner")
        else:
            wanted[rowid] = (0, "never_log", "R2", f'["c{n}"]', None, None)
    rows = [(rowid, *columns) for rowid, columns in wanted.items()]
    with recorded(fresh_db) as seen, fresh_db:
        verdicts._store(fresh_db, rows, 1234.5)
    by_ids = {s for s in seen if "WHERE id IN" in s}  # a trigger's run repeats its statement
    assert len(by_ids) == 6 + 2  # 30 rows in chunks of 5, then the 8 of `shared` in two
    got = {
        rowid: tuple(columns)
        for rowid, *columns in fresh_db.execute(
            "SELECT id, logged, reason, rule, contacts, attributed_to, attribution FROM messages"
        )
    }
    assert got == wanted
    assert {t for (t,) in fresh_db.execute("SELECT decided_at FROM messages")} == {1234.5}
