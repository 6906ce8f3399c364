"""Paints the verdict column as a pill: colour, icon and words (it reads without colour too)."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from core.rules.model import Reason
from desktop import style
from desktop.message_model import BADGE_ROLE


class BadgeDelegate(QStyledItemDelegate):
    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        found = index.data(BADGE_ROLE)
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""  # type: ignore[attr-defined]
        widget = opt.widget  # type: ignore[attr-defined]
        qstyle = widget.style() if widget is not None else QApplication.style()
        qstyle.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        if not isinstance(found, style.Badge):
            return
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

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(size.width() + 34, max(size.height(), 28))


def widest_badge(font: QFont) -> int:
    """The verdict column's width that shows every badge whole, in the current language."""
    bold = QFont(font)
    bold.setBold(True)
    bold.setPointSizeF(bold.pointSizeF() * 0.9)
    metrics = QFontMetrics(bold)
    labels = [f"✓  {style.reason_label(r)}" for r in Reason]
    return max(metrics.horizontalAdvance(label) for label in labels) + 24  # as paint() pads
