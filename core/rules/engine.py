"""The decision procedure of rules.md section 4 (R0-R9), association (5), attribution (6).

``decide`` is pure: one message against a directory and a ``LoggedState``; it returns a
``Verdict`` and changes nothing. ``decide_all`` orders a mailbox (chronological, undated after
dated, drafts last) and lets every logged message join the state at once, so later replies
see it. The app calls ``decide`` + ``LoggedState.record`` to re-decide one thread.

Every verdict keeps the ``Facts`` it was decided from; ``core.rules.trace`` renders them as
the ordered steps a rep reads, so the explanation can never drift from the decision.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple

from core.rules.addresses import Address
from core.rules.directory import Directory
from core.rules.model import (
    Attribution,
    LoggedEntry,
    LoggingRule,
    Message,
    Reason,
    Rule,
    Verdict,
)
from core.rules.subjects import normalize_subject


class LoggedState:
    """What the CRM has logged so far: entries by Message-ID and by thread key (N5)."""

    __slots__ = ("by_id", "by_thread")

    def __init__(self, entries: Iterable[LoggedEntry] = ()) -> None:
        self.by_id: dict[str, LoggedEntry] = {}
        self.by_thread: dict[str, list[LoggedEntry]] = {}
        for entry in entries:
            self.add(entry)

    def copy(self) -> LoggedState:
        state = LoggedState()
        state.by_id = dict(self.by_id)
        state.by_thread = {key: list(entries) for key, entries in self.by_thread.items()}
        return state

    def add(self, entry: LoggedEntry) -> None:
        if entry.message_id in self.by_id:
            return
        self.by_id[entry.message_id] = entry
        key = entry.references[0] if entry.references else entry.in_reply_to or entry.message_id
        self.by_thread.setdefault(key, []).append(entry)

    def record(self, message: Message, verdict: Verdict) -> None:
        """Let a logged message join the ledger, so later replies see it (section 4)."""
        if verdict.logged and message.message_id is not None:
            self.add(
                LoggedEntry(
                    message_id=message.message_id,
                    subject=message.subject,
                    in_reply_to=message.in_reply_to,
                    references=message.references,
                    contacts=verdict.contacts,
                )
            )

    def thread_matches(self, message: Message) -> tuple[LoggedEntry, ...]:
        """R4: logged messages it replies to, or that share its thread key."""
        found: dict[str, LoggedEntry] = {}
        by_id = self.by_id
        if message.in_reply_to is not None and message.in_reply_to in by_id:
            found[message.in_reply_to] = by_id[message.in_reply_to]
        for ref in message.references:
            if ref in by_id:
                found[ref] = by_id[ref]
        if message.thread_key is not None:
            for entry in self.by_thread.get(message.thread_key, ()):
                found.setdefault(entry.message_id, entry)
        return tuple(found.values())


class Facts(NamedTuple):
    """What the engine established about a message before the rules ran; the trace's source."""

    message: Message
    directory: Directory
    sender: str | None  # normalised From, or the owner's address for a draft without one
    outbound: bool
    sending_user: str | None
    capturing_user: str | None
    contacts: dict[str, bool]  # contact id -> never-listed (N2), in order of appearance
    sender_never_listed: bool
    logging_address: str | None
    logged_entry: LoggedEntry | None
    thread_matches: tuple[LoggedEntry, ...]
    same_subject: LoggedEntry | None
    others: tuple[Address, ...]  # participants other than the sender (R6)


def _facts(message: Message, d: Directory, state: LoggedState) -> Facts:
    sender = message.sender.email if message.sender is not None else None
    if sender is None and message.is_draft:
        sender = d.owner_address  # D1: a draft without a (readable) From is the owner's
    sending_user = d.user_of.get(sender) if sender is not None else None
    outbound = sending_user is not None
    logging = d.logging_addresses
    never = d.never_log
    contact_of = d.contact_of
    contacts: dict[str, bool] = {}
    logging_address: str | None = None
    others: list[Address] = []
    if sender is not None and (cid := contact_of.get(sender)) is not None:
        contacts[cid] = never.matches(sender)
    for address in (*message.to, *message.cc, *message.bcc):
        email = address.email
        if email is not None and email in logging:
            logging_address = logging_address or email
            continue  # R3: logging addresses are never participants
        if email != sender or email is None:
            others.append(address)
        if email is not None and (cid := contact_of.get(email)) is not None:
            contacts[cid] = contacts.get(cid, False) or never.matches(email)
    entry = state.by_id.get(message.message_id) if message.message_id is not None else None
    matches = state.thread_matches(message) if entry is None else ()
    same = next(
        (m for m in matches if m.subject is None or _subject_key(m) == message.subject_key),
        None,
    )
    return Facts(
        message=message,
        directory=d,
        sender=sender,
        outbound=outbound,
        sending_user=sending_user,
        capturing_user=sending_user if outbound else d.mailbox_owner,
        contacts=contacts,
        sender_never_listed=never.matches(sender),
        logging_address=logging_address,
        logged_entry=entry,
        thread_matches=matches,
        same_subject=same,
        others=tuple(others),
    )


def _subject_key(entry: LoggedEntry) -> str:
    return normalize_subject(entry.subject)


def _kept_contacts(facts: Facts) -> tuple[str, ...]:
    """Section 5: the message's contacts minus the never-listed ones, sorted."""
    return tuple(sorted(cid for cid, never in facts.contacts.items() if not never))


def _thread_contacts(facts: Facts) -> tuple[str, ...]:
    """Section 5: a thread reply with no contact of its own takes its thread's contacts."""
    own = _kept_contacts(facts)
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


def _logged(facts: Facts, reason: Reason, rule: Rule, contacts: tuple[str, ...]) -> Verdict:
    user, why = attribute(facts)
    return Verdict(facts.message.id, True, reason, rule, contacts, user, why, facts)


def _skipped(facts: Facts, reason: Reason, rule: Rule) -> Verdict:
    return Verdict(facts.message.id, False, reason, rule, _kept_contacts(facts), None, None, facts)


def decide(message: Message, directory: Directory, state: LoggedState) -> Verdict:
    """Decide one message against the directory and what is logged so far. Pure."""
    f = _facts(message, directory, state)
    if f.logged_entry is not None:  # R0
        recorded = tuple(sorted(f.logged_entry.contacts))
        return _logged(f, Reason.ALREADY_LOGGED, Rule.R0, recorded or _thread_contacts(f))
    if f.sender is None:  # R1
        return _skipped(f, Reason.UNPARSEABLE, Rule.R1)
    if (not f.outbound and f.sender_never_listed) or (
        f.contacts and all(f.contacts.values())
    ):  # R2
        return _skipped(f, Reason.NEVER_LOG, Rule.R2)
    if f.outbound and f.logging_address is not None:  # R3
        user = directory.users[f.sending_user] if f.sending_user is not None else None
        if user is not None and user.personal_email_access:
            return _logged(f, Reason.BCC_ADDRESS, Rule.R3, _kept_contacts(f))
        return _skipped(f, Reason.NO_EMAIL_ACCESS, Rule.R3)
    if f.same_subject is not None:  # R4
        return _logged(f, Reason.THREAD_REPLY, Rule.R4, _thread_contacts(f))
    if directory.account.logging_rule is LoggingRule.REPLIES_ONLY:  # R5
        reason = Reason.SUBJECT_CHANGED if f.thread_matches else Reason.REPLIES_ONLY
        return _skipped(f, reason, Rule.R5)
    if (
        f.outbound
        and f.others
        and all(  # R6
            a.email is not None and a.email in directory.user_of for a in f.others
        )
    ):
        return _skipped(f, Reason.INTERNAL, Rule.R6)
    capturing = directory.users.get(f.capturing_user) if f.capturing_user is not None else None
    if capturing is None or not capturing.personal_email_access:  # R7
        return _skipped(f, Reason.NO_EMAIL_ACCESS, Rule.R7)
    if _has_contact_party(f):  # R8
        return _logged(f, Reason.LOG_ALL_CONTACT, Rule.R8, _kept_contacts(f))
    return _skipped(f, Reason.NOT_A_CONTACT, Rule.R9)  # R9


def _has_contact_party(f: Facts) -> bool:
    """R8: outbound to a (not never-listed) contact, or inbound from a contact."""
    contact_of = f.directory.contact_of
    if not f.outbound:
        return f.sender is not None and f.sender in contact_of
    return any(
        a.email is not None
        and (cid := contact_of.get(a.email)) is not None
        and not f.contacts.get(cid, False)
        for a in f.others
    )


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

    The given state is updated with every message that is logged.
    """
    state = state if state is not None else LoggedState()
    verdicts: list[Verdict | None] = [None] * len(messages)
    for i in chronological(messages):
        verdict = decide(messages[i], directory, state)
        state.record(messages[i], verdict)
        verdicts[i] = verdict
    return [v for v in verdicts if v is not None]
