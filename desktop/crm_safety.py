"""One click never pollutes the CRM (issue 15): who a click creates is shown first, and every
queued action can be undone.

``SafeActions(window, actions)`` stands between the clicks (detail pane, CRM menu, right-click
menu) and ``desktop.outbox_view.CrmActions``:

- A click that creates a contact (Log now on an unknown correspondent, Create the contact)
  first reads who would be created (name, email, owner: ``core.crm.actions.contact_candidate``
  and the log request's new contacts) in a ``QueryOp`` and asks. "Don't ask
  again for non-bulk senders" is remembered in QSettings; a bulk sender (a mailing list, a
  newsletter, an automatic message) always asks.
- Every queued action is due ``hold`` seconds later (``UNDO_SECONDS``): the status bar says
  what was queued and offers Undo, which cancels the pending outbox row, so the CRM never saw
  it. Later it can still be cancelled from the outbox while it waits.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any, Final

from PySide6.QtCore import QCoreApplication, QObject, QSettings, QTimer
from PySide6.QtWidgets import QCheckBox, QMessageBox, QPushButton

from core.rules.actions import Action
from core.store.outbox import Enqueued
from desktop.ops import QueryOp

UNDO_SECONDS: Final = 10.0
ASK_KEY: Final = "crm/ask_before_creating"  # False: non-bulk senders are not asked


translate = QCoreApplication.translate  # lupdate reads translate("Context", "…")


@dataclass(frozen=True)
class Creation:
    """Who a click would create in the CRM, and whether the sender is bulk mail."""

    people: tuple[tuple[str, str], ...]  # (name, email)
    owner: str
    bulk: bool


def creation(conn: sqlite3.Connection, row_id: int, action: Action) -> Creation | None:
    """Who ``action`` on row ``row_id`` would create (on the database thread); None when the
    row is gone. No one is created when the email already has a contact. ``bulk`` is the
    cache's rules-§7 column."""
    from core.crm.actions import contact_candidate, log_request
    from core.store.places import account_of
    from core.store.queries import message_record
    from core.store.redecide import decide_row

    account = account_of(conn, row_id)
    record = message_record(conn, row_id)
    decided = decide_row(conn, account, row_id) if account is not None else None
    if account is None or decided is None or record is None or decided.verdict.facts is None:
        return None
    if action is Action.CREATE_CONTACT:
        found = contact_candidate(conn, account, row_id)
        people = ((found.name, found.email),) if found is not None else ()
    else:
        new = log_request(decided, None).new_contacts
        people = tuple((f"{c.first} {c.last}".strip(), c.email) for c in new)
    owner_id = decided.directory.mailbox_owner
    owner = decided.directory.user_label(owner_id) if owner_id else ""
    return Creation(people, owner, bool(record.columns.get("bulk")))


def question(found: Creation) -> str:
    """The confirmation's text: who will be created, owned by whom."""
    lines = [translate("SafeActions", "This creates a contact in the CRM:")]
    for name, email in found.people:
        lines.append(f"• {name} <{email}>" if name else f"• {email}")
    lines.append(
        translate("SafeActions", "Owner: %1").replace(
            "%1", found.owner or translate("SafeActions", "nobody")
        )
    )
    if found.bulk:
        lines.append(
            translate(
                "SafeActions", "This sender sends bulk mail (a newsletter or a mailing list)."
            )
        )
    return "\n".join(lines)


class SafeActions(QObject):
    """Confirm, queue with a hold, offer Undo; ``request(row_id, action)`` is the one entry."""

    def __init__(self, window: Any, actions: Any, *, hold: float = UNDO_SECONDS) -> None:
        super().__init__(window)
        self.window = window
        self.actions = actions
        self.hold = hold
        self.settings: QSettings = window.settings
        self.dialog: QMessageBox | None = None  # the open confirmation, if any
        self.last: Enqueued | None = None
        self.undo_button = QPushButton(translate("SafeActions", "Undo"))
        self.undo_button.setObjectName("undoAction")
        self.undo_button.hide()
        self.undo_button.clicked.connect(lambda _=False: self.undo())
        window.statusBar().addPermanentWidget(self.undo_button)
        self._expire = QTimer(self)
        self._expire.setSingleShot(True)
        self._expire.timeout.connect(self.undo_button.hide)
        actions.queued.connect(self._queued)
        actions.delivered.connect(self._delivered)

    @property
    def asks_everyone(self) -> bool:
        return self.settings.value(ASK_KEY, True, type=bool) is not False

    def request(self, row_id: int, action: Action = Action.LOG_NOW) -> None:
        """A click: read who it would create, then ask or queue."""
        op = QueryOp(
            self.window.tasks,
            lambda conn: creation(conn, row_id, action),
            lambda found: self._decide(row_id, action, found),
        )
        op.failure(lambda error: self._say(str(error)))
        op.run_in_background()

    def request_address(self, account_name: str, email: str, owner: str = "") -> None:
        """The check panel's "Create the contact" for a typed address: always confirmed."""
        box = QMessageBox(self.window)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(translate("SafeActions", "Create a CRM contact?"))
        box.setText(question(Creation((("", email),), owner, False)))
        create = box.addButton(
            translate("SafeActions", "Create"), QMessageBox.ButtonRole.AcceptRole
        )
        box.addButton(QMessageBox.StandardButton.Cancel)

        def answered(button: object) -> None:
            self.dialog = None
            if button is create:
                self.actions.create_address(account_name, email, hold=self.hold)

        box.buttonClicked.connect(answered)
        self.dialog = box
        box.open()

    def handle(self, row_id: int, action: Action) -> None:
        """The detail pane's handler signature."""
        self.request(row_id, action)

    def _decide(self, row_id: int, action: Action, found: Creation | None) -> None:
        if found is None or not found.people:
            self._queue(row_id, action)  # nobody is created (or the click says why not)
        elif not found.bulk and not self.asks_everyone:
            self._queue(row_id, action)
        else:
            self._ask(row_id, action, found)

    def _ask(self, row_id: int, action: Action, found: Creation) -> None:
        box = QMessageBox(self.window)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(translate("SafeActions", "Create a CRM contact?"))
        box.setText(question(found))
        create = box.addButton(
            translate("SafeActions", "Create"), QMessageBox.ButtonRole.AcceptRole
        )
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        again: QCheckBox | None = None
        if not found.bulk:  # a bulk sender always asks
            again = QCheckBox(translate("SafeActions", "Don't ask again for non-bulk senders"))
            box.setCheckBox(again)
        box.buttonClicked.connect(
            lambda b: self._answered(
                b is create, again is not None and again.isChecked(), row_id, action
            )
        )
        self.dialog = box
        box.open()

    def _answered(self, yes: bool, quiet: bool, row_id: int, action: Action) -> None:
        self.dialog = None
        if not yes:
            self._say(translate("SafeActions", "Nothing was created."))
            return
        if quiet:
            self.settings.setValue(ASK_KEY, False)
        self._queue(row_id, action)

    def forward(self, row_id: int) -> None:
        """Forward to the logging address: nobody is created; undoable like the others."""
        self.actions.forward(row_id, hold=self.hold)

    def _delivered(self, item_id: int, state: str) -> None:
        """Each delivery says how it ended, in the status bar."""
        from core.store import outbox

        item = outbox.get(self.actions.conn, item_id)
        if state == "done":
            self._say(translate("SafeActions", "Done in the CRM: %1").replace("%1", item.label))
        elif state == "failed":
            self._say(
                translate("SafeActions", "Failed: %1 (see the CRM outbox)").replace(
                    "%1", item.label
                )
            )

    def _queue(self, row_id: int, action: Action) -> None:
        if action is Action.CREATE_CONTACT:
            self.actions.create_contact(row_id, hold=self.hold)
        else:
            self.actions.log_now(row_id, hold=self.hold)

    def _queued(self, done: Enqueued) -> None:
        if not done.created:
            self._say(translate("SafeActions", "Already queued: %1").replace("%1", done.item.label))
            return
        self.last = done
        self._say(
            translate("SafeActions", "Queued: %1. Undo within 10 seconds.").replace(
                "%1", done.item.label
            )
        )
        self.undo_button.show()
        self._expire.start(int(self.hold * 1000) if self.hold else 0)

    def undo(self) -> None:
        """Cancel the last queued action while it is still pending."""
        done, self.last = self.last, None
        self.undo_button.hide()
        self._expire.stop()
        if done is None:
            return
        self.actions.cancel(done.item.id)
        self._say(
            translate("SafeActions", "Undone: %1 (nothing reached the CRM).").replace(
                "%1", done.item.label
            )
        )

    def _say(self, text: str) -> None:
        self.window.statusBar().showMessage(text, 10_000)
