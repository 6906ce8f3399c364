"""The detail pane: a message's verdict in one sentence, the rule trace, people, attribution,
suggested actions, and the body on demand (text first; HTML only through ``SafeTextBrowser``).
"""

from __future__ import annotations

import html
import sqlite3
from collections.abc import Callable

from PySide6.QtCore import QDateTime, QLocale, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from core.mail.body import Body
from core.rules.actions import ACTION_TEXT, Action
from core.rules.model import Attribution
from core.rules.trace import summary
from core.store.explain import Explanation, explain
from core.store.queries import message_record
from desktop import style
from desktop.ops import QueryOp, Tasks

ActionHandler = Callable[[int, Action], None]


def _esc(text: object) -> str:
    return html.escape(str(text), quote=True)


class DetailPane(QScrollArea):
    """Everything about the selected message; ``show_message(id)`` fills it."""

    body_requested = Signal(int)  # the main window fetches it in a worker
    action_triggered = Signal(int, object)  # row id, Action
    explained = Signal(int)  # row id: its verdict, trace and actions are shown

    def __init__(self, conn: sqlite3.Connection, tasks: Tasks, parent: QWidget | None = None):
        super().__init__(parent)
        self.tasks = tasks  # explanations are decided on its database thread
        self._conn = conn
        self._handlers: dict[Action, ActionHandler] = {}
        self.message_id: int | None = None
        self.explanation: Explanation | None = None
        self._body: Body | None = None
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        inner = QWidget()
        inner.setObjectName("detailInner")
        self._layout = QVBoxLayout(inner)
        self._layout.setContentsMargins(18, 16, 18, 16)
        self._layout.setSpacing(10)
        self._build_message()
        self._build_body()
        self._lay_out()
        self.setWidget(inner)
        self.clear()

    def _build_message(self) -> None:
        """The subject, the people and date, the verdict banner and its sections."""
        self.subject = self._label(selectable=True)
        font = self.subject.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.subject.setFont(font)
        self.meta = self._label(selectable=True)
        self.verdict = self._label()
        self.verdict.setObjectName("verdictBanner")
        self.verdict.setMargin(10)
        self._actions = QHBoxLayout()
        self._actions.setSpacing(8)
        self.why_title = self._section(self.tr("Why"))
        self.trace = self._label(selectable=True)
        self.people_title = self._section(self.tr("People"))
        self.people = self._label(selectable=True)
        self.attribution_title = self._section(self.tr("Attribution"))
        self.attribution = self._label(selectable=True)

    def _build_body(self) -> None:
        """The body on demand: text first, HTML only through ``SafeTextBrowser``."""
        from desktop.safe_browser import SafeTextBrowser

        self.message_title = self._section(self.tr("Message"))
        self.show_body = QPushButton(self.tr("Show the message"))
        self.show_body.clicked.connect(self._ask_body)
        self.body_note = self._label()
        self.body = SafeTextBrowser()
        self.body.setMinimumHeight(220)
        self.body.hide()
        self.show_html = QPushButton(self.tr("Show formatted"))
        self.show_html.setCheckable(True)
        self.show_html.hide()
        self.show_html.toggled.connect(self._render_body)

    def _lay_out(self) -> None:
        """The widgets in reading order: the message, its verdict and why, then the body."""
        for widget in (self.subject, self.meta, self.verdict):
            self._layout.addWidget(widget)
        self._layout.addLayout(self._actions)
        for widget in (
            self.why_title,
            self.trace,
            self.people_title,
            self.people,
            self.attribution_title,
            self.attribution,
            self.message_title,
        ):
            self._layout.addWidget(widget)
        row = QHBoxLayout()
        row.addWidget(self.show_body)
        row.addWidget(self.show_html)
        row.addStretch(1)
        self._layout.addLayout(row)
        self._layout.addWidget(self.body_note)
        self._layout.addWidget(self.body, 1)
        self._layout.addStretch(0)

    # -- building blocks ------------------------------------------------------------------
    def _label(self, selectable: bool = False) -> QLabel:
        label = QLabel()
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        if selectable:
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    def _section(self, title: str) -> QLabel:
        label = QLabel(title.upper())
        font = label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 0.85)
        font.setLetterSpacing(font.SpacingType.PercentageSpacing, 108)
        label.setFont(font)
        label.setContentsMargins(0, 8, 0, 0)
        return label

    def register_action(self, action: Action, handler: ActionHandler) -> None:
        """Enable an action's button: ``handler(row_id, action)`` runs when it is clicked."""
        self._handlers[action] = handler
        if self.message_id is not None:
            self.show_message(self.message_id)

    # -- content --------------------------------------------------------------------------
    @property
    def _explanation_widgets(self) -> tuple[QWidget, ...]:
        """What a selected message shows (and an empty pane hides): verdict, why, people, ..."""
        return (
            self.verdict,
            self.why_title,
            self.trace,
            self.people_title,
            self.people,
            self.attribution_title,
            self.attribution,
            self.message_title,
            self.show_body,
        )

    def clear(self) -> None:
        self.message_id = None
        self.explanation = None
        self._body = None
        self.subject.setText(_esc(self.tr("No message selected")))
        self.meta.setText(
            _esc(self.tr("Pick a message in the list to see whether the CRM will log it, and why."))
        )
        for widget in (*self._explanation_widgets, self.show_html, self.body, self.body_note):
            widget.hide()
        self._set_actions(())

    def show_message(self, message_id: int) -> None:
        """Show one cached message at once; its verdict follows from a worker (the engine
        re-decides its thread there, never on the GUI thread)."""
        record = message_record(self._conn, message_id)
        if record is None:
            self.clear()
            return
        self.message_id = message_id
        self.explanation = None
        self._body = None
        cols = record.columns
        self.subject.setText(_esc(cols.get("subject") or self.tr("(no subject)")))
        self.meta.setText(self._meta_html(record))
        self.verdict.setText(_esc(self.tr("Deciding…")))
        self.verdict.setStyleSheet("")
        self.verdict.show()
        for widget in self._explanation_widgets[1:]:
            widget.hide()
        self.show_html.hide()
        self.body.hide()
        self.body_note.hide()
        self._set_actions(())
        op = QueryOp(
            self.tasks,
            lambda conn: explain(conn, message_id),
            lambda found: self._explained(message_id, found),
        )
        # A vanished row or a busy cache: the pane says it has no answer.
        op.failure(lambda _error: self._explained(message_id, None))
        op.latest("explain").run_in_background()

    def _explained(self, message_id: int, found: object) -> None:
        if message_id != self.message_id:
            return  # another message was selected meanwhile
        if not isinstance(found, Explanation):
            self.clear()
            return
        self.explanation = found
        self._show_verdict(found)
        self.trace.setText(self._trace_html(found))
        self.people.setText(self._people_html(found))
        self.attribution.setText(_esc(self._attribution_text(found)))
        for widget in self._explanation_widgets:
            widget.show()
        self.show_body.setEnabled(True)
        self._set_actions(found.actions)
        self.explained.emit(message_id)

    def use_connection(self, conn: sqlite3.Connection) -> None:
        """Read another cache (another workspace; ``tasks`` follows it too)."""
        self._conn = conn

    def _meta_html(self, record: object) -> str:
        from core.store.queries import MessageRecord

        assert isinstance(record, MessageRecord)
        lines = []
        for kind, title in (
            ("from", self.tr("From")),
            ("to", self.tr("To")),
            ("cc", self.tr("Cc")),
            ("bcc", self.tr("Bcc")),
        ):
            people = record.of(kind)
            if people:
                lines.append(self._field(title) + _esc(", ".join(a.raw for a in people)))
        date = record.columns.get("date")
        if isinstance(date, float | int):
            shown = QDateTime.fromSecsSinceEpoch(int(date))  # "jeu. 15 oct. 2026 08:00"
            stamp = QLocale().toString(shown, "ddd d MMM yyyy, HH:mm")
            lines.append(self._field(self.tr("Date")) + _esc(stamp))
        folder = record.columns.get("folder_name")
        lines.append(self._field(self.tr("Folder")) + _esc(folder))
        return "<br>".join(lines)

    def _field(self, label: str) -> str:
        """A bold label and its colon, as the language writes it ("De :" in French)."""
        return "<b>" + _esc(self.tr("%1:").replace("%1", label)) + "</b> "

    def _show_verdict(self, found: Explanation) -> None:
        v = found.verdict
        t = style.tone(v.logged, v.reason.value)
        bg, fg = style.hex_colours(t)
        icon = style.badge(v.logged, v.reason.value).icon
        text = f"<span style='font-size:large'>{icon}</span>&nbsp; <b>{_esc(summary(v))}</b>"
        if not found.matches_stored:
            text += "<br>" + _esc(self.tr("The list shows an older verdict; sync to update it."))
        self.verdict.setText(text)
        self.verdict.setStyleSheet(
            f"QLabel#verdictBanner {{ background: {bg}; color: {fg}; border-radius: 6px; }}"
        )

    def _trace_html(self, found: Explanation) -> str:
        items = []
        for step in found.trace:
            fired = step.rule == found.verdict.rule.value
            text = _esc(step.text)
            items.append(
                f"<li style='margin-bottom:3px'>{'<b>' + text + '</b>' if fired else text}</li>"
            )
        return "<ol style='margin-left:-18px'>" + "".join(items) + "</ol>"

    def _people_html(self, found: Explanation) -> str:
        contacts = [_esc(text) for text in found.contacts]
        users = [_esc(text) for text in found.users]
        lines = []
        none = _esc(self.tr("none"))
        # Between the people of a list that already uses commas (French: "\u202f; ").
        separator = self.tr("; ")
        lines.append(self._field(self.tr("Contacts")) + (separator.join(contacts) or none))
        lines.append(self._field(self.tr("Users")) + (separator.join(users) or none))
        return "<br>".join(lines)

    def _attribution_text(self, found: Explanation) -> str:
        v = found.verdict
        if not v.logged:
            return self.tr("Not logged, so it counts in nobody's activity report.")
        step = next((s for s in found.trace if s.rule in ("A1", "A2")), None)
        who = found.attributed
        if v.attribution is Attribution.NO_CONTACT_OWNER:
            head = self.tr("Counts for nobody.")
        else:
            head = self.tr("Counts for %1.").replace("%1", who)
        if step is None:
            return head
        why = step.text.split(": ", 1)[-1]
        return f"{head} {why[:1].upper()}{why[1:]}"

    def _set_actions(self, actions: tuple[Action, ...]) -> None:
        while self._actions.count():
            item = self._actions.takeAt(0)
            widget = item.widget()
            if widget is not None:
                widget.hide()  # at once: a removed widget keeps painting until deleted
                widget.setParent(None)
                widget.deleteLater()
        for action in actions:
            button = QPushButton(str(ACTION_TEXT[action]))
            button.setObjectName(f"action_{action.value}")
            handler = self._handlers.get(action)
            if handler is None:
                button.setEnabled(False)
                button.setToolTip(self.tr("Arrives with the CRM connection (not wired yet)."))
            else:
                button.clicked.connect(lambda _=False, a=action: self._run(a))
            self._actions.addWidget(button)
        self._actions.addStretch(1)

    def _run(self, action: Action) -> None:
        if self.message_id is None:
            return
        self.action_triggered.emit(self.message_id, action)
        self._handlers[action](self.message_id, action)

    # -- the body -------------------------------------------------------------------------
    def _ask_body(self) -> None:
        if self.message_id is None:
            return
        self.show_body.setEnabled(False)
        self.body_note.setText(_esc(self.tr("Loading the message…")))
        self.body_note.show()
        self.body_requested.emit(self.message_id)

    def body_loaded(self, message_id: int, body: Body) -> None:
        if message_id != self.message_id:
            return
        self._body = body
        self.show_body.hide()
        self.show_html.setVisible(body.html is not None)
        self.show_html.setChecked(body.text is None and body.html is not None)
        self._render_body()

    def body_failed(self, message_id: int, error: str) -> None:
        if message_id != self.message_id:
            return
        self.show_body.setEnabled(True)
        self.body_note.setText(_esc(self.tr("Cannot show the message: %1").replace("%1", error)))
        self.body_note.show()

    def _render_body(self) -> None:
        body = self._body
        if body is None:
            return
        if self.show_html.isChecked() and body.html is not None:
            self.body.show_html(body.html, body.inline)
            note = self.tr("Formatted view: remote images and files are never loaded.")
        else:
            self.body.show_text(body.text if body.text is not None else "")
            note = "" if body.text is not None else self.tr("This message has no plain text.")
        if body.attachments:
            note = (note + " " if note else "") + self.tr("Attachments: %1").replace(
                "%1", ", ".join(body.attachments)
            )
        self.body_note.setText(_esc(note))
        self.body_note.setVisible(bool(note))
        self.body.show()

    def plain_text(self) -> str:
        """What the pane says, as plain text (tests, accessibility, copy)."""
        from PySide6.QtGui import QTextDocument

        parts = []
        for label in (
            self.subject,
            self.meta,
            self.verdict,
            self.trace,
            self.people,
            self.attribution,
        ):
            if label.isVisibleTo(self) or label in (self.subject, self.meta):
                doc = QTextDocument()
                doc.setHtml(label.text())
                parts.append(doc.toPlainText())
        return "\n".join(parts)
