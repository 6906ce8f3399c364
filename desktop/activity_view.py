"""The activity report: per user, the logged emails attributed to them over a period, as a
table and a bar chart (drawn with QPainter: QtCharts is not in PySide6-Essentials)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate, QDateTime, QLocale, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.preview.activity import ActivityRow, activity, counted, period, to_csv
from core.rules.vocabulary import folder_label
from core.store.accounts import get_account
from core.store.logged import CountedEmail

Connect = Callable[[], sqlite3.Connection]
BAR_COLOUR = "#3b7dd8"
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


class BarChart(QWidget):
    """Horizontal bars, one per user, labelled with the name and the count."""

    ROW = 26

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[tuple[str, int]] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def set_rows(self, rows: list[tuple[str, int]]) -> None:
        self.rows = rows
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(360, max(80, 16 + self.ROW * len(self.rows)))

    def bar_rects(self) -> list[QRectF]:
        """Where each bar is drawn (its length is proportional to its count)."""
        top = max((n for _, n in self.rows), default=0)
        label_w = min(200.0, self.width() * 0.35)
        room = max(10.0, self.width() - label_w - 60.0)
        return [
            QRectF(label_w + 8, 8 + i * self.ROW + 4, room * n / top if top else 0.0, self.ROW - 8)
            for i, (_, n) in enumerate(self.rows)
        ]

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        text = self.palette().color(QPalette.ColorRole.WindowText)
        label_w = min(200.0, self.width() * 0.35)
        for i, ((name, n), rect) in enumerate(zip(self.rows, self.bar_rects(), strict=True)):
            y = 8 + i * self.ROW
            painter.setPen(text)
            label = QRectF(0, y, label_w, self.ROW)
            metrics = painter.fontMetrics()
            elided = metrics.elidedText(name, Qt.TextElideMode.ElideRight, int(label_w))
            painter.drawText(label, _RIGHT, elided)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(BAR_COLOUR))
            painter.drawRoundedRect(rect, 3, 3)
            painter.setPen(text)
            count = QRectF(rect.right() + 6, y, 60, self.ROW)
            painter.drawText(count, _LEFT, str(n))
        painter.end()


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


class ActivityView(QWidget):
    """Pick a period; read per user how many logged emails count for them."""

    updated = Signal(object)  # list[ActivityRow]
    open_message = Signal(int)  # a cached row the rep asked to read (drill-down, Enter)

    def __init__(self, connect: Connect, account: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._connect = connect
        self._conn = connect()
        self.account = account
        self.rows: list[ActivityRow] = []
        today = date.today()
        self.first = QDateEdit(_qdate(date(today.year, today.month, 1)), self)
        self.last = QDateEdit(_qdate(today), self)
        for edit in (self.first, self.last):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat(QLocale().dateFormat(QLocale.FormatType.ShortFormat))
            edit.dateChanged.connect(self.reload)
        self.copy_csv = QPushButton(self.tr("Copy as CSV"), self)
        self.copy_csv.clicked.connect(self._copy)
        self.status = QLabel(self)
        self.status.setObjectName("status")
        self.table = QTableWidget(0, 3, self)
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("User"),
                self.tr("Email"),
                self.tr("Logged emails"),
            ]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.currentCellChanged.connect(lambda row, *_: self._drill(row))
        self.chart = BarChart(self)
        self.emails_title = QLabel(self)
        self.emails = self._emails_table()
        self.counted: list[CountedEmail] = []
        self._period: tuple[float, float] | None = None
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("From"), self))
        bar.addWidget(self.first)
        bar.addWidget(QLabel(self.tr("to"), self))
        bar.addWidget(self.last)
        bar.addStretch(1)
        bar.addWidget(self.copy_csv)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.table)
        split.addWidget(self.chart)
        drill = QWidget(split)
        column = QVBoxLayout(drill)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.emails_title)
        column.addWidget(self.emails, 1)
        split.addWidget(drill)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.status)
        layout.addWidget(split, 1)
        self.reload()

    def _emails_table(self) -> QTableWidget:
        table = QTableWidget(0, 4, self)
        table.setHorizontalHeaderLabels(
            [self.tr("Date"), self.tr("From or to"), self.tr("Subject"), self.tr("Folder")]
        )
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.verticalHeader().setVisible(False)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)  # the subject takes the room
        table.setWordWrap(False)
        table.cellActivated.connect(lambda row, _col: self._open(row))  # double-click, Enter
        table.setToolTip(self.tr("Double-click an email (or press Enter) to read it."))
        return table

    def set_account(self, name: str) -> None:
        self.account = name
        self._conn.close()
        self._conn = self._connect()  # the window may have switched to another cache file
        self.reload()

    def set_period(self, first: date, last: date) -> None:
        for edit, day in ((self.first, first), (self.last, last)):
            edit.blockSignals(True)
            edit.setDate(_qdate(day))
            edit.blockSignals(False)
        self.reload()

    def reload(self) -> None:
        """Re-read the report (a grouped count over indexed columns: fast enough inline)."""
        account = get_account(self._conn, self.account)
        try:
            start, end = period(_pydate(self.first.date()), _pydate(self.last.date()))
        except ValueError as error:
            self._show_error(str(error))
            return
        chosen = self._chosen()
        self._period = (start, end)
        self.rows = activity(self._conn, account, start, end) if account is not None else []
        total = sum(r.emails for r in self.rows)
        self.status.setText(self.tr("%n logged emails in the period.", "", total))
        self._fill()
        self.chart.set_rows([(r.user, r.emails) for r in self.rows])
        # The same user's emails again, in the new period; else none until a line is chosen.
        again = next((i for i, r in enumerate(self.rows) if chosen and r.user_id == chosen[0]), -1)
        self.table.blockSignals(True)
        self.table.setCurrentCell(again, 0 if again >= 0 else -1)
        self.table.blockSignals(False)
        self._drill(again)
        self.updated.emit(self.rows)

    def _fill(self) -> None:
        self.table.blockSignals(True)  # no drill-down per line while the lines change
        self.table.setRowCount(len(self.rows))
        for i, r in enumerate(self.rows):
            count = QTableWidgetItem()
            count.setData(Qt.ItemDataRole.DisplayRole, r.emails)
            for c, item in enumerate((QTableWidgetItem(r.user), QTableWidgetItem(r.email), count)):
                self.table.setItem(i, c, item)
        self.table.blockSignals(False)

    def _chosen(self) -> tuple[str | None] | None:
        """The user whose emails are shown (a 1-tuple: None is "nobody"), or None."""
        row = self.table.currentRow()
        return (self.rows[row].user_id,) if 0 <= row < len(self.rows) else None

    def _drill(self, row: int) -> None:
        """Show the emails the selected line counts (issue 15: the drill-down)."""
        account = get_account(self._conn, self.account)
        if not 0 <= row < len(self.rows) or account is None or self._period is None:
            self._show_counted([])
            return
        line = self.rows[row]
        self._show_counted(counted(self._conn, account, line, *self._period), line)

    def _show_counted(self, emails: list[CountedEmail], line: ActivityRow | None = None) -> None:
        self.counted = emails
        self.emails.setRowCount(len(emails))
        locale = QLocale()
        for i, e in enumerate(emails):
            when = (
                locale.toString(
                    QDateTime.fromSecsSinceEpoch(int(e.sort_date)), QLocale.FormatType.ShortFormat
                )
                if e.sort_date is not None
                else ""
            )
            cells = (when, e.correspondent, e.subject, folder_label(e.folder_role, e.folder))
            for c, text in enumerate(cells):
                self.emails.setItem(i, c, QTableWidgetItem(text))
        if line is None:
            self.emails_title.setText(self.tr("Select a line to see the emails it counts."))
        else:
            self.emails_title.setText(
                self.tr("Emails counted for %1 (%n):", "", len(emails)).replace("%1", line.user)
            )

    def _open(self, row: int) -> None:
        if 0 <= row < len(self.counted):
            self.open_message.emit(self.counted[row].row)

    def _show_error(self, text: str) -> None:
        """The error replaces the figures: no stale numbers under a period that has none."""
        self.rows = []
        self.table.setRowCount(0)
        self.chart.set_rows([])
        self._show_counted([])
        self.status.setText(text)
        self.updated.emit(self.rows)

    def csv(self) -> str:
        return to_csv(self.rows)

    def _copy(self) -> None:
        from PySide6.QtGui import QGuiApplication

        QGuiApplication.clipboard().setText(self.csv())
        self.status.setText(self.tr("Copied %n lines of CSV.", "", len(self.rows) + 1))
