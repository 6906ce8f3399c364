"""``explain``: the verdict of a message displayed in Thunderbird.

The cached verdict when the Message-ID is in the cache (the same as the app's badge), else the
message decided now from its header, against the CRM ledger and the logged mail of its thread
dated before it (what a sync would decide for new mail).
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from typing import Any

from core.i18n import lazy_gettext
from core.preview.draft import ledger, thread_state
from core.rules.actions import Action, suggested_actions
from core.rules.addresses import parse_mailbox
from core.rules.advisories import BulkSignals, is_bulk
from core.rules.directory import Directory
from core.rules.engine import LoggedState, decide
from core.rules.messages import make_message
from core.rules.model import Attribution, Message, Reason, Rule
from core.rules.subjects import normalize_subject
from core.rules.verdict import Verdict
from core.store.accounts import Account
from core.store.lookup import StoredVerdict, stored_by_fields, stored_verdicts
from core.store.redecide import load_message
from core.thunderbird import answers
from core.thunderbird.protocol import ProtocolError
from core.thunderbird.requests import Header

NOT_CACHED = lazy_gettext(
    "This email is not in Mailscope's cache yet: sync the mailbox in Mailscope, then try again."
)
IN_THE_APP = lazy_gettext("Mailscope's window changes the Never-log list: open it there.")


def header_message(h: Header) -> Message:
    """The engine message of a displayed header."""
    when = datetime.fromtimestamp(h.date, UTC).isoformat() if h.date is not None else None
    return make_message(
        "thunderbird",
        folder=h.folder,
        date=when,
        sender=h.author,
        to=h.to,
        cc=h.cc,
        bcc=h.bcc,
        subject=h.subject,
        message_id=h.message_id,
    )


def cached_copy(conn: sqlite3.Connection, account: Account, h: Header) -> StoredVerdict | None:
    """The cached copy of the displayed message: the one in a folder of the same role first.

    Found by Message-ID, else (mail without one, whose id the client made up) by its fields.
    """
    copies = stored_verdicts(conn, account.id, h.message_id) if h.message_id else []
    if not copies:
        copies = _by_fields(conn, account, h)
    same = [c for c in copies if c.folder_role == h.folder.value]
    found = same or copies
    return found[0] if found else None


def _by_fields(conn: sqlite3.Connection, account: Account, h: Header) -> list[StoredVerdict]:
    """The cached copies with the header's subject, sender and date."""
    sender = parse_mailbox(h.author) if h.author else None
    return stored_by_fields(
        conn,
        account.id,
        (normalize_subject(h.subject or ""), h.subject),
        (sender.email if sender is not None else None, h.author or ""),
        h.date,
    )


def _stored(copy: StoredVerdict) -> Verdict | None:
    if copy.logged is None or copy.reason is None or copy.rule is None:
        return None  # synced, not decided yet: decide it now
    return Verdict(
        id=str(copy.row),
        logged=copy.logged,
        reason=Reason(copy.reason),
        rule=Rule(copy.rule),
        contacts=copy.contacts,
        attributed_to=copy.attributed_to,
        attribution=Attribution(copy.attribution) if copy.attribution else None,
    )


def explain(
    conn: sqlite3.Connection, account: Account, h: Header
) -> tuple[dict[str, Any], StoredVerdict | None]:
    """The answer fields for a displayed message, and its cached copy (None: not cached)."""
    directory, logged = ledger(conn, account)
    copy = cached_copy(conn, account, h)
    message = header_message(h)
    verdict = _stored(copy) if copy is not None else None
    if copy is not None:
        message = load_message(conn, copy.row) or message
    source = "cache"
    if verdict is None:
        verdict = _decided_now(conn, account, message, directory, logged)
        source = "decided"
    bulk = _bulk(copy, message)
    fields = {
        "account": account.name,
        "source": source,
        "row": copy.row if copy is not None else None,
        "message_id": h.message_id,
        **answers.verdict_fields(verdict, directory, bulk),
        "people": answers.people(message, directory),
        "actions": answers.action_list(
            suggested_actions(message, verdict, bulk), _unavailable(copy)
        ),
    }
    return fields, copy


def _bulk(copy: StoredVerdict | None, message: Message) -> bool:
    """Rules section 7's advisory: the cached row's (every header was read), else what the
    displayed header shows (its sender: the add-in sends no List-* header)."""
    if copy is not None:
        return copy.bulk
    sender = message.sender.email if message.sender is not None else None
    return is_bulk(BulkSignals(sender=sender))


def _decided_now(
    conn: sqlite3.Connection,
    account: Account,
    message: Message,
    directory: Directory,
    logged: LoggedState,
) -> Verdict:
    """The verdict a sync would give the message now: its thread's logged mail before it."""
    state = thread_state(conn, account, message, logged, before=message.date)
    return decide(message, directory, state)


def _unavailable(copy: StoredVerdict | None) -> dict[Action, str]:
    """The fixes the add-in cannot run: those that need the cached copy, when there is none
    yet, and the Never-log list, which the app changes."""
    away = {Action.ADD_SENDER_TO_NEVER_LOG: str(IN_THE_APP)}
    if copy is None:
        return {Action.LOG_NOW: str(NOT_CACHED), Action.CREATE_CONTACT: str(NOT_CACHED), **away}
    return away


def require_copy(conn: sqlite3.Connection, account: Account, h: Header) -> StoredVerdict:
    """The cached copy an action works on; ``not_cached`` when the email is not synced yet."""
    copy = cached_copy(conn, account, h)
    if copy is None:
        raise ProtocolError("not_cached", str(NOT_CACHED))
    return copy
