"""What the desktop's detail pane shows, computed without Qt: a message's verdict with its trace
and its people (its body: ``core.mail.body``).

The trace is not stored: the message is re-decided by the engine with the messages it is linked
to (its thread, through shared ids) in engine order, which gives the same verdict as deciding
the whole account (``core.store.verdicts``), and the result is checked against the stored row.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from core.rules.actions import Action, suggested_actions
from core.rules.directory import Directory
from core.rules.engine import decide_all
from core.rules.model import Message, Step, Verdict
from core.store import views
from core.store.directory import load_directory
from core.store.places import account_of
from core.store.verdicts import load_messages, verdict_columns


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


def explain(conn: sqlite3.Connection, message_id: int) -> Explanation | None:
    """Re-decide one cached message with its linked messages; None when the row is gone."""
    account = account_of(conn, message_id)
    if account is None:
        return None
    views.affected_set(conn, account.id, message_id)
    order = views.affected_rows(conn)
    loaded = load_messages(conn, [row.id for row in order])
    messages = [loaded[row.id] for row in order]
    directory, state = load_directory(conn, account)
    verdicts = decide_all(messages, directory, state)
    index = next(i for i, row in enumerate(order) if row.id == message_id)
    verdict = verdicts[index]
    before = order[index]
    contacts, users = _people(messages[index], directory)
    return Explanation(
        message=messages[index],
        verdict=verdict,
        directory=directory,
        actions=suggested_actions(messages[index], verdict),
        matches_stored=before.decided and before.columns == verdict_columns(verdict),
        trace=verdict.trace,
        contacts=contacts,
        users=users,
        attributed=directory.user_label(verdict.attributed_to),
    )
