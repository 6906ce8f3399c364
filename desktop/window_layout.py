"""The main window's widgets: sidebar, filter bar and table, detail pane, welcome page, status
bar and menus, built once (a mixin of ``MainWindow``, kept apart to keep modules short).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QProgressBar,
    QSplitter,
    QStackedWidget,
    QTableView,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from core.store import views
from desktop.badge_delegate import BadgeDelegate
from desktop.detail_pane import DetailPane
from desktop.filter_bar import FilterBar
from desktop.message_model import MessageTableModel
from desktop.sidebar import SidebarDelegate, SidebarModel
from desktop.welcome import WelcomePage

if TYPE_CHECKING:
    from desktop.main_window import MainWindow

    _Base = MainWindow
else:
    _Base = object


class WindowLayout(_Base):
    """Builds the window's widgets and menus."""

    def _build(self) -> None:
        self.sidebar_model = SidebarModel(self)
        self.sidebar = QTreeView()
        self.sidebar.setObjectName("sidebar")
        self.sidebar.setModel(self.sidebar_model)
        self.sidebar.setHeaderHidden(True)
        self.sidebar.setItemDelegate(SidebarDelegate(self.sidebar))
        self.sidebar.setUniformRowHeights(True)
        self.sidebar.setMinimumWidth(160)
        self.sidebar.selectionModel().currentChanged.connect(self._place_changed)
        self.model = MessageTableModel(self.conn, self, active=False)
        self.table = QTableView()
        self.table.setObjectName("messages")
        self.table.setModel(self.model)
        self.table.setItemDelegateForColumn(views.Column.VERDICT, BadgeDelegate(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(views.Column.DATE, Qt.SortOrder.DescendingOrder)
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(30)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(False)
        for column, width in zip(views.Column, (140, 66, 160, 300, 130, 104), strict=True):
            header.resizeSection(column, width)
        header.setSectionResizeMode(views.Column.SUBJECT, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.filter_bar = FilterBar(self)
        self.filter_bar.changed.connect(self._filter_changed)
        self.empty = QLabel()
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.hide()
        middle = QWidget()
        column = QVBoxLayout(middle)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.filter_bar)
        column.addWidget(self.table, 1)
        column.addWidget(self.empty, 1)
        self.detail = DetailPane(self.conn, self.tasks)
        self.detail.body_requested.connect(self.fetch_body)
        self.splitter = QSplitter()
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.sidebar)
        self.splitter.addWidget(middle)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setStretchFactor(2, 2)
        self.splitter.setSizes([210, 860, 410])
        self.welcome = WelcomePage()
        self.welcome.connect_requested.connect(self.add_account)
        self.welcome.demo_requested.connect(self.open_demo)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.welcome)
        self.stack.addWidget(self.splitter)
        self.setCentralWidget(self.stack)
        self._build_status()

    def _build_status(self) -> None:
        bar = self.statusBar()
        self.status_text = QLabel()
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(180)
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.cancel_button = QToolButton()
        self.cancel_button.setText(self.tr("Cancel"))
        self.cancel_button.clicked.connect(self.cancel_syncs)
        self.cancel_button.hide()
        self.sign_in_button = QToolButton()
        self.sign_in_button.setText(self.tr("Sign in again"))
        self.sign_in_button.clicked.connect(self.sign_in_again)
        self.sign_in_button.hide()
        self.last_sync = QLabel()
        bar.addWidget(self.status_text, 1)
        bar.addPermanentWidget(self.sign_in_button)
        bar.addPermanentWidget(self.progress)
        bar.addPermanentWidget(self.cancel_button)
        bar.addPermanentWidget(self.last_sync)

    def _build_menus(self) -> None:
        menu = self.menuBar().addMenu(self.tr("&Mailbox"))
        self.add_action = self._action(menu, self.tr("&Connect a mailbox…"), self.add_account)
        self._action(menu, self.tr("Open the &demo workspace"), self.open_demo)
        menu.addSeparator()
        self.sync_action = self._action(
            menu,
            self.tr("&Sync now"),
            self.sync_all,
            QKeySequence(QKeySequence.StandardKey.Refresh),
        )
        self._action(menu, self.tr("Ca&ncel sync"), self.cancel_syncs)
        menu.addSeparator()
        self._action(menu, self.tr("&Quit"), self.close, QKeySequence.StandardKey.Quit)
        self.view_menu = self.menuBar().addMenu(self.tr("&View"))
        self._action(
            self.view_menu, self.tr("&Find"), self.focus_search, QKeySequence.StandardKey.Find
        )
        nxt = self._action(
            self.view_menu, self.tr("&Next that needs action"), self.next_needs_action
        )
        nxt.setShortcuts([QKeySequence("N"), QKeySequence("Ctrl+J")])
        self.messages_action = self._action(
            self.view_menu, self.tr("&Messages"), self.show_messages, QKeySequence("Ctrl+1")
        )
        self.view_menu.addSeparator()

    def _action(
        self, menu: object, text: str, slot: Callable[[], object], keys: object = None
    ) -> QAction:
        action = QAction(text, self)
        if keys is not None:
            action.setShortcut(keys)  # type: ignore[arg-type]
        action.triggered.connect(lambda _=False: slot())
        menu.addAction(action)  # type: ignore[attr-defined]
        self.addAction(action)  # shortcuts work wherever the focus is
        return action
