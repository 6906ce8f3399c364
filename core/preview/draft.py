"""Deciding an email before it is sent: a draft in the cache, or one being typed.

A draft is decided as if sent now (rules section 4: drafts last, a draft without From is the
mailbox owner's). The "logged so far" state is the CRM ledger plus every cached message outside
the Drafts folder whose stored verdict is logged: the same state ``decide_all`` reaches before
it decides the drafts, read from the cache instead of re-deciding the mailbox.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, replace

from core.preview.replyall import thread_entries
from core.rules.directory import Directory
from core.rules.engine import LoggedState, decide
from core.rules.messages import make_message
from core.rules.model import Folder, Message
from core.rules.subjects import normalize_subject
from core.rules.threads import thread_key
from core.rules.verdict import Verdict
from core.store.accounts import Account
from core.store.directory import load_directory
from core.store.logged import logged_entries, logged_linked
from core.store.queries import PageQuery, Row, drafts_folder_ids, page
from core.store.redecide import message_links

# The Message-ID given to an email being typed: it has none yet, and a reply-all prediction
# needs one to thread on (a reply to it follows it when it is logged).
COMPOSED_ID = "<composed.preview@mailscope.invalid>"


@dataclass(frozen=True, slots=True)
class Composition:
    """What a rep typed in the check panel: address lists as written, a subject, a parent."""

    to: str = ""
    cc: str = ""
    bcc: str = ""
    subject: str = ""
    sender: str | None = None  # None: the mailbox owner's address (D1)
    replies_to: Message | None = None


def compose(c: Composition, id: str = "composed") -> Message:
    """The engine message of an email being written, threaded on the message it replies to."""
    parent = c.replies_to
    in_reply_to: str | None = None
    references: tuple[str, ...] = ()
    if parent is not None and parent.message_id is not None:
        in_reply_to = parent.message_id
        base = parent.references or ((parent.in_reply_to,) if parent.in_reply_to else ())
        references = (*base, parent.message_id)
    return make_message(
        id,
        folder=Folder.DRAFTS,
        sender=c.sender,
        to=(c.to,),
        cc=(c.cc,),
        bcc=(c.bcc,),
        subject=c.subject,
        message_id=COMPOSED_ID,
        in_reply_to=in_reply_to,
        references=references,
    )


def edited(original: Message, c: Composition) -> Message:
    """A cached draft as edited in the panel: the typed fields, its own From and Message-ID,
    and its own threading unless another parent was picked."""
    message = compose(c)
    if c.replies_to is None:
        in_reply_to, references = original.in_reply_to, original.references
    else:
        in_reply_to, references = message.in_reply_to, message.references
    return replace(
        message,
        id=original.id,
        sender=original.sender,
        from_raw=original.from_raw,
        message_id=original.message_id,
        in_reply_to=in_reply_to,
        references=references,
        thread_key=thread_key(original.message_id, in_reply_to, references),
    )


def reply_subject(parent: Message) -> str:
    """The subject a mail client proposes for a reply: ``Re: `` once, the rest unchanged."""
    subject = parent.subject or ""
    if subject[:3].lower() == "re:" and normalize_subject(subject) == parent.subject_key:
        return subject
    return f"Re: {subject}"


def mailbox_state(conn: sqlite3.Connection, account: Account) -> tuple[Directory, LoggedState]:
    """The directory and what is logged before the drafts: ledger + cached logged mail."""
    directory, state = load_directory(conn, account)
    for entry in logged_entries(conn, account.id):
        state.add(entry)
    return directory, state


def ledger(conn: sqlite3.Connection, account: Account) -> tuple[Directory, LoggedState]:
    """The directory and the CRM's own ledger (small), without the cached mail's verdicts."""
    return load_directory(conn, account)


def thread_state(
    conn: sqlite3.Connection,
    account: Account,
    message: Message,
    logged: LoggedState,
    before: float | None = None,
) -> LoggedState:
    """What is logged that this message (or a reply to it) can meet: ledger + cached mail.

    Equal, for deciding this message and its reply-all, to ``mailbox_state``: only entries
    sharing one of its ids can match R0 or R4, and the cache's ``links`` table finds the
    cached messages sharing an id through an index (hash collisions only add inert entries).
    ``before``: only cached mail dated before it (a received message decided in date order).
    """
    state = thread_entries(logged, message)
    hashes = sorted(message_links(message))
    if not hashes:
        return state
    for entry in logged_linked(conn, account.id, hashes, before):
        state.add(entry)
    return state


def as_draft(message: Message) -> Message:
    """The same message in the Drafts folder: decided as if sent now."""
    return message if message.is_draft else replace(message, folder=Folder.DRAFTS)


def decide_draft(message: Message, directory: Directory, state: LoggedState) -> Verdict:
    """A draft's verdict as if sent now (pure: the state is not changed)."""
    return decide(as_draft(message), directory, state)


def drafts(conn: sqlite3.Connection, account_id: int, limit: int = 500) -> list[Row]:
    """The "Drafts" view: the account's drafts with their stored verdicts, newest first."""
    found: list[Row] = []
    for folder_id in drafts_folder_ids(conn, account_id):
        rows = page(conn, PageQuery(folder_id=folder_id, limit=limit))
        # A replaced draft flagged \Deleted (a server without UIDPLUS) waits for the mail
        # client to expunge it: it is no draft any more.
        found.extend(r for r in rows if "\\Deleted" not in r.flags.split())
    found.sort(key=lambda r: (r.date or 0.0, r.id), reverse=True)
    return found[:limit]
