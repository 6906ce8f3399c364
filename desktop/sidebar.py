"""The sidebar: accounts and their folders, each with will-log / won't-log / needs-action counts."""

from __future__ import annotations

import sqlite3
from collections.abc import Collection, Sequence
from typing import Final, NamedTuple

from PySide6.QtCore import (
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
)
from PySide6.QtGui import QFont, QPainter, QPalette, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from core.crm.service import has_crm_people
from core.store import views
from core.store.accounts import Account, list_accounts
from core.store.queries import Counts, folder_counts
from desktop import style

ACCOUNT_ROLE: Final = Qt.ItemDataRole.UserRole + 1
FOLDER_ROLE: Final = Qt.ItemDataRole.UserRole + 2
COUNTS_ROLE: Final = Qt.ItemDataRole.UserRole + 3


def folder_name(role: str) -> str | None:
    """The translated name of a well-known folder (None for other folders: their own name)."""
    names = {
        "inbox": QCoreApplication.translate("Sidebar", "Inbox"),
        "sent": QCoreApplication.translate("Sidebar", "Sent"),
        "drafts": QCoreApplication.translate("Sidebar", "Drafts"),
        "archive": QCoreApplication.translate("Sidebar", "Archive"),
    }
    return names.get(role)


class Place(NamedTuple):
    """What a sidebar item selects: an account (all its folders) or one folder."""

    account_id: int
    folder_id: int | None


def _sum(counts: list[Counts]) -> Counts:
    return Counts(*(sum(c[i] for c in counts) for i in range(len(Counts._fields))))


class AccountState(NamedTuple):
    """One account as the sidebar shows it (read in any thread, shown in the GUI thread)."""

    account: Account
    folders: list[views.FolderRow]
    counts: dict[int, Counts]


def snapshot(
    conn: sqlite3.Connection,
    *,
    counts: bool = True,
    recount: Collection[int] | None = None,
    previous: Sequence[AccountState] = (),
) -> list[AccountState]:
    """Every account with its folders and (unless ``counts=False``: faster) their counts.

    An account without a CRM's people gets totals only: its verdicts would be guesses. With
    ``recount`` (the ids of the accounts a sync wrote to since ``previous`` was read), every
    other account keeps its ``previous`` state: a live re-read during a sync counts only
    what the sync changes (issue 15: counting a 100k account every 300 ms stalled the GUI).
    """
    kept = {s.account.id: s for s in previous if s.counts or not s.folders}
    return [
        _kept(kept.get(a.id), a, recount)
        or AccountState(a, views.folders(conn, a.id), _counts(conn, a.id) if counts else {})
        for a in list_accounts(conn)
    ]


def _kept(
    state: AccountState | None, account: Account, recount: Collection[int] | None
) -> AccountState | None:
    """``state`` when it still shows ``account`` as it is and no sync wrote to it."""
    unchanged = state is not None and state.account == account
    return state if unchanged and recount is not None and account.id not in recount else None


def _counts(conn: sqlite3.Connection, account_id: int) -> dict[int, Counts]:
    found = folder_counts(conn, account_id)
    if has_crm_people(conn, account_id):
        return found
    return {folder: Counts(c.total, 0, 0, 0, 0) for folder, c in found.items()}


class SidebarModel(QStandardItemModel):
    """Accounts (top level) and their folders, rebuilt from a ``snapshot`` of the cache."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._states: list[AccountState] | None = None  # what the items show

    def reload(self, conn: sqlite3.Connection) -> None:
        self.show(snapshot(conn))

    def show(self, states: list[AccountState]) -> bool:
        """Show ``states``; True when the items were built anew (the selection is gone). The
        same accounts and folders with new counts are updated in place."""
        before, self._states = self._states, states
        if before is not None and _shape(before) == _shape(states):
            if before != states:
                self._recount(states)
            return False
        self.clear()
        for state in states:
            self.appendRow(self._account_item(state))
        return True

    def _recount(self, states: list[AccountState]) -> None:
        for row, state in enumerate(states):
            top = self.item(row)
            _show_total(top, state)
            for sub, folder in enumerate(state.folders):
                _show_counts(top.child(sub), folder, state.counts)

    def _account_item(self, state: AccountState) -> QStandardItem:
        account, counts = state.account, state.counts
        item = QStandardItem(account.name)
        font = QFont()
        font.setBold(True)
        item.setFont(font)
        item.setEditable(False)
        item.setData(Place(account.id, None), ACCOUNT_ROLE)
        _show_total(item, state)
        for folder in state.folders:
            shown = folder_name(folder.role) or folder.display
            child = QStandardItem(shown + " ⚠" if folder.error else shown)
            child.setEditable(False)
            child.setData(Place(account.id, folder.id), ACCOUNT_ROLE)
            _show_counts(child, folder, counts)
            item.appendRow(child)
        return item

    def index_of(self, place: Place) -> QModelIndex:
        for row in range(self.rowCount()):
            top = self.index(row, 0)
            found = top if top.data(ACCOUNT_ROLE) == place else self._child_at(top, place)
            if found is not None:
                return found
        return QModelIndex()

    def _child_at(self, top: QModelIndex, place: Place) -> QModelIndex | None:
        """The folder of an account's row showing ``place`` (None when no folder does)."""
        for sub in range(self.rowCount(top)):
            child = self.index(sub, 0, top)
            if child.data(ACCOUNT_ROLE) == place:
                return child
        return None


def _shape(states: list[AccountState]) -> list[tuple[Account, list[views.FolderRow]]]:
    """What the sidebar's items are built from: the accounts and their folders."""
    return [(s.account, s.folders) for s in states]


def _show_total(item: QStandardItem, state: AccountState) -> None:
    """An account's item: its folders' counts summed, and its tooltip."""
    total = _sum(list(state.counts.values()))
    item.setData(total, COUNTS_ROLE)
    item.setToolTip(_tooltip(state.account.name, total))


def _show_counts(child: QStandardItem, folder: views.FolderRow, counts: dict[int, Counts]) -> None:
    """A folder's item: its counts (none yet: zeros), and its tooltip."""
    c = counts.get(folder.id, Counts(0, 0, 0, 0, 0))
    child.setData(c, COUNTS_ROLE)
    child.setToolTip(_folder_tip(folder, c))


def _folder_tip(folder: views.FolderRow, c: Counts) -> str:
    tip = _tooltip(folder_name(folder.role) or folder.display, c)
    return tip + "\n" + folder.error if folder.error else tip


def _tooltip(name: str, c: Counts) -> str:
    text = QCoreApplication.translate(
        "Sidebar", "%1: %2 messages; %3 will be logged, %4 won't, %5 need an action"
    )
    for n, value in enumerate((name, c.total, c.will_log, c.wont_log, c.needs_action), start=1):
        text = text.replace(f"%{n}", str(value))
    return text


class SidebarDelegate(QStyledItemDelegate):
    """Draws a folder's name with its counts as small badges on the right."""

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        opt, text, qstyle = style.draw_without_text(self, painter, option, index)
        widget = opt.widget  # type: ignore[attr-defined]
        text_rect = qstyle.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, widget)
        painter.save()
        counts = index.data(COUNTS_ROLE)
        left = text_rect.right()
        if isinstance(counts, Counts):
            left = self._pills(painter, opt, counts, text_rect)
        painter.setFont(opt.font)  # type: ignore[attr-defined]
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)  # type: ignore[attr-defined]
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        painter.setPen(opt.palette.color(role))  # type: ignore[attr-defined]
        room = QRect(
            text_rect.left(),
            text_rect.top(),
            max(0, left - text_rect.left() - 6),
            text_rect.height(),
        )
        elided = painter.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, room.width())
        painter.drawText(
            room, int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft), elided
        )
        painter.restore()

    def _pills(
        self, painter: QPainter, opt: QStyleOptionViewItem, counts: Counts, rect: QRect
    ) -> int:
        """Draw the count badges right-aligned in ``rect``; returns where they begin."""
        font = QFont(opt.font)  # type: ignore[attr-defined]
        font.setPointSizeF(font.pointSizeF() * 0.85)
        painter.setFont(font)
        metrics = painter.fontMetrics()
        x = rect.right() - 4
        dark = style.is_dark(opt.palette)  # type: ignore[attr-defined]
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pills = (
            (style.Tone.NEEDS_ACTION, counts.needs_action),
            (style.Tone.WONT_LOG, counts.wont_log),
            (style.Tone.WILL_LOG, counts.will_log),
        )
        for tone, value in pills:
            if not value:
                continue
            label = f"{style.badge_icon(tone)} {value}"
            width = metrics.horizontalAdvance(label) + 12
            height = min(rect.height() - 6, metrics.height() + 4)
            box = QRect(x - width, rect.center().y() - height // 2 + 1, width, height)
            bg, fg = style.colours(tone, dark)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(bg)
            painter.drawRoundedRect(box, height / 2, height / 2)
            painter.setPen(fg)
            painter.drawText(box, int(Qt.AlignmentFlag.AlignCenter), label)
            x -= width + 4
        return x

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(size.width() + 150, max(size.height(), 26))
