"""``check_compose`` and the add-BCC fix: the verdict of an email being written in Thunderbird.

The same call as the app's "Check an email" panel (``core.preview.check``): the draft decided
as if sent now against the ledger and the logged mail of its thread, its warnings (Never-log,
subject changed, not a contact) and each contact's reply-all attribution.
"""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from typing import Any

from core.i18n import lazy_gettext
from core.preview.check import Check, check
from core.preview.draft import Composition, compose, ledger, thread_state
from core.preview.warnings import SendWarning
from core.rules.actions import ACTION_TEXT, Action
from core.rules.addresses import normalize_email, parse_address_list
from core.rules.directory import Directory
from core.rules.model import AccountSettings, Message
from core.store.accounts import Account
from core.store.lookup import stored_verdicts
from core.store.redecide import load_message
from core.thunderbird import answers
from core.thunderbird.protocol import ProtocolError
from core.thunderbird.requests import Draft

NO_BCC_ADDRESS = lazy_gettext(
    "The account has no BCC address set (see the account settings in Mailscope)."
)


def _parent(conn: sqlite3.Connection, account: Account, message_id: str | None) -> Message | None:
    """The message a reply answers: its cached copy, else just its Message-ID."""
    if message_id is None:
        return None
    for copy in stored_verdicts(conn, account.id, message_id):
        found = load_message(conn, copy.row)
        if found is not None:
            return found
    return Message(id="parent", message_id=message_id, thread_key=message_id)


def draft_message(conn: sqlite3.Connection, account: Account, d: Draft) -> Message:
    """The engine message of the email being written (threaded on the message it answers)."""
    return compose(
        Composition(
            to=", ".join(d.to),
            cc=", ".join(d.cc),
            bcc=", ".join(d.bcc),
            subject=d.subject,
            sender=d.sender or None,
            replies_to=_parent(conn, account, d.replies_to),
        )
    )


def _warning(w: SendWarning) -> dict[str, Any]:
    return {
        "kind": w.kind.value,
        "text": w.text,
        "address": w.address,
        "fixes": [{"action": f.value, "label": str(ACTION_TEXT[f])} for f in w.fixes],
        "subject": w.subject,
    }


def _replies(result: Check) -> list[dict[str, Any]]:
    return [
        {
            "contact": p.contact_id,
            "name": p.contact,
            "email": p.address,
            "attributed_to": p.attributed_to,
            "attribution": p.attribution.value,
            "logged": p.logged,
            "reason": p.reason.value,
            "sentence": p.sentence,
        }
        for p in result.replies
    ]


def check_draft(conn: sqlite3.Connection, account: Account, d: Draft) -> dict[str, Any]:
    """The answer fields of ``check_compose``."""
    directory, logged = ledger(conn, account)
    message = draft_message(conn, account, d)
    result = check(message, directory, thread_state(conn, account, message, logged))
    names = _user_names(result, directory)
    return {
        "account": account.name,
        **answers.verdict_fields(result.verdict, directory),
        "people": answers.people(result.message, directory),
        "warnings": [_warning(w) for w in result.warnings],
        "replies": _replies(result),
        "user_names": names,
        "actions": answers.action_list(result.actions, _unavailable(directory.account)),
        "bcc_address": directory.account.bcc_address,
        "thread": {"key": message.thread_key if d.replies_to else None,
                   "subject_key": message.subject_key},
    }  # fmt: skip


def _user_names(result: Check, directory: Directory) -> dict[str, str]:
    """The name of each user a reply would be attributed to, by id."""
    return {
        p.attributed_to: directory.user_label(p.attributed_to)
        for p in result.replies
        if p.attributed_to
    }


def _unavailable(settings: AccountSettings) -> dict[Action, str]:
    return {} if settings.bcc_address else {Action.ADD_BCC: str(NO_BCC_ADDRESS)}


def _on_bcc(d: Draft, email: str | None) -> bool:
    """Whether an address of the draft's Bcc is ``email``."""
    return email in {a.email for written in d.bcc for a in parse_address_list(written)}


def with_bcc(conn: sqlite3.Connection, account: Account, d: Draft) -> tuple[Draft, str, bool]:
    """The draft with the account's BCC address added: (draft, address, added)."""
    directory, _ = ledger(conn, account)
    address = directory.account.bcc_address
    if not address:
        raise ProtocolError("refused", str(NO_BCC_ADDRESS))
    if _on_bcc(d, normalize_email(address)):
        return d, address, False
    return replace(d, bcc=(*d.bcc, address)), address, True
