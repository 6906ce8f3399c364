"""Every dock combination fits a 1366×768 screen (issue 15 finding 3).

The right-hand docks (CRM outbox, Check an email, and any later one) share one column as tabs,
so two open docks cost one dock's width. When a dock is open and the window is too narrow for
the sidebar, a readable message list and the reading pane, the reading pane folds away (as a
mail app's preview pane does) and comes back when the dock closes or the window widens.
"""

from __future__ import annotations

from typing import Final

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QDockWidget, QMainWindow, QWidget

RIGHT: Final = Qt.DockWidgetArea.RightDockWidgetArea
LIST_MIN: Final = 520  # the message list keeps verdict, date, correspondent and a subject
PANE_MIN: Final = 340  # the reading pane below this is clipped: it folds away instead
DOCK_WIDTH: Final = 360


def right_docks(window: QMainWindow) -> list[QDockWidget]:
    return [d for d in window.findChildren(QDockWidget) if window.dockWidgetArea(d) == RIGHT]


def tabify(window: QMainWindow, dock: QDockWidget) -> None:
    """Put a new right dock in the tabs of the first one (one column for all)."""
    others = [d for d in right_docks(window) if d is not dock]
    if others:
        window.tabifyDockWidget(others[0], dock)
    dock.visibilityChanged.connect(lambda shown: _raised(dock, shown))


def _raised(dock: QDockWidget, shown: bool) -> None:
    if shown:
        dock.raise_()


class DockFit(QObject):
    """Folds the reading pane away while an open dock leaves it too little room."""

    def __init__(
        self, window: QMainWindow, sidebar: QWidget, middle: QWidget, pane: QWidget
    ) -> None:
        super().__init__(window)
        self.window = window
        self.sidebar = sidebar
        self.middle = middle
        self.pane = pane
        self.folded = False
        self._soon = QTimer(self)
        self._soon.setSingleShot(True)
        self._soon.setInterval(0)
        self._soon.timeout.connect(self.fit)
        pane.setMinimumWidth(PANE_MIN)
        window.installEventFilter(self)

    def watch(self, dock: QDockWidget) -> None:
        dock.visibilityChanged.connect(lambda _shown: self._soon.start())
        dock.setMinimumWidth(300)
        self.window.resizeDocks([dock], [DOCK_WIDTH], Qt.Orientation.Horizontal)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Resize:
            self._soon.start()
        return False

    def screen_width(self) -> int:
        screen = self.window.screen()
        return screen.availableGeometry().width() if screen is not None else self.window.width()

    def room(self) -> int:
        """The width the reading pane would get beside the sidebar, the list and the docks,
        in a window no wider than the screen."""
        docks = [d for d in right_docks(self.window) if d.isVisible() and not d.isFloating()]
        used = max((max(d.width(), d.minimumWidth()) for d in docks), default=0)
        width = min(self.window.width(), self.screen_width())
        middle = max(self.middle.minimumSizeHint().width(), LIST_MIN)
        return width - used - max(self.sidebar.minimumWidth(), 160) - middle - 24

    def fit(self) -> None:
        docked = any(d.isVisible() and not d.isFloating() for d in right_docks(self.window))
        fold = docked and self.room() < PANE_MIN
        if fold != self.folded:
            self.folded = fold
            self.pane.setVisible(not fold)
        self._within_screen()

    def _within_screen(self) -> None:
        """The window no wider than the screen (a maximised one is the window system's)."""
        wide = self.screen_width()
        if self.window.width() > wide and not self.window.isMaximized():
            self.window.resize(wide, self.window.height())  # the minimum grew past the screen
