"""Connect HubSpot: a key or a sign-in, the check call, the account's rules, then the load.

Three pages (``desktop.hubspot_pages``): how to connect, with "Check" showing the portal, the
user and the scopes; the logging rule (``all`` by default, as HubSpot's since April 2026; the
rep confirms what their admin chose), "Create new contacts" (R9b), the BCC and forwarding
addresses and the Never-log list; then owners and contacts loaded with progress and Cancel.
Network work runs as ``NetworkOp``s in the window's network pool, each with its own SQLite
connection; secrets go to the keyring only. ``connected`` is emitted once a load is done.
"""

from __future__ import annotations

import threading
import webbrowser
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QLocale, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from core.crm.hubspot_auth import DEFAULT_AUTHORIZE_URL, OAuthApp
from core.crm.hubspot_connect import Check, Credentials, connect_and_load, run_check
from core.crm.hubspot_oauth import sign_in
from core.crm.hubspot_shapes import OPTIONAL_SCOPES, REQUIRED_SCOPES, Owner
from core.crm.refresh import Loading
from core.crm.service import CrmKind, CrmService
from core.store import db
from core.store.accounts import get_account
from core.store.verdicts import Settled
from desktop.crm_errors import failure_line
from desktop.hubspot_pages import AuthPage, LoadPage, RulesPage
from desktop.ops import NetworkOp, Report, Running, Tasks


class HubSpotDialog(QDialog):
    """The "Connect HubSpot" flow for one account."""

    connected = Signal()

    def __init__(
        self,
        tasks: Tasks,
        account_name: str,
        parent: QWidget | None = None,
        *,
        open_browser: Callable[[str], object] = webbrowser.open,
        authorize_url: str = DEFAULT_AUTHORIZE_URL,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Connect HubSpot"))
        self.tasks = tasks
        self.path = tasks.cache
        self.account_name = account_name
        self._open_browser = open_browser
        self._authorize_url = authorize_url
        self._jobs: list[Running] = []
        self._job: Running | None = None
        self.result: Check | None = None
        self.credentials: Credentials | None = None
        self.settled: Settled | None = None
        self.auth, self.rules, self.load = AuthPage(self), RulesPage(self), LoadPage(self)
        self.stack = QStackedWidget(self)
        for page in (self.auth, self.rules, self.load):
            self.stack.addWidget(page)
        self.back = QPushButton(self.tr("Back"), self)
        self.next = QPushButton(self.tr("Next"), self)
        self.next.setObjectName("next")
        self.next.setDefault(True)
        self.close_button = QPushButton(self.tr("Close"), self)
        self.message = QLabel(self)
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self._build()
        self._prefill()
        self._show(0)

    def _build(self) -> None:
        row = QHBoxLayout()
        row.addWidget(self.message, 1)
        for button in (self.back, self.next, self.close_button):
            row.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.stack, 1)
        layout.addLayout(row)
        self.auth.check_button.clicked.connect(lambda _=False: self.check())
        self.auth.token.returnPressed.connect(self.check)
        self.back.clicked.connect(lambda _=False: self._show(self.stack.currentIndex() - 1))
        self.next.clicked.connect(lambda _=False: self._forward())
        self.close_button.clicked.connect(lambda _=False: self.reject())
        self.load.cancel_button.clicked.connect(lambda _=False: self._cancel())
        self.resize(620, 560)

    def _prefill(self) -> None:
        conn = db.connect(self.path)
        try:
            account = get_account(conn, self.account_name)
            if account is None:
                return
            service = CrmService(conn, account)
            config, settings = service.config(), service.settings()
            self.mailbox = service.current_user().email or account.user
        finally:
            conn.close()
        if config.crm == CrmKind.HUBSPOT and config.hubspot_url:
            self.auth.url.setText(config.hubspot_url)
        self.rules.set_rule(settings.logging_rule)
        self.rules.create_contacts.setChecked(settings.create_contacts)
        self.rules.bcc.setText(settings.bcc_address or "")
        self.rules.forward.setText(settings.forward_address or "")
        self.rules.set_entries(settings.never_log)
        self._settings = settings

    def _show(self, index: int) -> None:
        self.stack.setCurrentIndex(max(0, index))
        page = self.stack.currentIndex()
        self.back.setVisible(page == 1)
        self.next.setVisible(page < 2)
        self.next.setText(self.tr("Connect and load") if page == 1 else self.tr("Next"))
        self.next.setEnabled(page == 1 or (self.result is not None and self.result.ok))
        self.close_button.setText(self.tr("Close") if page == 2 else self.tr("Cancel"))

    # -- the check ------------------------------------------------------------------------
    def check(self) -> None:
        """Run the check call (signing in first when asked) in the background."""
        url = self.auth.url.text().strip() or None
        mailbox = self.mailbox
        if self.auth.by_key.isChecked():
            token = self.auth.token.text().strip()
            if not token:
                self.message.setText(self.tr("Paste the Service Key first."))
                return

            def work(report: Report, cancel: threading.Event) -> Any:
                credentials = Credentials(url=url, token=token)
                return credentials, run_check(credentials, mailbox)

        else:
            work = self._sign_in_work(url, mailbox)
            if work is None:
                return
        self.message.setText(self.tr("Checking…"))
        self.auth.check_button.setEnabled(False)
        op = NetworkOp(self.tasks, work).success(self._checked)
        self._run(op.failure(lambda error: self._check_failed(failure_line(error))))

    def _run(self, op: NetworkOp[Any]) -> None:
        self._job = op.run_in_background()
        self._jobs.append(self._job)

    def _sign_in_work(self, url: str | None, mailbox: str | None) -> Any:
        client_id = self.auth.client_id.text().strip()
        secret = self.auth.client_secret.text().strip()
        if not client_id or not secret:
            self.message.setText(self.tr("Enter the public app's client ID and secret."))
            return None
        api = url or "https://api.hubapi.com"
        app = OAuthApp(client_id, secret, api, self._authorize_url)
        port, browser = self.auth.port.value(), self._open_browser

        def work(report: Report, cancel: threading.Event) -> Any:
            report(self.tr("Sign in to HubSpot in your browser…"))
            grant = sign_in(
                app, browser, scopes=REQUIRED_SCOPES, optional=OPTIONAL_SCOPES, port=port,
                cancel=cancel,
            )  # fmt: skip
            credentials = Credentials(url=url, grant=grant, app=app)
            return credentials, run_check(credentials, mailbox)

        return work

    def _checked(self, found: tuple[Credentials, tuple[Check, tuple[Owner, ...]]]) -> None:
        self.credentials, (self.result, owners) = found[0], found[1]
        self.auth.check_button.setEnabled(True)
        self.auth.show_check(self.result)
        self.auth.show_owners(owners)
        if not self.result.ok:
            self.message.setText(self.tr("Grant the missing scopes in HubSpot, then check again."))
        elif self.result.owner is None and not owners:
            self.message.setText(self.tr("No HubSpot owner has this mailbox's address."))
        else:
            self.message.setText(self.tr("Connected to HubSpot: check the account's rules next."))
        self._show(0)

    def _check_failed(self, text: str) -> None:
        self.auth.check_button.setEnabled(True)
        self.result = None
        self.message.setText(text)
        self._show(0)

    # -- the rules, then the load ----------------------------------------------------------
    def _forward(self) -> None:
        if self.stack.currentIndex() == 0 and self.result is not None:
            self._fill_addresses(self.result)
            self.message.clear()
            self._show(1)
        elif self.stack.currentIndex() == 1:
            self._start_load()

    def _fill_addresses(self, result: Check) -> None:
        """The BCC and forwarding addresses the check found, where the rep typed none."""
        if not self.rules.bcc.text():
            self.rules.bcc.setText(result.bcc_address)
        if not self.rules.forward.text():
            self.rules.forward.setText(result.forward_address)

    def _owner_id(self) -> str | None:
        if self.result is not None and self.result.owner is not None:
            return self.result.owner.id
        chosen = self.auth.owner.currentData()
        return str(chosen) if chosen else None

    def _start_load(self) -> None:
        assert self.result is not None and self.credentials is not None
        settings = replace(
            self._settings,
            logging_rule=self.rules.rule(),
            create_contacts=self.rules.create_contacts.isChecked(),
            bcc_address=self.rules.bcc.text().strip() or None,
            forward_address=self.rules.forward.text().strip() or None,
            never_log=tuple(self.rules.entries()),
        )
        path, name, result = self.path, self.account_name, self.result
        credentials, owner = self.credentials, self._owner_id()

        def work(report: Report, cancel: threading.Event) -> tuple[Settled, int, int]:
            conn = db.connect(path)
            try:
                account = get_account(conn, name)
                if account is None:
                    raise ValueError(self.tr("The account %1 was removed.").replace("%1", name))
                service = CrmService(conn, account)
                settled = connect_and_load(
                    service, result, credentials, settings,
                    owner_id=owner, progress=report, cancel=cancel,
                )  # fmt: skip
                directory = service.directory()
                return settled, len(directory.users), len(directory.contacts)
            finally:
                conn.close()

        self._show(2)
        self.message.clear()
        op = NetworkOp(self.tasks, work).progress(self._progress).success(self._loaded)
        self._run(op.failure(lambda error: self._load_failed(failure_line(error))))

    def _progress(self, step: object) -> None:
        if isinstance(step, str):
            self.message.setText(step)
            return
        if not isinstance(step, Loading):
            return
        texts = {
            "owners": self.tr("Loading the owners…"),
            "contacts": self.tr("Loading contacts: %1…").replace(
                "%1", QLocale().toString(step.count)
            ),
            "deciding": self.tr("Deciding the verdicts of %1 contacts…").replace(
                "%1", QLocale().toString(step.count)
            ),
        }
        self.load.step.setText(texts.get(step.step, step.step))

    def _loaded(self, loaded: tuple[Settled, int, int]) -> None:
        settled, users, contacts = loaded
        self.settled = settled
        self.load.bar.setRange(0, 1)
        self.load.bar.setValue(1)
        self.load.cancel_button.setEnabled(False)
        self.load.step.setText(
            self.tr("HubSpot is connected: %1 users and %2 contacts loaded; %3 verdicts changed.")
            .replace("%1", QLocale().toString(users))
            .replace("%2", QLocale().toString(contacts))
            .replace("%3", QLocale().toString(settled.changed))
        )
        self.load.summary.setText(
            self.tr(
                "Mailscope reloads them every hour, and at once with CRM › Refresh contacts "
                "now. The rule, the addresses and the Never-log list are in View › Account "
                "settings."
            )
        )
        self.connected.emit()

    def _load_failed(self, text: str) -> None:
        self.load.bar.setRange(0, 1)
        self.load.cancel_button.setEnabled(False)
        self.load.step.setText(text)

    def _cancel(self) -> None:
        if self._job is not None:
            self._job.cancel()
        self.load.step.setText(self.tr("Cancelling…"))

    def reject(self) -> None:
        for job in self._jobs:
            job.cancel()
        super().reject()
