"""The filter bar: All / Will log / Won't log / Needs action, a reason menu, and the search box."""

from __future__ import annotations

from dataclasses import replace
from typing import Final

from PySide6.QtCore import QSize, QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QToolButton,
    QWidget,
)

from core.rules.model import Reason
from core.store.queries import Show
from core.store.views import TableQuery
from desktop import style

SEARCH_DELAY_MS: Final = 150  # typing pauses this long before the table is re-read
# Narrower than its full width (a small screen, a dock open, a longer language), the bar shows
# the Show buttons' symbols only, their words in the tooltip: it never makes the window wider
# than the screen. This is the narrowest it asks for.
COMPACT_WIDTH: Final = 460


def symbol(label: str) -> str:
    """A Show button's compact text: its leading symbol ("✓ Will log" -> "✓"), else itself."""
    head, _space, rest = label.partition(" ")
    return head if rest and not head.isalnum() else label


class FilterBar(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("filterBar")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(4)
        layout.setSizeConstraint(QHBoxLayout.SizeConstraint.SetNoConstraint)  # see _fit
        self.group = QButtonGroup(self)
        self.buttons: dict[Show, QToolButton] = {}
        self.labels: dict[Show, str] = {}
        self.compact = False
        self._full_width = 0
        for show, text in (
            (Show.ALL, self.tr("All")),
            (Show.WILL_LOG, self.tr("✓ Will log")),
            (Show.WONT_LOG, self.tr("✕ Won't log")),
            (Show.NEEDS_ACTION, self.tr("! Needs action")),
            (Show.BULK, self.tr("✉ Bulk mail")),
        ):
            button = QToolButton()
            button.setText(text)
            button.setToolTip(text)
            self.labels[show] = text
            button.setCheckable(True)
            button.setAutoRaise(True)
            button.setObjectName(f"show_{show.value}")
            self.group.addButton(button)
            self.buttons[show] = button
            layout.addWidget(button)
            button.clicked.connect(self._show_clicked)
        self.buttons[Show.ALL].setChecked(True)
        self.reason = QComboBox()
        self.reason.setObjectName("reason")
        self.reason.addItem(self.tr("Any reason"), None)
        for reason in Reason:
            self.reason.addItem(style.reason_label(reason), reason.value)
        self.reason.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.reason.setMinimumContentsLength(11)
        self.reason.currentIndexChanged.connect(self._reason_chosen)
        layout.addWidget(self.reason)
        layout.addSpacing(8)
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(self.tr("Search address, name or subject  (Ctrl+F)"))
        self.search.setMinimumWidth(120)
        layout.addWidget(self.search, 1)
        self._delay = QTimer(self)
        self._delay.setSingleShot(True)
        self._delay.setInterval(SEARCH_DELAY_MS)
        self._delay.timeout.connect(self.changed)
        self.search.textChanged.connect(lambda _: self._delay.start())
        self.search.returnPressed.connect(self._search_now)

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        return QSize(min(hint.width(), COMPACT_WIDTH), hint.height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit(event.size().width())

    def _fit(self, width: int) -> None:
        """Symbols only while the full words do not fit (measured while they are shown)."""
        if not self.compact:
            self._full_width = self.layout().minimumSize().width()
        compact = width < self._full_width
        if compact != self.compact:
            self.compact = compact
            for show, button in self.buttons.items():
                label = self.labels[show]
                button.setText(symbol(label) if compact else label)

    def _search_now(self) -> None:
        self._delay.stop()
        self.changed.emit()

    def _show_clicked(self) -> None:
        self.reason.blockSignals(True)
        self.reason.setCurrentIndex(0)
        self.reason.blockSignals(False)
        self.changed.emit()

    def _reason_chosen(self) -> None:
        if self.reason.currentData() is not None:
            self._uncheck_buttons()
        else:
            self.buttons[Show.ALL].setChecked(True)
        self.changed.emit()

    def _uncheck_buttons(self) -> None:
        """No Show button checked (an exclusive group keeps one checked: lifted meanwhile)."""
        self.group.setExclusive(False)
        for button in self.buttons.values():
            button.setChecked(False)
        self.group.setExclusive(True)

    def set_reason(self, reason: Reason | None) -> None:
        index = self.reason.findData(reason.value) if reason is not None else 0
        self.reason.setCurrentIndex(index)

    def apply(self, query: TableQuery) -> TableQuery:
        """The query with this bar's filter and search (scope and sort kept)."""
        data = self.reason.currentData()
        if data:
            show, chosen = Show.REASON, Reason(data)
        else:
            show = next((s for s, b in self.buttons.items() if b.isChecked()), Show.ALL)
            chosen: Reason | None = None
        return replace(query, show=show, reason=chosen, search=self.search.text())
