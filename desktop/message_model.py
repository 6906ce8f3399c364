"""The message table: a lazy model over the SQLite cache.

It holds the matching row ids in display order as one ``array('q')`` (8 bytes a row) and reads
the rows on screen in pages of ``PAGE`` from SQLite; a small LRU keeps the recent pages. No
Python object per message of the folder is ever built.
"""

from __future__ import annotations

import sqlite3
import time
from array import array
from collections import OrderedDict
from dataclasses import replace
from datetime import datetime
from typing import Final

from PySide6.QtCore import (
    QAbstractTableModel,
    QDateTime,
    QLocale,
    QModelIndex,
    QModelRoleDataSpan,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont

from core.store import views
from core.store.views import Column, DisplayRow, Labels, TableQuery
from desktop import style

PAGE: Final = 200
Pages = dict[int, dict[int, DisplayRow]]  # page number -> its rows by id
KEEP_PAGES: Final = 40
BADGE_ROLE: Final = Qt.ItemDataRole.UserRole + 1
ID_ROLE: Final = Qt.ItemDataRole.UserRole + 2

Index = QModelIndex | QPersistentModelIndex
_VERDICT_COLUMNS: Final = frozenset({Column.VERDICT, Column.CONTACTS, Column.ATTRIBUTED})
_ROLES: Final = frozenset(
    {
        Qt.ItemDataRole.DisplayRole,
        BADGE_ROLE,
        ID_ROLE,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.FontRole,
    }
)
_COLUMNS: Final = tuple(Column)  # by position: no enum call per cell
KEEP_TEXTS: Final = KEEP_PAGES * PAGE * len(Column)  # the texts of the pages kept, at most


def format_date(epoch: float | None, now: float | None = None) -> str:
    """Today: the time; this year: day and month; else day, month and year."""
    if epoch is None:
        return ""
    when = datetime.fromtimestamp(epoch)
    today = datetime.fromtimestamp(now if now is not None else time.time())
    shown = QDateTime.fromSecsSinceEpoch(int(epoch))  # in the locale's words ("29 oct.")
    if when.date() == today.date():
        return QLocale().toString(shown.time(), QLocale.FormatType.ShortFormat)
    if when.year == today.year:
        return QLocale().toString(shown.date(), "d MMM")
    return QLocale().toString(shown.date(), "d MMM yyyy")


class MessageTableModel(QAbstractTableModel):
    """Rows of the cache matching a ``TableQuery``, read page by page when shown."""

    query_changed = Signal()

    def __init__(
        self, conn: sqlite3.Connection, parent: QObject | None = None, *, active: bool = True
    ) -> None:
        super().__init__(parent)
        self._conn = conn
        self._active = active  # inactive: queries are kept, not run (the window's set-up)
        self._query = TableQuery()
        self._ids: array[int] = array("q")
        self._read_at = float("-inf")  # when the shown ids were read (time.monotonic)
        self._pages: OrderedDict[int, dict[int, DisplayRow]] = OrderedDict()
        self._labels: dict[int, Labels] = {}
        self._texts: dict[tuple[int, Column], str] = {}  # shown texts, by row id and column
        self._texts_at = time.monotonic()
        # False for a mailbox without a CRM directory: its verdicts would be guesses, so the
        # verdict, contacts and attribution columns stay empty (the window shows a banner).
        self.verdicts_shown = True
        self._headers = (
            self.tr("Verdict"),
            self.tr("Date"),
            self.tr("Correspondent"),
            self.tr("Subject"),
            self.tr("Contacts"),
            self.tr("Attributed to"),
        )

    # -- the query ------------------------------------------------------------------------
    @property
    def query(self) -> TableQuery:
        return self._query

    def set_query(self, query: TableQuery) -> None:
        """Show the rows of another query (a filter, a search, a folder, a sort)."""
        if query == self._query and self._active and self._ids:
            return  # the header re-sorting by the same column: nothing to read
        self._query = query
        self._read_at = float("-inf")  # another query: whatever is read next is the answer
        if self._active:
            self.reload()
        self.query_changed.emit()

    def activate(self) -> None:
        """Start reading (the window calls it once it knows which folder to show)."""
        if not self._active:
            self._active = True
            self.reload()

    def show_query(self, query: TableQuery, ids: array[int], read_at: float) -> None:
        """Show a query whose ids were read elsewhere (the background reader); the same query
        again: its ids read further (the first page was shown first, issue 15)."""
        if query == self._query:
            self.apply_ids(ids, read_at)
            return
        self._query = query
        self._read_at = float("-inf")  # another query: its answer is the one to show
        self.apply_ids(ids, read_at)
        self.query_changed.emit()

    def reload(self) -> bool:
        """Re-read the ids (after a sync or an action); returns whether anything changed."""
        read_at = time.monotonic()
        return self.apply_ids(views.ids(self._conn, self._query), read_at)

    def apply_ids(
        self,
        fresh: array[int],
        read_at: float,
        pages: Pages | None = None,
    ) -> bool:
        """Show these ids, read for the current query at ``read_at`` (maybe in another thread).

        An answer read before the ids shown now is stale (a background read that started
        before a synchronous reload) and is dropped: the table never steps back in time.
        """
        if read_at < self._read_at:
            return False
        rest = read_at == self._read_at  # the rest of a read in parts: the rows shown are as new
        self._read_at = read_at
        shown = len(self._ids)
        if fresh[:shown] == self._ids:  # the same rows first: no reset (the view keeps its place)
            if not rest:
                self._refresh_shown(pages)  # verdicts may have changed in place
            if len(fresh) == shown:
                return False
            self.beginInsertRows(QModelIndex(), shown, len(fresh) - 1)
            self._ids = fresh
            self.endInsertRows()
            return True
        self.beginResetModel()
        self._ids = fresh
        self._take_pages(pages)
        self.endResetModel()
        return True

    def _take_pages(self, pages: Pages | None) -> None:
        """Forget the rows read so far, keeping ``pages`` (read with the ids, desktop.reader)."""
        self._labels.clear()
        self._pages.clear()
        self._pages.update(pages or {})
        self._forget_texts()

    def _refresh_shown(self, pages: Pages | None = None) -> None:
        self._take_pages(pages)
        shown = len(self._ids)
        if shown:
            self.dataChanged.emit(self.index(0, 0), self.index(shown - 1, len(Column) - 1))

    def set_verdicts_shown(self, shown: bool) -> None:
        if shown != self.verdicts_shown:
            self.verdicts_shown = shown
            self._forget_texts()
            if self._ids:
                last = self.index(len(self._ids) - 1, len(Column) - 1)
                self.dataChanged.emit(self.index(0, 0), last)

    def row_id(self, row: int) -> int | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, message_id: int) -> int | None:
        try:
            return self._ids.index(message_id)
        except ValueError:
            return None

    @property
    def ids(self) -> array[int]:
        return self._ids

    # -- Qt model -------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(_COLUMNS)

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        """A cell's index in one call into Python: the base class asks ``rowCount`` and
        ``columnCount`` each time, two calls that wait for the GIL while a worker thread runs, and a
        repaint asks an index of every cell (issue 15)."""
        if parent.isValid() or not (0 <= row < len(self._ids) and 0 <= column < len(_COLUMNS)):
            return QModelIndex()
        return self.createIndex(row, column)

    def badge(self, index: Index) -> style.Badge | None:
        """The verdict's badge of a cell (``BADGE_ROLE``), read without a call through Qt."""
        cell = self._cell(index)
        found = None if cell is None else self._answer(*cell, BADGE_ROLE)
        return found if isinstance(found, style.Badge) else None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        horizontal = orientation is Qt.Orientation.Horizontal
        if horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(Column):
            return self._headers[section]
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(Column):
            return
        descending = order is Qt.SortOrder.DescendingOrder
        self.set_query(replace(self._query, sort=Column(column), descending=descending))

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        # A repaint asks each cell for ~10 roles, each a call into Python that waits for the
        # GIL while a worker thread runs: the roles never answered cost no page look-up (issue 15).
        if role not in _ROLES:
            return None
        cell = self._cell(index)
        return None if cell is None else self._answer(*cell, role)

    def multiData(self, index: Index, roleDataSpan: QModelRoleDataSpan) -> None:
        """Every role a view asks of a cell, in one call into Python (Qt 6 asks a cell for 7
        roles through this): a repaint of 28 rows is ~170 calls instead of ~1,200, each of which
        waits for the GIL while a worker thread runs (issue 15: the stall during a sync, when it ran
        in the window's process). The cell's row and column are found once for all its roles."""
        cell = self._cell(index)
        for item in roleDataSpan:
            role = item.role()
            item.setData(None if cell is None or role not in _ROLES else self._answer(*cell, role))

    def _cell(self, index: Index) -> tuple[DisplayRow, Column] | None:
        """The row and column of a cell shown (None for an index out of the rows)."""
        position = index.row()
        if not 0 <= position < len(self._ids) or not index.isValid():
            return None
        row = self._row(position)
        return None if row is None else (row, _COLUMNS[index.column()])

    def _answer(self, row: DisplayRow, column: Column, role: int) -> object:
        if role == Qt.ItemDataRole.DisplayRole:
            return self._shown(row, column)
        if role == BADGE_ROLE and column is Column.VERDICT:
            bulk = bool(getattr(row, "bulk", False))  # rules §7's advisory, when the row has it
            return style.badge(row.logged, row.reason, bulk) if self.verdicts_shown else None
        if role == ID_ROLE:
            return row.id
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        if role == Qt.ItemDataRole.FontRole and row.unread and not row.outbound:
            font = QFont()
            font.setBold(True)
            return font
        return None

    # -- reading rows ---------------------------------------------------------------------
    def _row(self, position: int) -> DisplayRow | None:
        number = position // PAGE
        page = self._pages.get(number)
        if page is None:
            chunk = self._ids[number * PAGE : (number + 1) * PAGE]
            page = views.display_rows(self._conn, chunk)
            self._pages[number] = page
            if len(self._pages) > KEEP_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(number)
        return page.get(self._ids[position])

    def _shown(self, row: DisplayRow, column: Column) -> str:
        """``_text``, kept while the rows are (a repaint formats no date again)."""
        key = (row.id, column)
        text = self._texts.get(key)
        if text is None:
            if len(self._texts) >= KEEP_TEXTS or time.monotonic() - self._texts_at > 60:
                self._forget_texts()  # and at least every minute: "today" moves
            text = self._texts[key] = self._text(row, column)
        return text

    def _forget_texts(self) -> None:
        self._texts.clear()
        self._texts_at = time.monotonic()

    def _names(self, account_id: int) -> Labels:
        found = self._labels.get(account_id)
        if found is None:
            found = self._labels[account_id] = views.labels(self._conn, account_id)
        return found

    def _text(self, row: DisplayRow, column: Column) -> str:
        if not self.verdicts_shown and column in _VERDICT_COLUMNS:
            return ""
        if column is Column.VERDICT:
            return style.badge(row.logged, row.reason).text
        if column is Column.DATE:
            return format_date(row.date)
        if column is Column.CORRESPONDENT:
            return self._correspondent(row)
        if column is Column.SUBJECT:
            return row.subject or self.tr("(no subject)")
        names = self._names(row.account_id)
        if column is Column.CONTACTS:
            return ", ".join(names.contacts.get(c, c) for c in row.contacts)
        if row.attributed_to is None:
            return ""
        return names.users.get(row.attributed_to, row.attributed_to)

    def _correspondent(self, row: DisplayRow) -> str:
        if not row.outbound:
            return row.sender or self.tr("(unknown sender)")
        return self._recipients(row)

    def _recipients(self, row: DisplayRow) -> str:
        """Whom a sent email went to: its first recipient, and how many others."""
        if row.first_to is None:
            return self.tr("To: (nobody yet)")
        more = row.recipients - 1
        if more > 0:
            return self.tr("To: %1 +%2").replace("%1", row.first_to).replace("%2", str(more))
        return self.tr("To: %1").replace("%1", row.first_to)

    def _tooltip(self, row: DisplayRow, column: Column) -> str | None:
        if column is Column.VERDICT and not self.verdicts_shown:
            return self.tr("Connect your CRM to see real verdicts")
        if column is Column.VERDICT and row.reason is not None:
            from core.rules.model import Reason
            from core.rules.trace import REASON_TEXT

            reason = str(REASON_TEXT[Reason(row.reason)])
            if row.logged:
                return self.tr("Will be logged: %1").replace("%1", reason)
            return self.tr("Won't be logged: %1").replace("%1", reason)
        text = self._text(row, column)
        return text or None
