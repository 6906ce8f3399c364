"""The Linux menu entry, icons and AppStream metainfo, validated by the freedesktop tools.

``desktop-file-validate`` (desktop-file-utils) and ``appstreamcli`` (appstream) are Debian
packages that ``make test`` installs: a missing validator fails these tests.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from core.version import __version__
from desktop import desktop_entry
from desktop.desktop_entry import APP_ID, DESKTOP_FILE, ICON_SIZES, METAINFO, SHARE, SVG_ICON
from desktop.main import main


def _tool(name: str, package: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is not installed: `make test` installs it ({package})", False)
    return path


def desktop_file_validate(path: Path) -> str:
    """Run desktop-file-validate; returns its output, failing the test on any complaint."""
    done = subprocess.run(
        [_tool("desktop-file-validate", "desktop-file-utils"), str(path)],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert (done.returncode, done.stdout + done.stderr) == (0, ""), done.stdout + done.stderr
    return done.stdout


def appstream_validate(path: Path) -> str:
    """Run ``appstreamcli validate`` (no network); no error or warning may remain."""
    done = subprocess.run(
        [_tool("appstreamcli", "appstream"), "validate", "--no-net", "--no-color", str(path)],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    complaints = [line for line in output.splitlines() if line.startswith(("E:", "W:"))]
    assert complaints == [], output
    return output


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def test_the_shipped_entry_and_metainfo_validate() -> None:
    desktop_file_validate(SHARE / DESKTOP_FILE)
    appstream_validate(SHARE / METAINFO)


def test_the_metainfo_names_this_version_and_the_entry() -> None:
    root = ET.parse(SHARE / METAINFO).getroot()
    assert root.findtext("id") == APP_ID
    assert root.find("launchable").text == DESKTOP_FILE.name  # type: ignore[union-attr]
    newest = root.find("releases/release")
    assert newest is not None and newest.get("version") == __version__
    shots = [image.text or "" for image in root.iter("image")]
    assert len(shots) == 2 and all(shot.startswith("https://") for shot in shots)
    # Each screenshot is one the README shows (the files published at those addresses).
    docs = Path(__file__).parents[2] / "docs"
    assert all((docs / shot.rsplit("/", 1)[1]).is_file() for shot in shots)


def test_install_writes_a_valid_entry_and_every_icon_size(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    share = tmp_path / "data home"  # a space: Exec must quote it
    monkeypatch.setenv("XDG_DATA_HOME", str(share))
    assert main(["--install-desktop-entry"]) == 0
    assert "applications menu" in capsys.readouterr().out
    entry = share / DESKTOP_FILE
    desktop_file_validate(entry)
    text = entry.read_text("utf-8")
    assert f"Icon={APP_ID}\n" in text
    execs = [line for line in text.splitlines() if line.startswith("Exec=")]
    launcher = desktop_entry.exec_line(desktop_entry.launcher())
    assert execs == [f"Exec={launcher}", f"Exec={launcher} --demo"]
    for size in ICON_SIZES:
        png = share / desktop_entry.png_icon(size)
        assert _png_size(png.read_bytes()) == (size, size)
    assert (share / SVG_ICON).read_bytes() == (SHARE / SVG_ICON).read_bytes()
    assert not (share / METAINFO).exists()  # software centres read the system's only


def test_uninstall_removes_what_install_wrote_and_nothing_else(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    other = tmp_path / "applications" / "org.example.Other.desktop"
    other.parent.mkdir(parents=True)
    other.write_text("[Desktop Entry]\n")
    assert main(["--install-desktop-entry"]) == 0
    assert main(["--uninstall-desktop-entry"]) == 0
    assert "Removed" in capsys.readouterr().out
    left = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    assert left == [Path("applications/org.example.Other.desktop")]
    assert main(["--uninstall-desktop-entry"]) == 0
    assert "No Mailscope menu entry" in capsys.readouterr().out


def test_xdg_data_home_must_be_absolute(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_DATA_HOME", "relative/share")  # invalid: the spec ignores it
    assert desktop_entry.data_home() == tmp_path / ".local" / "share"
    monkeypatch.delenv("XDG_DATA_HOME")
    assert desktop_entry.data_home() == tmp_path / ".local" / "share"


@pytest.mark.parametrize(
    ("command", "line"),
    [
        (["/usr/bin/mailscope"], "/usr/bin/mailscope"),
        (["/home/zoë/my apps/mailscope"], '"/home/zoë/my apps/mailscope"'),
        (["/opt/$HOME/a\\b", "--demo"], '"/opt/\\\\$HOME/a\\\\\\\\b" --demo'),
        (["/opt/100%/mailscope"], "/opt/100%%/mailscope"),
    ],
)
def test_exec_lines_quote_as_the_desktop_entry_spec_says(command: list[str], line: str) -> None:
    assert desktop_entry.exec_line(command) == line


def test_the_entry_refuses_politely_off_linux(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    monkeypatch.setattr(sys, "platform", "win32")
    assert main(["--install-desktop-entry"]) == 2
    assert "Linux desktops" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_write_tree_gives_a_share_folder_a_distribution_can_ship(tmp_path: Path) -> None:
    files = desktop_entry.write_tree(tmp_path / "share", ["/opt/mailscope/mailscope"])
    assert sorted(files) == sorted(desktop_entry.tree_files(tmp_path / "share"))
    appstream_validate(tmp_path / "share" / METAINFO)
    desktop_file_validate(tmp_path / "share" / DESKTOP_FILE)
