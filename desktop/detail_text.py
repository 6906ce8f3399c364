"""The detail pane's words: the message's header lines, the checks in plain words, the
technical details with the rule ids, the people and the attribution (as rich text)."""

from __future__ import annotations

import html

from PySide6.QtCore import QCoreApplication, QDateTime, QLocale

from core.rules.model import Attribution
from core.store.explain import Explanation

translate = QCoreApplication.translate  # lupdate reads translate("Context", "…")


def _esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def breakable(text: object) -> str:
    """Escaped text that wraps anywhere a long value (a Message-ID, an address) may break: a
    zero-width space after its separators and inside runs longer than 24 characters."""
    out: list[str] = []
    run = 0
    for char in str(text):
        out.append(char)
        run = 0 if char.isspace() else run + 1
        if char in "@.<>/-_=+" or run >= 24:
            out.append(ZWSP)
            run = 0
    return _esc("".join(out)).replace(ZWSP, "&#8203;")


ZWSP = "\u200b"


def plain_step(rule: str, text: str) -> str:
    """A trace step without its rule id ("R4: it belongs..." -> "It belongs...")."""
    head, sep, rest = text.partition(": ")
    found = rest if sep and head.strip() == rule else text
    return found[:1].upper() + found[1:]


def field(label: str) -> str:
    """A bold label and its colon, as the language writes it ("De :" in French)."""
    return "<b>" + _esc(translate("DetailPane", "%1:").replace("%1", label)) + "</b> "


def meta_html(record: object) -> str:
    from core.mail.utf7 import decode
    from core.store.queries import MessageRecord
    from desktop.sidebar import folder_name

    assert isinstance(record, MessageRecord)
    lines = []
    for kind, title in (
        ("from", translate("DetailPane", "From")),
        ("to", translate("DetailPane", "To")),
        ("cc", translate("DetailPane", "Cc")),
        ("bcc", translate("DetailPane", "Bcc")),
    ):
        people = record.of(kind)
        if people:
            shown = breakable(", ".join(a.raw for a in people))
            lines.append(field(title) + shown)
    date = record.columns.get("date")
    if isinstance(date, float | int):
        shown_at = QDateTime.fromSecsSinceEpoch(int(date))  # "jeu. 15 oct. 2026, 08:00"
        stamp = QLocale().toString(shown_at, "ddd d MMM yyyy, HH:mm")
        lines.append(field(translate("DetailPane", "Date")) + _esc(stamp))
    role = str(record.columns.get("folder_role") or "")
    folder = folder_name(role) or decode(str(record.columns.get("folder_name") or ""))
    lines.append(field(translate("DetailPane", "Folder")) + breakable(folder))
    return "<br>".join(lines)


def trace_html(found: Explanation) -> str:
    """The checks in plain words, the deciding one in bold (rule ids are technical)."""
    fired = found.verdict.rule.value
    items = [_step_item(step.rule, step.text, step.rule == fired) for step in found.trace]
    return "<ol style='margin-left:-18px'>" + "".join(items) + "</ol>"


def _step_item(rule: str, said: str, fired: bool) -> str:
    """One check of the trace as a list item, in bold when it decided."""
    text = breakable(plain_step(rule, said))
    return f"<li style='margin-bottom:3px'>{'<b>' + text + '</b>' if fired else text}</li>"


def technical_html(found: Explanation) -> str:
    """The rule ids of the trace and the message's identifiers, for support."""
    v, m = found.verdict, found.message
    lines = [
        field(translate("DetailPane", "Rule")) + f"{_esc(v.rule.value)} · {_esc(v.reason.value)}",
        f"Message-ID: {breakable(m.message_id or '-')}",
    ]
    lines += [breakable(step.text) for step in found.trace]
    return "<br>".join(lines)


def people_html(found: Explanation) -> str:
    """The participants the directory knows: contacts, then users."""
    none = _esc(translate("DetailPane", "none"))
    # Between the people of a list that already uses commas (French: "\u202f; ").
    separator = translate("DetailPane", "; ")
    contacts = separator.join(_esc(text) for text in found.contacts) or none
    users = separator.join(_esc(text) for text in found.users) or none
    return "<br>".join(
        (
            field(translate("DetailPane", "Contacts")) + contacts,
            field(translate("DetailPane", "Users")) + users,
        )
    )


def attribution_text(found: Explanation) -> str:
    v = found.verdict
    if not v.logged:
        return translate("DetailPane", "Not logged, so it counts in nobody's activity report.")
    step = next((s for s in found.trace if s.rule in ("A1", "A2")), None)
    who = found.attributed
    if v.attribution is Attribution.NO_CONTACT_OWNER:
        head = translate("DetailPane", "Counts for nobody.")
    else:
        head = translate("DetailPane", "Counts for %1.").replace("%1", who)
    if step is None:
        return head
    why = step.text.split(": ", 1)[-1]
    return f"{head} {why[:1].upper()}{why[1:]}"
