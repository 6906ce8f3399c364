"""The first-run page: connect a mailbox, or open the demo workspace."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget


class WelcomePage(QWidget):
    connect_requested = Signal()
    demo_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.setSpacing(14)
        title = QLabel(self.tr("Welcome to Mailscope"))
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        title.setFont(font)
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        text = QLabel(
            self.tr(
                "See, for every email, whether your CRM will log it, why, with which contacts"
                " and for whom. Connect your mailbox to start, or look around in a demo"
                " mailbox first."
            )
        )
        text.setWordWrap(True)
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        text.setMaximumWidth(520)
        self.connect_button = QPushButton(self.tr("Connect your mailbox…"))
        self.connect_button.setDefault(True)
        self.demo_button = QPushButton(self.tr("Open the demo workspace"))
        for button in (self.connect_button, self.demo_button):
            button.setMinimumWidth(260)
            button.setMinimumHeight(36)
        self.connect_button.clicked.connect(self.connect_requested)
        self.demo_button.clicked.connect(self.demo_requested)
        layout.addWidget(title)
        layout.addWidget(text, 0, Qt.AlignmentFlag.AlignCenter)
        layout.addSpacing(10)
        layout.addWidget(self.connect_button, 0, Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.demo_button, 0, Qt.AlignmentFlag.AlignCenter)
