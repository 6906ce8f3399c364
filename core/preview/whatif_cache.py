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

The cache is read three times (``core.store.window``): the window's stored verdicts once (the
"before", the seeds of its threads, and its counts), the walk of the threads, their messages
in one statement in the engine's order. On 100,000 messages with a rule change, the window's
threads are ~32,000 rows: reading and deciding them is most of the ~0.6 s a What-if takes.

``tests/preview/test_whatif_fast.py`` and ``test_whatif_scenarios.py`` check it against the
general simulation. It only reads (no temp table): a simulation writes nothing.
"""

from __future__ import annotations

import functools
import json
import sqlite3
from collections import Counter
from operator import itemgetter
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
from core.store.window import Columns, Window, all_decided

# From this share of the account, its whole closure is taken, not walked; from this share of
# the window changing itself, the window's threads are decided, the candidates not listed.
WHOLE: Final = 0.6


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
    with gcpause.batch():  # it may decide a whole mailbox, twice; see core.gcpause
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
    days = Window(account.id, since)
    stored = window.verdicts(conn, days)  # "before", and the window's rows
    total = window.size(conn, Window(account.id, None))
    # An empty window: nothing to decide (the changes are the window's only).
    candidates = (
        _candidates(conn, account.id, whatif, before, after, stored, total) if stored else set()
    )
    decide = _closure(conn, candidates, total)
    if isinstance(decide, _All):  # most threads may change: those of the window only
        decide = _closure(conn, set(stored), total)
    rowids = None if isinstance(decide, _All) else decide
    messages = window.messages(conn, account.id, rowids)  # in the engine's order
    changes = _changes(messages, stored, after, state)
    return _result(days, whatif, before, stored, changes)


def _candidates(
    conn: sqlite3.Connection,
    account_id: int,
    w: WhatIf,
    before: Directory,
    after: Directory,
    stored: dict[int, Columns],
    total: int,
) -> set[int] | _All:
    """The rows whose own decision may change, the ledger being the same."""
    found: set[int] = set()
    rules: set[str] = set()
    if w.rule is not None and w.rule is not before.account.logging_rule:
        rules |= {r.value for r in (Rule.R5, Rule.R6, Rule.R7, Rule.R8, Rule.R9, Rule.R9B)}
        # ^ the rows that got past R0-R4, which do not read the rule
    if after.account.create_contacts != before.account.create_contacts:
        rules |= {Rule.R9.value, Rule.R9B.value}  # R9b's beta: the rows that end at R9 or R9b
    if rules:
        # Most of the window may change itself: its threads are what the candidates' would
        # add to it (either is a superset of what changes; this one costs no account scan).
        if sum(columns[2] in rules for columns in stored.values()) > WHOLE * len(stored):
            return ALL
        ending = window.rows_ending_at(conn, account_id, rules, _most(total))
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


def _closure(conn: sqlite3.Connection, seeds: set[int] | _All, total: int) -> set[int] | _All:
    """The rows sharing a link with ``seeds``, transitively (their threads' components)."""
    if isinstance(seeds, _All):
        return ALL
    found = redecide.reached(conn, seeds, most=_most(total))  # the read keeps the account's
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
    messages: list[Message],
    stored: dict[int, Columns],
    after: Directory,
    state: LoggedState,
) -> list[Change]:
    """The messages of ``stored`` (the window's) whose verdict under ``after`` differs."""
    verdicts = decide_all(messages, after, state.copy())
    changes = []
    lists: dict[str, tuple[str, ...]] = {}
    fields: dict[Columns, tuple[object, ...]] = {}
    for message, verdict in zip(messages, verdicts, strict=True):
        old = stored.get(int(message.id))
        if old is not None and _differs(old, verdict, lists):  # None: outside the window
            before = _verdict(message.id, _fields(old, fields, lists))
            changes.append(_change((message, before, verdict)))
    return changes


def _differs(old: Columns, new: Verdict, lists: dict[str, tuple[str, ...]]) -> bool:
    """Whether stored verdict columns and a verdict differ in what ``compare`` compares (all
    but the rule). The enums are ``StrEnum``: a stored text equals its member."""
    logged, reason, _rule, contacts, attributed_to, attribution = old
    return (
        logged != new.logged
        or reason != new.reason
        or attributed_to != new.attributed_to
        or attribution != new.attribution
        or _contacts(str(contacts), lists) != new.contacts
    )


def _contacts(text: str, lists: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    """A stored contact list (JSON); ``lists`` keeps those read (a mailbox repeats a few)."""
    ids = lists.get(text)
    if ids is None:
        ids = lists[text] = tuple(json.loads(text))
    return ids


_REASON: Final = itemgetter(1)  # of stored verdict columns
_REASONS: Final = {r.value: r for r in Reason}  # Reason(text) is an enum lookup: slower
_RULES: Final = {r.value: r for r in Rule}
_ATTRIBUTIONS: Final = {a.value: a for a in Attribution}


def _fields(
    columns: Columns, known: dict[Columns, tuple[object, ...]], lists: dict[str, tuple[str, ...]]
) -> tuple[object, ...]:
    """A stored verdict's fields as the engine's values, but its id (without the facts it
    was decided from); ``known`` keeps those built (a mailbox repeats a few)."""
    found = known.get(columns)
    if found is None:
        logged, reason, rule, contacts, attributed_to, attribution = columns
        found = known[columns] = (
            bool(logged),
            _REASONS[str(reason)],
            _RULES[str(rule)],
            _contacts(str(contacts), lists),
            None if attributed_to is None else str(attributed_to),
            None if attribution is None else _ATTRIBUTIONS[str(attribution)],
            None,
        )
    return found


# Verdict and Change built through tuple.__new__ (C), as the engine builds its values: the
# NamedTuples' own __new__ is a Python frame, once per change (20,000 of a rule change on 100k).
_change = functools.partial(tuple.__new__, Change)
_make_verdict = functools.partial(tuple.__new__, Verdict)


def _verdict(message_id: str, fields: tuple[object, ...]) -> Verdict:
    return _make_verdict((message_id, *fields))


def _result(
    days: Window,
    whatif: WhatIf,
    before: Directory,
    stored: dict[int, Columns],
    changes: list[Change],
) -> WhatIfResult:
    """Counts over the window: the stored ones, then each change moved from before to after."""
    reasons: dict[Reason, list[int]] = {r: [0, 0] for r in Reason}
    for reason, count in Counter(map(_REASON, stored.values())).items():
        reasons[_REASONS[str(reason)]] = [count, count]
    users: dict[str | None, list[int]] = {u: [0, 0] for u in before.users}
    logged = Counter(columns[4] for columns in stored.values() if columns[0])
    for user, count in logged.items():
        users[None if user is None else str(user)] = [count, count]
    for change in changes:
        reasons[change.before.reason][1] -= 1
        reasons[change.after.reason][1] += 1
        if change.before.logged:
            users.setdefault(change.before.attributed_to, [0, 0])[1] -= 1
        if change.after.logged:
            users.setdefault(change.after.attributed_to, [0, 0])[1] += 1
    return WhatIfResult(
        whatif=whatif,
        since=days.since,
        considered=len(stored),
        reasons={r: (n[0], n[1]) for r, n in reasons.items() if n != [0, 0]},
        users={u: (n[0], n[1]) for u, n in users.items()},
        user_labels={u: before.user_label(u) for u in users},
        changes=tuple(changes),
    )
