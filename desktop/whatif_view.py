"""The what-if view: simulate another logging rule or Never-log entry on recent mail.

The simulation is a ``QueryOp`` on the window's database thread and writes nothing; the view
shows counts per reason and per attributed user (before -> after) and every message whose
verdict changes.
"""

from __future__ import annotations

import sqlite3
import time

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.preview.whatif import DEFAULT_DAYS, WhatIf, WhatIfError, WhatIfResult
from core.preview.whatif_cache import simulate
from core.rules.model import LoggingRule, Reason
from core.store.accounts import get_account
from desktop.ops import QueryOp, Tasks
from desktop.style import badge, reason_label

translate = QCoreApplication.translate  # lupdate reads translate("Context", "…")


def _simulated(conn: sqlite3.Connection, account: str, whatif: WhatIf) -> WhatIfResult | None:
    """The simulation, on the database thread (None: no such account)."""
    found = get_account(conn, account)
    return simulate(conn, found, whatif, time.time()) if found is not None else None


def _entries(text: str) -> tuple[str, ...]:
    return tuple(e.strip() for e in text.replace(";", ",").split(",") if e.strip())


def _table(headers: list[str], name: str) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)  # the text column takes the rest
    return table


def _fill(table: QTableWidget, rows: list[tuple[object, ...]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            item = QTableWidgetItem()
            if isinstance(value, int):
                item.setData(Qt.ItemDataRole.DisplayRole, value)
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            else:
                item.setText(str(value))
            table.setItem(r, c, item)


class WhatIfView(QWidget):
    """Choose a change, run it, read the difference."""

    finished = Signal(object)  # WhatIfResult

    def __init__(self, tasks: Tasks, account: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tasks = tasks
        self.account = account
        self.result: WhatIfResult | None = None
        self._build()

    def _build(self) -> None:
        self.rule = QComboBox(self)
        self.rule.addItem(self.tr("(unchanged)"), None)
        self.rule.addItem(self.tr("Log replies only"), LoggingRule.REPLIES_ONLY.value)
        self.rule.addItem(self.tr("Log all emails"), LoggingRule.ALL.value)
        self.create_contacts = QComboBox(self)
        self.create_contacts.setObjectName("createContacts")
        self.create_contacts.addItem(self.tr("(unchanged)"), None)
        self.create_contacts.addItem(self.tr("On (HubSpot beta)"), True)
        self.create_contacts.addItem(self.tr("Off"), False)
        self.add = QLineEdit(self)
        self.add.setPlaceholderText(self.tr("rival.example, someone@else.example"))
        self.remove = QLineEdit(self)
        self.remove.setPlaceholderText(self.tr("an entry of the Never-log list"))
        self.days = QSpinBox(self)
        self.days.setRange(1, 3650)
        self.days.setValue(DEFAULT_DAYS)
        self.days.setSuffix(self.tr(" days"))
        self.run_button = QPushButton(self.tr("Simulate"), self)
        self.run_button.clicked.connect(self.run)
        form = QFormLayout()
        form.addRow(self.tr("Logging rule"), self.rule)
        form.addRow(self.tr("Create contacts from logged emails"), self.create_contacts)
        form.addRow(self.tr("Add to Never-log"), self.add)
        form.addRow(self.tr("Remove from Never-log"), self.remove)
        form.addRow(self.tr("Recent mail"), self.days)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.run_button)
        self.status = QLabel(
            self.tr("Nothing is written: a simulation only reads the cache."), self
        )
        self.status.setObjectName("status")
        self.status.setWordWrap(True)
        now, then, delta = self.tr("Now"), self.tr("With the change"), self.tr("Difference")
        self.reasons = _table([self.tr("Reason"), now, then, delta], "reasons")
        self.users = _table([self.tr("Counts for"), now, then, delta], "users")
        self.changes = _table([self.tr("Subject"), self.tr("From"), now, then], "changes")
        tables = QHBoxLayout()
        tables.addWidget(self.reasons)
        tables.addWidget(self.users)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        layout.addLayout(tables, 1)
        heading = self.tr("Messages whose verdict changes")
        layout.addWidget(QLabel(f"<b>{heading}</b>", self))
        layout.addWidget(self.changes, 2)

    def set_account(self, name: str) -> None:
        self.account = name

    def whatif(self) -> WhatIf:
        rule = self.rule.currentData()
        return WhatIf(
            LoggingRule(rule) if rule else None,
            _entries(self.add.text()),
            _entries(self.remove.text()),
            self.days.value(),
            self.create_contacts.currentData(),
        )

    def run(self) -> None:
        """Start the simulation in the background."""
        whatif = self.whatif()
        if whatif.describe() == WhatIf(days=whatif.days).describe():
            self.status.setText(
                translate("WhatIfView", "Choose a rule, a Never-log or a contacts change first.")
            )
            return
        account = self.account
        op = QueryOp(self.tasks, lambda conn: _simulated(conn, account, whatif), self._done)
        op.failure(self._failed).run_in_background()
        self.run_button.setEnabled(False)
        self.status.setText(
            translate("WhatIfView", "Simulating: {0}…").format(self.describe(whatif))
        )

    def describe(self, whatif: WhatIf) -> str:
        """The change in the words of the form (no raw values such as "replies_only")."""
        parts: list[str] = []
        if whatif.rule is not None:
            parts.append(self.rule.itemText(self.rule.findData(whatif.rule.value)))
        if whatif.create_contacts is not None:
            on = (
                translate("WhatIfView", "Create contacts: on")
                if whatif.create_contacts
                else translate("WhatIfView", "Create contacts: off")
            )
            parts.append(on)
        parts += [
            translate("WhatIfView", "Never-log + {0}").format(e) for e in whatif.never_log_add
        ]
        parts += [
            translate("WhatIfView", "Never-log − {0}").format(e) for e in whatif.never_log_remove
        ]
        return ", ".join(parts)

    def _failed(self, error: Exception) -> None:
        self.run_button.setEnabled(True)
        if not isinstance(error, WhatIfError | sqlite3.Error):
            raise error  # a bug, not the rep's entry
        self.result = None
        for table in (self.reasons, self.users, self.changes):
            table.setRowCount(0)  # the error replaces the figures of an earlier run
        self.status.setText(str(error))

    def _done(self, result: WhatIfResult | None) -> None:
        self.run_button.setEnabled(True)
        if result is None:
            self.status.setText(self.tr("No account named {0}.").format(self.account))
            return
        self.result = result
        self.show_result(result)
        self.finished.emit(result)

    def show_result(self, result: WhatIfResult) -> None:
        before, after = result.logged
        self.status.setText(
            self.tr(
                "{0}: over the last {1} days ({2} messages), {3} logged now, {4} with the"
                " change; {5} messages change.",
            ).format(
                self.describe(result.whatif),
                result.whatif.days,
                result.considered,
                before,
                after,
                len(result.changes),
            )
        )
        _fill(
            self.reasons,
            [
                (_reason(r), a, b, _delta(a, b))
                for r, (a, b) in sorted(result.reasons.items(), key=lambda i: -max(i[1]))
            ],
        )
        _fill(
            self.users,
            [
                (
                    result.user_labels.get(u) or self.tr("nobody"),
                    a,
                    b,
                    _delta(a, b),
                )
                for u, (a, b) in result.users.items()
            ],
        )
        _fill(
            self.changes,
            [
                (
                    c.message.subject or self.tr("(no subject)"),
                    c.message.sender.email if c.message.sender and c.message.sender.email else "",
                    _verdict(c.before.logged, c.before.reason.value),
                    _verdict(c.after.logged, c.after.reason.value),
                )
                # Emails that start or stop being logged first; then reason-only changes.
                for c in sorted(result.changes, key=lambda c: c.before.logged == c.after.logged)
            ],
        )


def _delta(before: int, after: int) -> str:
    return f"{after - before:+d}" if after != before else "0"


def _reason(reason: Reason) -> str:
    """The badge's name of a reason ("Replies only", "Never-log list"): one vocabulary."""
    return reason_label(reason)


def _verdict(logged: bool, reason: str) -> str:
    """ "✓ Thread reply": the badge's icon and name, as the message list shows it."""
    found = badge(logged, reason)
    return f"{found.icon} {found.text}"
