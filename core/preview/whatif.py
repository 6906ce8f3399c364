"""What-if: re-decide the recent mail of a mailbox under other settings, writing nothing.

In general the whole mailbox is decided twice, under the current settings and under the
changed ones (earlier mail changes later verdicts through the ledger), and only the last N
days are compared: counts per reason, logged emails per attributed user, and every message
whose verdict changes. ``compare`` is that general path, pure; ``simulate``
(``core.preview.whatif_cache``) only reads the cache, and when its verdicts are all settled
takes them as "before" and decides only where "after" may differ (checked against ``compare``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Final, NamedTuple

from core.i18n import _
from core.rules.addresses import normalize_email
from core.rules.directory import Directory
from core.rules.engine import LoggedState, decide_all
from core.rules.model import LoggingRule, Message, Reason
from core.rules.verdict import Verdict

DAY: Final = 86_400.0
DEFAULT_DAYS: Final = 90


@dataclass(frozen=True, slots=True)
class WhatIf:
    """The change to simulate: another logging rule, Never-log entries added or removed, the
    "Create new contacts from logged emails" beta turned on or off (rules R9b)."""

    rule: LoggingRule | None = None
    never_log_add: tuple[str, ...] = ()
    never_log_remove: tuple[str, ...] = ()
    days: int = DEFAULT_DAYS
    create_contacts: bool | None = None

    def describe(self) -> str:
        parts: list[str] = []
        if self.rule is not None:
            replies = self.rule is LoggingRule.REPLIES_ONLY
            # TRANSLATORS: the rule's code is English; say HubSpot's name of the setting.
            parts.append(_("logging rule replies_only") if replies else _("logging rule all"))
        if self.create_contacts is not None:
            parts.append(
                _("create contacts on") if self.create_contacts else _("create contacts off")
            )
        parts += [_("Never-log + %(entry)s") % {"entry": e} for e in self.never_log_add]
        parts += [_("Never-log - %(entry)s") % {"entry": e} for e in self.never_log_remove]
        return ", ".join(parts) or _("no change")


class WhatIfError(ValueError):
    """A simulation that cannot run as asked; the message is one line."""


def entry_key(entry: str) -> str:
    """A Never-log entry as compared: an address normalised, a domain without its ``@``."""
    text = entry.strip().lower()
    return (normalize_email(text) or text) if "@" in text.lstrip("@") else text.lstrip("@")


def _edit(entries: Sequence[str], add: Sequence[str], remove: Sequence[str]) -> tuple[str, ...]:
    gone = {entry_key(e) for e in remove}
    kept = [e for e in entries if entry_key(e) not in gone]
    have = {entry_key(e) for e in kept}
    kept += [e.strip() for e in add if entry_key(e) not in have]
    return tuple(kept)


def changed_directory(d: Directory, w: WhatIf) -> Directory:
    """The directory under the simulated settings (removals apply to the personal list too)."""
    for entry in (*w.never_log_add, *w.never_log_remove):
        if not entry_key(entry) or any(c.isspace() for c in entry.strip()):
            raise WhatIfError(_("%(entry)r is not an address or a domain") % {"entry": entry})
    account = replace(
        d.account,
        logging_rule=w.rule or d.account.logging_rule,
        never_log=_edit(d.account.never_log, w.never_log_add, w.never_log_remove),
        create_contacts=(
            d.account.create_contacts if w.create_contacts is None else w.create_contacts
        ),
    )
    users = [
        replace(u, never_log=_edit(u.never_log, (), w.never_log_remove)) for u in d.users.values()
    ]
    return Directory(account, users, d.contacts.values(), d.mailbox_owner)


class Change(NamedTuple):
    """A message whose verdict differs under the simulated settings."""

    message: Message
    before: Verdict
    after: Verdict


class WhatIfResult(NamedTuple):
    """The difference, over the messages of the window (``considered`` of them)."""

    whatif: WhatIf
    since: float | None
    considered: int
    reasons: dict[Reason, tuple[int, int]]  # reason -> (before, after)
    users: dict[str | None, tuple[int, int]]  # attributed user -> logged (before, after)
    user_labels: dict[str | None, str]
    changes: tuple[Change, ...]

    @property
    def logged(self) -> tuple[int, int]:
        return (
            sum(n for r, (n, _ids) in self.reasons.items() if r in LOGGED_REASONS),
            sum(n for r, (_, n) in self.reasons.items() if r in LOGGED_REASONS),
        )


LOGGED_REASONS: Final = frozenset(
    {
        Reason.ALREADY_LOGGED,
        Reason.BCC_ADDRESS,
        Reason.THREAD_REPLY,
        Reason.LOG_ALL_CONTACT,
        Reason.NEW_CONTACT,
    }
)


def in_window(message: Message, since: float | None) -> bool:
    """Drafts count as sent now; undated mail cannot be placed in a period."""
    if since is None or message.is_draft:
        return True
    return message.date is not None and message.date >= since


def compare(
    messages: Sequence[Message],
    before: Directory,
    after: Directory,
    state: LoggedState,
    since: float | None,
    whatif: WhatIf | None = None,
) -> WhatIfResult:
    """Decide the mailbox under both directories and compare the window. Pure."""
    old = decide_all(messages, before, state.copy())
    new = decide_all(messages, after, state.copy())
    reasons: dict[Reason, list[int]] = {r: [0, 0] for r in Reason}
    users: dict[str | None, list[int]] = {u: [0, 0] for u in before.users}
    changes: list[Change] = []
    considered = 0
    for message, a, b in zip(messages, old, new, strict=True):
        if not in_window(message, since):
            continue
        considered += 1
        reasons[a.reason][0] += 1
        reasons[b.reason][1] += 1
        for side, verdict in enumerate((a, b)):
            if verdict.logged:
                users.setdefault(verdict.attributed_to, [0, 0])[side] += 1
        if (a.logged, a.reason, a.contacts, a.attributed_to, a.attribution) != (
            b.logged,
            b.reason,
            b.contacts,
            b.attributed_to,
            b.attribution,
        ):
            changes.append(Change(message, a, b))
    return WhatIfResult(
        whatif=whatif or WhatIf(),
        since=since,
        considered=considered,
        reasons={r: (n[0], n[1]) for r, n in reasons.items() if n != [0, 0]},
        users={u: (n[0], n[1]) for u, n in users.items()},
        user_labels={u: before.user_label(u) for u in users},
        changes=tuple(changes),
    )
