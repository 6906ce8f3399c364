"""Linux desktop integration: the menu entry, its icons and the AppStream metainfo.

The package ships them in the freedesktop layout (``resources/share``: ``applications/``,
``icons/hicolor/scalable/apps/``, ``metainfo/``) with the SVG icon only; the PNG sizes are
rendered from it here, with Qt's SVG renderer, so they never drift from the drawing.

``mailscope --install-desktop-entry`` writes them for the current user under
``$XDG_DATA_HOME`` (``~/.local/share``), with ``Exec`` pointing at the ``mailscope`` that ran
the command (a pipx launcher, a venv script or the bundle's executable); desktops watch that
folder and show the entry at once. ``--uninstall-desktop-entry`` removes exactly those files.
``write_tree`` does the same into any ``share/`` folder (the bundle's, a distribution
package's).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Final

import resources

APP_ID: Final = "com.mailscope.Mailscope"
ICON_SIZES: Final = (16, 22, 24, 32, 48, 64, 128, 256)
SHARE: Final = Path(resources.__file__).resolve().parent / "share"
DESKTOP_FILE: Final = Path("applications") / f"{APP_ID}.desktop"
SVG_ICON: Final = Path("icons/hicolor/scalable/apps") / f"{APP_ID}.svg"
METAINFO: Final = Path("metainfo") / f"{APP_ID}.metainfo.xml"

# The Desktop Entry spec's characters that oblige an Exec argument to be quoted, and those
# escaped inside the quotes.
_RESERVED: Final = frozenset(" \t\n\"'\\><~|&;$*?#()`")
_ESCAPED: Final = '"`$\\'


def png_icon(size: int) -> Path:
    """Where the PNG of one size lives, relative to a ``share/`` folder."""
    return Path(f"icons/hicolor/{size}x{size}/apps") / f"{APP_ID}.png"


def launcher() -> list[str]:
    """The command line that starts this very Mailscope (for ``Exec``)."""
    if getattr(sys, "frozen", False):  # the PyInstaller bundle's executable
        return [sys.executable]
    script = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    if script is not None and script.stem == "mailscope" and script.is_file():
        return [str(script.absolute())]  # a pipx or venv launcher, symlink kept
    return [sys.executable, "-m", "desktop.main"]


def exec_line(command: Sequence[str]) -> str:
    """A command as a Desktop Entry ``Exec`` value (quoting and escaping of the spec)."""
    args: list[str] = []
    for arg in command:
        arg = arg.replace("%", "%%")  # % starts a field code
        if _RESERVED.intersection(arg):
            arg = '"' + "".join("\\" + c if c in _ESCAPED else c for c in arg) + '"'
        args.append(arg.replace("\\", "\\\\"))  # a string value escapes its backslashes again
    return " ".join(args)


def desktop_entry(command: Sequence[str]) -> str:
    """The shipped entry with ``Exec`` and ``TryExec`` naming ``command``."""
    lines: list[str] = []
    for line in (SHARE / DESKTOP_FILE).read_text("utf-8").splitlines():
        key, _, value = line.partition("=")
        if key == "TryExec":
            line = f"TryExec={exec_line(command[:1])}"
        elif key == "Exec":
            extra = value.split()[1:]  # "mailscope --demo" keeps its --demo
            line = f"Exec={exec_line([*command, *extra])}"
        lines.append(line)
    return "\n".join(lines) + "\n"


def render_png(size: int) -> bytes:
    """The icon as a ``size`` px PNG, rendered from the SVG."""
    # Raster drawing into a QImage needs no QGuiApplication (nor a display): the icon has no
    # text, the one thing that would need the app's fonts.
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(SHARE / SVG_ICON))
    if not renderer.isValid():
        raise RuntimeError(f"{SHARE / SVG_ICON}: not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def write_tree(share: Path, command: Sequence[str], *, metainfo: bool = True) -> list[Path]:
    """Write the entry, the SVG and every PNG size (and the metainfo) under ``share``."""
    written: list[Path] = []

    def put(relative: Path, data: bytes) -> None:
        target = share / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".partial")
        partial.write_bytes(data)
        partial.replace(target)  # a desktop watching the folder never reads half a file
        written.append(target)

    put(SVG_ICON, (SHARE / SVG_ICON).read_bytes())
    for size in ICON_SIZES:
        put(png_icon(size), render_png(size))
    if metainfo:
        put(METAINFO, (SHARE / METAINFO).read_bytes())
    put(DESKTOP_FILE, desktop_entry(command).encode("utf-8"))  # last: its icon is in place
    return written


def tree_files(share: Path) -> list[Path]:
    """Every file ``write_tree`` writes under ``share``."""
    relative = [DESKTOP_FILE, SVG_ICON, METAINFO, *(png_icon(size) for size in ICON_SIZES)]
    return [share / path for path in relative]


def data_home() -> Path:
    """``$XDG_DATA_HOME``, or ``~/.local/share`` when it is unset or not absolute (the spec)."""
    configured = os.environ.get("XDG_DATA_HOME", "")
    if configured and Path(configured).is_absolute():
        return Path(configured)
    return Path.home() / ".local" / "share"


def install(share: Path | None = None) -> list[Path]:
    """The per-user install: the entry and icons (no metainfo: software centres read only the
    system's) under ``share`` (default: ``data_home()``); returns the files written."""
    return write_tree(share or data_home(), launcher(), metainfo=False)


def uninstall(share: Path | None = None) -> list[Path]:
    """Remove what ``install`` wrote (and nothing else); returns the files removed."""
    removed: list[Path] = []
    for path in tree_files(share or data_home()):
        if path.is_file():
            path.unlink()
            removed.append(path)
    return removed


def main(flag: str) -> int:
    """``--install-desktop-entry`` or ``--uninstall-desktop-entry``; returns the exit code."""
    if not sys.platform.startswith("linux"):
        print(
            "mailscope: the desktop entry is for Linux desktops; on Windows and macOS the"
            " installer adds Mailscope to the Start menu or Applications (docs/install.md)",
            file=sys.stderr,
        )
        return 2
    share = data_home()
    try:
        files = install(share) if flag == "--install-desktop-entry" else uninstall(share)
    except OSError as error:
        print(f"mailscope: cannot write under {share}: {error.strerror or error}", file=sys.stderr)
        return 1
    if flag == "--install-desktop-entry":
        entry = share / DESKTOP_FILE
        print(f"Mailscope is in your applications menu ({entry}, {len(files) - 1} icon files).")
        print(f"It starts: {' '.join(launcher())}")
    elif files:
        print(f"Removed Mailscope's menu entry and icons ({len(files)} files under {share}).")
    else:
        print(f"No Mailscope menu entry was installed under {share}.")
    return 0
