"""Rules section 7's advisories in the cache: the ``bulk`` column and "needs action".

``bulk`` is stored with each row (``core.store.cache.row`` computes it with
``core.rules.advisories.is_bulk``); "needs action" is an expression of the verdict columns and
``bulk``. Each has a small partial index for the filters. ``BULK_SQL`` (the migration's fill of
the rows already cached) mirrors ``core.rules.advisories`` word for word, built from its
constants; ``tests/store/test_advisory_columns.py`` holds the two equal on many values.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from core.rules.actions import NEEDS_ACTION_REASONS
from core.rules.advisories import (
    BULK_PRECEDENCE,
    BULK_SENDER_PREFIXES,
    FIRST_BULK_SENDER_PREFIXES,
    QUIETED,
    WHITESPACE,
)


def _quoted(words: Iterable[object]) -> str:
    return ", ".join(f"'{w}'" for w in sorted(str(x) for x in words))


_WS: Final = " || ".join(f"char({ord(c)})" for c in WHITESPACE)


def _folded(column: str) -> str:
    return f"lower(trim(coalesce({column}, ''), {_WS}))"


def _sender(prefixes: tuple[str, ...] = BULK_SENDER_PREFIXES) -> str:
    starts = " OR ".join(f"substr(lower(from_email), 1, {len(p)}) = '{p}'" for p in prefixes)
    return f"(instr(from_email, '@') > 0 AND ({starts}))"


def _bulk_sql(prefixes: tuple[str, ...]) -> str:
    return (
        f"coalesce({_folded('list_id')} != '' OR {_folded('list_unsubscribe')} != ''"
        f" OR {_folded('precedence')} IN ({_quoted(BULK_PRECEDENCE)})"
        f" OR {_folded('auto_submitted')} NOT IN ('', 'no') OR {_sender(prefixes)}, 0)"
    )


BULK_SQL: Final = _bulk_sql(BULK_SENDER_PREFIXES)


def needs_action_sql(alias: str = "") -> str:
    """Rules section 7's "needs action" over the verdict columns and ``bulk`` (the filter,
    the counts, the table's rows and ``messages --json`` share it)."""
    p = f"{alias}." if alias else ""
    return (
        f"{p}logged = 0 AND {p}reason IN ({_quoted(NEEDS_ACTION_REASONS)})"
        f" AND ({p}bulk = 0 OR {p}reason IN ({_quoted(NEEDS_ACTION_REASONS - QUIETED)}))"
    )


# ``bulk`` is written with the row (``core.store.cache.row``, from ``core.rules.advisories``),
# filled here for the rows already cached, and never changes: its partial index costs the
# verdict updates nothing. Measured and left out (issue 15): generated columns for ``bulk``
# and "needs action" made every verdict update 2-3 times slower, and a partial index on
# "needs action" about 1.8 times (SQLite 3.40 rewrites it whenever reason or logged change),
# for no gain on the filter, which reads messages_by_reason.
MIGRATION: Final = f"""
ALTER TABLE messages ADD COLUMN bulk INTEGER NOT NULL DEFAULT 0;
UPDATE messages SET bulk = 1 WHERE {_bulk_sql(FIRST_BULK_SENDER_PREFIXES)};
CREATE INDEX messages_bulk ON messages (folder_id, sort_date) WHERE bulk = 1
"""
# Migration 0530: the automatic senders' names added since (a list that only grows).
MORE_SENDERS: Final = f"UPDATE messages SET bulk = 1 WHERE bulk = 0 AND {_sender()}"
