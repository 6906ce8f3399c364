"""A line edit for an address list ("a@x, Name <b@y>") completing the address being typed."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QStringListModel, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QCompleter, QLineEdit, QWidget


class AddressEdit(QLineEdit):
    """Completes the last address of the list from the directory (names and addresses)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = QStringListModel(self)
        self.completer_ = QCompleter(self._model, self)
        self.completer_.setWidget(self)
        self.completer_.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer_.setFilterMode(Qt.MatchFlag.MatchContains)
        self.completer_.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.completer_.activated.connect(self._insert)
        self.textEdited.connect(self._complete)

    def set_addresses(self, entries: Iterable[str]) -> None:
        """The completion list: "Name <email>" lines."""
        self._model.setStringList(sorted(set(entries), key=str.lower))

    def current_part(self) -> str:
        """The address being typed: the text after the last comma."""
        return self.text().rpartition(",")[2].strip()

    def _complete(self, _text: str) -> None:
        part = self.current_part()
        if len(part) < 2:
            self.completer_.popup().hide()
            return
        self.completer_.setCompletionPrefix(part)
        if self.completer_.completionCount() == 0:
            self.completer_.popup().hide()
            return
        self.completer_.complete()

    def _insert(self, chosen: str) -> None:
        head = self.text().rpartition(",")[0]
        self.setText(f"{head}, {chosen}, " if head.strip() else f"{chosen}, ")
        self.textEdited.emit(self.text())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        popup = self.completer_.popup()
        keys = (Qt.Key.Key_Enter, Qt.Key.Key_Return, Qt.Key.Key_Escape, Qt.Key.Key_Tab)
        if popup.isVisible() and event.key() in keys:
            event.ignore()  # the completer's popup handles them
            return
        super().keyPressEvent(event)
