"""A text browser for untrusted mail HTML: it loads nothing from the network or the disk.

Every resource (images, style sheets from ``@import`` and ``<link>``, background images) goes
through ``loadResource``; only ``cid:`` parts of this very message and small ``data:`` images
are answered. Links never navigate inside: they open in the system browser.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from typing import Final

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QImage, QTextDocument
from PySide6.QtWidgets import QTextBrowser, QWidget

from core.desktop_state import MAX_DATA_IMAGE, InlinePart

_DATA_IMAGE: Final = re.compile(
    r"data:(image/(?:png|gif|jpeg|webp|bmp));base64,([A-Za-z0-9+/=\s]*)"
)
_IMAGE_KINDS: Final = (
    int(QTextDocument.ResourceType.ImageResource),
    int(QTextDocument.ResourceType.UnknownResource),
)


_BLANK: list[QByteArray] = []


def _blank() -> QByteArray:
    """A transparent 1x1 PNG."""
    if not _BLANK:
        image = QImage(1, 1, QImage.Format.Format_ARGB32)
        image.fill(0)
        buffer = QBuffer()
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "PNG")
        _BLANK.append(QByteArray(buffer.data()))
    return QByteArray(_BLANK[0])


def open_externally(url: QUrl) -> bool:
    """Hand a link to the system browser (only web and mail links)."""
    if url.scheme().lower() not in ("http", "https", "mailto"):
        return False
    return QDesktopServices.openUrl(url)


class SafeTextBrowser(QTextBrowser):
    """A ``QTextBrowser`` whose every resource load is gated; refused loads are recorded."""

    refused = Signal(str)  # the URL of every resource refused (tests and a "blocked" note)

    def __init__(
        self, parent: QWidget | None = None, opener: Callable[[QUrl], bool] = open_externally
    ) -> None:
        super().__init__(parent)
        self._inline: dict[str, InlinePart] = {}
        self._opener = opener
        self.asked: list[str] = []  # every URL loadResource was asked for
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.anchorClicked.connect(self._follow)

    def set_inline_parts(self, parts: dict[str, InlinePart]) -> None:
        """The ``cid:`` images of the message shown next (by Content-ID)."""
        self._inline = dict(parts)

    def show_html(self, html: str, parts: dict[str, InlinePart] | None = None) -> None:
        self.set_inline_parts(parts or {})
        self.asked.clear()
        self.document().clear()
        self.setHtml(html)
        self.document().size()  # lay it out now: every resource is asked for here

    def show_text(self, text: str) -> None:
        self.set_inline_parts({})
        self.setPlainText(text)

    def loadResource(self, kind: int, url: QUrl | str) -> object:
        text = url.toString() if isinstance(url, QUrl) else str(url)
        self.asked.append(text)
        image = int(kind) in _IMAGE_KINDS
        answer = self._answer(int(kind), text)
        if answer is not None and QImage.fromData(answer).isNull():
            answer = None  # undecodable bytes would send Qt to the disk as well
        if answer is None:
            self.refused.emit(text)
            # Never None: on a null answer QTextDocument reads file: and relative URLs from
            # the disk itself, and on an image that does not decode the image handler loads
            # its src as a path. A blank pixel (or an empty style sheet) ends both lookups.
            return _blank() if image else QByteArray()
        return answer

    def _answer(self, kind: int, text: str) -> QByteArray | None:
        if kind not in _IMAGE_KINDS:
            return None  # style sheets (@import, <link>) and anything else: never loaded
        lowered = text.strip().lower()
        if lowered.startswith("cid:"):
            part = self._inline.get(text.strip()[4:].strip("<>"))
            return QByteArray(part.data) if part is not None else None
        if lowered.startswith("data:"):
            match = _DATA_IMAGE.fullmatch(text.strip())
            if match is None or len(match.group(2)) > MAX_DATA_IMAGE * 4 // 3 + 4:
                return None
            try:
                return QByteArray(base64.b64decode(match.group(2), validate=False))
            except ValueError:
                return None
        return None  # http(s), //host, file:, qrc:, relative paths: nothing

    def _follow(self, url: QUrl) -> None:
        self._opener(url)
