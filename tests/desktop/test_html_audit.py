"""Hostile mail HTML shown in the app opens no file outside the cache and makes no request.

The browser runs in a process of its own under ``strace`` (every file and network system
call, every thread), showing each vector alone and then all of them together: ``@import``
of a ``file:`` URL followed by an image of the same URL (issue #11's reproduction), link
and style-sheet loads, background attributes and CSS, relative, absolute, ``qrc:`` and
oddly spelled ``file:`` URLs, entities and CSS escapes, ``<base>``, objects, SVG dressed as
PNG... In each window no call touches ``/etc/passwd`` or the canary files, every file opened
belongs to the system's libraries and fonts or the cache, and no socket connects. A control
window shows Qt's own QTextBrowser reading the canary: the audit sees an open when one
happens. A Python audit hook (``open`` events) checks the same from inside.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

ROOT = Path(__file__).parents[2]
PNG_1X1 = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
    b' width="20" height="20"><image xlink:href="file:///etc/passwd" width="20" height="20"/>'
    b"</svg>"
)
DATA_PNG = "data:image/png;base64," + base64.b64encode(PNG_1X1).decode()
_CALL = re.compile(r"^\d+\s+(\w+)\((.*)$")
_PATHS = re.compile(r'"((?:[^"\\]|\\.)*)"')
SYSTEM = ("/lib", "/usr/lib", "/lib64", "/etc/ld.so.cache", "/usr/share/locale", "/usr/share/fonts",
          "/etc/fonts", "/var/cache/fontconfig", "/proc/", "/dev/", "/sys/")  # fmt: skip


def vectors(secret: str) -> list[tuple[str, str]]:
    svg = base64.b64encode(SVG).decode()
    found = [
        ("img_file_passwd", '<img src="file:///etc/passwd">'),
        ("import_then_img_passwd",
         '<style>@import "file:///etc/passwd";</style><img src="file:///etc/passwd">'),
        ("import_then_img_canary", f'<style>@import "file://{secret}";</style><img src="file://{secret}">'),
        ("import_url", f"<style>@import url(file://{secret}); p {{ color: red }}</style><p>x</p>"),
        ("link_stylesheet", f'<link rel="stylesheet" href="file://{secret}"><p>x</p>'),
        ("body_background", f'<body background="file://{secret}"><p>x</p></body>'),
        ("table_cell_background",
         f'<table background="{secret}"><tr><td background="relative.png">x</td></tr></table>'),
        ("style_attribute_url", f"<p style=\"background-image: url('file://{secret}')\">x</p>"),
        ("style_block_url", f'<style>body {{ background: url("{secret}") }}</style><p>x</p>'),
        ("relative_paths",
         '<img src="relative.png"><img src="./relative.png"><img src="a/../relative.png">'),
        ("absolute_path", f'<img src="{secret}"><img src="/etc/passwd">'),
        ("qrc", '<img src="qrc:/qt-project.org/styles/commonstyle/images/up-16.png">'
                '<img src=":/qt-project.org/styles/commonstyle/images/up-16.png">'),
        ("file_spellings", '<img src="file:/etc/passwd"><img src="FILE:///etc/passwd">'
                           '<img src="file://localhost/etc/passwd"><img src="file:///%65tc/passwd">'
                           '<img src=" fi\tle:///etc/passwd">'),
        ("entities", '<img src="&#102;ile:///etc/passwd"><img src="&#x66;ile:///etc/&#112;asswd">'),
        ("base_href", '<base href="file:///etc/"><img src="passwd"><a href="passwd">x</a>'),
        ("css_escapes", '<style>p { background: u\\72l(file:///etc/passwd) }'
                        ' @\\69mport "file:///etc/passwd";</style><p>x</p>'),
        ("object_embed_iframe", '<object data="file:///etc/passwd"></object>'
                                '<embed src="file:///etc/passwd"><iframe src="file:///etc/passwd">'
                                "</iframe><input type=image src=\"file:///etc/passwd\">"),
        ("srcset_poster", '<img srcset="file:///etc/passwd 2x"><video poster="file:///etc/passwd">'
                          "</video>"),
        ("svg_as_png_data", f'<img src="data:image/png;base64,{svg}">'),
        ("svg_cid_part", '<img src="cid:svg@x">'),
        ("remote", '<img src="https://example.com/x.png"><img src="//example.com/y.png">'
                   '<style>@import "http://example.com/a.css";</style>'),
        ("inline_images_allowed", f'<img src="cid:png@x"><img src="{DATA_PNG}">'),
    ]  # fmt: skip
    return [*found, ("all_together", "".join(page for _, page in found))]


def calls(log: str, name: str) -> list[tuple[str, str]]:
    """(system call, its arguments) between the markers of window ``name``."""
    found: list[tuple[str, str]] = []
    inside = False
    for line in log.splitlines():
        if f'BEGIN-{name}"' in line:
            inside = True
        elif f'END-{name}"' in line:
            return found
        elif inside and (match := _CALL.match(line)):
            found.append((match.group(1), match.group(2)))
    raise AssertionError(f"window {name} not found in the log")


def allowed(path: str, cache: Path) -> bool:
    roots = (*SYSTEM, sys.prefix, sys.base_prefix, str(cache))
    return any(path.startswith(root) for root in roots)


@pytest.fixture
def canaries(tmp_path: Path) -> Path:
    red = QImage(3, 2, QImage.Format.Format_ARGB32)
    red.fill(0xFFFF0000)
    assert red.save(str(tmp_path / "secret.png"))
    shutil.copy(tmp_path / "secret.png", tmp_path / "relative.png")
    return tmp_path


def test_hostile_html_opens_no_file_and_makes_no_request(canaries: Path) -> None:
    strace = shutil.which("strace")
    assert strace is not None, "strace is missing: `make test` installs it (Debian: strace)"
    secret = str(canaries / "secret.png")
    cache = canaries / "home"
    config = {
        "vectors": vectors(secret),
        "parts": {"png@x": base64.b64encode(PNG_1X1).decode(),
                  "svg@x": base64.b64encode(SVG).decode()},
        "markers": str(canaries / "markers"),
        "control": f'<img src="file://{secret}">',
    }  # fmt: skip
    log = canaries / "strace.log"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "MAILSCOPE_HOME": str(cache),
           "PYTHONPATH": str(ROOT)}  # fmt: skip
    done = subprocess.run(
        [strace, "-f", "-qq", "-e", "trace=%file,%network", "-o", str(log), sys.executable,
         "-m", "tests.desktop.html_audit_child", json.dumps(config)],
        capture_output=True, text=True, cwd=canaries, env=env, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.splitlines()[-1])
    text = log.read_text(errors="replace")
    forbidden = ("/etc/passwd", secret, "relative.png")
    for name, _ in config["vectors"]:
        window = calls(text, name)
        touched = [(c, a) for c, a in window if any(f in a for f in forbidden)]
        assert touched == [], (name, touched)
        opened = [_PATHS.findall(a)[0] for c, a in window if c in ("open", "openat", "creat")]
        assert [p for p in opened if not allowed(p, cache)] == [], (name, opened)
        assert [c for c, _ in window if c in ("connect", "sendto", "sendmsg")] == [], name
        assert [p for p in report[name]["opened"] if not allowed(p, cache)] == [], name
    assert report["inline_images_allowed"]["asked"] == [
        "cid:png@x",
        report["inline_images_allowed"]["asked"][1],
    ]
    control = calls(text, "control")
    assert any(secret in a for c, a in control if c in ("open", "openat")), "the audit is blind"
