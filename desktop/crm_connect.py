"""The CRM connection in the main window: one call, ``install(window)``.

- The CRM menu gains "Connect HubSpot…", "Refresh contacts now" and "Forwarding (SMTP)…";
  the Mailbox menu "Accounts…" (edit and remove mail accounts, their CRM and forwarding).
- A mailbox with no CRM directory (no contact known, nothing ever loaded from a CRM) shows one
  banner, "Connect your CRM to see real verdicts", and the verdict column stays empty instead
  of a column of guesses.
- The directory of every HubSpot account is reloaded on a schedule (hourly unless the account
  says otherwise) and on demand; the status bar says when it was last loaded.
- The first mailbox connected from the welcome page goes on to "Connect HubSpot".
"""

from __future__ import annotations

import threading
import time
from typing import Any, Final

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from core.crm.service import CrmKind, CrmService, has_crm_people
from core.store import db
from core.store.accounts import Account, get_account, list_accounts
from desktop.crm_errors import failure_line
from desktop.message_model import format_date
from desktop.ops import NetworkOp, Running

translate = QCoreApplication.translate  # lupdate reads translate("Context", "…")

REFRESH_MINUTES: Final = 60
BANNER_TEXT: Final = QT_TRANSLATE_NOOP("CrmBanner", "Connect your CRM to see real verdicts")


class CrmBanner(QFrame):
    """The one banner of a mailbox without a CRM directory."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("crmBanner")
        self.setStyleSheet(
            "QFrame#crmBanner { background: #e8f0fe; border-bottom: 1px solid #c6d7f5; }"
            " QFrame#crmBanner QLabel { color: #1a3d7c; }"
        )
        self.text = QLabel(self)
        self.text.setWordWrap(True)
        self.connect_button = QPushButton(self.tr("Connect HubSpot…"), self)
        self.connect_button.setObjectName("bannerConnect")
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 8, 12, 8)
        row.addWidget(self.text, 1)
        row.addWidget(self.connect_button)
        self.text.setText(
            "<b>"
            + self.tr(BANNER_TEXT)
            + "</b><br>"
            + self.tr(
                "Mailscope knows no contacts or users of this mailbox yet, so it cannot tell "
                "what the CRM will log."
            )
        )


def refresh_work(path: Any, account_name: str) -> Any:
    """A background reload of one HubSpot account's owners and contacts."""

    def work(report: Any, cancel: threading.Event) -> Any:
        from core.crm.delivery import Channels
        from core.crm.refresh import refresh_from_hubspot

        conn = db.connect(path)
        try:
            account = get_account(conn, account_name)
            if account is None:
                return None
            service = CrmService(conn, account)
            with Channels().hubspot(service.config()) as client:
                return refresh_from_hubspot(service, client, progress=report, cancel=cancel)
        finally:
            conn.close()

    return work


class CrmConnect(QObject):
    """The banner, the menus, the schedule; follows the window's account."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self._refreshing: Running | None = None
        self.banner = CrmBanner()
        self.banner.hide()
        column = window.filter_bar.parentWidget().layout()
        column.insertWidget(0, self.banner)
        self.loaded = QLabel()
        self.loaded.setObjectName("crmLoaded")
        window.statusBar().addPermanentWidget(self.loaded)
        self.timer = QTimer(self)
        self.timer.setInterval(60_000)  # looks every minute which account is due
        self.timer.timeout.connect(self.refresh_due)
        self.banner.connect_button.clicked.connect(lambda _=False: self.connect_hubspot())
        self.dialog: QWidget | None = None

    # -- state ----------------------------------------------------------------------------
    def _closed(self) -> bool:
        closed: bool = getattr(self.window, "_closed", False)
        if closed:
            self.timer.stop()
        return closed

    def account(self) -> Account | None:
        found: Account | None = self.window.current_account()
        return found

    def update(self) -> None:
        """Banner, verdict column and "last loaded" for the window's account."""
        if self._closed():
            return
        account = self.account()
        conn = self.window.conn
        config = CrmService(conn, account).config() if account is not None else None
        missing = account is not None and not has_crm_people(conn, account.id)
        self.banner.setVisible(missing)
        model = self.window.model
        if model.verdicts_shown == missing:
            model.set_verdicts_shown(not missing)
        if config is None or config.crm != CrmKind.HUBSPOT:
            self.loaded.setText("")
            return
        when = config.loaded_at
        text = format_date(when) if when else self.tr("never")
        self.loaded.setText(self.tr("HubSpot loaded: %1").replace("%1", text))

    # -- actions --------------------------------------------------------------------------
    def connect_hubspot(self) -> None:
        from desktop.hubspot_dialog import HubSpotDialog

        account = self.account()
        if account is None:
            self.window.statusBar().showMessage(self.tr("Connect a mailbox first."), 10_000)
            return
        dialog = HubSpotDialog(self.window.tasks, account.name, self.window)
        dialog.connected.connect(self._changed)
        self.dialog = dialog
        dialog.open()

    def refresh_now(self, account: Account | None = None) -> None:
        """Reload owners and contacts of an account (the window's by default)."""
        account = account or self.account()
        if account is None:
            return
        if CrmService(self.window.conn, account).config().crm != CrmKind.HUBSPOT:
            self.window.statusBar().showMessage(
                self.tr("%1 logs into the local CRM: connect HubSpot to load contacts.").replace(
                    "%1", account.name
                ),
                10_000,
            )
            return
        self.window.statusBar().showMessage(
            self.tr("Loading HubSpot contacts of %1…").replace("%1", account.name)
        )
        op = NetworkOp(self.window.tasks, refresh_work(self.window.cache, account.name))
        op.success(lambda _: self._changed())
        op.failure(lambda e: self.window.statusBar().showMessage(failure_line(e), 15_000))
        self._refreshing = op.run_in_background()

    @property
    def loading(self) -> bool:
        """A directory is being loaded (one at a time)."""
        return self._refreshing is not None and not self._refreshing.finished.is_set()

    def refresh_due(self) -> None:
        """Reload each HubSpot account whose directory is older than its refresh interval."""
        if self.loading or self._closed():
            return  # one load at a time; none once the window is closed
        now = time.time()
        due = next((a for a in list_accounts(self.window.conn) if self._due(a, now)), None)
        if due is not None:
            self.refresh_now(due)

    def _due(self, account: Account, now: float) -> bool:
        """Whether a HubSpot account's directory is older than its refresh interval."""
        config = CrmService(self.window.conn, account).config()
        minutes = config.refresh_minutes or REFRESH_MINUTES
        return config.crm == CrmKind.HUBSPOT and (config.loaded_at or 0) + minutes * 60 <= now

    def _changed(self) -> None:
        self.window.statusBar().clearMessage()
        self.window.refresh()

    def first_mailbox(self, account: Account) -> None:
        """The first mailbox of the welcome page goes on to connect its CRM."""
        conn = self.window.conn
        if len(list_accounts(conn)) == 1 and not has_crm_people(conn, account.id):
            QTimer.singleShot(0, self.connect_hubspot)

    def edit_accounts(self) -> None:
        from desktop.accounts_manager import AccountsManager

        manager = AccountsManager(self.window, self)
        manager.open()

    def smtp_settings(self) -> None:
        from desktop.smtp_dialog import SmtpDialog

        account = self.account()
        if account is not None:
            SmtpDialog(self.window.tasks, account.name, self.window).open()


def _menu(window: Any) -> Any:
    menu = getattr(window, "crm_menu", None)
    return menu if menu is not None else window.menuBar().addMenu(translate("MainWindow", "&CRM"))


def install(window: Any) -> CrmConnect:
    """Plug the CRM connection into a ``desktop.main_window.MainWindow``."""
    crm = CrmConnect(window)
    menu = _menu(window)
    menu.addSeparator()
    settings = getattr(window, "settings_menu", None) or menu
    for where, text, slot, keys in (
        (menu, translate("MainWindow", "Connect &HubSpot…"), crm.connect_hubspot, None),
        (menu, translate("MainWindow", "&Refresh contacts now"), crm.refresh_now, "Ctrl+Shift+R"),
        (settings, translate("MainWindow", "&Accounts…"), crm.edit_accounts, None),
        (
            menu,
            translate("MainWindow", "&Forwarding (SMTP)…"),
            crm.smtp_settings,
            None,
        ),  # SMTP_SETTINGS
    ):
        action = where.addAction(text)
        if keys:
            action.setShortcut(QKeySequence(keys))
        action.triggered.connect(lambda _=False, run=slot: run())
    window.account_changed.connect(lambda _: crm.update())
    window.refreshed.connect(crm.update)
    added = getattr(window, "account_added", None)
    if added is not None:
        added.connect(crm.first_mailbox)
    crm.timer.start()
    crm.update()
    QTimer.singleShot(5_000, crm, crm.refresh_due)  # after start-up, load what is due
    window.crm = crm
    return crm
