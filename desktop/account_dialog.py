"""The account dialog: the address first, the settings found from it, then a password or a
browser sign-in (Google, Microsoft 365, any OpenID provider).

Typing the address looks the settings up in a worker (``core.mail.detect``) and says where
they were found; every field stays editable. A provider that refuses normal passwords says so
and links to its app-password page. Secrets go to the OS keyring only: the password through
``core.mail.accounts.add_imap``, the refresh token through ``core.mail.oauth_setup.save``.
``desktop.sign_in_again`` reuses it to sign an existing account in again.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from core.auth.flow import SIGN_IN_TIMEOUT
from core.mail import accounts
from core.mail.detect import Detection, Found, Lookups
from core.mail.imap_conn import ImapSettings, other_mode
from core.mail.secrets import KeyringStore, SecretError, SecretStore
from core.mail.source import Security
from core.store.accounts import Account
from desktop import account_jobs as jobs
from desktop.ops import NetworkOp, Running, Tasks

METHODS = (("password", QT_TRANSLATE_NOOP("AccountDialog", "Password")), ("google", "Google"),
    ("microsoft", "Microsoft"),
    ("custom", QT_TRANSLATE_NOOP("AccountDialog", "OAuth2 (other provider)")))  # fmt: skip
GOOD, BAD = "#1b6b2f", "#b3261e"


class AccountDialog(QDialog):
    """Add an IMAP account (or sign one in again); ``account`` is set once it is saved."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        tasks: Tasks,
        secrets: SecretStore | None = None,
        parent: QWidget | None = None,
        *,
        lookups: Lookups | None = None,
        browser: Callable[[str], object] | None = None,
        sign_in_timeout: float = SIGN_IN_TIMEOUT,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Connect your mailbox"))
        self._conn = conn
        self.tasks = tasks  # detection, sign-in and test run in its network pool
        self._secrets = secrets if secrets is not None else KeyringStore()
        self._lookups = lookups or Lookups()
        self._browser = browser or jobs.open_in_browser
        self._timeout = sign_in_timeout
        self._detecting: str | None = None  # the address looked up last
        self._sign_in: Running | None = None
        self._signed: object = None  # a SignedIn, kept in memory until saved
        self._suggested: tuple[Security, int] | None = None
        self.account: Account | None = None
        layout = QVBoxLayout(self)
        layout.addLayout(self._address_row())
        layout.addWidget(self._server_box())
        layout.addWidget(self._sign_in_box())
        self.result_label = QLabel()
        self.result_label.setWordWrap(True)
        self.suggest_button = QPushButton()
        self.suggest_button.clicked.connect(self.use_suggestion)
        self.suggest_button.hide()
        self.save_anyway = QPushButton(self.tr("Save &anyway"))
        self.save_anyway.clicked.connect(lambda _=False: self._store())
        self.save_anyway.hide()
        self._good: tuple[ImapSettings, str] | None = None  # what the last good test used
        self._save_after_test = False
        layout.addWidget(self.result_label)
        suggestion = QHBoxLayout()
        suggestion.addWidget(self.suggest_button)
        suggestion.addWidget(self.save_anyway)
        suggestion.addStretch(1)
        layout.addLayout(suggestion)
        layout.addWidget(self._buttons())
        self._method_changed()
        self.resize(540, 0)

    # -- building -------------------------------------------------------------------------
    def _address_row(self) -> QVBoxLayout:
        self.email = QLineEdit()
        self.email.setPlaceholderText(self.tr("you@company.com"))
        self.email.editingFinished.connect(self.find_settings)
        self.find_button = QPushButton(self.tr("Find settings"))
        self.find_button.clicked.connect(self.find_settings)
        self.lookup_online = QCheckBox(self.tr("Look the settings up online (DNS, autoconfig)"))
        self.lookup_online.setChecked(self._lookups.online)
        self.origin_label = QLabel(self.tr("Type your email address: the settings are found."))
        self.origin_label.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Email address")))
        row.addWidget(self.email, 1)
        row.addWidget(self.find_button)
        column = QVBoxLayout()
        column.addLayout(row)
        column.addWidget(self.lookup_online)
        column.addWidget(self.origin_label)
        return column

    def _server_box(self) -> QGroupBox:
        self.name = QLineEdit()
        self.name.setPlaceholderText(self.tr("work"))
        self.host = QLineEdit()
        self.host.setPlaceholderText(self.tr("imap.example.com"))
        self.security = QComboBox()
        for label, value in (
            (self.tr("SSL/TLS"), Security.SSL),
            (self.tr("STARTTLS"), Security.STARTTLS),
            (self.tr("None (this computer only)"), Security.NONE),
        ):
            self.security.addItem(label, value.value)
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(993)
        self.security.activated.connect(self._default_port)
        self.user = QLineEdit()
        self.ca_file = QLineEdit()
        self.ca_file.setPlaceholderText(self.tr("optional: a CA file to trust"))
        box = QGroupBox(self.tr("Server (found from the address; you can change it)"))
        form = QFormLayout(box)
        form.addRow(self.tr("Account name"), self.name)
        form.addRow(self.tr("Server"), self.host)
        form.addRow(self.tr("Security"), self.security)
        form.addRow(self.tr("Port"), self.port)
        form.addRow(self.tr("User name"), self.user)
        form.addRow(self.tr("Trusted CA"), self.ca_file)
        return box

    def _sign_in_box(self) -> QGroupBox:
        self.method = QComboBox()
        for key, label in METHODS:
            self.method.addItem(self.tr(label), key)
        self.method.currentIndexChanged.connect(self._method_changed)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.issuer = QLineEdit()
        self.issuer.setPlaceholderText("https://login.example.com")
        self.client_id = QLineEdit()
        self.client_id.setPlaceholderText(self.tr("from your organisation's app registration"))
        self.sign_in_button = QPushButton()
        self.sign_in_button.setDefault(True)
        self.sign_in_button.clicked.connect(self.sign_in)
        self.app_password_label = QLabel()
        self.app_password_label.setWordWrap(True)
        self.app_password_label.setOpenExternalLinks(True)
        self.app_password_label.hide()
        box = QGroupBox(self.tr("Sign-in"))
        self._sign_in_form = form = QFormLayout(box)
        form.addRow(self.tr("Sign in with"), self.method)
        form.addRow(self.tr("Password"), self.password)
        form.addRow(self.tr("Issuer URL"), self.issuer)
        form.addRow(self.tr("Client id"), self.client_id)
        form.addRow("", self.sign_in_button)
        form.addRow(self.app_password_label)
        return box

    def _buttons(self) -> QDialogButtonBox:
        self.test_button = QPushButton(self.tr("Test connection"))
        self.test_button.clicked.connect(self.test_connection)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.buttons.addButton(self.test_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        return self.buttons

    # -- the address ----------------------------------------------------------------------
    def find_settings(self) -> None:
        """Look the address's settings up in a worker; the fields fill in when found."""
        email = self.email.text().strip()
        if not email or self._detecting == email:
            return
        lookups = replace(self._lookups, online=self.lookup_online.isChecked())
        self._detecting = email
        op = NetworkOp(self.tasks, lambda _report, _cancel: jobs.detect_settings(email, lookups))
        op.success(lambda detection: self._found(email, detection)).run_in_background()
        self.origin_label.setText(self.tr("Looking up the settings of %1…").replace("%1", email))

    def _found(self, email: str, detection: Detection | None) -> None:
        if email != self.email.text().strip():
            return  # the address changed meanwhile
        if detection is None:
            self.origin_label.setText(self.tr("%1 is not an email address.").replace("%1", email))
            return
        if detection.found is None:
            text = self.tr("No settings found for %1: enter the server below.")
            self.origin_label.setText(text.replace("%1", email.partition("@")[2]))
            return
        self.apply(detection.found, email)

    def apply(self, found: Found, email: str) -> None:
        """Fill the fields from what was found (still editable) and say where it came from."""
        self.origin_label.setText(found.origin[0].upper() + found.origin[1:] + ".")
        self.host.setText(found.host)
        self.security.setCurrentIndex(self.security.findData(found.security.value))
        self.port.setValue(found.port)
        self.user.setText(found.username or email)
        if not self.name.text().strip():
            self.name.setText(email)
        self.method.setCurrentIndex(self.method.findData(found.oauth2 or "password"))
        if found.oauth2 and not self.client_id.text().strip():
            self.client_id.setText(jobs.organisation_client_id(found.oauth2))
        self._app_password_note(found)

    def _app_password_note(self, found: Found) -> None:
        text = jobs.app_password_note(found)
        self.app_password_label.setText(text or "")
        self.app_password_label.setVisible(text is not None)

    # -- sign-in --------------------------------------------------------------------------
    def chosen_method(self) -> str:
        return str(self.method.currentData())

    def _method_changed(self) -> None:
        method = self.chosen_method()
        form = self._sign_in_form
        form.setRowVisible(self.password, method == "password")
        form.setRowVisible(self.issuer, method == "custom")
        form.setRowVisible(self.client_id, method != "password")
        form.setRowVisible(self.sign_in_button, method != "password")
        label = dict(METHODS).get(method, method) if method != "custom" else "your provider"
        self.sign_in_button.setText(self.tr("Sign in with %1").replace("%1", label))
        self.save_button.setEnabled(method == "password" or self._signed is not None)
        self.test_button.setVisible(method == "password")

    def _default_port(self) -> None:
        self.port.setValue(accounts.default_port(self.chosen_security()))

    def chosen_security(self) -> Security:
        # Qt hands enum data back as plain strings: convert, so "is Security.X" checks hold.
        return Security(self.security.currentData())

    def settings(self) -> ImapSettings:
        return ImapSettings(
            host=self.host.text().strip(),
            user=self.user.text().strip(),
            port=self.port.value(),
            security=self.chosen_security(),
            ca_file=self.ca_file.text().strip() or None,
            timeout=15.0,
        )

    def sign_in(self) -> None:
        """Open the provider's page in the browser; wait for the answer in a worker."""
        from core.auth.errors import OAuthError

        if self._sign_in is not None:  # a second click cancels the running sign-in
            self._sign_in.cancel()
            return
        email = self.email.text().strip()
        try:
            server = self._server()
            config = jobs.oauth_config(
                self.chosen_method(), self.client_id.text().strip(), self.issuer.text().strip()
            )
        except (accounts.AccountError, OAuthError) as error:
            self._show(False, str(error))
            return
        user = self.user.text().strip() or email
        op = NetworkOp(self.tasks, jobs.sign_in(config, email, server, user, self._timeout))
        op.progress(lambda url: self._browser(str(url)))
        op.success(lambda done: self._signed_in(True, str(done[0]), done[1]))
        op.failure(lambda error: self._signed_in(False, jobs.sign_in_failure(error), None))
        self._sign_in = op.run_in_background()
        self._show(True, self.tr("Waiting for you to sign in in your browser…"))
        self.sign_in_button.setText(self.tr("Cancel the sign-in"))

    def _server(self) -> accounts.Server:
        return accounts.check_server(
            self.host.text(), self.port.value(), self.chosen_security(),
            self.ca_file.text().strip() or None,
        )  # fmt: skip

    def _signed_in(self, ok: bool, text: str, signed: object) -> None:
        self._sign_in = None
        self._method_changed()
        if not ok:
            self._show(False, self.tr("Sign-in failed: %1").replace("%1", text))
            return
        self._signed = signed
        who = getattr(getattr(signed, "tokens", None), "email", None) or self.email.text()
        message = self.tr("Signed in as %1: %2 folders found.")
        self._show(True, message.replace("%1", who).replace("%2", text))
        self._method_changed()
        self.after_sign_in()

    def after_sign_in(self) -> None:
        """A new account waits for Save; the sign-in-again dialog saves at once."""

    # -- testing and saving ---------------------------------------------------------------
    def _show(self, ok: bool, text: str) -> None:
        self.result_label.setStyleSheet(f"color: {GOOD if ok else BAD};")
        self.result_label.setText(text)

    def test_connection(self) -> None:
        """Connect and log in in a worker; the result shows in ``result_label``."""
        if not self.host.text().strip():
            self._show(False, self.tr("Enter the server's name."))
            return
        self.test_button.setEnabled(False)
        self.suggest_button.hide()
        self.save_anyway.hide()
        self._show(True, self.tr("Connecting…"))
        settings, password = self.settings(), self.password.text()
        op = NetworkOp(self.tasks, lambda _report, _cancel: jobs.test_login(settings, password))
        op.success(lambda folders: self._tested(True, str(folders), (settings, password)))
        op.failure(lambda error: self._tested(False, jobs.login_failure(error)))
        op.run_in_background()

    def _tested(self, ok: bool, text: str, tried: tuple[ImapSettings, str] | None = None) -> None:
        self.test_button.setEnabled(True)
        saving, self._save_after_test = self._save_after_test, False
        if ok:
            self._good = tried
            self._show(True, self.tr("Connected: %1 folders found.").replace("%1", text))
            if saving:
                self._store()
            return
        self._show(False, self.tr("Connection failed: %1").replace("%1", text))
        self.save_anyway.setVisible(saving)  # the rep may know better (a server down now)
        self._suggested = other_mode(self.chosen_security(), self.port.value())
        if text.startswith("TLS failed") and self._suggested is not None:
            security, port = self._suggested
            label = self.tr("Try %1 on port %2").replace("%1", security.value.upper())
            self.suggest_button.setText(label.replace("%2", str(port)))
            self.suggest_button.show()

    def use_suggestion(self) -> None:
        """Switch to the other security mode and its port, and test again."""
        if self._suggested is not None:
            security, port = self._suggested
            self.security.setCurrentIndex(self.security.findData(security.value))
            self.port.setValue(port)
            self.test_connection()

    def save(self) -> None:
        """Save: a password account is tested first (unless it just was, as it is now); a
        failed test offers "Save anyway" instead of a mailbox that never syncs."""
        password = self.password.text()
        tested = self._good == (self.settings(), password)
        if self.chosen_method() != "password" or tested or not (password and self.host.text()):
            self._store()  # signed in, tested, or an entry the save refuses in one line
            return
        self._save_after_test = True
        self.test_connection()

    def _store(self) -> None:
        """Add the account (secrets to the keyring only) and close; errors stay on screen."""
        try:
            if self.chosen_method() == "password":
                self.account = accounts.add_imap(
                    self._conn, self._secrets, self.name.text().strip(),
                    host=self.host.text(), user=self.user.text(), password=self.password.text(),
                    port=self.port.value(), security=self.chosen_security(),
                    ca_file=self.ca_file.text().strip() or None,
                    email=self.email.text().strip() or None,
                )  # fmt: skip
            else:
                self.account = self._save_oauth2()
        except (accounts.AccountError, SecretError) as error:
            self._show(False, str(error))
            return
        self.accept()

    def _save_oauth2(self) -> Account:
        email = self.email.text().strip()
        return jobs.save_oauth2(
            self._conn, self._secrets, self.name.text().strip(), self._server(),
            self.user.text().strip() or email, email, self._signed,
        )  # fmt: skip
