"""The main window's widgets, built once: sidebar, table, the middle column, the splitter, the
status bar and the menus, and their state kept between runs. Plain functions that return
widgets (the window connects them), so this module knows nothing of ``MainWindow``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final, NamedTuple

from PySide6.QtCore import QCoreApplication, QSettings, QSize, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMenu,
    QProgressBar,
    QSizePolicy,
    QSpacerItem,
    QSplitter,
    QTableView,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from core.store import views
from desktop.badge_delegate import BadgeDelegate, widest_badge
from desktop.message_model import PAGE, MessageTableModel
from desktop.sidebar import SidebarDelegate, SidebarModel
from desktop.sync_control import StatusLine

translate = QCoreApplication.translate  # lupdate reads translate("Context", "…")

Slot = Callable[[], object]


COLUMN_WIDTHS = (140, 66, 160, 300, 130, 104)  # in views.Column order


class Menus(NamedTuple):
    """What the menus call, and the View menu other views add themselves to."""

    add_account: Slot
    open_demo: Slot
    sync_all: Slot
    cancel_syncs: Slot
    focus_search: Slot
    next_needs_action: Slot
    show_messages: Slot


class StatusBar(NamedTuple):
    line: StatusLine  # what the syncs say and offer
    last_sync: QLabel


def sidebar_view(model: SidebarModel) -> QTreeView:
    view = QTreeView()
    view.setObjectName("sidebar")
    view.setModel(model)
    view.setHeaderHidden(True)
    view.setItemDelegate(SidebarDelegate(view))
    view.setUniformRowHeights(True)
    view.setMinimumWidth(160)
    return view


def message_table(model: MessageTableModel) -> QTableView:
    table = QTableView()
    table.setObjectName("messages")
    table.setModel(model)
    table.setItemDelegateForColumn(views.Column.VERDICT, BadgeDelegate(table))
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setSortingEnabled(True)
    table.sortByColumn(views.Column.DATE, Qt.SortOrder.DescendingOrder)
    table.setShowGrid(False)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    rows = table.verticalHeader()
    rows.hide()
    rows.setDefaultSectionSize(30)
    rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    header = table.horizontalHeader()
    header.setHighlightSections(False)
    header.setStretchLastSection(False)
    for column, width in zip(views.Column, COLUMN_WIDTHS, strict=True):
        header.resizeSection(column, width)
    header.resizeSection(views.Column.VERDICT, max(COLUMN_WIDTHS[0], widest_badge(table.font())))
    header.setSectionResizeMode(views.Column.SUBJECT, QHeaderView.ResizeMode.Stretch)
    return table


class RoomBelow(QSpacerItem):
    """The end of a column whose last widget fills it: while that widget is hidden (an empty
    reading pane has no body), the room stays below the other widgets, not between them."""

    def __init__(self, column: QBoxLayout) -> None:
        super().__init__(0, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)
        self.column = column
        column.addItem(self)

    def keep(self, empty: bool) -> None:
        grow = QSizePolicy.Policy.Expanding if empty else QSizePolicy.Policy.Minimum
        if self.sizePolicy().verticalPolicy() != grow:
            self.changeSize(0, 0, QSizePolicy.Policy.Minimum, grow)
            self.column.invalidate()


def pages_on_screen(table: QTableView, page: int = PAGE) -> range:
    """The pages (``page`` rows each) of the table's rows on screen: a re-read brings their
    rows along (``desktop.reader``), so the table reads none on the GUI thread during a sync."""
    first = max(0, table.rowAt(0))
    last = table.rowAt(table.viewport().height() - 1)
    last = first + 50 if last < 0 else last
    return range(first // page, last // page + 1)


def empty_label() -> QLabel:
    """What the table's place shows when it has no row (it says why)."""
    label = QLabel()
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setWordWrap(True)
    label.hide()
    return label


def middle_column(*widgets: QWidget) -> QWidget:
    """The filter bar over the table (or its empty state): the first widget keeps its height."""
    middle = QWidget()
    column = QVBoxLayout(middle)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(0)
    for n, widget in enumerate(widgets):
        column.addWidget(widget, 0 if n == 0 else 1)
    return middle


def main_splitter(sidebar: QWidget, middle: QWidget, detail: QWidget) -> QSplitter:
    splitter = QSplitter()
    splitter.setObjectName("mainSplitter")
    for n, (widget, stretch) in enumerate(((sidebar, 0), (middle, 3), (detail, 2))):
        splitter.addWidget(widget)
        splitter.setStretchFactor(n, stretch)
    splitter.setSizes([250, 820, 410])  # the sidebar: room for "Réception ✓94 ✕80 !52"
    return splitter


def _tool_button(text: str) -> QToolButton:
    button = QToolButton()
    button.setText(text)
    button.hide()
    return button


def status_bar(window: QMainWindow, cancel: Slot) -> StatusBar:
    """Sync progress and errors on the left; sign-in, progress, Cancel, last sync on the right."""
    bar = window.statusBar()
    text = QLabel()
    progress = QProgressBar()
    progress.setMaximumWidth(180)
    progress.setTextVisible(False)
    progress.hide()
    line = StatusLine(
        text,
        progress,
        _tool_button(translate("MainWindow", "Cancel")),
        _tool_button(translate("MainWindow", "Sign in again")),
    )
    line.cancel.clicked.connect(lambda _=False: cancel())
    found = StatusBar(line, QLabel())
    bar.addWidget(text, 1)
    for widget in (line.sign_in, progress, line.cancel, found.last_sync):
        bar.addPermanentWidget(widget)
    return found


def add_action(window: QWidget, menu: QMenu, text: str, slot: Slot, keys: object = None) -> QAction:
    """A menu entry whose shortcut works wherever the focus is in the window."""
    action = QAction(text, window)
    if keys is not None:
        action.setShortcut(keys)  # type: ignore[arg-type]
    action.triggered.connect(lambda _=False: slot())
    menu.addAction(action)
    window.addAction(action)
    return action


def menus(window: QMainWindow, slots: Menus) -> QMenu:
    """The Mailbox and View menus; returns the View menu (other views add theirs to it)."""
    mailbox = window.menuBar().addMenu(translate("MainWindow", "&Mailbox"))
    add_action(window, mailbox, translate("MainWindow", "&Connect a mailbox…"), slots.add_account)
    add_action(
        window,
        mailbox,
        translate("MainWindow", "Open the &demo workspace"),
        slots.open_demo,
    )
    mailbox.addSeparator()
    refresh = QKeySequence(QKeySequence.StandardKey.Refresh)
    add_action(window, mailbox, translate("MainWindow", "&Sync now"), slots.sync_all, refresh)
    add_action(window, mailbox, translate("MainWindow", "Ca&ncel sync"), slots.cancel_syncs)
    mailbox.addSeparator()
    add_action(
        window,
        mailbox,
        translate("MainWindow", "&Quit"),
        window.close,
        QKeySequence.StandardKey.Quit,
    )
    view = window.menuBar().addMenu(translate("MainWindow", "&View"))
    add_action(
        window,
        view,
        translate("MainWindow", "&Find"),
        slots.focus_search,
        QKeySequence.StandardKey.Find,
    )
    nxt = add_action(
        window,
        view,
        translate("MainWindow", "&Next that needs action"),
        slots.next_needs_action,
    )
    nxt.setShortcuts([QKeySequence("N"), QKeySequence("Ctrl+J")])
    add_action(
        window,
        view,
        translate("MainWindow", "&Messages"),
        slots.show_messages,
        QKeySequence("Ctrl+1"),
    )
    view.addSeparator()
    bar = window.menuBar()
    # The others fill these (desktop.outbox_view, crm_connect, about, help_pages...): made
    # here so the menu bar keeps a mail app's order whatever installs first.
    window.crm_menu = bar.addMenu(translate("MainWindow", "&CRM"))  # type: ignore[attr-defined]
    window.settings_menu = bar.addMenu(translate("MainWindow", "&Settings"))  # type: ignore[attr-defined]
    window.help_menu = bar.addMenu(translate("MainWindow", "&Help"))  # type: ignore[attr-defined]
    return view


def restore_state(
    settings: QSettings, window: QMainWindow, splitter: QSplitter, table: QTableView
) -> None:
    """The window's size and place, its splitter and its columns as the rep left them."""
    geometry = settings.value("window/geometry")
    if geometry is not None:
        window.restoreGeometry(geometry)  # type: ignore[arg-type]
    else:
        first_size(window)
    state = settings.value("window/splitter")
    if state is not None:
        splitter.restoreState(state)  # type: ignore[arg-type]
    header = settings.value("table/header")
    if header is not None:
        table.horizontalHeader().restoreState(header)  # type: ignore[arg-type]


FIRST_SIZE: Final = QSize(1480, 860)


def first_size(window: QMainWindow) -> None:
    """The first run's size: 1480×860, or the screen's free area on a screen with less room
    (a 1366×768 laptop), placed at its top left: the status bar and the last row stay on
    screen (window managers fit a window that size to their work area)."""
    free = window.screen().availableGeometry()
    size = FIRST_SIZE.boundedTo(free.size())
    window.resize(size)
    if size != FIRST_SIZE:
        window.move(free.topLeft())


def save_state(
    settings: QSettings, window: QMainWindow, splitter: QSplitter, table: QTableView
) -> None:
    settings.setValue("window/geometry", window.saveGeometry())
    settings.setValue("window/splitter", splitter.saveState())
    settings.setValue("table/header", table.horizontalHeader().saveState())
    settings.sync()
