"""The pages of the "Connect HubSpot" dialog: how to connect, the account's rules, the load.

Widgets only: the dialog (``desktop.hubspot_dialog``) runs the checks and the load and moves
between the pages. Every string a rep reads names HubSpot's own menus.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from core.crm.hubspot_connect import Check
from core.crm.hubspot_oauth import DEFAULT_PORT
from core.crm.hubspot_shapes import Owner
from core.crm.hubspot_transport import DEFAULT_BASE_URL
from core.rules.model import LoggingRule
from desktop.settings_view import EntryList

RULE_SOURCE = QT_TRANSLATE_NOOP(
    "RulesPage",
    "Your HubSpot admin chose this in Settings › Objects › Activities › Email logging.",
)


def _note(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setObjectName("note")
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 0.92)
    label.setFont(font)
    return label


class AuthPage(QWidget):
    """A Service Key, or a sign-in through a public app; the check's result below."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.by_key = QRadioButton(self.tr("Paste a Service Key"), self)
        self.by_key.setChecked(True)
        self.by_sign_in = QRadioButton(self.tr("Sign in with HubSpot (public app)"), self)
        group = QButtonGroup(self)
        group.addButton(self.by_key)
        group.addButton(self.by_sign_in)
        self.token = QLineEdit(self)
        self.token.setObjectName("token")
        self.token.setEchoMode(QLineEdit.EchoMode.Password)
        self.token.setPlaceholderText(self.tr("the key (or a private app's access token)"))
        self.client_id = QLineEdit(self)
        self.client_secret = QLineEdit(self)
        self.client_secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.port = QSpinBox(self)
        self.port.setRange(1024, 65535)
        self.port.setValue(DEFAULT_PORT)
        self.url = QLineEdit(DEFAULT_BASE_URL, self)
        self.url.setObjectName("apiUrl")
        self.check_button = QPushButton(self.tr("Check"), self)
        self.check_button.setObjectName("check")
        self.result = QLabel(self)
        self.result.setObjectName("checkResult")
        self.result.setWordWrap(True)
        self.result.setTextFormat(Qt.TextFormat.RichText)
        self.owner = QComboBox(self)
        self.owner_label = QLabel(self.tr("Who are you in HubSpot?"), self)
        self._build()
        self.by_key.toggled.connect(self._switch)
        self._switch()
        self.show_owners(())

    def _build(self) -> None:
        key_box = QGroupBox(self)
        key = QFormLayout(key_box)
        key.addRow(self.by_key)
        key.addRow(self.tr("Key"), self.token)
        key.addRow(
            _note(
                self.tr(
                    "In HubSpot: Development › Keys › Service keys. Give the key the scopes "
                    "crm.objects.contacts.read, crm.objects.contacts.write and "
                    "crm.objects.owners.read; companies, deals and schemas are optional."
                ),
                self,
            )
        )
        app_box = QGroupBox(self)
        app = QFormLayout(app_box)
        app.addRow(self.by_sign_in)
        app.addRow(self.tr("Client ID"), self.client_id)
        app.addRow(self.tr("Client secret"), self.client_secret)
        app.addRow(self.tr("Redirect port"), self.port)
        layout = QVBoxLayout(self)
        layout.addWidget(key_box)
        layout.addWidget(app_box)
        form = QFormLayout()
        form.addRow(self.tr("API address"), self.url)
        layout.addLayout(form)
        layout.addWidget(self.check_button, 0, Qt.AlignmentFlag.AlignRight)
        layout.addWidget(self.result)
        chooser = QFormLayout()
        chooser.addRow(self.owner_label, self.owner)
        layout.addLayout(chooser)
        layout.addStretch(1)

    def _switch(self) -> None:
        key = self.by_key.isChecked()
        self.token.setEnabled(key)
        for widget in (self.client_id, self.client_secret, self.port):
            widget.setEnabled(not key)

    def show_owners(self, owners: Iterable[Owner]) -> None:
        """The owner chooser, shown when no owner has the mailbox's address."""
        self.owner.clear()
        for owner in owners:
            self.owner.addItem(f"{owner.name or owner.email} <{owner.email}>", owner.id)
        visible = self.owner.count() > 0
        self.owner.setVisible(visible)
        self.owner_label.setVisible(visible)

    def show_check(self, result: Check) -> None:
        def line(scope: str, mark: str) -> str:
            return f"{mark} {scope}"

        rows = [
            self.tr("Portal <b>%1</b> (%2)")
            .replace("%1", result.portal)
            .replace("%2", result.ui_domain or "app.hubspot.com"),
            self.tr("User: <b>%1</b>").replace(
                "%1", result.user or self.tr("no owner has this mailbox's address: choose below")
            ),
            *(line(s, "✓") for s in result.scopes),
            *(line(s, "✗ " + self.tr("missing:")) for s in result.missing),
            *(line(s, "… " + self.tr("checked by the first log:")) for s in result.unproved),
        ]
        self.result.setText("<br>".join(rows))


class RulesPage(QWidget):
    """The account's logging rule (``all`` by default), R9b, the addresses, the Never-log list."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rule_all = QRadioButton(
            self.tr("Log all emails (from known contacts): HubSpot's default"), self
        )
        self.rule_all.setObjectName("ruleAll")
        self.rule_all.setChecked(True)
        self.rule_replies = QRadioButton(self.tr("Log replies only"), self)
        self.rule_replies.setObjectName("ruleRepliesOnly")
        self.create_contacts = QCheckBox(
            self.tr("Create new contacts from logged emails (HubSpot beta)"), self
        )
        self.bcc = QLineEdit(self)
        self.bcc.setObjectName("bcc")
        self.forward = QLineEdit(self)
        self.forward.setObjectName("forward")
        self._never: list[str] = []
        self.never_log = EntryList(self._set_never, self)
        rules = QGroupBox(self.tr("Logging rule"), self)
        box = QVBoxLayout(rules)
        for widget in (self.rule_all, self.rule_replies):
            box.addWidget(widget)
        box.addWidget(_note(self.tr(RULE_SOURCE) + " " + self.tr("Pick the same here."), self))
        box.addWidget(self.create_contacts)
        form = QFormLayout()
        form.addRow(self.tr("BCC address"), self.bcc)
        form.addRow(self.tr("Forwarding address"), self.forward)
        regional = self.tr("Some portals use a regional address: copy HubSpot's if it differs.")
        form.addRow("", _note(regional, self))
        form.addRow(self.tr("Never log"), self.never_log)
        layout = QVBoxLayout(self)
        layout.addWidget(rules)
        layout.addLayout(form)

    def _set_never(self, entries: list[str]) -> None:
        self._never = [e.strip() for e in entries if e.strip()]
        self.never_log.set_entries(self._never)
        self.never_log.entry.clear()

    def rule(self) -> LoggingRule:
        return LoggingRule.ALL if self.rule_all.isChecked() else LoggingRule.REPLIES_ONLY

    def set_rule(self, rule: LoggingRule) -> None:
        (self.rule_all if rule is LoggingRule.ALL else self.rule_replies).setChecked(True)

    def entries(self) -> list[str]:
        return list(self._never)

    def set_entries(self, entries: Iterable[str]) -> None:
        self._set_never(list(entries))


class LoadPage(QWidget):
    """Owners, then contacts, then the verdicts: progress and a Cancel."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.step = QLabel(self.tr("Connecting…"), self)
        self.step.setObjectName("loadStep")
        self.step.setWordWrap(True)
        self.bar = QProgressBar(self)
        self.bar.setRange(0, 0)
        self.cancel_button = QPushButton(self.tr("Cancel loading"), self)
        self.cancel_button.setObjectName("cancelLoad")
        self.summary = QLabel(self)
        self.summary.setObjectName("loadSummary")
        self.summary.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.step)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel_button, 0, Qt.AlignmentFlag.AlignRight)
        layout.addWidget(self.summary)
        layout.addStretch(1)
