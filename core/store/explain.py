"""What the detail pane says of a cached message: its verdict now, with its trace and people.

The trace is not stored: the row is decided again with the rows it is linked to
(``core.store.redecide.decide_row``, the input its badge was decided from), which gives the
verdict deciding the whole account gives, and the result is checked against the stored one.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from core.rules.actions import Action, needs_action, suggested_actions
from core.rules.advisories import Advisory, advisories
from core.rules.directory import Directory
from core.rules.model import Message
from core.rules.trace import render_trace
from core.rules.verdict import Step, Verdict
from core.store.accounts import account_of_row
from core.store.redecide import decide_row


@dataclass(frozen=True, slots=True)
class Explanation:
    """A message's verdict as the engine decides it now, and what the pane shows with it."""

    message: Message
    verdict: Verdict
    directory: Directory
    actions: tuple[Action, ...]
    matches_stored: bool  # the stored verdict equals the engine's (False: a re-sync is due)
    # Rendered where the verdict was decided: the directory looks contacts up on demand, on
    # the connection (and so the thread) that decided (a GUI shows these, never asks it).
    trace: tuple[Step, ...] = ()
    contacts: tuple[str, ...] = ()  # the participants in the directory, described
    users: tuple[str, ...] = ()
    attributed: str = "nobody"  # the user the message counts for
    advisories: tuple[Advisory, ...] = ()  # rules section 7 (bulk mail)
    needs_action: bool = False  # a gap the rep can fix (section 7: bulk mail excepted)


def _people(message: Message, directory: Directory) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The message's participants known to the directory: contacts and users, described."""
    contacts: list[str] = []
    users: list[str] = []
    seen: set[str] = set()
    for address in (*((message.sender,) if message.sender else ()), *message.recipients):
        email = address.email
        if email is None or email in seen:
            continue
        seen.add(email)
        if email in directory.user_of:
            users.append(directory.describe(email))
        elif email in directory.contact_of:
            contacts.append(directory.describe(email))
    return tuple(contacts), tuple(users)


def explain(conn: sqlite3.Connection, row_id: int) -> Explanation | None:
    """Re-decide one cached row with its linked rows; None when the row is gone."""
    account = account_of_row(conn, row_id)
    decided = decide_row(conn, account, row_id) if account is not None else None
    if decided is None:
        return None
    message, verdict, directory = decided.message, decided.verdict, decided.directory
    contacts, users = _people(message, directory)
    found = conn.execute("SELECT bulk FROM messages WHERE id = ?", (row_id,)).fetchone()
    bulk = bool(found and found[0])
    return Explanation(
        message=message,
        verdict=verdict,
        directory=directory,
        actions=suggested_actions(message, verdict, bulk),
        advisories=advisories(bulk),
        needs_action=needs_action(message, verdict, bulk),
        matches_stored=decided.matches_stored,
        trace=render_trace(verdict),
        contacts=contacts,
        users=users,
        attributed=directory.user_label(verdict.attributed_to),
    )
