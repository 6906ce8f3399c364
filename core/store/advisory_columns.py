"""Rules section 7's advisories as cached columns: ``bulk`` and ``needs_action``.

Both are generated columns of ``messages`` (computed by SQLite from the stored headers and
verdict, so every writer keeps them in step), each with a small partial index for the
filters. The SQL mirrors ``core.rules.advisories`` word for word: its constants build it here,
and ``tests/rules/test_advisories.py`` holds the two equal on many header values.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from core.rules.actions import NEEDS_ACTION_REASONS
from core.rules.advisories import BULK_PRECEDENCE, BULK_SENDER_PREFIXES, QUIETED, WHITESPACE


def _quoted(words: Iterable[object]) -> str:
    return ", ".join(f"'{w}'" for w in sorted(str(x) for x in words))


_WS: Final = " || ".join(f"char({ord(c)})" for c in WHITESPACE)


def _folded(column: str) -> str:
    return f"lower(trim(coalesce({column}, ''), {_WS}))"


def _sender() -> str:
    starts = " OR ".join(
        f"substr(lower(from_email), 1, {len(p)}) = '{p}'" for p in BULK_SENDER_PREFIXES
    )
    return f"(instr(from_email, '@') > 0 AND ({starts}))"


BULK_SQL: Final = (
    f"coalesce({_folded('list_id')} != '' OR {_folded('list_unsubscribe')} != ''"
    f" OR {_folded('precedence')} IN ({_quoted(BULK_PRECEDENCE)})"
    f" OR {_folded('auto_submitted')} NOT IN ('', 'no') OR {_sender()}, 0)"
)
NEEDS_ACTION_SQL: Final = (
    f"coalesce(logged = 0 AND (reason IN ({_quoted(NEEDS_ACTION_REASONS - QUIETED)})"
    f" OR (reason IN ({_quoted(QUIETED)}) AND bulk = 0)), 0)"
)

MIGRATION: Final = f"""
ALTER TABLE messages ADD COLUMN bulk INTEGER GENERATED ALWAYS AS ({BULK_SQL}) VIRTUAL;
ALTER TABLE messages ADD COLUMN needs_action INTEGER
    GENERATED ALWAYS AS ({NEEDS_ACTION_SQL}) VIRTUAL;
CREATE INDEX messages_needing_action ON messages (folder_id, sort_date) WHERE needs_action = 1;
CREATE INDEX messages_bulk ON messages (folder_id, sort_date) WHERE bulk = 1
"""
