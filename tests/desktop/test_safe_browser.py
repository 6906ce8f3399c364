"""The HTML preview makes no network request and reads no local file; links go outside."""

from __future__ import annotations

import base64
import urllib.request
from pathlib import Path

import pytest
from PySide6.QtCore import QSize, QUrl
from PySide6.QtGui import QImage, QTextDocument
from pytest_httpserver import HTTPServer

from core.mail.body import InlinePart
from desktop.safe_browser import SafeTextBrowser
from tests.desktop.conftest import OFFSCREEN_NOISE

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)

Resource = QTextDocument.ResourceType
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
    # Qt never sees a remote, file:, qrc: or relative URL: the HTML was rebuilt without them.
    assert [u for u in browser.asked if u and not u.startswith(("cid:", "data:"))] == []
    assert "cid:logo@x" in browser.asked and "cid:logo@x" not in refused
    # Asked anyway (through the document), each gets the same blank image: nothing from disk.
    for url in (f"file://{secret}", str(secret), "file:///etc/passwd", f"{base}/x.png"):
        for kind in (
            QTextDocument.ResourceType.ImageResource,
            QTextDocument.ResourceType.StyleSheetResource,
        ):
            found = browser.document().resource(kind, QUrl(url))
            assert isinstance(found, QImage) and found.size() == QSize(1, 1), url
            assert found.pixelColor(0, 0).alpha() == 0, url
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


def test_only_small_decodable_images_load(qtbot) -> None:  # type: ignore[no-untyped-def]
    browser = SafeTextBrowser()
    qtbot.addWidget(browser)
    image = int(QTextDocument.ResourceType.ImageResource)
    style = int(QTextDocument.ResourceType.StyleSheetResource)
    small = "data:image/png;base64," + base64.b64encode(PNG_1X1).decode()
    assert browser.loadResource(image, QUrl(small)).size() == QSize(1, 1)
    refused = []
    browser.refused.connect(refused.append)
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"><rect width="9"/></svg>'
    for kind, url in (
        (style, small),
        (image, "data:image/png;base64," + "A" * 400_000),  # too big
        (image, "data:text/html;base64,PGI+"),
        (image, "data:image/png;base64," + base64.b64encode(svg).decode()),  # SVG dressed as PNG
        (image, "https://example.com/a.png"),
        (image, "/etc/hostname"),
    ):
        found = browser.loadResource(kind, QUrl(url))  # never None: Qt would read the disk
        assert isinstance(found, QImage), url  # one blank image whatever the type asked
        assert found.size() == QSize(1, 1) and found.pixelColor(0, 0).alpha() == 0
    assert len(refused) == 6
