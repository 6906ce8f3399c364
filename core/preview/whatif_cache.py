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
from collections.abc import Iterable
from typing import Final

from core import gcpause
from core.i18n import _
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
from core.rules.model import Attribution, Message, Reason, Rule
from core.rules.verdict import Verdict
from core.store import redecide, window
from core.store.accounts import Account
from core.store.directory import load_directory
from core.store.engine_input import account_messages
from core.store.redecide import verdict_columns
from core.store.window import Window, all_decided

WHOLE: Final = 0.6  # from this share of the account, its whole closure is taken, not walked


# The settings a what-if may change that this module knows the effects of (checked by
# tests/preview/test_whatif_fast.py): a new one takes the general path until it is added.
HANDLED: Final = frozenset(("rule", "never_log_add", "never_log_remove", "days", "create_contacts"))


def handles(w: WhatIf) -> bool:
    """Whether ``w`` changes only settings whose effects :func:`simulate_stored` knows."""
    return all(
        name in HANDLED or getattr(w, name) == getattr(WhatIf(), name)
        for name in w.__dataclass_fields__
    )


def simulate(conn: sqlite3.Connection, account: Account, w: WhatIf, now: float) -> WhatIfResult:
    """Run a what-if on an account's cache; reads only (no write, not even a temp table)."""
    if w.days < 1:
        raise WhatIfError(_("--days must be at least 1, not %(days)d") % {"days": w.days})
    directory, state = load_directory(conn, account)
    after = changed_directory(directory, w)
    since = now - w.days * DAY
    with gcpause.paused():  # it may decide a whole mailbox, twice; see core.gcpause
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
    total = window.size(conn, Window(account.id, None))
    days = Window(account.id, since)
    candidates = _candidates(conn, account.id, whatif, before, after, total)
    decide = _closure(conn, account.id, candidates, total)
    if isinstance(decide, _All):  # most threads may change: those of the window only
        decide = _closure(conn, account.id, window.rows(conn, days), total)
    if isinstance(decide, _All):  # one read, its lists shared, in the engine's order
        ordered = window.ids_in_order(conn, account.id)
        messages = account_messages(conn, account.id)
    else:
        ordered = window.in_order(conn, decide)
        messages = window.messages(conn, ordered)
    stored = window.stored(conn, ordered, days)
    changes = _changes(ordered, messages, stored, after, state)
    return _result(conn, days, whatif, before, window.size(conn, days), changes)


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
        ending = window.rows_ending_at(conn, account_id, {r.value for r in rules}, _most(total))
        if ending is None:
            return ALL  # most rows: no need to list them
        found |= ending
    entries = {entry_key(e) for e in (*w.never_log_add, *w.never_log_remove)}
    if before.never_log.entries != after.never_log.entries:
        for entry in filter(None, entries):
            found |= window.rows_mentioning(conn, account_id, entry)
    return found


def _most(total: int) -> int:
    """Past this many rows a set is "most of the account" (:data:`WHOLE`)."""
    return int(WHOLE * total)


def _closure(
    conn: sqlite3.Connection, account_id: int, seeds: set[int] | _All, total: int
) -> set[int] | _All:
    """The rows sharing a link with ``seeds``, transitively (their threads' components)."""
    if isinstance(seeds, _All):
        return ALL
    found = redecide.linked(conn, account_id, seeds, most=_most(total))
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
    days: Window,
    whatif: WhatIf,
    before: Directory,
    considered: int,
    changes: Iterable[Change],
) -> WhatIfResult:
    """Counts over the window: the stored ones, then each change moved from before to after."""
    reasons: dict[Reason, list[int]] = {r: [0, 0] for r in Reason}
    for reason, count in window.reasons(conn, days).items():
        reasons[_REASONS[reason]] = [count, count]
    users: dict[str | None, list[int]] = {u: [0, 0] for u in before.users}
    for user, count in window.logged_per_user(conn, days).items():
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
        since=days.since,
        considered=considered,
        reasons={r: (n[0], n[1]) for r, n in reasons.items() if n != [0, 0]},
        users={u: (n[0], n[1]) for u, n in users.items()},
        user_labels={u: before.user_label(u) for u in users},
        changes=tuple(listed),
    )
