"""What touches the platform, under Windows' and macOS' layouts as far as Linux can play them.

- Data folders come from platformdirs: with its Windows (or macOS) rules in force, the cache,
  the demo, the settings file and the writable demo copy all live in that folder, whose name
  has a space and non-ASCII letters as many Windows user folders do.
- Every file the repository and the wheel hold has a name Windows and macOS can store (no
  ``:`` or other reserved character, no two names equal but for case).
- A Maildir written on Windows (``!2,`` before the flags) reads as the same messages, keys and
  flags as on Linux (``:2,``).
- Nothing in the code spells a POSIX path.

Keyring backends are chosen by keyring itself on each system (the bundle carries all of
them: ``test_bundle.py``); the browser for sign-in arrives with issue 13.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import platformdirs
import platformdirs.macos
import platformdirs.windows
import pytest

import resources.demo as demo
from core import workspace
from core.mail.local import LocalSource, split_name
from core.rules.model import Folder
from core.store import db
from tests.packaging.conftest import ROOT

WINDOWS_RESERVED = re.compile(r'[<>:"|?*\\\x00-\x1f]')
WINDOWS_DEVICES = re.compile(r"^(CON|PRN|AUX|NUL|COM[1-9]|LPT[1-9])(\..*)?$", re.IGNORECASE)


@pytest.fixture
def windows_profile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """platformdirs' Windows rules, with Local AppData in a user folder like Windows makes."""
    local = tmp_path / "Users" / "Zoë Müller-Łukasz" / "AppData" / "Local"
    local.mkdir(parents=True)
    monkeypatch.delenv("MAILSCOPE_HOME", raising=False)
    monkeypatch.setattr(platformdirs, "PlatformDirs", platformdirs.windows.Windows)
    monkeypatch.setattr(platformdirs.windows, "get_win_folder", lambda _: str(local))
    return local


def test_on_windows_everything_lives_under_local_appdata(windows_profile: Path) -> None:
    home = windows_profile / "mailscope" / "mailscope"  # platformdirs: <author>\<app>
    assert db.home() == home
    assert db.default_path() == home / "mailscope.sqlite"
    conn, account = workspace.open_demo(demo)
    summary = workspace.sync_demo(conn, account)
    assert not summary.errors
    count = conn.execute("SELECT count(*) FROM messages").fetchone()[0]
    conn.close()
    assert count == 300
    assert workspace.demo_path() == home / "demo.sqlite" and workspace.demo_path().is_file()
    written = {p.relative_to(windows_profile) for p in windows_profile.rglob("*") if p.is_file()}
    assert all(p.parts[:2] == ("mailscope", "mailscope") for p in written)


def test_the_desktop_settings_and_the_demo_copy_follow(windows_profile: Path) -> None:
    from core.preview.add_bcc import COPIES
    from desktop.main_window import app_settings

    settings = app_settings()
    settings.setValue("window/check", "kept")
    settings.sync()
    assert Path(settings.fileName()) == db.home() / "mailscope.ini"
    assert (db.home() / COPIES).parent == windows_profile / "mailscope" / "mailscope"


def test_on_macos_everything_lives_under_application_support(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MAILSCOPE_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "Zoë"))
    monkeypatch.setattr(platformdirs, "PlatformDirs", platformdirs.macos.MacOS)
    assert db.home() == tmp_path / "Zoë" / "Library" / "Application Support" / "mailscope"


def test_mailscope_home_wins_on_every_platform(
    windows_profile: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MAILSCOPE_HOME", str(tmp_path / "elsewhere"))
    assert db.home() == tmp_path / "elsewhere"


def test_a_window_opens_without_display_variables_on_windows_and_macos(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from desktop.app import has_display

    for name in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)
    for platform, expected in (("win32", True), ("darwin", True), ("linux", False)):
        monkeypatch.setattr(sys, "platform", platform)
        assert has_display() is expected, platform


def _shipped_names() -> list[str]:
    done = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True)
    return [name for name in done.stdout.decode().split("\0") if name]


def test_every_file_name_can_be_stored_on_windows_and_macos() -> None:
    names = _shipped_names()
    bad = [
        name
        for name in names
        for part in name.split("/")
        if WINDOWS_RESERVED.search(part) or WINDOWS_DEVICES.match(part) or part.endswith((".", " "))
    ]
    assert bad == []
    # NTFS and APFS compare names without case (and APFS without Unicode normal form).
    folded: dict[str, str] = {}
    for name in names:
        key = unicodedata.normalize("NFC", name).casefold()
        assert key not in folded, f"{name} and {folded[key]} are one file there"
        folded[key] = name


def _maildir(root: Path, separator: str) -> Path:
    """Three messages of the demo's inbox, named with ``separator`` before their flags."""
    for sub in ("cur", "new", "tmp"):
        (root / sub).mkdir(parents=True)
    shipped = sorted((ROOT / "resources/demo/Maildir/cur").iterdir())[:3]
    for path in shipped:
        key, _, info = split_name(path.name)
        shutil.copyfile(path, root / "cur" / f"{key}{separator}{info}")
    return root


@pytest.mark.parametrize(
    "separator",
    [
        pytest.param(":", marks=pytest.mark.skipif(sys.platform == "win32", reason="no ':' there")),
        "!",
    ],
)
def test_a_maildir_from_windows_reads_as_the_same_messages(tmp_path: Path, separator: str) -> None:
    from core.store.localkeys import LocalKeys

    conn = db.connect(":memory:")
    conn.execute("INSERT INTO accounts (id, name, kind, created_at) VALUES (1, 'a', 'maildir', 0)")
    root = _maildir(tmp_path / ("colon" if separator == ":" else "bang"), separator)
    source = LocalSource(root, "maildir", LocalKeys(conn, 1))
    (inbox,) = (f for f in source.folders() if f.role is Folder.INBOX)
    uids = source.uids(inbox)
    fetched = list(source.fetch_headers(inbox, uids))
    assert [m.uid for m in fetched] == [1, 2, 3]  # the keys' order, whatever the separator
    assert [m.flags for m in fetched] == [("\\Answered", "\\Seen"), ("\\Seen",), ("\\Seen",)]
    shipped = sorted((ROOT / "resources/demo/Maildir/cur").iterdir())[:3]
    assert [m.header[:40] for m in fetched] == [
        p.read_bytes()[:40] for p in shipped
    ]  # the same files


@pytest.mark.parametrize(
    ("name", "parts"),
    [
        ("1.M2P3.host:2,S", ("1.M2P3.host", ":", "2,S")),
        ("1.M2P3.host!2,RS", ("1.M2P3.host", "!", "2,RS")),
        ("1.M2P3.host:2,", ("1.M2P3.host", ":", "2,")),
        ("1.M2P3.host", ("1.M2P3.host", "", "")),
        ("1.M2P3.wow!host", ("1.M2P3.wow!host", "", "")),  # a "!" that starts no info part
        ("1.M2P3.a!b:2,S", ("1.M2P3.a!b", ":", "2,S")),  # ":" wins, as it always did
    ],
)
def test_split_name(name: str, parts: tuple[str, str, str]) -> None:
    assert split_name(name) == parts


def test_no_source_spells_a_posix_path() -> None:
    posix = re.compile(r"""["'](/tmp|/home|/usr|/etc|/var|/opt|~/)""")
    posix_only = {"core/mail/dnsquery.py": '"/etc/resolv.conf"'}  # read only where it exists
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for folder in ("core", "desktop")
        for path in (ROOT / folder).rglob("*.py")
        for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1)
        if posix.search(line)
        and posix_only.get(str(path.relative_to(ROOT).as_posix()), "\0") not in line
    ]
    assert offenders == []
