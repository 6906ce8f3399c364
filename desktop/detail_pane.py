"""The detail pane: a message's verdict in one sentence, the rule trace, people, attribution,
suggested actions, and the body at once (text first; HTML only through ``SafeTextBrowser``).
"""

from __future__ import annotations

import html
import sqlite3
from collections.abc import Callable

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from core.mail.body import Body
from core.rules.actions import Action
from core.rules.trace import summary
from core.rules.vocabulary import action_label
from core.store.explain import Explanation, explain
from core.store.queries import message_record
from desktop import detail_text as words
from desktop import style
from desktop.ops import QueryOp, Tasks
from desktop.window_layout import RoomBelow

ActionHandler = Callable[[int, Action], None]


def _esc(text: object) -> str:
    return html.escape(str(text), quote=True)


WHY_OPEN_KEY = "detail/why_open"  # the Why fold, as the rep left it
TECH_OPEN_KEY = "detail/technical_open"


class DetailPane(QScrollArea):
    """Everything about the selected message; ``show_message(id)`` fills it."""

    body_requested = Signal(int)  # the main window fetches it in a worker
    action_triggered = Signal(int, object)  # row id, Action
    explained = Signal(int)  # row id: its verdict, trace and actions are shown

    def __init__(
        self,
        conn: sqlite3.Connection,
        tasks: Tasks,
        parent: QWidget | None = None,
        settings: QSettings | None = None,
    ):
        super().__init__(parent)
        self.tasks = tasks  # explanations are decided on its database thread
        self.settings = settings
        self._conn = conn
        self._handlers: dict[Action, ActionHandler] = {}
        self.message_id: int | None = None
        self.explanation: Explanation | None = None
        self._body: Body | None = None
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        inner = QWidget()
        inner.setObjectName("detailInner")
        self._layout = QVBoxLayout(inner)
        self._layout.setContentsMargins(18, 16, 18, 16)
        self._layout.setSpacing(10)
        self._build_message()
        self._build_folds()
        self._build_body()
        self._lay_out()
        self.setWidget(inner)
        self.clear()

    def _build_message(self) -> None:
        """The subject, the people and date, the verdict banner and its actions."""
        self.subject = self._label(selectable=True)
        font = self.subject.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.subject.setFont(font)
        self.meta = self._label(selectable=True)
        self.verdict = self._label()
        self.verdict.setObjectName("verdictBanner")
        self.verdict.setMargin(10)
        self.advice = self._label()
        self.advice.setObjectName("advice")
        self._actions = QHBoxLayout()
        self._actions.setSpacing(8)

    def _build_folds(self) -> None:
        """Why (the checks in plain words, people, attribution) and the technical details
        (rule ids, Message-ID): each folds away, as the rep left it."""
        self.why_fold = self._fold(self.tr("Why, who and for whom"), WHY_OPEN_KEY, False)
        self.why_box = QWidget()
        column = QVBoxLayout(self.why_box)
        column.setContentsMargins(14, 0, 0, 0)
        self.trace = self._label(selectable=True)
        self.people_title = self._section(self.tr("People"))
        self.people = self._label(selectable=True)
        self.attribution_title = self._section(self.tr("Attribution"))
        self.attribution = self._label(selectable=True)
        self.tech_fold = self._fold(self.tr("Technical details"), TECH_OPEN_KEY, False)
        self.technical = self._label(selectable=True)
        self.technical.setObjectName("technical")
        for widget in (
            self.trace, self.people_title, self.people, self.attribution_title,
            self.attribution, self.tech_fold, self.technical,
        ):  # fmt: skip
            column.addWidget(widget)
        self.why_title = self.why_fold  # the fold's button is the section's title
        self.why_fold.toggled.connect(lambda _on: self._show_folds())
        self.tech_fold.toggled.connect(lambda _on: self._show_folds())

    def _fold(self, title: str, key: str, default: bool) -> QToolButton:
        button = QToolButton()
        button.setText(title)
        button.setCheckable(True)
        button.setAutoRaise(True)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        opened = default
        if self.settings is not None:
            opened = self.settings.value(key, default, type=bool) is True
        button.setChecked(opened)

        def toggled(on: bool) -> None:
            button.setArrowType(Qt.ArrowType.DownArrow if on else Qt.ArrowType.RightArrow)
            if self.settings is not None:
                self.settings.setValue(key, on)

        button.toggled.connect(toggled)
        toggled(opened)
        return button

    def _show_folds(self) -> None:
        shown = self.explanation is not None
        self.why_fold.setVisible(shown)
        self.why_box.setVisible(shown and self.why_fold.isChecked())
        self.technical.setVisible(self.tech_fold.isChecked())

    def _build_body(self) -> None:
        """The body, fetched as soon as a message is shown: text first, HTML only through
        ``SafeTextBrowser``."""
        from desktop.safe_browser import SafeTextBrowser

        self.body_note = self._label()
        self.body = SafeTextBrowser()
        self.body.setMinimumHeight(160)
        self.body.hide()
        self.show_html = QPushButton(self.tr("Show formatted"))
        self.show_html.setCheckable(True)
        self.show_html.hide()
        self.show_html.toggled.connect(self._render_body)
        self.retry_body = QPushButton(self.tr("Try again"))
        self.retry_body.hide()
        self.retry_body.clicked.connect(self._ask_body)

    def _lay_out(self) -> None:
        """Reading order: the message, its verdict and actions, the folds, then the body."""
        for widget in (self.subject, self.meta, self.verdict, self.advice):
            self._layout.addWidget(widget)
        self._layout.addLayout(self._actions)
        self._layout.addWidget(self.why_fold)
        self._layout.addWidget(self.why_box)
        row = QHBoxLayout()
        row.addWidget(self.body_note, 1)
        row.addWidget(self.retry_body)
        row.addWidget(self.show_html)
        self._layout.addLayout(row)
        self._layout.addWidget(self.body, 1)
        self.room_below = RoomBelow(self._layout)  # an empty pane's room goes below its text

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
        if self.explanation is not None:
            self._set_actions(self.explanation.actions)

    # -- content --------------------------------------------------------------------------
    @property
    def _explanation_widgets(self) -> tuple[QWidget, ...]:
        """What an explained message shows (and an empty pane hides)."""
        return (self.verdict, self.why_fold, self.why_box)

    def clear(self) -> None:
        self.message_id = None
        self.explanation = None
        self._body = None
        self.subject.setText(_esc(self.tr("No message selected")))
        self.meta.setText(
            _esc(self.tr("Pick a message in the list to see whether the CRM will log it, and why."))
        )
        for widget in (*self._explanation_widgets, self.advice, self.show_html, self.body):
            widget.hide()
        self.body_note.hide()
        self.retry_body.hide()
        self._set_actions(())
        self.room_below.keep(True)

    def show_message(self, message_id: int) -> None:
        """Show one cached message at once and ask for its body; its verdict follows from a
        worker (the engine re-decides its thread there, never on the GUI thread)."""
        record = message_record(self._conn, message_id)
        if record is None:
            self.clear()
            return
        same = message_id == self.message_id and self._body is not None
        self.room_below.keep(False)
        self.message_id = message_id
        self.explanation = None
        cols = record.columns
        self.subject.setText(words.breakable(cols.get("subject") or self.tr("(no subject)")))
        self.meta.setText(words.meta_html(record))
        self.verdict.setText(_esc(self.tr("Deciding…")))
        self.verdict.setStyleSheet("")
        self.verdict.show()
        self.advice.hide()
        self._show_folds()
        self._set_actions(())
        if not same:  # a re-read of the same message keeps its body
            self._body = None
            self._ask_body()
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
        self.trace.setText(words.trace_html(found))
        self.people.setText(words.people_html(found))
        self.attribution.setText(words.breakable(words.attribution_text(found)))
        self.technical.setText(words.technical_html(found))
        self._show_advice(found)
        self._show_folds()
        self._set_actions(found.actions)
        self.explained.emit(message_id)

    def _show_advice(self, found: Explanation) -> None:
        """The advisories beside the verdict (bulk mail...), when the engine gives them."""
        from core.rules.vocabulary import advisory_sentence

        advisories = getattr(found, "advisories", ()) or ()
        texts = [advisory_sentence(a, found.verdict.logged) for a in advisories]
        self.advice.setText("<br>".join(_esc(t) for t in texts))
        self.advice.setVisible(bool(texts))

    def use_connection(self, conn: sqlite3.Connection) -> None:
        """Read another cache (another workspace; ``tasks`` follows it too)."""
        self._conn = conn

    def _show_verdict(self, found: Explanation) -> None:
        v = found.verdict
        t = style.tone(v.logged, v.reason.value, bool(getattr(found, "advisories", ())))
        bg, fg = style.hex_colours(t)
        icon = style.badge_icon(t)
        text = f"<span style='font-size:large'>{icon}</span>&nbsp; <b>{_esc(summary(v))}</b>"
        if not found.matches_stored:
            text += "<br>" + _esc(self.tr("The list shows an older verdict; sync to update it."))
        self.verdict.setText(text)
        self.verdict.setStyleSheet(
            f"QLabel#verdictBanner {{ background: {bg}; color: {fg}; border-radius: 6px; }}"
        )

    def _set_actions(self, actions: tuple[Action, ...]) -> None:
        while self._actions.count():
            item = self._actions.takeAt(0)
            widget = item.widget()
            if widget is not None:
                widget.hide()  # at once: a removed widget keeps painting until deleted
                widget.setParent(None)
                widget.deleteLater()
        for action in actions:
            handler = self._handlers.get(action)
            if handler is None:
                continue  # a control that does nothing is not shown
            button = QPushButton(action_label(action))
            button.setObjectName(f"action_{action.value}")
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
        self.retry_body.hide()
        self.show_html.hide()
        self.body.hide()
        self.body_note.setText(_esc(self.tr("Loading the message…")))
        self.body_note.show()
        self.body_requested.emit(self.message_id)

    def body_loaded(self, message_id: int, body: Body) -> None:
        if message_id != self.message_id:
            return
        self._body = body
        self.show_html.setVisible(body.html is not None)
        self.show_html.setChecked(body.text is None and body.html is not None)
        self._render_body()

    def body_failed(self, message_id: int, error: str) -> None:
        if message_id != self.message_id:
            return
        self.retry_body.show()
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
        explained = self.explanation is not None
        for label in (
            self.subject,
            self.meta,
            self.verdict,
            self.advice,
            self.trace,
            self.people,
            self.attribution,
        ):
            folded = label in (self.trace, self.people, self.attribution)
            if (
                label.isVisibleTo(self)
                or label in (self.subject, self.meta)
                or (folded and explained)
            ):
                doc = QTextDocument()
                doc.setHtml(label.text())
                parts.append(doc.toPlainText().replace(words.ZWSP, ""))
        return "\n".join(parts)
