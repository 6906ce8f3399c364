"""The CRM outbox as a table: one row per queued click, newest first, with its state in words
and colour, its action, what happened to it and when.

Apart from ``desktop.outbox_view`` (the worker, the clicks and the view with its buttons): the
model only reads ``core.store.outbox`` and says how a row reads.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor

from core.i18n import format_datetime
from core.store import outbox
from core.store.outbox import OutboxItem, State

AnyIndex = QModelIndex | QPersistentModelIndex


_HEADERS = ("#", QT_TRANSLATE_NOOP("OutboxModel", "State"),
    QT_TRANSLATE_NOOP("OutboxModel", "Action"), QT_TRANSLATE_NOOP("OutboxModel", "Details"),
    QT_TRANSLATE_NOOP("OutboxModel", "Tries"),
    QT_TRANSLATE_NOOP("OutboxModel", "Updated"))  # fmt: skip
_STATE_TEXT = {
    State.PENDING: QT_TRANSLATE_NOOP("OutboxModel", "Waiting"),
    State.SENDING: QT_TRANSLATE_NOOP("OutboxModel", "Sending…"),
    State.DONE: QT_TRANSLATE_NOOP("OutboxModel", "Done"),
    State.FAILED: QT_TRANSLATE_NOOP("OutboxModel", "Failed"),
    State.CANCELLED: QT_TRANSLATE_NOOP("OutboxModel", "Cancelled"),
}


# Readable on light and dark backgrounds; the text says the state too.
_STATE_COLOUR = {State.DONE: "#2e8b47", State.FAILED: "#c0392b", State.SENDING: "#b9770e"}


# How a HubSpot row kept "exactly once" (core.crm.hubspot_emails.Path).
_PATHS = {"key": "once, by its unique key", "search": "once, checked by search"}


def _colour(state: State) -> QColor | None:
    colour = _STATE_COLOUR.get(state)
    return QColor(colour) if colour is not None else None


def _status(item: OutboxItem) -> str:
    if item.state is State.PENDING and item.error:
        return f"Retrying {datetime.fromtimestamp(item.next_at):%H:%M:%S}: {item.error}"
    if item.state is State.DONE:
        way = _PATHS.get(item.path or "")
        return f"{item.label} — {way}" if way else item.label
    return f"{item.label} — {item.error}" if item.error else item.label


class OutboxModel(QAbstractTableModel):
    """The queue of one account (or all), newest first; ``reload()`` re-reads it."""

    def __init__(
        self, conn: sqlite3.Connection, account_id: int | None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._conn = conn
        self._account_id = account_id
        self._items: list[OutboxItem] = []
        self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        self._items = outbox.items(self._conn, self._account_id)
        self.endResetModel()

    def item(self, row: int) -> OutboxItem | None:
        return self._items[row] if 0 <= row < len(self._items) else None

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(_HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        return self.tr(_HEADERS[section]) if 0 <= section < len(_HEADERS) else None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        item = self.item(index.row()) if index.isValid() else None
        if item is None:
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            return item.error or item.label
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 1:
            return _colour(item.state)
        return self._text(item, index.column()) if role == Qt.ItemDataRole.DisplayRole else None

    def _text(self, item: OutboxItem, column: int) -> str | None:
        """What a cell shows: the row's number, state, action, details, tries, last change."""
        if column == 0:
            return str(item.id)
        if column == 1:
            return self.tr(_STATE_TEXT[item.state])
        if column == 2:
            return self._action(item)
        if column == 3:
            return _status(item)
        if column == 4:
            return str(item.attempts)
        if column == 5:
            return format_datetime(datetime.fromtimestamp(item.updated_at), "short")
        return None

    def _action(self, item: OutboxItem) -> str:
        names = {"log": self.tr("Log"), "create_contact": self.tr("Create contact")}
        return names.get(item.kind.value, self.tr("Forward"))
