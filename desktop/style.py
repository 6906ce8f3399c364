"""Verdict badges: colour, icon and words for each state, readable in light and dark palettes."""

from __future__ import annotations

import enum
from typing import NamedTuple

from PySide6.QtCore import QModelIndex, QPersistentModelIndex
from PySide6.QtGui import QColor, QPainter, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
)

from core.rules import vocabulary
from core.rules.model import Reason


class Tone(enum.Enum):
    WILL_LOG = "will_log"
    WONT_LOG = "wont_log"
    NEEDS_ACTION = "needs_action"
    PENDING = "pending"


class Badge(NamedTuple):
    tone: Tone
    icon: str  # a glyph, so the badge also reads without colour
    text: str


# (light background, light text, dark background, dark text)
_COLOURS: dict[Tone, tuple[str, str, str, str]] = {
    Tone.WILL_LOG: ("#e3f4e6", "#1b6b2f", "#1f3d27", "#9fe0ae"),
    Tone.WONT_LOG: ("#eceff3", "#4a5563", "#2e333a", "#c3cbd6"),
    Tone.NEEDS_ACTION: ("#fdf0d5", "#8a5300", "#4a3512", "#ffd28a"),
    Tone.PENDING: ("#f1f1f1", "#6b6b6b", "#333333", "#b0b0b0"),
}
_ICONS = {Tone.WILL_LOG: "✓", Tone.WONT_LOG: "✕", Tone.NEEDS_ACTION: "!", Tone.PENDING: "…"}


def reason_label(reason: Reason) -> str:
    """A short name for a reason (the badge and the filter menu): core's one vocabulary."""
    return vocabulary.reason_label(reason)


def tone(logged: bool | None, reason: str | None, bulk: bool = False) -> Tone:
    """The badge's tone: bulk mail that is not logged needs no action (rules §7)."""
    return _TONES[vocabulary.status(logged, reason, bulk)]


_TONES: dict[str, Tone] = {
    "will_log": Tone.WILL_LOG,
    "wont_log": Tone.WONT_LOG,
    "needs_action": Tone.NEEDS_ACTION,
    "deciding": Tone.PENDING,
}


def badge(logged: bool | None, reason: str | None, bulk: bool = False) -> Badge:
    """The badge of a stored verdict (``None``: not decided yet)."""
    t = tone(logged, reason, bulk)
    if t is Tone.PENDING or reason is None:
        return Badge(t, _ICONS[t], vocabulary.status_label(vocabulary.Status.DECIDING))
    return Badge(t, _ICONS[t], reason_label(Reason(reason)))


def is_dark(palette: QPalette | None = None) -> bool:
    """Whether the palette (the application's by default) is a dark one."""
    pal = palette if palette is not None else QApplication.palette()
    return pal.color(QPalette.ColorRole.Window).lightness() < 128


def colours(t: Tone, dark: bool | None = None) -> tuple[QColor, QColor]:
    """Background and text colour of a badge of tone ``t``."""
    light_bg, light_fg, dark_bg, dark_fg = _COLOURS[t]
    if dark is None:
        dark = is_dark()
    return (QColor(dark_bg), QColor(dark_fg)) if dark else (QColor(light_bg), QColor(light_fg))


def hex_colours(t: Tone, dark: bool | None = None) -> tuple[str, str]:
    bg, fg = colours(t, dark)
    return bg.name(), fg.name()


def badge_icon(t: Tone) -> str:
    return _ICONS[t]


class Drawn(NamedTuple):
    """An item view cell drawn without its text: its style option, its text and the style."""

    option: QStyleOptionViewItem
    text: str
    style: QStyle


def draw_without_text(
    delegate: QStyledItemDelegate,
    painter: QPainter,
    option: QStyleOptionViewItem,
    index: QModelIndex | QPersistentModelIndex,
) -> Drawn:
    """Draw a cell's background, selection and focus as the style does, but not its text (a
    delegate paints its own: the verdict's pill, a folder's counts)."""
    opt = QStyleOptionViewItem(option)
    delegate.initStyleOption(opt, index)
    text = opt.text  # type: ignore[attr-defined]
    opt.text = ""  # type: ignore[attr-defined]
    widget = opt.widget  # type: ignore[attr-defined]
    qstyle = widget.style() if widget is not None else QApplication.style()
    qstyle.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
    return Drawn(opt, str(text), qstyle)
