"""What a decision gives back: the verdict, the facts it was decided from, its trace's steps.

Values only, above the directory they refer to and below the engine that makes them: the
engine (``core.rules.engine``) builds ``Facts`` and a ``Verdict`` per message, and
``core.rules.trace.render_trace`` turns a verdict's facts into ``Step`` sentences, so the
explanation can never drift from the decision.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from core.rules.model import Attribution, LoggedEntry, Message, Reason, Rule

if TYPE_CHECKING:  # an annotation only: the directory's module is not needed to read a verdict
    from core.rules.directory import Directory


class Facts(NamedTuple):
    """What the engine established about a message before the rules ran; the trace's source."""

    message: Message
    directory: Directory
    sender: str | None  # normalised From, or the owner's address for a draft without one
    outbound: bool
    sending_user: str | None
    capturing_user: str | None
    contacts: dict[str, bool]  # contact id -> never-listed (N2), in order of appearance
    kept: tuple[str, ...]  # section 5: the contacts that are not never-listed, sorted
    sender_never_listed: bool
    logging_address: str | None
    logged_entry: LoggedEntry | None
    thread_matches: tuple[LoggedEntry, ...]
    same_subject: LoggedEntry | None


class Step(NamedTuple):
    """One step of a verdict's trace: the rule it belongs to (or "" for facts) and a sentence."""

    rule: str
    text: str


class Verdict(NamedTuple):
    """Whether a message will be logged, why, with whom and for whom.

    ``contacts`` are sorted contact ids; ``attributed_to`` and ``attribution`` are None when the
    message is not logged (and ``attributed_to`` may be None for ``no_contact_owner``).
    ``facts`` are what the engine established before the rules ran;
    ``core.rules.trace.render_trace`` renders them as the ordered steps a rep reads.
    """

    id: str
    logged: bool
    reason: Reason
    rule: Rule
    contacts: tuple[str, ...]
    attributed_to: str | None
    attribution: Attribution | None
    facts: Facts | None = None

    def as_dict(self) -> dict[str, object]:
        """The exchange form of rules section 8 (no trace)."""
        return {
            "id": self.id,
            "logged": self.logged,
            "reason": self.reason.value,
            "contacts": list(self.contacts),
            "attributed_to": self.attributed_to,
            "attribution": self.attribution.value if self.attribution else None,
        }
