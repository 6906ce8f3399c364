"""The message list keeps a readable subject on a small screen (issue 15 finding 3).

A mail app narrows its list by dropping secondary columns, not by squeezing the subject: while
the table is too narrow for every column and a subject of ``SUBJECT_MIN`` pixels, "Contacts"
goes first, then "Attributed to" (the reading pane shows both). They come back as the table
widens. A column the rep resized keeps its width.
"""

from __future__ import annotations

from typing import Final

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QTableView

from core.store import views

SUBJECT_MIN: Final = 240
OPTIONAL: Final = (views.Column.CONTACTS, views.Column.ATTRIBUTED)  # the order they go in


def hidden_for(width: int, widths: dict[int, int]) -> set[int]:
    """The optional columns to hide so that a table ``width`` pixels wide keeps a subject of
    ``SUBJECT_MIN`` (``widths``: every column but the subject, as they are when shown)."""
    need = sum(widths.values()) + SUBJECT_MIN
    hidden: set[int] = set()
    for column in OPTIONAL:
        if need <= width:
            break
        hidden.add(column)
        need -= widths[column]
    return hidden


class ColumnFit(QObject):
    """Watches the table's width and shows or hides the optional columns."""

    def __init__(self, table: QTableView) -> None:
        super().__init__(table)
        self.table = table
        header = table.horizontalHeader()
        self.widths = {
            int(c): header.sectionSize(c) for c in views.Column if c is not views.Column.SUBJECT
        }
        header.sectionResized.connect(self._resized)
        table.viewport().installEventFilter(self)

    def _resized(self, column: int, old: int, new: int) -> None:
        if new > 0 and column in self.widths:  # hiding a column resizes it to 0: not a choice
            self.widths[column] = new

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.fit()
        return False

    def fit(self) -> None:
        hidden = hidden_for(self.table.viewport().width(), self.widths)
        for column in OPTIONAL:
            if self.table.isColumnHidden(column) != (column in hidden):
                self.table.setColumnHidden(column, column in hidden)
