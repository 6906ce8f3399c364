"""What-if on the cache at the cost of what can change (issue 10: 4.7-5.9 s on 100k before).

``simulate`` is the entry point. The general simulation (``core.preview.whatif.compare``)
decides the whole mailbox twice. Here:

- *before* is the stored verdicts: when every row of the account is decided, they are what
  deciding the whole account under the current settings gives (``core.store.verdicts``);
- *after* is decided only where it can differ and be seen: in the threads (the components of
  the ``links`` graph, as the settle widens a decision) that hold both a message of the window
  and a message whose own decision could change: for a rule change, one that got past R0-R4
  (stored rule R5-R9b); for R9b's beta turned on or off, one that ended at R9 or R9b; for a
  Never-log change, one with a participant on an added or removed entry. Any other message
  of the window keeps its verdict: nothing it depends on changes. Components are
  independent, so deciding them alone, in engine order from the CRM ledger, gives the
  verdicts deciding everything gives;
- the counts are the stored ones over the window, corrected by the changes.

``tests/preview/test_whatif_fast.py`` checks it against the general simulation. It only reads
(no temp table): a simulation writes nothing.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from typing import Final

from core.preview.whatif import (
    DAY,
    Change,
    WhatIf,
    WhatIfError,
    WhatIfResult,
    changed_directory,
    compare,
    entry_key,
)
from core.rules.directory import Directory
from core.rules.engine import LoggedState, decide_all
from core.rules.model import Attribution, Message, Reason, Rule, Verdict
from core.store import redecide
from core.store.accounts import Account
from core.store.directory import load_directory
from core.store.engine_input import account_messages, input_order, order_key, read_messages
from core.store.packed import Reader
from core.store.redecide import verdict_columns

WHOLE: Final = 0.6  # from this share of the account, its whole closure is taken, not walked
_CHUNK: Final = 900  # ids per IN (...) list
_ACCOUNT: Final = "m.folder_id IN (SELECT id FROM folders WHERE account_id = ?)"
_WINDOW: Final = (  # in_window: drafts count as sent now; undated mail is in no period
    "(m.folder_id IN (SELECT id FROM folders WHERE account_id = ? AND role = 'drafts')"
    " OR m.date >= ?)"
)


def _window(account_id: int, since: float | None) -> tuple[str, tuple[object, ...]]:
    """The SQL condition of the window (``m`` the messages) and its parameters."""
    if since is None:
        return f"{_ACCOUNT}", (account_id,)
    return f"{_ACCOUNT} AND {_WINDOW}", (account_id, account_id, since)


# The settings a what-if may change that this module knows the effects of (checked by
# tests/preview/test_whatif_fast.py): a new one takes the general path until it is added.
HANDLED: Final = frozenset(("rule", "never_log_add", "never_log_remove", "days", "create_contacts"))


def handles(w: WhatIf) -> bool:
    """Whether ``w`` changes only settings whose effects :func:`simulate_stored` knows."""
    return all(
        name in HANDLED or getattr(w, name) == getattr(WhatIf(), name)
        for name in w.__dataclass_fields__
    )


def all_decided(conn: sqlite3.Connection, account_id: int) -> bool:
    """Whether every row of the account has a stored verdict (the partial index answers)."""
    row = conn.execute(
        f"SELECT 1 FROM messages m WHERE m.decided_at IS NULL AND {_ACCOUNT} LIMIT 1",
        (account_id,),
    ).fetchone()
    return row is None


def simulate(conn: sqlite3.Connection, account: Account, w: WhatIf, now: float) -> WhatIfResult:
    """Run a what-if on an account's cache; reads only (no write, not even a temp table)."""
    if w.days < 1:
        raise WhatIfError(f"--days must be at least 1, not {w.days}")
    directory, state = load_directory(conn, account)
    after = changed_directory(directory, w)
    since = now - w.days * DAY
    if handles(w) and all_decided(conn, account.id):
        return simulate_stored(conn, account, w, directory, after, state, since)
    messages = account_messages(conn, account.id)  # the general path
    return compare(messages, directory, after, state, since, w)


def simulate_stored(
    conn: sqlite3.Connection,
    account: Account,
    whatif: WhatIf,
    before: Directory,
    after: Directory,
    state: LoggedState,
    since: float | None,
) -> WhatIfResult:
    """The what-if result from the stored verdicts (call only when :func:`all_decided`)."""
    row = conn.execute(f"SELECT count(*) FROM messages m WHERE {_ACCOUNT}", (account.id,))
    total = int(row.fetchone()[0])
    where, params = _window(account.id, since)
    candidates = _candidates(conn, account.id, whatif, before, after, total)
    decide = _closure(conn, account.id, candidates, total)
    if isinstance(decide, _All):  # most threads may change: those of the window only
        window = _rows(conn, f"SELECT m.id FROM messages m WHERE {where}", params)
        decide = _closure(conn, account.id, window, total)
    if isinstance(decide, _All):  # one read, its lists shared, in the engine's order
        ordered, messages = _ids_in_order(conn, account.id), account_messages(conn, account.id)
    else:
        ordered = _in_order(conn, decide)
        messages = _load(conn, ordered)
    (considered,) = conn.execute(f"SELECT count(*) FROM messages m WHERE {where}", params)
    stored = _stored(conn, ordered, where, params)
    changes = _changes(ordered, messages, stored, after, state)
    return _result(conn, account, whatif, before, since, int(considered[0]), changes)


def _rows(conn: sqlite3.Connection, sql: str, params: Sequence[object]) -> set[int]:
    return {int(row[0]) for row in conn.execute(sql, params)}


def _ids_in_order(conn: sqlite3.Connection, account_id: int) -> list[int]:
    rows = conn.execute(
        "SELECT m.id FROM messages m JOIN folders f ON f.id = m.folder_id"
        f" WHERE f.account_id = ? ORDER BY {input_order()}",
        (account_id,),
    )
    return [int(row[0]) for row in rows]


def _in_order(conn: sqlite3.Connection, rowids: set[int]) -> list[int]:
    """``rowids`` in the engine's input order."""
    keys = []
    listed = list(rowids)
    for start in range(0, len(listed), _CHUNK):
        chunk = listed[start : start + _CHUNK]
        keys += [
            order_key(*row)
            for row in conn.execute(
                "SELECT f.role, f.name, m.uid, m.id FROM messages m JOIN folders f"
                f" ON f.id = m.folder_id WHERE m.id IN ({','.join('?' * len(chunk))})",
                chunk,
            )
        ]
    return [key[3] for key in sorted(keys)]


def _candidates(
    conn: sqlite3.Connection,
    account_id: int,
    w: WhatIf,
    before: Directory,
    after: Directory,
    total: int,
) -> set[int] | _All:
    """The rows whose own decision may change, the ledger being the same."""
    found: set[int] = set()
    rules: tuple[Rule, ...] = ()
    if w.rule is not None and w.rule is not before.account.logging_rule:
        rules += (Rule.R5, Rule.R6, Rule.R7, Rule.R8, Rule.R9, Rule.R9B)  # past R0-R4
    if after.account.create_contacts != before.account.create_contacts:
        rules += (Rule.R9, Rule.R9B)  # R9b's beta on or off: the rows that end at R9 or R9b
    if rules:
        listed = ",".join(f"'{r.value}'" for r in set(rules))
        rows = f"FROM messages m WHERE {_ACCOUNT} AND m.rule IN ({listed})"
        (count,) = conn.execute(f"SELECT count(*) {rows}", (account_id,)).fetchone()
        if count > WHOLE * total:
            return ALL  # most rows: no need to list them
        found |= _rows(conn, f"SELECT m.id {rows}", (account_id,))
    entries = {entry_key(e) for e in (*w.never_log_add, *w.never_log_remove)}
    entries = {e for e in entries if e}
    if entries and before.never_log.entries != after.never_log.entries:
        # A superset: every row whose sender or recipients' text holds an entry.
        text = " OR ".join(
            f"instr(lower(coalesce({column}, '')), ?)"
            for column in ("m.from_email", "m.to_list", "m.cc_list", "m.bcc_list")
        )
        for entry in entries:
            found |= _rows(
                conn, f"SELECT m.id FROM messages m WHERE {_ACCOUNT} AND ({text})",
                (account_id, *[entry] * 4),
            )  # fmt: skip
    return found


def _closure(
    conn: sqlite3.Connection, account_id: int, seeds: set[int] | _All, total: int
) -> set[int] | _All:
    """The rows sharing a link with ``seeds``, transitively (their threads' components)."""
    if isinstance(seeds, _All):
        return ALL
    found = redecide.linked(conn, account_id, seeds, most=int(WHOLE * total))
    return ALL if found is None else found


class _All:
    """Every row: the set the intersection of anything with which is that thing."""

    def __and__(self, other: set[int] | _All) -> set[int] | _All:
        return other

    __rand__ = __and__

    def __contains__(self, item: object) -> bool:
        return True


ALL: Final = _All()


def _changes(
    ordered: list[int],
    messages: list[Message],
    stored: dict[int, tuple[object, ...]],
    after: Directory,
    state: LoggedState,
) -> list[Change]:
    """The rows of ``stored`` (the window's) whose verdict under ``after`` differs."""
    verdicts = decide_all(messages, after, state.copy())
    changes = []
    lists: dict[str, tuple[str, ...]] = {}
    for rowid, message, verdict in zip(ordered, messages, verdicts, strict=True):
        old = stored.get(rowid)
        if old is None:
            continue  # outside the window
        if _compared(old) != _compared(verdict_columns(verdict)):
            changes.append(Change(message, _verdict(rowid, old, lists), verdict))
    return changes


def _compared(columns: tuple[object, ...]) -> tuple[object, ...]:
    """What ``compare`` compares of stored verdict columns: all but the rule."""
    return columns[:2] + columns[3:]


def _load(conn: sqlite3.Connection, ordered: list[int]) -> list[Message]:
    """The engine messages of ``ordered`` rows, in that order."""
    loaded: dict[int, Message] = {}
    reader = Reader()
    for start in range(0, len(ordered), _CHUNK):
        chunk = ordered[start : start + _CHUNK]
        where = f"m.id IN ({','.join('?' * len(chunk))})"
        loaded.update(read_messages(conn, where, chunk, reader))
    return [loaded[rowid] for rowid in ordered]


def _stored(
    conn: sqlite3.Connection, rowids: list[int], where: str, params: Sequence[object]
) -> dict[int, tuple[object, ...]]:
    """The stored verdict columns of those of ``rowids`` in the window (``where``)."""
    found: dict[int, tuple[object, ...]] = {}
    for start in range(0, len(rowids), _CHUNK):
        chunk = rowids[start : start + _CHUNK]
        for rowid, *columns in conn.execute(
            "SELECT m.id, m.logged, m.reason, m.rule, m.contacts, m.attributed_to, m.attribution"
            f" FROM messages m WHERE {where} AND m.id IN ({','.join('?' * len(chunk))})",
            [*params, *chunk],
        ):
            found[int(rowid)] = tuple(columns)
    return found


_REASONS: Final = {r.value: r for r in Reason}  # Reason(text) is an enum lookup: slower
_RULES: Final = {r.value: r for r in Rule}
_ATTRIBUTIONS: Final = {a.value: a for a in Attribution}


def _verdict(rowid: int, columns: tuple[object, ...], lists: dict[str, tuple[str, ...]]) -> Verdict:
    """A stored verdict as the engine's value (without the facts it was decided from);
    ``lists`` keeps the contact lists read (a mailbox repeats a few)."""
    logged, reason, rule, contacts, attributed_to, attribution = columns
    text = str(contacts)
    ids = lists.get(text)
    if ids is None:
        ids = lists[text] = tuple(json.loads(text))
    return Verdict(
        str(rowid),
        bool(logged),
        _REASONS[str(reason)],
        _RULES[str(rule)],
        ids,
        None if attributed_to is None else str(attributed_to),
        None if attribution is None else _ATTRIBUTIONS[str(attribution)],
    )


def _result(
    conn: sqlite3.Connection,
    account: Account,
    whatif: WhatIf,
    before: Directory,
    since: float | None,
    considered: int,
    changes: Iterable[Change],
) -> WhatIfResult:
    """Counts over the window: the stored ones, then each change moved from before to after."""
    where, params = _window(account.id, since)
    reasons: dict[Reason, list[int]] = {r: [0, 0] for r in Reason}
    for reason, count in conn.execute(
        f"SELECT m.reason, count(*) FROM messages m WHERE {where} GROUP BY m.reason", params
    ):
        reasons[_REASONS[reason]] = [count, count]
    users: dict[str | None, list[int]] = {u: [0, 0] for u in before.users}
    for user, count in conn.execute(
        f"SELECT m.attributed_to, count(*) FROM messages m WHERE {where} AND m.logged = 1"
        " GROUP BY m.attributed_to",
        params,
    ):
        users[user] = [count, count]
    listed = list(changes)
    for change in listed:
        reasons[change.before.reason][1] -= 1
        reasons[change.after.reason][1] += 1
        if change.before.logged:
            users.setdefault(change.before.attributed_to, [0, 0])[1] -= 1
        if change.after.logged:
            users.setdefault(change.after.attributed_to, [0, 0])[1] += 1
    return WhatIfResult(
        whatif=whatif,
        since=since,
        considered=considered,
        reasons={r: (n[0], n[1]) for r, n in reasons.items() if n != [0, 0]},
        users={u: (n[0], n[1]) for u, n in users.items()},
        user_labels={u: before.user_label(u) for u in users},
        changes=tuple(listed),
    )
