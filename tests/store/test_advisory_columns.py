"""Rules section 7 in the cache: the ``bulk`` column (written with the row, filled by the
migration's SQL) and the "needs action" expression compute what ``core.rules.advisories`` and
``core.rules.actions`` compute, the filters read them through their partial indexes (EXPLAIN
QUERY PLAN: no scan, no sort), and the folder counts use them."""

from __future__ import annotations

import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.rules.actions import NEEDS_ACTION_REASONS
from core.rules.advisories import BulkSignals, is_bulk, quieted
from core.rules.model import Folder, Reason
from core.store import cache, queries, verdicts, views
from core.store.accounts import Account
from core.store.advisory_columns import BULK_SQL, needs_action_sql
from core.store.directory import import_directory, parse_directory
from core.store.queries import Show
from tests.store.builders import folder_info, new
from tests.store.test_queries import DIRECTORY

_WORDS = ["", " ", "no", "No", " no\t", "bulk", "BULK ", "list", "junk", "auto-generated",
          "first-class", "\u212aunk", "nö", "x"]  # fmt: skip
_SENDERS = ["noreply@x.example", "NoReply@x.example", "no-reply-1@x", "notifications@li.example",
            "notification@x", "mailer-daemon@x", "MAILER-DAEMON@x", "ann@x.example",
            "ann.noreply@x", "noreply", "donotreply@x", "do-not-reply@x", "no_reply@x",
            "scanner@globex.example", "Scanner3F@x", "postmaster@x", "bounces+1@x", "alerts@x",
            "notify@x", "printer@x", "calendar-notification@x", "info@x", "support@x",
            "sales@x", ""]  # fmt: skip
_text = st.one_of(st.none(), st.sampled_from(_WORDS), st.text(max_size=12))


@settings(max_examples=400, deadline=None)
@given(
    list_id=_text,
    unsubscribe=_text,
    precedence=_text,
    auto=_text,
    sender=st.one_of(st.none(), st.sampled_from(_SENDERS), st.emails()),
)
def test_the_bulk_column_is_the_rules_bulk(
    list_id: str | None,
    unsubscribe: str | None,
    precedence: str | None,
    auto: str | None,
    sender: str | None,
) -> None:
    conn = sqlite3.connect(":memory:")
    sql = (
        f"SELECT {BULK_SQL} FROM (SELECT ? AS list_id, ? AS list_unsubscribe, ? AS precedence,"
        " ? AS auto_submitted, ? AS from_email)"
    )
    values = (list_id, unsubscribe, precedence, auto, sender)
    (found,) = conn.execute(sql, values).fetchone()
    assert bool(found) is is_bulk(BulkSignals(*values)), values


@pytest.mark.parametrize("reason", [*Reason, None])
@pytest.mark.parametrize("logged", [True, False, None])
@pytest.mark.parametrize("bulk", [0, 1])
def test_the_needs_action_column_is_the_rules_needs_action(
    reason: Reason | None, logged: bool | None, bulk: int
) -> None:
    conn = sqlite3.connect(":memory:")
    values = "SELECT ? AS logged, ? AS reason, ? AS bulk"
    sql = f"SELECT coalesce({needs_action_sql()}, 0) FROM ({values})"
    row = (None if logged is None else int(logged), reason and reason.value, bulk)
    (found,) = conn.execute(sql, row).fetchone()
    expected = (
        logged is False and reason in NEEDS_ACTION_REASONS and not quieted(reason, bool(bulk))
    )
    assert found == int(expected)


@pytest.fixture
def inbox(fresh_db: sqlite3.Connection, account: Account) -> int:
    import_directory(fresh_db, account.id, parse_directory(DIRECTORY))
    folder = cache.ensure_folder(fresh_db, account.id, folder_info())
    day = "Mon, 7 Oct 2024 09:00:00 +0000"
    rows = [
        new(1, from_="Sam <sam@nowhere.example>", to="mia@globex.example", date=day),
        new(2, from_="Digest <digest@news.example>", to="mia@globex.example", date=day,
            list_unsubscribe="<mailto:u@news.example>"),
        new(3, from_="Lea <lea@initech.example>", to="mia@globex.example", date=day,
            precedence="bulk"),
        new(4, from_="noreply@tool.example", to="mia@globex.example", date=day),
    ]  # fmt: skip
    cache.insert_messages(fresh_db, folder.id, 1, rows)
    verdicts.settle(fresh_db, account)
    return folder.id


def _uids(conn: sqlite3.Connection, folder: int, show: Show) -> list[int]:
    rows = queries.page(conn, queries.PageQuery(folder_id=folder, show=show, descending=False))
    return [r.uid for r in rows]


def test_the_row_writer_and_the_migration_agree(fresh_db: sqlite3.Connection, inbox: int) -> None:
    """``core.store.cache.row`` writes ``bulk`` from the rules; the migration's SQL fills the
    rows of an older cache: the same values."""
    written = fresh_db.execute("SELECT id, bulk FROM messages ORDER BY id").fetchall()
    filled = fresh_db.execute(f"SELECT id, {BULK_SQL} FROM messages ORDER BY id").fetchall()
    assert written == filled and [b for _, b in written] == [0, 1, 1, 1]


def test_migration_0530_marks_the_automatic_senders_added_since(
    fresh_db: sqlite3.Connection, inbox: int
) -> None:
    """A cache filled by 0500's first list gets the senders added since, and nothing else."""
    from core.store.advisory_columns import MORE_SENDERS

    fresh_db.executemany(
        "UPDATE messages SET from_email = ?, bulk = ? WHERE uid = ? AND folder_id = ?",
        [("scanner@globex.example", 0, 1, inbox), ("printer@x.example", 0, 4, inbox)],
    )
    fresh_db.execute("UPDATE messages SET bulk = 0 WHERE uid = 2 AND folder_id = ?", (inbox,))
    fresh_db.execute(MORE_SENDERS)
    marked = fresh_db.execute(
        "SELECT uid, bulk FROM messages WHERE folder_id = ? ORDER BY uid", (inbox,)
    ).fetchall()
    assert marked == [(1, 1), (2, 0), (3, 1), (4, 1)]  # 2: a List-Id, 0500's (left as set)


def test_filters_and_counts_follow_section_7(fresh_db: sqlite3.Connection, inbox: int) -> None:
    assert _uids(fresh_db, inbox, Show.BULK) == [2, 3, 4]
    assert _uids(fresh_db, inbox, Show.NEEDS_ACTION) == [1]  # 2 and 4: bulk not_a_contact
    rows = {r.uid: r for r in queries.page(fresh_db, queries.PageQuery(folder_id=inbox))}
    assert (rows[3].logged, rows[3].bulk, rows[3].needs_action) == (True, True, False)
    assert (rows[1].bulk, rows[1].needs_action) == (False, True)
    counts = queries.folder_counts(fresh_db, 1)[inbox]
    assert counts.needs_action == 1 and counts.total == 4


@pytest.mark.parametrize("show", [Show.NEEDS_ACTION, Show.BULK, Show.WILL_LOG, Show.WONT_LOG])
def test_the_verdict_filters_read_an_index_in_order(
    fresh_db: sqlite3.Connection, inbox: int, show: Show
) -> None:
    clause, params = queries.where(views.TableQuery(folder_id=inbox, show=show))
    sql = f"SELECT m.id FROM messages m{clause} ORDER BY m.sort_date DESC, m.id DESC"
    steps = [str(r[3]) for r in fresh_db.execute("EXPLAIN QUERY PLAN " + sql, params)]
    plan = " / ".join(steps)
    assert not any(s.startswith("SCAN m") for s in steps) and "INDEX" in plan, plan
    if show is Show.BULK:
        assert "TEMP B-TREE" not in plan, plan  # the partial index gives the date order


def test_a_folder_role_of_drafts_is_quieted_too(
    fresh_db: sqlite3.Connection, account: Account
) -> None:
    import_directory(fresh_db, account.id, parse_directory(DIRECTORY))
    drafts = cache.ensure_folder(fresh_db, account.id, folder_info("Drafts", Folder.DRAFTS))
    cache.insert_messages(fresh_db, drafts.id, 1, [
        new(1, Folder.DRAFTS, from_="mia@globex.example", to="x@newco.example"),
        new(2, Folder.DRAFTS, from_="mia@globex.example", to="x@newco.example", precedence="list"),
    ])  # fmt: skip
    verdicts.settle(fresh_db, account)
    assert _uids(fresh_db, drafts.id, Show.NEEDS_ACTION) == [1]


@pytest.mark.parametrize("text", ["patel", "quote for", "mia@globex.example", "ab"])
def test_a_search_reads_the_search_index_in_order(
    fresh_db: sqlite3.Connection, inbox: int, text: str
) -> None:
    """Issue 15: the folder's search reads every column it matches from ``messages_search``
    in date order, never the rows and no sort."""
    clause, params = queries.where(views.TableQuery(folder_id=inbox, search=text))
    sql = f"SELECT m.id FROM messages m{clause} ORDER BY m.sort_date DESC, m.id DESC"
    steps = [str(r[3]) for r in fresh_db.execute("EXPLAIN QUERY PLAN " + sql, params)]
    assert steps == ["SEARCH m USING COVERING INDEX messages_search (folder_id=?)"], steps


def test_the_table_rows_and_the_detail_pane_carry_section_7(
    fresh_db: sqlite3.Connection, inbox: int
) -> None:
    from core.rules.actions import Action
    from core.rules.advisories import Advisory
    from core.store.explain import explain

    ids = {r.uid: r.id for r in queries.page(fresh_db, queries.PageQuery(folder_id=inbox))}
    shown = views.display_rows(fresh_db, list(ids.values()))
    assert [(shown[ids[u]].bulk, shown[ids[u]].needs_action) for u in (1, 2, 3)] == [
        (False, True), (True, False), (True, False)
    ]  # fmt: skip
    digest = explain(fresh_db, ids[2])  # bulk, not a contact: nothing to do
    assert digest is not None and digest.actions == () and not digest.needs_action
    assert digest.advisories == (Advisory.BULK,)
    lea = explain(fresh_db, ids[3])  # bulk from a contact, logged: the Never-log suggestion
    assert lea is not None and lea.actions == (Action.ADD_SENDER_TO_NEVER_LOG,)
    sam = explain(fresh_db, ids[1])
    assert sam is not None and sam.needs_action and Action.LOG_NOW in sam.actions


def test_next_that_needs_action_skips_bulk_mail(fresh_db: sqlite3.Connection, inbox: int) -> None:
    """The N key (issue 15: it jumped from newsletter to newsletter)."""
    rows = queries.page(fresh_db, queries.PageQuery(folder_id=inbox, descending=False))
    ids = [r.id for r in rows]  # uids 1..4: only 1 needs action
    assert views.next_needing_action(fresh_db, ids, 0) == 0  # wraps past 2, 3 and 4
    assert views.next_needing_action(fresh_db, ids[1:], 0) is None
