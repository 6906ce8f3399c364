"""The "check an email" panel: type recipients, a subject, pick the message it answers, and see
live whether the CRM will log it, with which contacts, for whom, why, each contact's reply-all
attribution, and the warnings with their fixes. It also previews a cached draft
(``show_draft``), where "Add the BCC address" rewrites the draft in the mailbox.

Constructed with a connection factory and an account name. Deciding runs on the GUI thread:
the directory and the CRM ledger are read in ``reload``, and per email only the cached mail
of its thread (``core.preview.draft.thread_state``, an indexed lookup), so a keystroke costs
well under a millisecond of engine time whatever the mailbox size.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from html import escape as _escape

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from core.preview.check import Check, check
from core.preview.draft import (
    Composition,
    compose,
    edited,
    ledger,
    reply_subject,
    thread_state,
)
from core.preview.warnings import SendWarning
from core.rules.actions import Action
from core.rules.directory import Directory
from core.rules.engine import LoggedState
from core.rules.model import Message
from core.rules.vocabulary import action_label
from core.store.accounts import Account, get_account
from core.store.places import replied_row
from core.store.queries import message_record, recent_messages
from core.store.redecide import load_message
from desktop.address_edit import AddressEdit
from desktop.check_parts import clear_layout as _clear_layout
from desktop.check_parts import heading as _heading
from desktop.check_parts import label as _label
from desktop.check_parts import message_finder as _message_finder
from desktop.detail_text import plain_step

translate = QCoreApplication.translate  # lupdate reads translate("Context", "…")

Connect = Callable[[], sqlite3.Connection]
DEBOUNCE_MS = 120  # re-decide this long after the last keystroke
COMPLETE = re.compile(r"[^\s@<>,]+@[^\s@<>,]+\.[^\s@<>,.]{2,}")  # a whole address, typed


def escape(text: str) -> str:
    """Text for a rich-text label (quotes stay as typed: they are no attribute here)."""
    return _escape(text, quote=False)


class CheckPanel(QWidget):
    """Live verdict of an email being written (or of a cached draft)."""

    checked = Signal(object)  # Check, after every re-decision
    add_bcc_requested = Signal(int)  # a draft's row id: the rep clicked "Add the BCC address"
    create_contact_requested = Signal(str)  # an address
    ask_admin_requested = Signal()  # "Ask an account admin" (no personal email access)

    def __init__(self, connect: Connect, account: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._connect = connect
        self._conn = connect()
        self.account_name = account
        self.account: Account | None = None
        self.directory: Directory | None = None
        self.logged = LoggedState()  # the CRM's ledger; cached mail is read per email
        self.draft_row: int | None = None
        # Set by whoever connects ``create_contact_requested`` (the CRM actions); until then
        # the "Create the contact" fix is shown disabled.
        self.can_create_contacts = False
        self.result: Check | None = None
        self._parents: dict[int, Message] = {}
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.evaluate)
        self._build()
        self.reload()

    # -- layout -----------------------------------------------------------------------------
    def _build(self) -> None:
        self.to, self.cc, self.bcc = AddressEdit(self), AddressEdit(self), AddressEdit(self)
        self.subject = QLineEdit(self)
        self.replies_to = _message_finder(self)
        self.draft_label = QLabel(self)
        self.draft_label.setVisible(False)
        self.verdict = _label(self, "verdict", self.tr("Type a recipient to see the verdict."))
        self.verdict.setTextFormat(Qt.TextFormat.RichText)
        self.details = _label(self, "details")
        self.warnings = QVBoxLayout()
        self.replies = _label(self, "replies")
        self.trace = _label(self, "trace")
        self.trace.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self._scrolled())

    def _form(self) -> QFormLayout:
        form = QFormLayout()
        for label, field, hint in (
            (
                self.tr("To"),
                self.to,
                self.tr("names or addresses, separated by commas"),
            ),
            (self.tr("Cc"), self.cc, ""),
            (self.tr("Bcc"), self.bcc, ""),
            (self.tr("Subject"), self.subject, ""),
        ):
            field.setObjectName(label.lower())
            field.setPlaceholderText(hint)
            field.textChanged.connect(self._changed)
            field.editingFinished.connect(self._changed)  # the last address is typed in full
            form.addRow(label, field)
        form.addRow(self.tr("Replies to"), self.replies_to)
        self.replies_to.currentIndexChanged.connect(self._parent_changed)
        return form

    def _scrolled(self) -> QScrollArea:
        """The form over the verdict, the warnings, the reply-all line and the trace."""
        body = QWidget(self)
        column = QVBoxLayout(body)
        column.addLayout(self._buttons())
        column.addWidget(self.draft_label)
        column.addLayout(self._form())
        for widget in (self.verdict, self.details):
            column.addWidget(widget)
        column.addLayout(self.warnings)
        column.addWidget(_heading(self.tr("If a contact replies to all")))
        column.addWidget(self.replies)
        column.addWidget(_heading(translate("CheckPanel", "Why (the checks, in order)")))
        column.addWidget(self.trace)
        column.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(body)
        return scroll

    def _buttons(self) -> QHBoxLayout:
        """New email (forgets the draft and the message it answers) and Clear (the fields)."""
        row = QHBoxLayout()
        self.new_button = QPushButton(translate("CheckPanel", "&New email"), self)
        self.new_button.setObjectName("newEmail")
        self.new_button.clicked.connect(lambda _=False: self.clear())
        self.clear_button = QPushButton(translate("CheckPanel", "C&lear"), self)
        self.clear_button.setObjectName("clearFields")
        self.clear_button.clicked.connect(lambda _=False: self.clear_fields())
        row.addWidget(self.new_button)
        row.addWidget(self.clear_button)
        row.addStretch(1)
        return row

    # -- data -------------------------------------------------------------------------------
    def set_account(self, name: str) -> None:
        """Check emails of another account (clears the form)."""
        self.account_name = name
        self._conn.close()
        self._conn = self._connect()  # the window may have switched to another cache file
        self._parents.clear()
        self.clear()
        self.reload()

    def reload(self) -> None:
        """Re-read the directory, the ledger and the recent messages (after a sync or action)."""
        self.account = get_account(self._conn, self.account_name)
        if self.account is None:
            self.directory, self.logged = None, LoggedState()
            self.verdict.setText(
                self.tr("No account named {0}.").format(self.account_name)
                if self.account_name
                else self.tr("Add or open a mailbox first.")
            )
            return
        self.directory, self.logged = ledger(self._conn, self.account)
        users = self.directory.users.values()
        entries = [f"{u.label} <{u.email}>" for u in users]
        for c in self.directory.contacts.values():
            entries += [f"{c.label} <{e}>" for e in (c.email, *c.additional_emails)]
        for edit in (self.to, self.cc, self.bcc):
            edit.set_addresses(entries)
        self._fill_parents()
        self._changed()

    def _fill_parents(self) -> None:
        assert self.account is not None
        current = self.replies_to.currentData()
        self.replies_to.blockSignals(True)
        self.replies_to.clear()
        self.replies_to.addItem(self.tr("(a new email)"), None)
        for row_id, label in recent_messages(self._conn, self.account.id, limit=500):
            self.replies_to.addItem(label, row_id)
        index = self.replies_to.findData(current) if current is not None else 0
        self.replies_to.setCurrentIndex(max(index, 0))
        self.replies_to.blockSignals(False)

    def _typed(self, edit: QLineEdit) -> str:
        """A field's addresses, less the one still being typed: the last part of the field
        with the focus is judged once it is a complete address (no "ka is outside the team"
        while typing "ka...")."""
        text = edit.text()
        if not edit.hasFocus():
            return text
        head, _, last = text.rpartition(",")
        return text if COMPLETE.search(last) or not last.strip() else head

    def composition(self) -> Composition:
        row = self.replies_to.currentData()
        parent = self._parent(int(row)) if row is not None else None
        return Composition(
            to=self._typed(self.to),
            cc=self._typed(self.cc),
            bcc=self._typed(self.bcc),
            subject=self.subject.text(),
            sender=self.directory.owner_address if self.directory is not None else None,
            replies_to=parent,
        )

    def _parent(self, row_id: int) -> Message | None:
        if row_id not in self._parents:
            found = load_message(self._conn, row_id)
            if found is None:
                return None
            self._parents[row_id] = found
        return self._parents[row_id]

    # -- a cached draft ---------------------------------------------------------------------
    def show_draft(self, row_id: int) -> bool:
        """Fill the form from a cached draft (False when the row is gone)."""
        record = message_record(self._conn, row_id)
        message = load_message(self._conn, row_id)
        if record is None or message is None:
            return False
        self.draft_row = row_id
        self.draft_label.setText(self.tr("Draft: {0}").format(escape(message.subject or "")))
        self.draft_label.setVisible(True)
        self._set_fields(
            ", ".join(a.raw for a in record.of("to")),
            ", ".join(a.raw for a in record.of("cc")),
            ", ".join(a.raw for a in record.of("bcc")),
            message.subject or "",
        )
        parent = self._parent_row(message)
        self.replies_to.setCurrentIndex(max(self.replies_to.findData(parent), 0))
        self.evaluate()
        return True

    def _parent_row(self, message: Message) -> int | None:
        if message.in_reply_to is None or self.account is None:
            return None
        return replied_row(self._conn, self.account.id, message.in_reply_to)

    def clear(self) -> None:
        """An empty form for a new email."""
        self.draft_row = None
        self.draft_label.setVisible(False)
        self._set_fields("", "", "", "")
        self.replies_to.setCurrentIndex(0)

    def clear_fields(self) -> None:
        """Empty the recipients and the subject (the draft and "Replies to" stay)."""
        self._set_fields("", "", "", "")

    def _set_fields(self, to: str, cc: str, bcc: str, subject: str) -> None:
        for edit, text in ((self.to, to), (self.cc, cc), (self.bcc, bcc), (self.subject, subject)):
            edit.blockSignals(True)
            edit.setText(text)
            edit.blockSignals(False)
        self._changed()

    # -- deciding ---------------------------------------------------------------------------
    def _changed(self, _text: str = "") -> None:
        self._timer.start()

    def _parent_changed(self, _index: int) -> None:
        row = self.replies_to.currentData()
        parent = self._parent(int(row)) if row is not None else None
        if parent is not None and not self.subject.text().strip():
            self.subject.setText(reply_subject(parent))
        self._changed()

    def evaluate(self) -> Check | None:
        """Decide the email now and show the result (also run by the debounce timer)."""
        self._timer.stop()
        if self.directory is None:
            return None
        c = self.composition()
        if not (c.to.strip() or c.cc.strip() or c.bcc.strip()):
            self.result = None
            self._show_empty()
            return None
        draft = self._draft_message(c)
        assert self.account is not None
        state = thread_state(self._conn, self.account, draft, self.logged)
        self.result = check(draft, self.directory, state)
        self._show(self.result)
        self.checked.emit(self.result)
        return self.result

    def _draft_message(self, c: Composition) -> Message:
        message = compose(c)
        if self.draft_row is None:
            return message
        original = load_message(self._conn, self.draft_row)
        return message if original is None else edited(original, c)

    def _show_empty(self) -> None:
        self.verdict.setText(self.tr("Type a recipient to see the verdict."))
        for label in (self.details, self.replies, self.trace):
            label.clear()
        _clear_layout(self.warnings)

    def _show(self, r: Check) -> None:
        assert self.directory is not None
        colour = "#1b6b2f" if r.verdict.logged else ("#8a5300" if r.actions else "#4a5563")
        icon = "✓" if r.verdict.logged else ("!" if r.actions else "✕")
        self.verdict.setText(
            f'<span style="font-size:15px; font-weight:600; color:{colour}">'
            f"{icon} {escape(r.summary)}</span>"
        )
        contacts = ", ".join(r.contacts) or self.tr("no contact")
        lines = [self.tr("Contacts: {0}").format(escape(contacts))]
        if r.verdict.logged:
            who = r.attributed_to or self.tr("nobody")
            lines.append(self.tr("Counts for: {0}").format(escape(who)))
        self.details.setText("<br>".join(lines))
        self.replies.setText(
            "<br>".join(escape(p.sentence) for p in r.replies)
            or self.tr("No contact on this email.")
        )
        self.trace.setText(
            "<br>".join(f"• {escape(plain_step(step.rule, step.text))}" for step in r.trace)
        )
        self.trace.setToolTip("\n".join(step.text for step in r.trace))  # with the rule ids
        _clear_layout(self.warnings)
        for warning in r.warnings:
            self.warnings.addWidget(self._warning_box(warning))

    def _warning_box(self, warning: SendWarning) -> QFrame:
        box = QFrame(self)
        box.setObjectName(f"warning_{warning.kind.value}")
        box.setFrameShape(QFrame.Shape.StyledPanel)
        column = QVBoxLayout(box)  # the text above its fixes: a long sentence is not squeezed
        text = QLabel(f"⚠ {escape(warning.text)}", box)
        text.setWordWrap(True)
        column.addWidget(text)
        row = QHBoxLayout()
        column.addLayout(row)
        for fix in warning.fixes:
            button = QPushButton(action_label(fix), box)
            button.setObjectName(f"fix_{fix.value}")
            if fix is Action.CREATE_CONTACT and not self.can_create_contacts:
                continue  # no CRM actions in this window: no dead button
            button.clicked.connect(lambda _=False, f=fix, w=warning: self.apply_fix(f, w))
            row.addWidget(button)
        row.addStretch(1)
        return box

    def apply_fix(self, fix: Action, warning: SendWarning) -> None:
        """Run a warning's fix: BCC (field or draft), restore the subject, create the contact."""
        if fix is Action.ADD_BCC and self.directory is not None:
            if self.draft_row is not None:
                self.add_bcc_requested.emit(self.draft_row)
                return
            address = self.directory.account.bcc_address or ""
            text = self.bcc.text().rstrip().rstrip(",")
            self.bcc.setText(f"{text}, {address}" if text else address)
        elif fix is Action.RESTORE_SUBJECT and warning.subject:
            self.subject.setText(f"Re: {warning.subject}")
        elif fix is Action.CREATE_CONTACT and warning.address:
            self.create_contact_requested.emit(warning.address)
        elif fix is Action.ASK_ADMIN:
            self.ask_admin_requested.emit()
