"""Who a contact's reply-all would count for: rule A2 applied to the predicted reply.

The reply of a contact to an email goes from that contact to the email's sender, with the other
To and Cc recipients in Cc (a reply-all never reaches the Bcc). The engine decides that reply
as received mail, after the email itself joined the ledger when it will be logged, so the
prediction also says whether the reply would be logged; the attribution is the engine's own
(``core.rules.engine.attribute``), never re-implemented here.
"""

from __future__ import annotations

from typing import NamedTuple

from core.i18n import _, format_number, lazy_pgettext, ngettext
from core.rules.addresses import Address
from core.rules.directory import Directory
from core.rules.engine import LoggedState, attribute, decide, inbound_recipients
from core.rules.model import Attribution, Folder, LoggedEntry, Message, Reason
from core.rules.subjects import normalize_subject
from core.rules.threads import thread_key
from core.rules.trace import REASON_TEXT
from core.rules.verdict import Verdict

# TRANSLATORS: small counts spelled out, as in "the only user among its three recipients".
_COUNTS = (
    lazy_pgettext("count", "no"),
    lazy_pgettext("count", "one"),
    lazy_pgettext("count", "two"),
    lazy_pgettext("count", "three"),
    lazy_pgettext("count", "four"),
    lazy_pgettext("count", "five"),
    lazy_pgettext("count", "six"),
    lazy_pgettext("count", "seven"),
    lazy_pgettext("count", "eight"),
    lazy_pgettext("count", "nine"),
    lazy_pgettext("count", "ten"),
)


class ReplyPrediction(NamedTuple):
    """A contact's predicted reply-all: who it counts for, why, and whether it is logged."""

    contact_id: str
    contact: str  # the contact's name (or address)
    address: str  # the address the contact is on the email with
    attributed_to: str | None  # a user id; None for no_contact_owner
    attribution: Attribution
    logged: bool
    reason: Reason
    sentence: str


def _count(n: int) -> str:
    return str(_COUNTS[n]) if 0 <= n < len(_COUNTS) else format_number(n)


def _sender(message: Message, d: Directory) -> Address | None:
    if message.sender is not None and message.sender.email is not None:
        return message.sender
    if message.is_draft and d.owner_address is not None:  # D1: a draft without From
        return Address(d.owner_address, "", d.owner_address)
    return None


def reply_all(message: Message, replier: Address, sender: Address) -> Message:
    """The reply-all ``replier`` would send: to the sender, the other recipients in Cc."""
    seen = {replier.email, sender.email}
    cc: list[Address] = []
    for a in (*message.to, *message.cc):
        if a.email is not None and a.email not in seen:
            seen.add(a.email)
            cc.append(a)
    subject = f"Re: {message.subject or ''}"
    refs = (*message.references, message.message_id) if message.message_id else ()
    reply_id = f"<reply-all.{replier.email}@mailscope.invalid>"
    return Message(
        id=f"reply-all:{replier.email}",
        folder=Folder.INBOX,
        sender=replier,
        to=(sender,),
        cc=tuple(cc),
        subject=subject,
        subject_key=normalize_subject(subject),
        message_id=reply_id,
        in_reply_to=message.message_id,
        references=refs,
        thread_key=thread_key(reply_id, message.message_id, refs),
        from_raw=replier.raw,
    )


def sentence(name: str, verdict: Verdict, who: str | None, why: Attribution, d: Directory) -> str:
    """The prediction as a rep reads it."""
    assert verdict.facts is not None
    reply = verdict.facts.message
    user = d.user_label(who)
    count, users = inbound_recipients(reply, d, verdict.facts.sender)
    values = {"name": name, "user": user, "count": _count(count), "users": _count(len(users))}
    if why is Attribution.SINGLE_RECIPIENT:
        text = _("If %(name)s replies to all, it counts for %(user)s, its only recipient.")
    elif why is Attribution.ONLY_USER_RECIPIENT:
        text = ngettext(
            "If %(name)s replies to all, it counts for %(user)s, the only user among its "
            "%(count)s recipients.",
            "If %(name)s replies to all, it counts for %(user)s, the only user among its "
            "%(count)s recipients.",
            count,
        )
    elif why is Attribution.CONTACT_OWNER:
        text = ngettext(
            "If %(name)s replies to all, it counts for %(user)s, %(name)s's owner, because "
            "%(users)s users are on the thread.",
            "If %(name)s replies to all, it counts for %(user)s, %(name)s's owner, because "
            "%(users)s users are on the thread.",
            len(users),
        )
    elif why is Attribution.NO_CONTACT_OWNER:
        text = ngettext(
            "If %(name)s replies to all, it counts for nobody: %(users)s users are on the "
            "thread and %(name)s has no contact owner.",
            "If %(name)s replies to all, it counts for nobody: %(users)s users are on the "
            "thread and %(name)s has no contact owner.",
            len(users),
        )
    else:
        text = _(
            "If %(name)s replies to all, it counts for %(user)s, the mailbox owner, because "
            "no user is among its recipients."
        )
    text %= values
    if not verdict.logged:
        text += _(" The reply itself would not be logged: %(reason)s.") % {
            "reason": REASON_TEXT[verdict.reason]
        }
    return text


def thread_entries(state: LoggedState, message: Message) -> LoggedState:
    """The part of ``state`` that a message (or a reply to it) can meet: a small copy.

    Every id a reply-all threads on (the message's own Message-ID, In-Reply-To, References and
    thread key) is looked up by id and by thread key, exactly as ``LoggedState.thread_matches``
    and R0 would; copying the whole ledger of a large mailbox per keystroke is what this avoids.
    """
    ids = {message.message_id, message.in_reply_to, message.thread_key, *message.references}
    found: dict[str, LoggedEntry] = {}
    for key in ids - {None}:
        assert key is not None
        if (entry := state.by_id.get(key)) is not None:
            found.setdefault(entry.message_id, entry)
        for entry in state.by_thread.get(key, ()):
            found.setdefault(entry.message_id, entry)
    return LoggedState(found.values())


def predict(
    message: Message, verdict: Verdict, directory: Directory, state: LoggedState
) -> tuple[ReplyPrediction, ...]:
    """For each contact on the email (To, Cc, Bcc), the attribution of their reply-all.

    ``verdict`` is the email's own; ``state`` what is logged before it (left unchanged).
    """
    sender = _sender(message, directory)
    if sender is None:
        return ()
    after = thread_entries(state, message)
    if verdict.logged:
        after.record(message, verdict)
    found: list[ReplyPrediction] = []
    seen: set[str] = set()
    for address in message.recipients:
        email = address.email
        cid = directory.contact_of.get(email) if email is not None else None
        if cid is None or cid in seen or email == sender.email:
            continue
        seen.add(cid)
        reply = decide(reply_all(message, address, sender), directory, after)
        assert reply.facts is not None
        who, why = attribute(reply.facts)
        name = directory.contact_label(cid)
        text = sentence(name, reply, who, why, directory)
        found.append(
            ReplyPrediction(cid, name, str(email), who, why, reply.logged, reply.reason, text)
        )
    return tuple(found)
