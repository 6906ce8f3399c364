"""The views other parts of the app plug into the main window: a dock, a page of the central
stack or a dialog, each shown from the View menu (``MainWindow.register_view``)."""

from __future__ import annotations

import enum
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QDockWidget, QMainWindow, QStackedWidget, QWidget

from desktop.dock_fit import tabify


class ViewKind(enum.Enum):
    DOCK = "dock"  # a dock widget on the right, toggled from the View menu
    PAGE = "page"  # a page of the central stack, shown from the View menu
    DIALOG = "dialog"  # a dialog opened from the View menu


ViewFactory = Callable[[QMainWindow], QWidget]


def add_view(
    window: QMainWindow, stack: QStackedWidget, title: str, factory: ViewFactory, kind: ViewKind
) -> tuple[QAction, QWidget | None]:
    """The View-menu action showing a new view, and the view (None for a dialog: it is made
    each time it opens)."""
    if kind is ViewKind.DOCK:
        dock = QDockWidget(title, window)
        dock.setObjectName(f"dock:{title}")
        dock.setWidget(factory(window))
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        tabify(window, dock)
        dock.hide()
        fit = getattr(window, "dock_fit", None)
        if fit is not None:
            fit.watch(dock)
        return dock.toggleViewAction(), dock
    action = QAction(title, window)
    if kind is ViewKind.PAGE:
        page = factory(window)
        stack.addWidget(page)
        action.triggered.connect(lambda _=False: stack.setCurrentWidget(page))
        return action, page
    action.triggered.connect(lambda _=False: _open_dialog(window, factory))
    return action, None


def _open_dialog(window: QMainWindow, factory: ViewFactory) -> None:
    widget = factory(window)
    if isinstance(widget, QDialog):
        widget.exec()
    else:
        widget.setParent(window, Qt.WindowType.Dialog)
        widget.show()
