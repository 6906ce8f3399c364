"""The verdict column's pills are drawn once and copied (issue 15: a repaint during a sync
waits for the GIL at each entry into Python, so each cell's work is kept small)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, Qt
from PySide6.QtGui import QImage, QPainter, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
)

from desktop import style
from desktop.badge_delegate import BadgeDelegate
from desktop.message_model import BADGE_ROLE
from tests.desktop.conftest import OFFSCREEN_NOISE

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)


class DirectBadges(QStyledItemDelegate):
    """The pill painted straight onto the cell, every time (the delegate before the cache)."""

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        found = index.data(BADGE_ROLE)
        opt = style.draw_without_text(self, painter, option, index).option
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        font = opt.font  # type: ignore[attr-defined]
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 0.9)
        painter.setFont(font)
        metrics = painter.fontMetrics()
        rect: QRect = opt.rect  # type: ignore[attr-defined]
        label = f"{found.icon}  {found.text}"
        height = min(rect.height() - 6, metrics.height() + 6)
        width = min(rect.width() - 10, metrics.horizontalAdvance(label) + 16)
        box = QRect(rect.left() + 6, rect.center().y() - height // 2 + 1, width, height)
        bg, fg = style.colours(found.tone, style.is_dark(opt.palette))  # type: ignore[attr-defined]
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(bg)
        painter.drawRoundedRect(box, height / 2, height / 2)
        painter.setPen(fg)
        text = metrics.elidedText(label, Qt.TextElideMode.ElideRight, box.width() - 12)
        painter.drawText(box, int(Qt.AlignmentFlag.AlignCenter), text)
        painter.restore()


def _painted(qtbot, delegate: QStyledItemDelegate, width: int) -> QImage:  # type: ignore[no-untyped-def]
    badges = [
        style.badge(False, "not_a_contact"),
        style.badge(True, "thread_reply"),
        style.badge(False, "not_a_contact"),
        style.badge(None, None),
    ]
    model = QStandardItemModel(len(badges), 1)
    for row, found in enumerate(badges):
        item = QStandardItem()
        item.setData(found, BADGE_ROLE)
        model.setItem(row, 0, item)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.setItemDelegateForColumn(0, delegate)
    view.setColumnWidth(0, width)
    view.verticalHeader().setDefaultSectionSize(28)
    view.resize(width + 60, 200)
    view.show()
    qtbot.waitExposed(view)
    return view.viewport().grab().toImage()


@pytest.mark.parametrize("width", [220, 90, 14])  # whole, elided, too narrow for any pill
def test_a_kept_pill_paints_what_painting_it_directly_does(qtbot, width: int) -> None:  # type: ignore[no-untyped-def]
    kept = BadgeDelegate()
    assert _painted(qtbot, kept, width) == _painted(qtbot, DirectBadges(), width)
    assert len(kept._pills) <= 3  # the two rows of "Not a contact" share their pill
