"""The activity report: per user, the logged emails attributed to them over a period, as a
table and a bar chart (drawn with QPainter: QtCharts is not in PySide6-Essentials)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate, QLocale, QRectF, QSize, Qt, Signal
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

from core.preview.activity import ActivityRow, activity, period, to_csv
from core.store.accounts import get_account

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
        self.chart = BarChart(self)
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
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.status)
        layout.addWidget(split, 1)
        self.reload()

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
        self.rows = activity(self._conn, account, start, end) if account is not None else []
        total = sum(r.emails for r in self.rows)
        self.status.setText(self.tr("%n logged emails in the period.", "", total))
        self.table.setRowCount(len(self.rows))
        for i, r in enumerate(self.rows):
            count = QTableWidgetItem()
            count.setData(Qt.ItemDataRole.DisplayRole, r.emails)
            for c, item in enumerate((QTableWidgetItem(r.user), QTableWidgetItem(r.email), count)):
                self.table.setItem(i, c, item)
        self.chart.set_rows([(r.user, r.emails) for r in self.rows])
        self.updated.emit(self.rows)

    def _show_error(self, text: str) -> None:
        """The error replaces the figures: no stale numbers under a period that has none."""
        self.rows = []
        self.table.setRowCount(0)
        self.chart.set_rows([])
        self.status.setText(text)
        self.updated.emit(self.rows)

    def csv(self) -> str:
        return to_csv(self.rows)

    def _copy(self) -> None:
        from PySide6.QtGui import QGuiApplication

        QGuiApplication.clipboard().setText(self.csv())
        self.status.setText(self.tr("Copied {0} lines of CSV.").format(len(self.rows) + 1))
