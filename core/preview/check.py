"""One call for the check panel and the draft preview: verdict, trace, reply-all, warnings."""

from __future__ import annotations

from typing import NamedTuple

from core.preview.draft import as_draft
from core.preview.replyall import ReplyPrediction, predict
from core.preview.warnings import SendWarning, warnings_for
from core.rules.actions import Action, suggested_actions
from core.rules.directory import Directory
from core.rules.engine import LoggedState, decide
from core.rules.model import Message
from core.rules.trace import render_trace, summary
from core.rules.verdict import Step, Verdict


class Check(NamedTuple):
    """Everything the panel shows about an email about to be sent."""

    message: Message
    verdict: Verdict
    summary: str  # "Will be logged: ..." / "Won't be logged: ..."
    trace: tuple[Step, ...]
    contacts: tuple[str, ...]  # contact labels (with their owners)
    attributed_to: str | None  # a user label, when logged
    replies: tuple[ReplyPrediction, ...]
    warnings: tuple[SendWarning, ...]
    actions: tuple[Action, ...]


def _contact_labels(verdict: Verdict, d: Directory) -> tuple[str, ...]:
    return tuple(
        f"{d.contact_label(cid)} (owner: {_owner_label(cid, d)})" for cid in verdict.contacts
    )


def _owner_label(cid: str, d: Directory) -> str:
    """Who owns a contact, as the check names it ("no owner" when nobody does)."""
    contact = d.contacts.get(cid)
    return d.user_label(contact.owner) if contact and contact.owner else "no owner"


def check(message: Message, directory: Directory, state: LoggedState) -> Check:
    """Decide an email as a draft sent now, and gather what the rep should see. Pure."""
    draft = as_draft(message)
    verdict = decide(draft, directory, state)
    return Check(
        message=draft,
        verdict=verdict,
        summary=summary(verdict),
        trace=render_trace(verdict),
        contacts=_contact_labels(verdict, directory),
        attributed_to=directory.user_label(verdict.attributed_to) if verdict.logged else None,
        replies=predict(draft, verdict, directory, state),
        warnings=warnings_for(draft, verdict, directory),
        actions=suggested_actions(draft, verdict),
    )
