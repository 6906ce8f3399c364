"""A text browser for untrusted mail HTML: it loads nothing from the network or the disk.

The HTML is rebuilt first (``core.mail.html_safe``): Qt never sees a ``file:``, ``qrc:``,
relative or remote resource URL, nor a style sheet that loads anything. Whatever resource Qt
still asks for goes through ``loadResource``, for every resource type: only ``cid:`` parts of
this very message and small ``data:`` images are answered, decoded here as PNG, GIF, JPEG,
BMP or WebP by their bytes (never SVG, which can name files), at a bounded size. Anything
else gets one blank image, whatever the type asked: QTextDocument caches an answer under its
URL for every type (field notes), and a blank image is harmless as an image and empty as a
style sheet, so Qt never goes to the disk for it. Links never navigate inside: they open in
the system browser.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from typing import Final

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QImage, QImageReader, QTextDocument
from PySide6.QtWidgets import QTextBrowser, QWidget

from core.mail.body import MAX_DATA_IMAGE, InlinePart
from core.mail.html_safe import safe_html

_DATA_IMAGE: Final = re.compile(
    r"data:(image/(?:png|gif|jpeg|webp|bmp));base64,([A-Za-z0-9+/=\s]*)"
)
_IMAGE_KINDS: Final = (
    int(QTextDocument.ResourceType.ImageResource),
    int(QTextDocument.ResourceType.UnknownResource),
)
_MAX_PIXELS: Final = 4096 * 4096  # a decoded inline image: no decompression bomb
_MAGIC: Final = (
    (b"\x89PNG\r\n\x1a\n", b"PNG"),
    (b"GIF87a", b"GIF"),
    (b"GIF89a", b"GIF"),
    (b"\xff\xd8\xff", b"JPEG"),
    (b"BM", b"BMP"),
)


def _blank() -> QImage:
    """A transparent 1x1 image: the answer to every refused resource."""
    image = QImage(1, 1, QImage.Format.Format_ARGB32)
    image.fill(0)
    return image


def decode_image(data: bytes) -> QImage | None:
    """``data`` as an image when its bytes are PNG, GIF, JPEG, BMP or WebP of a sane size."""
    kind = next((name for magic, name in _MAGIC if data.startswith(magic)), None)
    if kind is None and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        kind = b"WEBP"
    if kind is None:
        return None  # SVG and anything else: never handed to a decoder
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer, QByteArray(kind))
    reader.setDecideFormatFromContent(False)
    size = reader.size()
    if not size.isValid() or size.width() * size.height() > _MAX_PIXELS:
        return None
    image = reader.read()
    return None if image.isNull() else image


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
        self.setHtml(safe_html(html))
        self.document().size()  # lay it out now: every resource is asked for here

    def show_text(self, text: str) -> None:
        self.set_inline_parts({})
        self.setPlainText(text)

    def loadResource(self, kind: int, url: QUrl | str) -> object:
        text = url.toString() if isinstance(url, QUrl) else str(url)
        self.asked.append(text)
        image = self._image(text) if int(kind) in _IMAGE_KINDS else None
        if image is None:
            self.refused.emit(text)
            # Never None (Qt would read file: and relative URLs from the disk itself), and
            # the same answer for every type: it is cached under the URL for all of them.
            return _blank()
        return image

    def _image(self, text: str) -> QImage | None:
        lowered = text.strip().lower()
        if lowered.startswith("cid:"):
            part = self._inline.get(text.strip()[4:].strip("<>"))
            return decode_image(part.data) if part is not None else None
        if lowered.startswith("data:"):
            match = _DATA_IMAGE.fullmatch(text.strip())
            if match is None or len(match.group(2)) > MAX_DATA_IMAGE * 4 // 3 + 4:
                return None
            try:
                return decode_image(base64.b64decode(match.group(2), validate=False))
            except ValueError:
                return None
        return None  # http(s), //host, file:, qrc:, relative paths: nothing

    def _follow(self, url: QUrl) -> None:
        self._opener(url)
