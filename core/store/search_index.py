"""The search's trigram index (issue 15): which messages may hold a text, without reading them.

``search_text`` (FTS5, trigram tokenizer, case-folded; no copy of the text and no positions:
~15 MB for 100,000 messages) holds for each message the text the search matches
(``TEXT``): subject, sender's name and email, and the packed To, Cc and Bcc. It is a
pre-filter only: ``core.store.queries.where`` still tests every candidate with the search's
own predicate, so the rows and their order are exactly a search's without it. A candidate it
has too many (a row since deleted, an old text of a re-used id) costs a test, never a wrong
row; a row it lacks would be lost, so:

- rows are indexed afterwards, in short chunks (:func:`catch_up`, run by the desktop off the
  GUI thread; the first sync and the CLI never pay for it), up to a watermark
  (``search_state.indexed``): every row up to it is in the index, every row above it is
  tested by the predicate alone (``CANDIDATES``);
- ``messages.id`` is an INTEGER PRIMARY KEY without AUTOINCREMENT: a new row's id is the
  largest id + 1, so once the top rows are deleted their ids come back. The trigger
  ``search_gone`` keeps the watermark at most the largest id left (new rows land above it),
  a folder's or an account's cascade included (foreign-key actions fire triggers);
- the searched columns never change once written; ``search_changed`` empties the index if
  they ever do (it is built again from the start).

The index never forgets a row itself (deleting from a contentless FTS5 table needs the text
back): ``stale`` counts the rows deleted under the watermark and :func:`catch_up` starts over
when they are half the index. A text under three characters has no trigram: its search scans
(``match`` says None), as does one whose candidates are too many to beat the scan of the
``messages_search`` index in date order (``narrowing``).
"""

from __future__ import annotations

import sqlite3
from typing import Final

from core.store.packed import email_text
from core.store.transaction import write

# What is indexed of a message: every column the search reads, one line each (a trigram
# across two lines only adds a candidate).
TEXT: Final = " || char(10) || ".join(
    f"coalesce({column}, '')"
    for column in ("subject", "from_name", "from_email", "to_list", "cc_list", "bcc_list")
)

# Migration 0540, statement by statement (a trigger's body holds semicolons).
MIGRATION: Final = (
    "CREATE VIRTUAL TABLE search_text USING fts5"
    " (text, content = '', detail = 'none', tokenize = 'trigram case_sensitive 0')",
    "CREATE TABLE search_state (one INTEGER PRIMARY KEY CHECK (one = 1),"
    " indexed INTEGER NOT NULL, entries INTEGER NOT NULL, stale INTEGER NOT NULL)",
    "INSERT INTO search_state VALUES (1, 0, 0, 0)",
    """CREATE TRIGGER search_gone AFTER DELETE ON messages BEGIN
    UPDATE search_state SET stale = stale + 1 WHERE old.id <= indexed;
    UPDATE search_state SET indexed = (SELECT coalesce(max(id), 0) FROM messages)
        WHERE indexed > (SELECT coalesce(max(id), 0) FROM messages);
END""",
    """CREATE TRIGGER search_changed
AFTER UPDATE OF id, subject, from_name, from_email, to_list, cc_list, bcc_list ON messages
WHEN min(old.id, new.id) <= (SELECT indexed FROM search_state) BEGIN
    INSERT INTO search_text (search_text) VALUES ('delete-all');
    UPDATE search_state SET indexed = 0, entries = 0, stale = 0;
END""",
)


def migrate(conn: sqlite3.Connection) -> None:
    """Migration 0540, empty: the desktop fills it later (:func:`catch_up`)."""
    for statement in MIGRATION:
        conn.execute(statement)


CHUNK: Final = 2000  # rows a catch-up step indexes in one write (~40 ms on this machine)
MOST: Final = 5000  # rows to test above which the date-ordered scan is quicker (measured)
TRIGRAMS: Final = 24  # at most this many trigrams of a text are looked up (any subset finds)
STALE_SLACK: Final = 1000  # deleted rows the index may hold before half of it counts

# The rows a narrowed search tests: the index's candidates and the rows not indexed yet (the
# watermark is read by the statement itself: in its own snapshot).
CANDIDATES: Final = (
    "(m.id IN (SELECT rowid FROM search_text WHERE search_text MATCH ?)"
    " OR m.id > (SELECT indexed FROM search_state))"
)


def catch_up(conn: sqlite3.Connection, chunk: int = CHUNK) -> int:
    """Index the next ``chunk`` rows above the watermark in one short write transaction;
    returns how many ids are left above it (0: every row is indexed). An index up to date
    costs one read, no write."""
    if not lag(conn) and not _mostly_stale(conn):
        return 0
    with write(conn):
        indexed = _start_over(conn) if _mostly_stale(conn) else _watermark(conn)
        (top,) = conn.execute(
            "SELECT max(id) FROM (SELECT id FROM messages WHERE id > ? ORDER BY id LIMIT ?)",
            (indexed, chunk),
        ).fetchone()
        if top is None:
            return 0
        added = conn.execute(
            f"INSERT INTO search_text (rowid, text) SELECT id, {TEXT} FROM messages"
            " WHERE id > ? AND id <= ?",
            (indexed, top),
        ).rowcount
        conn.execute("UPDATE search_state SET indexed = ?, entries = entries + ?", (top, added))
        (last,) = conn.execute("SELECT coalesce(max(id), 0) FROM messages").fetchone()
    return int(last) - int(top)


def _watermark(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT indexed FROM search_state").fetchone()[0])


def _mostly_stale(conn: sqlite3.Connection) -> bool:
    """Whether rows deleted since make half the index (and more than ``STALE_SLACK``)."""
    entries, stale = conn.execute("SELECT entries, stale FROM search_state").fetchone()
    return bool(stale > max(entries // 2, STALE_SLACK))


def _start_over(conn: sqlite3.Connection) -> int:
    """Empty the index (inside the caller's transaction); the new watermark, 0."""
    conn.execute("INSERT INTO search_text (search_text) VALUES ('delete-all')")
    conn.execute("UPDATE search_state SET indexed = 0, entries = 0, stale = 0")
    return 0


def lag(conn: sqlite3.Connection) -> int:
    """How many ids are above the watermark (rows the index does not hold yet, at most)."""
    row = conn.execute(
        "SELECT (SELECT coalesce(max(id), 0) FROM messages) - indexed FROM search_state"
    ).fetchone()
    return int(row[0])


def _trigrams(text: str) -> list[str]:
    """Distinct trigrams of ``text``, at most ``TRIGRAMS`` of them spread over it."""
    found = list(dict.fromkeys(text[i : i + 3] for i in range(len(text) - 2)))
    if len(found) > TRIGRAMS:
        step = len(found) / TRIGRAMS
        found = [found[int(k * step)] for k in range(TRIGRAMS)]
    return found


def _all_of(text: str) -> str:
    return " AND ".join('"' + t.replace('"', '""') + '"' for t in _trigrams(text))


def match(text: str) -> str | None:
    """The FTS5 query whose rows include every message the search ``text`` finds (None when
    the index cannot narrow it: a needle under three characters, or a NUL in it).

    The search (``core.store.queries.where``) matches the text in the subject, the sender's
    name and email (SQLite's LIKE: ASCII case folded), and recipients' emails by prefix
    (``email_text`` of the lowered text, as stored). Every trigram of a matched text is in
    the row's ``TEXT``; the tokenizer folds case (Unicode's, a superset of ASCII's) on both
    sides, so a row LIKE finds holds them all.
    """
    text = text.strip()
    email = email_text(text.lower())
    if min(len(text), len(email)) < 3 or "\0" in text:
        return None
    found = _all_of(text)
    if not (text.isascii() and email == text.lower()):  # else the same trigrams, folded
        found = f"({found}) OR ({_all_of(email)})"
    return found


def narrowing(conn: sqlite3.Connection, text: str) -> str | None:
    """``match(text)`` when the index leaves at most ``MOST`` rows to test (its candidates
    and the rows not indexed yet), else None: the scan in date order is quicker (a common
    text fills a page from its first rows) or the index cannot narrow the text."""
    query = match(text)
    if query is None:
        return None
    budget = MOST - lag(conn)
    if budget < 0:
        return None
    (found,) = conn.execute(
        "SELECT count(*) FROM (SELECT rowid FROM search_text WHERE search_text MATCH ? LIMIT ?)",
        (query, budget + 1),
    ).fetchone()
    return query if found <= budget else None
