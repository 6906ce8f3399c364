"""The HTML preview makes no network request and reads no local file; links go outside."""

from __future__ import annotations

import base64
import urllib.request
from pathlib import Path

import pytest
from PySide6.QtCore import QSize, QUrl
from PySide6.QtGui import QImage, QPixmap, QTextDocument
from pytest_httpserver import HTTPServer

from core.desktop_state import InlinePart
from desktop.safe_browser import SafeTextBrowser
from tests.desktop.conftest import OFFSCREEN_NOISE

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)

PNG_1X1 = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def _page(base: str, secret_file: Path) -> str:
    host = base.removeprefix("http:")
    return f"""<html><head>
<link rel="stylesheet" href="{base}/link.css">
<style>@import url("{base}/import.css");
body {{ background-image: url("{base}/css-bg.png"); }}</style>
</head><body background="{base}/body-bg.png">
<p>Hello</p>
<img src="{base}/x.png"><img src="{host}/y"><img src="file:///etc/passwd">
<img src="file://{secret_file}"><img src="{secret_file}">
<img src="qrc:/qt-project.org/styles/commonstyle/images/up-16.png">
<table background="{base}/table-bg.png"><tr><td>cell</td></tr></table>
<img src="cid:logo@x"><img src="cid:other@x">
<img src="data:image/png;base64,{base64.b64encode(PNG_1X1).decode()}">
<p><a href="{base}/click">the link</a></p>
</body></html>"""


def test_nothing_remote_nothing_local(qtbot, httpserver: HTTPServer, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    secret = tmp_path / "secret.png"
    red = QImage(3, 2, QImage.Format.Format_ARGB32)
    red.fill(0xFFFF0000)
    assert red.save(str(secret))  # opaque red: a blank pixel proves it was not read
    base = httpserver.url_for("").rstrip("/")
    opened: list[str] = []
    browser = SafeTextBrowser(opener=lambda url: opened.append(url.toString()) or True)
    qtbot.addWidget(browser)
    browser.resize(600, 500)
    browser.show()
    qtbot.waitExposed(browser)
    refused: list[str] = []
    browser.refused.connect(refused.append)
    browser.show_html(_page(base, secret), {"logo@x": InlinePart("image/png", PNG_1X1)})
    wanted = (f"{base}/x.png", "file:///etc/passwd", f"file://{secret}", f"{base}/import.css")
    qtbot.waitUntil(lambda: all(u in browser.asked for u in wanted), timeout=3000)
    # Every resource but this message's own cid: part and the small data: image was refused.
    allowed = {"cid:logo@x"}
    for url in browser.asked:
        if url in allowed or url.startswith("data:image/png"):
            assert url not in refused
        else:
            assert url in refused, url
    for url in (f"file://{secret}", str(secret), "file:///etc/passwd", f"{base}/x.png"):
        found = browser.document().resource(QTextDocument.ResourceType.ImageResource, QUrl(url))
        assert isinstance(found, QPixmap) and found.size() == QSize(1, 1), url
        assert found.toImage().pixelColor(0, 0).alpha() == 0, url
    assert "cid:other@x" in refused  # a cid: that is not a part of this message
    # The server saw no request; a control request proves it records them.
    assert httpserver.log == []
    httpserver.expect_request("/control").respond_with_data("ok")
    with urllib.request.urlopen(f"{base}/control", timeout=5) as reply:
        assert reply.read() == b"ok"
    assert [r.path for r, _ in httpserver.log] == ["/control"]
    # A click on the link asks the system browser and never navigates inside.
    cursor = browser.document().find("the link")
    assert not cursor.isNull()
    source_before = browser.source()
    point = browser.cursorRect(cursor).center()
    point.setX(point.x() - 10)
    from PySide6.QtCore import Qt

    qtbot.mouseClick(browser.viewport(), Qt.MouseButton.LeftButton, pos=point)
    qtbot.waitUntil(lambda: opened == [f"{base}/click"], timeout=2000)
    assert browser.source() == source_before
    assert "Hello" in browser.toPlainText()
    assert [r.path for r, _ in httpserver.log] == ["/control"]


def test_only_small_data_images_load(qtbot) -> None:  # type: ignore[no-untyped-def]
    browser = SafeTextBrowser()
    qtbot.addWidget(browser)
    image = int(QTextDocument.ResourceType.ImageResource)
    style = int(QTextDocument.ResourceType.StyleSheetResource)
    small = "data:image/png;base64," + base64.b64encode(PNG_1X1).decode()
    assert QImage.fromData(browser.loadResource(image, QUrl(small))).size() == QSize(1, 1)
    refused = []
    browser.refused.connect(refused.append)
    huge = "data:image/png;base64," + "A" * 400_000
    for kind, url in (
        (style, small),
        (image, huge),
        (image, "data:text/html;base64,PGI+"),
        (image, "https://example.com/a.png"),
        (image, "/etc/hostname"),
    ):
        found = browser.loadResource(kind, QUrl(url))  # never None: Qt would read the disk
        assert found is not None
        if kind == image:
            blank = QImage.fromData(found)
            assert blank.size() == QSize(1, 1) and blank.pixelColor(0, 0).alpha() == 0
        else:
            assert not found
    assert len(refused) == 5
