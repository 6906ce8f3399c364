"""The first-run page: connect a mailbox, or open the demo workspace.

Laid out with Qt layouts only: a column no wider than a comfortable line, centred by stretches
(no alignment flags on the wrapped text, which would lose its height-for-width and be cut), so
the text wraps and grows with the font and the language.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

COLUMN_WIDTH = 560  # the most a line of the text runs to


class WelcomePage(QWidget):
    connect_requested = Signal()
    demo_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        column = QWidget(self)
        column.setObjectName("welcomeColumn")
        column.setMaximumWidth(COLUMN_WIDTH)
        column.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        inner = QVBoxLayout(column)
        inner.setSpacing(14)
        self.title = self._title()
        self.text = self._text()
        self.connect_button = QPushButton(self.tr("Connect your mailbox…"))
        self.connect_button.setDefault(True)
        self.demo_button = QPushButton(self.tr("Open the demo workspace"))
        self.connect_button.clicked.connect(self.connect_requested)
        self.demo_button.clicked.connect(self.demo_requested)
        for widget in (self.title, self.text):
            inner.addWidget(widget)
        inner.addSpacing(10)
        for button in (self.connect_button, self.demo_button):
            inner.addWidget(button)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(column, 4)
        row.addStretch(1)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(1)

    def _title(self) -> QLabel:
        title = QLabel(self.tr("Welcome to Mailscope"))
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        title.setFont(font)
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        title.setWordWrap(True)
        return title

    def _text(self) -> QLabel:
        text = QLabel(
            self.tr(
                "See, for every email, whether your CRM will log it, why, with which contacts"
                " and for whom. Connect your mailbox to start, or look around in a demo"
                " mailbox first."
            )
        )
        text.setWordWrap(True)
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        return text
