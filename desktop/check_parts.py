"""The check panel's small widgets: labels, the "Replies to" finder, headings."""

from __future__ import annotations

from html import escape as _escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QCompleter, QLabel, QVBoxLayout, QWidget


def escape(text: str) -> str:
    return _escape(text, quote=False)


def label(parent: QWidget, name: str, text: str = "") -> QLabel:
    label = QLabel(text, parent)
    label.setObjectName(name)
    label.setWordWrap(True)
    return label


def message_finder(parent: QWidget) -> QComboBox:
    """ "Replies to": editable, so a rep finds a message by typing part of its subject or
    sender."""
    box = QComboBox(parent)
    box.setObjectName("replies_to")
    box.setEditable(True)
    box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    finder = box.completer()
    finder.setFilterMode(Qt.MatchFlag.MatchContains)
    finder.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    finder.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
    box.setMinimumContentsLength(12)  # the dock stays narrow; the popup shows it all
    box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    return box


def heading(text: str) -> QLabel:
    label = QLabel(f"<b>{escape(text)}</b>")
    label.setContentsMargins(0, 8, 0, 0)
    return label


def clear_layout(layout: QVBoxLayout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget()
        if widget is not None:
            widget.hide()  # gone at once; deleted when control returns to the event loop
            widget.deleteLater()
