"""Paints the verdict column as a pill: colour, icon and words (it reads without colour too)."""

from __future__ import annotations

from typing import Final

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPixmap
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem

from core.rules.model import Reason
from desktop import style
from desktop.message_model import BADGE_ROLE, MessageTableModel

MAX_PILLS: Final = 512  # pills kept (a few tones and words at a few column widths)


class BadgeDelegate(QStyledItemDelegate):
    """Each badge is drawn once per look (tone, words, font, cell size, palette, pixel ratio)
    and then copied: a repaint enters Python once per cell, and each entry may wait for the
    GIL while a worker thread runs (issue 15), so the pill's 20-odd painter calls are not made
    per row."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pills: dict[tuple[object, ...], QPixmap] = {}

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        model = index.model()
        # Straight from the table's model: ``index.data`` would be one more call into Python.
        fast = isinstance(model, MessageTableModel)
        found = model.badge(index) if fast else index.data(BADGE_ROLE)
        opt = style.draw_without_text(self, painter, option, index).option
        if not isinstance(found, style.Badge):
            return
        rect: QRect = opt.rect  # type: ignore[attr-defined]
        dark = style.is_dark(opt.palette)  # type: ignore[attr-defined]
        ratio = painter.device().devicePixelRatioF()
        pill = self._pill(found, opt.font, rect.size(), dark, ratio)  # type: ignore[attr-defined]
        if not pill.isNull():
            height = round(pill.height() / ratio)
            painter.drawPixmap(rect.left() + 6, rect.center().y() - height // 2 + 1, pill)

    def _pill(
        self, badge: style.Badge, font: QFont, cell: QSize, dark: bool, ratio: float
    ) -> QPixmap:
        key = (badge, font.key(), cell.width(), cell.height(), dark, ratio)
        pill = self._pills.get(key)
        if pill is None:
            if len(self._pills) >= MAX_PILLS:  # columns resized many times: start again
                self._pills.clear()
            pill = self._pills[key] = render_pill(badge, font, cell, dark, ratio)
        return pill

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(size.width() + 34, max(size.height(), 28))


def render_pill(badge: style.Badge, font: QFont, cell: QSize, dark: bool, ratio: float) -> QPixmap:
    """A badge as a rounded pill that fits a cell of size ``cell`` (its words elided)."""
    bold = _bold(font)
    metrics = QFontMetrics(bold)
    label = f"{badge.icon}  {badge.text}"
    height = min(cell.height() - 6, metrics.height() + 6)
    width = min(cell.width() - 10, metrics.horizontalAdvance(label) + 16)
    if width <= 0 or height <= 0:
        return QPixmap()
    pill = QPixmap(round(width * ratio), round(height * ratio))
    pill.setDevicePixelRatio(ratio)
    pill.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pill)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setFont(bold)
    bg, fg = style.colours(badge.tone, dark)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(bg)
    painter.drawRoundedRect(QRectF(0, 0, width, height), height / 2, height / 2)
    painter.setPen(fg)
    text = metrics.elidedText(label, Qt.TextElideMode.ElideRight, width - 12)
    painter.drawText(QRect(0, 0, width, height), int(Qt.AlignmentFlag.AlignCenter), text)
    painter.end()
    return pill


def _bold(font: QFont) -> QFont:
    bold = QFont(font)
    bold.setBold(True)
    bold.setPointSizeF(bold.pointSizeF() * 0.9)
    return bold


def widest_badge(font: QFont) -> int:
    """The verdict column's width that shows every badge whole, in the current language."""
    metrics = QFontMetrics(_bold(font))
    labels = [f"✓  {style.reason_label(r)}" for r in Reason]
    return max(metrics.horizontalAdvance(label) for label in labels) + 24  # as paint() pads
