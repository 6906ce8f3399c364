"""The views other parts of the app plug into the main window: a dock, a page of the central
stack or a dialog, each shown from the View menu (``MainWindow.register_view``)."""

from __future__ import annotations

import enum
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

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
        frame = page_frame(window, title, page)
        stack.addWidget(frame)
        action.triggered.connect(lambda _=False: stack.setCurrentWidget(frame))
        return action, page
    action.triggered.connect(lambda _=False: _open_dialog(window, factory))
    return action, None


def page_frame(window: QMainWindow, title: str, page: QWidget) -> QWidget:
    """A page under its title, with "Back to messages" (Esc) to leave it."""
    frame = QWidget()
    frame.setObjectName("page")
    column = QVBoxLayout(frame)
    header = QHBoxLayout()
    name = QLabel(title.replace("&", ""))
    name.setObjectName("pageTitle")
    font = name.font()
    font.setPointSizeF(font.pointSizeF() * 1.4)
    font.setBold(True)
    name.setFont(font)
    back = QPushButton(QCoreApplication.translate("MainWindow", "Back to messages"))
    back.setObjectName("backToMessages")
    back.setToolTip(QCoreApplication.translate("MainWindow", "Esc"))
    leave = getattr(window, "show_messages", None)
    if leave is not None:
        back.clicked.connect(lambda _=False: leave())
        esc = QShortcut(QKeySequence(Qt.Key.Key_Escape), frame)
        esc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        esc.activated.connect(leave)
    header.addWidget(name, 1)
    header.addWidget(back)
    column.addLayout(header)
    column.addWidget(page, 1)
    return frame


def _open_dialog(window: QMainWindow, factory: ViewFactory) -> None:
    widget = factory(window)
    if isinstance(widget, QDialog):
        widget.exec()
    else:
        widget.setParent(window, Qt.WindowType.Dialog)
        widget.show()
