"""The account's logging settings: editable by admins, read-only with the reason for others.

``SettingsView(tasks, account_name)`` shows the logging rule, the account Never-log list and the
BCC and forward addresses (editable only with account access; otherwise a banner says why),
and the current user's personal Never-log list (editable by everyone). Every change is saved
through ``core.crm.service.CrmService`` at once, which re-decides the cache; ``changed`` is then
emitted, ``failed(str)`` when a change is refused. A change is a ``CollectionOp`` on the
window's database thread: re-deciding 100,000 messages takes seconds, and the window must stay
responsive meanwhile (issue 10).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable

from PySide6.QtCore import QCoreApplication, QStringListModel, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.crm.errors import CrmError
from core.crm.service import CrmService
from core.rules.model import LoggingRule
from core.store import db
from core.store.accounts import get_account
from core.store.verdicts import Settled
from desktop.ops import CollectionOp, Tasks

translate = QCoreApplication.translate  # lupdate reads translate("Context", "…")


class EntryList(QWidget):
    """A Never-log list: the entries, a field to add one, a button to remove the selected."""

    def __init__(self, on_change: Callable[[list[str]], None], parent: QWidget | None = None):
        super().__init__(parent)
        self._on_change = on_change
        self.model = QStringListModel(self)
        self.view = QListView(self)
        self.view.setModel(self.model)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.entry = QLineEdit(self)
        self.entry.setPlaceholderText(self.tr("an address or a domain"))
        self.add_button = QPushButton(self.tr("Add"), self)
        self.remove_button = QPushButton(self.tr("Remove"), self)
        row = QHBoxLayout()
        row.addWidget(self.entry, 1)
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        layout.addLayout(row)
        self.add_button.clicked.connect(lambda _=False: self._add())
        self.entry.returnPressed.connect(self._add)
        self.remove_button.clicked.connect(lambda _=False: self._remove())

    def set_entries(self, entries: Iterable[str]) -> None:
        self.model.setStringList(list(entries))

    def entries(self) -> list[str]:
        return list(self.model.stringList())

    def set_editable(self, editable: bool) -> None:
        for widget in (self.entry, self.add_button, self.remove_button):
            widget.setEnabled(editable)

    def _add(self) -> None:
        text = self.entry.text().strip()
        if text:
            self._on_change([*self.entries(), text])

    def _remove(self) -> None:
        gone = {i.row() for i in self.view.selectionModel().selectedRows()}
        if gone:
            self._on_change([e for n, e in enumerate(self.entries()) if n not in gone])


Change = Callable[[CrmService], Settled]


def _apply_change(conn: sqlite3.Connection, account_name: str, change: Change) -> Settled:
    """One settings change and the re-decision it causes (on the database thread)."""
    account = get_account(conn, account_name)
    if account is None:
        text = translate("SettingsView", "the account %1 is gone")
        raise CrmError(text.replace("%1", account_name))
    return change(CrmService(conn, account))


def _one_line(error: Exception) -> str | None:
    """What the user reads about a refused change (None: a bug, not theirs)."""
    if isinstance(error, CrmError | ValueError):
        return str(error)
    if isinstance(error, sqlite3.Error):
        text = translate("SettingsView", "the cache cannot be written: %1")
        return text.replace("%1", str(error))
    return None


class SettingsView(QWidget):
    """Account rules and Never-log lists of one account, saved (and re-decided) at once."""

    changed = Signal()
    failed = Signal(str)

    def __init__(self, tasks: Tasks, account_name: str | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.tasks = tasks  # changes apply in order, on its database thread
        self.conn = db.connect(tasks.cache)
        self.service: CrmService | None = None
        self._pending = 0
        self.banner = QLabel(self)
        self.banner.setObjectName("readOnlyBanner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(
            "QLabel#readOnlyBanner { background: #fdf0d5; color: #6b4100;"
            " padding: 8px; border-radius: 4px; }"
        )
        self.rule = QComboBox(self)
        self.rule.addItem(self.tr("Log replies only"), LoggingRule.REPLIES_ONLY.value)
        self.rule.addItem(self.tr("Log all emails"), LoggingRule.ALL.value)
        self.create_contacts = QCheckBox(
            self.tr("Create new contacts from logged emails (HubSpot beta)"), self
        )
        self.create_contacts.setObjectName("createContacts")
        self.bcc = QLineEdit(self)
        self.forward = QLineEdit(self)
        self.save_addresses = QPushButton(self.tr("Save addresses"), self)
        self.account_list = EntryList(self._set_account_list, self)
        self.personal_list = EntryList(self._set_personal_list, self)
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setObjectName("settingsError")
        self._build()
        self.rule.activated.connect(lambda _: self._set_rule())
        self.create_contacts.clicked.connect(lambda on: self._set_create_contacts(bool(on)))
        self.save_addresses.clicked.connect(lambda _=False: self._set_addresses())
        self.set_account(account_name)

    def set_account(self, account_name: str | None) -> None:
        """Show another account's settings (None: no account yet, everything disabled)."""
        account = get_account(self.conn, account_name) if account_name else None
        self.service = CrmService(self.conn, account) if account is not None else None
        self.reload()

    def _build(self) -> None:
        account = QGroupBox(self.tr("Account rules (account admins)"), self)
        form = QFormLayout(account)
        form.addRow(self.tr("Logging rule"), self.rule)
        form.addRow("", self.create_contacts)
        form.addRow(self.tr("BCC address"), self.bcc)
        form.addRow(self.tr("Forward address"), self.forward)
        form.addRow("", self.save_addresses)
        form.addRow(self.tr("Never log"), self.account_list)
        personal = QGroupBox(self.tr("My Never-log list"), self)
        QVBoxLayout(personal).addWidget(self.personal_list)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(account)
        layout.addWidget(personal)
        layout.addWidget(self.error)
        layout.addStretch(1)

    def reload(self) -> None:
        """Show the stored settings and who may change them."""
        if self.service is None:
            self.banner.setText(self.tr("No account yet: connect a mailbox first."))
            self.banner.setVisible(True)
            self.setEnabled(False)
            return
        self.setEnabled(True)
        settings = self.service.settings()
        permission = self.service.permission()
        self.banner.setText(
            "" if permission.allowed else self.tr("Read-only: ") + permission.reason
        )
        self.banner.setVisible(not permission.allowed)
        self.rule.setCurrentIndex(self.rule.findData(settings.logging_rule.value))
        self.create_contacts.setChecked(settings.create_contacts)
        self.bcc.setText(settings.bcc_address or "")
        self.forward.setText(settings.forward_address or "")
        self.account_list.set_entries(settings.never_log)
        self.personal_list.set_entries(self.service.current_user().never_log)
        editable = (self.rule, self.create_contacts, self.bcc, self.forward, self.save_addresses)
        for widget in editable:
            widget.setEnabled(permission.allowed)
        self.account_list.set_editable(permission.allowed)

    @property
    def busy(self) -> bool:
        """A change is being applied (and the cache re-decided) in the background."""
        return self._pending > 0

    def _apply(self, change: Change) -> None:
        if self.service is None:
            return
        name = self.service.account.name
        op = CollectionOp(self.tasks, lambda conn: _apply_change(conn, name, change))
        op.success(lambda _settled: self._applied(None)).failure(self._failed)
        self.error.setText(self.tr("Saving and deciding every message again…"))
        self.setEnabled(False)  # one change at a time; the rest of the window stays live
        self._pending += 1
        op.run_in_background()

    def _failed(self, error: Exception) -> None:
        text = _one_line(error)
        self._applied(text if text is not None else self.tr("The change failed."))
        if text is None:
            raise error  # a bug: reported as one

    def _applied(self, error: str | None) -> None:
        self._pending -= 1
        self.setEnabled(True)
        if error is not None:
            self.error.setText(error)
            self.failed.emit(error)
            self.reload()
            return
        self.error.clear()
        self.reload()
        self.account_list.entry.clear()
        self.personal_list.entry.clear()
        self.changed.emit()

    def _set_rule(self) -> None:
        rule = LoggingRule(str(self.rule.currentData()))
        self._apply(lambda service: service.set_logging_rule(rule))

    def _set_create_contacts(self, on: bool) -> None:
        self._apply(lambda service: service.set_create_contacts(on))

    def _set_addresses(self) -> None:
        bcc, forward = self.bcc.text().strip(), self.forward.text().strip()
        self._apply(lambda service: service.set_addresses(bcc=bcc, forward=forward))

    def _set_account_list(self, entries: list[str]) -> None:
        self._apply(lambda service: service.set_account_never_log(entries))

    def _set_personal_list(self, entries: list[str]) -> None:
        self._apply(lambda service: service.set_personal_never_log(entries))

    def close_connection(self) -> None:
        self.conn.close()
