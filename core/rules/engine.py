"""The decision procedure of rules.md section 4 (R0-R9b), association (5), attribution (6).

``decide`` is pure: one message against a directory and a ``LoggedState``; it returns a
``Verdict`` and changes nothing. ``decide_all`` orders a mailbox (chronological, undated after
dated, drafts last) and lets every logged message join the state at once, so later replies
see it. The app calls ``decide`` + ``LoggedState.record`` to re-decide one thread.

Every verdict keeps the ``Facts`` it was decided from (``core.rules.verdict``);
``core.rules.trace`` renders them as the ordered steps a rep reads, so the explanation can
never drift from the decision.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence

from core.rules.addresses import Address
from core.rules.directory import Directory
from core.rules.model import Attribution, LoggedEntry, LoggingRule, Message, Reason, Rule
from core.rules.subjects import normalize_subject
from core.rules.verdict import Facts, Verdict

# NamedTuples built through tuple.__new__ (C) with their fields in order: what their generated
# __new__ and _make (Python frames, the latter with a length check) end with, per decision.
_entry = functools.partial(tuple.__new__, LoggedEntry)


class LoggedState:
    """What the CRM has logged so far: entries by Message-ID and by thread key (N5)."""

    __slots__ = ("by_id", "by_thread", "latest", "subject_keys", "thread_of")

    def __init__(self, entries: Iterable[LoggedEntry] = ()) -> None:
        self.by_id: dict[str, LoggedEntry] = {}
        self.by_thread: dict[str, list[LoggedEntry]] = {}
        self.thread_of: dict[str, str] = {}  # Message-ID -> thread key
        self.subject_keys: dict[str, str] = {}  # Message-ID -> N4 form of the subject
        self.latest = float("-inf")  # the latest entry date: later messages need no filter
        for entry in entries:
            self.add(entry)

    def copy(self) -> LoggedState:
        state = LoggedState()
        state.by_id = dict(self.by_id)
        state.by_thread = {key: list(entries) for key, entries in self.by_thread.items()}
        state.thread_of = dict(self.thread_of)
        state.subject_keys = dict(self.subject_keys)
        state.latest = self.latest
        return state

    def add(self, entry: LoggedEntry, subject_key: str | None = None) -> None:
        mid = entry.message_id
        if mid in self.by_id:
            return
        self.by_id[mid] = entry
        self.subject_keys[mid] = (
            subject_key if subject_key is not None else normalize_subject(entry.subject)
        )
        key = entry.references[0] if entry.references else entry.in_reply_to or mid
        self.thread_of[mid] = key
        self.by_thread.setdefault(key, []).append(entry)
        if entry.date is not None and entry.date > self.latest:
            self.latest = entry.date

    def record(self, message: Message, verdict: Verdict) -> None:
        """Let a logged message join the ledger, so later replies see it (section 4)."""
        if verdict.logged and message.message_id is not None:
            entry = _entry(
                (
                    message.message_id,
                    message.subject,
                    message.in_reply_to,
                    message.references,
                    verdict.contacts,
                    message.date,
                )
            )
            self.add(entry, message.subject_key)

    def thread_matches(self, message: Message) -> tuple[LoggedEntry, ...]:
        """R4: logged messages it replies to, or that share its thread key.

        A dated entry is a match only for messages at or after its date (see LoggedEntry).
        """
        # Read once each: this runs for every message decided, mostly to find nothing.
        by_id, key, links = self.by_id, message.thread_key, message.links
        siblings = self.by_thread.get(key) if key is not None else None
        if siblings is None:
            if by_id.keys().isdisjoint(links):
                return ()  # the common case: not in a logged thread
            found = list({ref: by_id[ref] for ref in links if ref in by_id}.values())
        else:
            # Linked entries of the same thread are among the siblings already.
            thread_of = self.thread_of
            found = siblings + [by_id[r] for r in links if r in by_id and thread_of[r] != key]
        date = None if message.is_draft else message.date  # a draft is sent now
        if date is None or date >= self.latest:
            return tuple(found)
        return tuple(e for e in found if e.date is None or e.date <= date)


_make_facts = functools.partial(tuple.__new__, Facts)  # as _entry, once per decision


def _facts(message: Message, d: Directory, state: LoggedState) -> Facts:
    sender = message.sender.email if message.sender is not None else None
    if sender is None and message.is_draft:
        sender = d.owner_address  # D1: a draft without a (readable) From is the owner's
    sending_user = d.user_of.get(sender) if sender is not None else None
    outbound = sending_user is not None
    listed = d.listed  # attributes read once: the loop below runs per recipient
    info_of, logging = d.recipient_lookup, d.logging_addresses
    contacts: dict[str, bool] = {}
    logging_address: str | None = None
    if sender is not None and (info := info_of(sender)) is not None and info[0]:
        contacts[info[0]] = info[1]
    for address in message.recipients:
        email = address.email
        if email is None or (info := info_of(email)) is None:
            continue
        # A logging address's entry is LOGGING_ADDRESS: told by the address, not by identity
        # (a compiled engine, packaging/native.py, holds tuples by value).
        if email in logging:
            logging_address = logging_address or email
        elif not contacts.get(info[0]):
            contacts[info[0]] = info[1]
    if not contacts:
        kept: tuple[str, ...] = ()
    elif len(contacts) == 1:
        kept = () if any(contacts.values()) else tuple(contacts)
    else:
        kept = tuple(sorted(cid for cid, never in contacts.items() if not never))
    message_id = message.message_id
    entry = state.by_id.get(message_id) if message_id is not None else None
    matches = state.thread_matches(message) if entry is None else ()
    same = None
    if matches:
        keys = state.subject_keys
        same = next(
            (m for m in matches if m.subject is None or keys[m.message_id] == message.subject_key),
            None,
        )
    return _make_facts(
        (
            message,
            d,
            sender,
            outbound,
            sending_user,
            sending_user if outbound else d.mailbox_owner,
            contacts,
            kept,
            not outbound and listed is not None and listed(sender),
            logging_address,
            entry,
            matches,
            same,
        )
    )


def others(facts: Facts) -> list[Address]:
    """R6: the participants other than the sender (logging addresses are no participants)."""
    logging = facts.directory.logging_addresses
    return [
        a
        for a in facts.message.recipients
        if a.email is None or (a.email != facts.sender and a.email not in logging)
    ]


def _thread_contacts(facts: Facts) -> tuple[str, ...]:
    """Section 5: a thread reply with no contact of its own takes its thread's contacts."""
    own = facts.kept
    if own or not facts.thread_matches:
        return own
    return tuple(sorted({cid for m in facts.thread_matches for cid in m.contacts}))


def inbound_recipients(message: Message, d: Directory, sender: str | None) -> tuple[int, list[str]]:
    """A2's R and U: how many distinct To/Cc addresses besides the sender, and their users."""
    seen: set[str] = set()
    users: list[str] = []
    for address in (*message.to, *message.cc):
        email = address.email
        key = email if email is not None else address.raw
        if email == sender or email in d.logging_addresses or key in seen:
            continue
        seen.add(key)
        user = d.user_of.get(email) if email is not None else None
        if user is not None and user not in users:
            users.append(user)
    return len(seen), users


def attribute(facts: Facts) -> tuple[str | None, Attribution]:
    """Section 6: whose activity a logged message counts in, and why (A1, A2)."""
    if facts.outbound:
        return facts.sending_user, Attribution.SENDER  # A1
    d = facts.directory
    count, users = inbound_recipients(facts.message, d, facts.sender)
    if not users:
        return d.mailbox_owner, Attribution.MAILBOX_OWNER
    if len(users) == 1:
        if count == 1:
            return users[0], Attribution.SINGLE_RECIPIENT
        return users[0], Attribution.ONLY_USER_RECIPIENT
    contact_id = d.contact_of.get(facts.sender) if facts.sender is not None else None
    owner = d.contacts[contact_id].owner if contact_id is not None else None
    if owner is None:
        return None, Attribution.NO_CONTACT_OWNER
    return owner, Attribution.CONTACT_OWNER


_verdict = functools.partial(tuple.__new__, Verdict)  # as _entry, once per decision


def _logged(facts: Facts, reason: Reason, rule: Rule, contacts: tuple[str, ...]) -> Verdict:
    user, why = attribute(facts)
    return _verdict((facts.message.id, True, reason, rule, contacts, user, why, facts))


def _skipped(facts: Facts, reason: Reason, rule: Rule) -> Verdict:
    return _verdict((facts.message.id, False, reason, rule, facts.kept, None, None, facts))


def decide(message: Message, directory: Directory, state: LoggedState) -> Verdict:
    """Decide one message against the directory and what is logged so far. Pure."""
    f = _facts(message, directory, state)
    if f.logged_entry is not None:  # R0
        recorded = tuple(sorted(f.logged_entry.contacts))
        return _logged(f, Reason.ALREADY_LOGGED, Rule.R0, recorded or _thread_contacts(f))
    if f.sender is None:  # R1
        return _skipped(f, Reason.UNPARSEABLE, Rule.R1)
    if (not f.outbound and f.sender_never_listed) or (f.contacts and not f.kept):  # R2
        return _skipped(f, Reason.NEVER_LOG, Rule.R2)
    if f.outbound and f.logging_address is not None:  # R3
        user = directory.users[f.sending_user] if f.sending_user is not None else None
        if user is not None and user.personal_email_access:
            return _logged(f, Reason.BCC_ADDRESS, Rule.R3, f.kept)
        return _skipped(f, Reason.NO_EMAIL_ACCESS, Rule.R3)
    if f.same_subject is not None:  # R4
        return _logged(f, Reason.THREAD_REPLY, Rule.R4, _thread_contacts(f))
    if directory.account.logging_rule is LoggingRule.REPLIES_ONLY:  # R5
        reason = Reason.SUBJECT_CHANGED if f.thread_matches else Reason.REPLIES_ONLY
        return _skipped(f, reason, Rule.R5)
    if f.outbound and _internal(f):  # R6
        return _skipped(f, Reason.INTERNAL, Rule.R6)
    capturing = directory.users.get(f.capturing_user) if f.capturing_user is not None else None
    if capturing is None or not capturing.personal_email_access:  # R7
        return _skipped(f, Reason.NO_EMAIL_ACCESS, Rule.R7)
    if _has_contact_party(f):  # R8
        return _logged(f, Reason.LOG_ALL_CONTACT, Rule.R8, f.kept)
    if directory.account.create_contacts and new_participants(f):  # R9b
        return _logged(f, Reason.NEW_CONTACT, Rule.R9B, f.kept)
    return _skipped(f, Reason.NOT_A_CONTACT, Rule.R9)  # R9


def _internal(f: Facts) -> bool:
    """R6: at least one other participant, and every one of them a user address."""
    rest = others(f)
    user_of = f.directory.user_of
    return bool(rest) and all(a.email is not None and a.email in user_of for a in rest)


def _has_contact_party(f: Facts) -> bool:
    """R8: outbound to a (not never-listed) contact, or inbound from a contact."""
    if f.outbound:  # the sender is a user, so its contacts are all recipients
        return bool(f.kept)
    return f.sender is not None and f.sender in f.directory.contact_of


def new_participants(f: Facts) -> list[str]:
    """R9b: the participants the CRM would create contacts for, in order of appearance.

    Neither a user, nor a contact, nor on the effective Never-log list, nor a logging address
    (D2). An unreadable address is left out: the CRM cannot make a contact of it [decision].
    """
    d = f.directory
    found: list[str] = []
    for address in (f.message.sender, *f.message.recipients):
        email = address.email if address is not None else None
        if email is None or email in found or email in d.logging_addresses:
            continue
        if email in d.user_of or email in d.contact_of or d.never_log.matches(email):
            continue
        found.append(email)
    return found


def chronological(messages: Sequence[Message]) -> list[int]:
    """Section 4's order, as indexes: dated by date, then undated, then drafts; ties by input."""

    def key(i: int) -> tuple[int, float, int]:
        m = messages[i]
        if m.is_draft:
            return (2, 0.0, i)
        return (0, m.date, i) if m.date is not None else (1, 0.0, i)

    return sorted(range(len(messages)), key=key)


def decide_all(
    messages: Sequence[Message], directory: Directory, state: LoggedState | None = None
) -> list[Verdict]:
    """Decide a mailbox in section 4's order; verdicts come back in the input order.

    The given state is updated with every message that is logged. A caller deciding a big
    mailbox pauses the cyclic garbage collector around it (``core.gcpause``): the engine makes
    no cycles, but the collector's passes over its new objects cost a third of the time.
    """
    state = state if state is not None else LoggedState()
    verdicts: list[Verdict | None] = [None] * len(messages)
    for i in chronological(messages):
        message = messages[i]
        verdict = decide(message, directory, state)
        if verdict.logged:
            state.record(message, verdict)
        verdicts[i] = verdict
    return [v for v in verdicts if v is not None]
