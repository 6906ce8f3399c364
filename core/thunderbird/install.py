"""``mailscope thunderbird install|uninstall``: the native host's manifest, its launcher, and the
add-in's XPI (optionally put into a Thunderbird profile).

Where Thunderbird looks for the manifest of a native host named ``mailscope``:
- Linux: ``~/.mozilla/native-messaging-hosts/mailscope.json``;
- macOS: ``~/Library/Application Support/Mozilla/NativeMessagingHosts/mailscope.json``;
- Windows: anywhere, named by the default value of the registry key
  ``HKEY_CURRENT_USER\\Software\\Mozilla\\NativeMessagingHosts\\mailscope``.
A manifest names one executable and Thunderbird passes it no options of ours, so a small
launcher (a shell script, or a ``.bat`` on Windows) runs this Python's host module. The
registry is behind ``Registry`` so tests can stand in for Windows.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import stat
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PureWindowsPath
from typing import Any, Final, Protocol

from core.i18n import _
from core.thunderbird import ADDON_ID, HOST_NAME

REGISTRY_KEY: Final = f"Software\\Mozilla\\NativeMessagingHosts\\{HOST_NAME}"
XPI_NAME: Final = "mailscope-thunderbird.xpi"
_ZIP_TIME: Final = (2026, 1, 1, 0, 0, 0)  # fixed: the same files give the same XPI bytes
_ADDIN_FILES: Final = (
    "manifest.json",
    "background.html",
    "background.js",
    "lib",
    "popup",
    "icons",
    "_locales",
)


class InstallError(Exception):
    """Installing or removing cannot be done as asked; one line for the user."""


class Registry(Protocol):
    """The part of the Windows registry the install writes (HKEY_CURRENT_USER)."""

    def set_default(self, key: str, value: str) -> None: ...

    def delete(self, key: str) -> None: ...


def _winreg() -> Any:
    return importlib.import_module("winreg")  # Windows only: not typed on other systems


class WindowsRegistry:
    """HKEY_CURRENT_USER through ``winreg`` (Windows only)."""

    def set_default(self, key: str, value: str) -> None:
        winreg = _winreg()
        with winreg.CreateKey(winreg.HKEY_CURRENT_USER, key) as handle:
            winreg.SetValueEx(handle, "", 0, winreg.REG_SZ, value)

    def delete(self, key: str) -> None:
        winreg = _winreg()
        with contextlib.suppress(FileNotFoundError):
            winreg.DeleteKey(winreg.HKEY_CURRENT_USER, key)


@dataclass(frozen=True, slots=True)
class Layout:
    """Where the files of one platform go, under a home folder."""

    platform: str  # "linux", "darwin" or "win32"
    home: Path
    registry: Registry | None = field(default=None, compare=False)

    @property
    def windows(self) -> bool:
        return self.platform.startswith("win")

    @property
    def data(self) -> Path:
        """Mailscope's own folder for the launcher and the XPI."""
        if self.windows:
            return self.home / "AppData" / "Roaming" / "Mailscope"
        if self.platform == "darwin":
            return self.home / "Library" / "Application Support" / "Mailscope"
        return self.home / ".local" / "share" / "mailscope"

    @property
    def manifest(self) -> Path:
        if self.windows:
            return self.data / "native-messaging" / f"{HOST_NAME}.json"
        if self.platform == "darwin":
            folder = self.home / "Library" / "Application Support" / "Mozilla"
            return folder / "NativeMessagingHosts" / f"{HOST_NAME}.json"
        return self.home / ".mozilla" / "native-messaging-hosts" / f"{HOST_NAME}.json"

    @property
    def launcher(self) -> Path:
        return self.data / ("native-host.bat" if self.windows else "native-host")

    @property
    def xpi(self) -> Path:
        return self.data / XPI_NAME


def layout(home: Path | None = None, platform: str | None = None) -> Layout:
    """The layout of this machine (or of ``platform``), under ``home`` (default: ``~``)."""
    name = platform or sys.platform
    registry: Registry | None = WindowsRegistry() if name.startswith("win") else None
    return Layout(name, home if home is not None else Path.home(), registry)


def addin_source() -> Path:
    """The add-in's folder: ``thunderbird/`` beside the ``core`` package (a source checkout, the
    self-contained build), else ``<prefix>/share/mailscope/thunderbird`` (a wheel's data files)."""
    beside = Path(__file__).resolve().parent.parent.parent / "thunderbird"
    shared = Path(sys.prefix) / "share" / "mailscope" / "thunderbird"
    for here in (beside, shared):
        if (here / "manifest.json").is_file():
            return here
    raise InstallError(
        _("the add-in's files are not installed with this Mailscope (%(shared)s)")
        % {"shared": shared}
    )


def _addin_files(source: Path) -> list[Path]:
    found: list[Path] = []
    for name in _ADDIN_FILES:
        path = source / name
        if path.is_file():
            found.append(path)
        elif path.is_dir():
            found.extend(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
    return sorted(found)


def build_xpi(target: Path, source: Path | None = None) -> Path:
    """Zip the add-in into ``target`` (the same bytes for the same files); returns it."""
    source = source if source is not None else addin_source()
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as xpi:
        for path in _addin_files(source):
            xpi.writestr(_zip_entry(path, source), path.read_bytes())
    partial.replace(target)
    return target


def _zip_entry(path: Path, source: Path) -> zipfile.ZipInfo:
    """The XPI's entry for one file: its path under the add-in, a fixed date, rw-r--r--."""
    info = zipfile.ZipInfo(path.relative_to(source).as_posix(), _ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


def launcher_text(windows: bool, env_home: str | None) -> str:
    """The launcher script: this Python running the host module (MAILSCOPE_HOME kept)."""
    frozen = bool(getattr(sys, "frozen", False))  # a self-contained build: its own executable
    env = {} if frozen else {"PYTHONPATH": str(Path(__file__).resolve().parent.parent.parent)}
    if env_home:
        env["MAILSCOPE_HOME"] = env_home
    command = "native-host" if frozen else "-m core.thunderbird.host"
    return _batch_file(env, command) if windows else _shell_script(env, command)


def _batch_file(env: dict[str, str], command: str) -> str:
    sets = [f'set "{name}={value}"' for name, value in env.items()]
    lines = ["@echo off", "setlocal", *sets, f'"{sys.executable}" {command} %*']
    return "\r\n".join(lines) + "\r\n"


def _shell_script(env: dict[str, str], command: str) -> str:
    exports = [f"export {name}={_sh(value)}" for name, value in env.items()]
    head = ["#!/bin/sh", "# Mailscope's native messaging host for Thunderbird."]
    lines = [*head, *exports, f'exec {_sh(sys.executable)} {command} "$@"']
    return "\n".join(lines) + "\n"


def _sh(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


def manifest_doc(launcher: Path, windows: bool) -> dict[str, object]:
    path = str(PureWindowsPath(launcher)) if windows else str(launcher)
    return {
        "name": HOST_NAME,
        "description": "Mailscope: will the CRM log this email?",
        "path": path,
        "type": "stdio",
        "allowed_extensions": [ADDON_ID],
    }


@dataclass(frozen=True, slots=True)
class Installed:
    manifest: Path
    launcher: Path
    xpi: Path
    profile_xpi: Path | None
    registry_key: str | None


def install(where: Layout, profile: Path | None = None, source: Path | None = None) -> Installed:
    """Write the launcher, the host manifest (and registry key), the XPI, and the profile's copy."""
    if profile is not None and not profile.is_dir():
        raise InstallError(
            _("%(profile)s: no such Thunderbird profile folder") % {"profile": profile}
        )
    _write_launcher(where)
    _write_manifest(where)
    key = _register(where) if where.windows else None
    xpi = build_xpi(where.xpi, source)
    copied = _copy_to_profile(xpi, profile) if profile is not None else None
    return Installed(where.manifest, where.launcher, xpi, copied, key)


def _write_launcher(where: Layout) -> None:
    """The launcher script, executable."""
    where.launcher.parent.mkdir(parents=True, exist_ok=True)
    text = launcher_text(where.windows, os.environ.get("MAILSCOPE_HOME"))
    where.launcher.write_text(text, encoding="utf-8")
    mode = where.launcher.stat().st_mode
    where.launcher.chmod(mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)


def _write_manifest(where: Layout) -> None:
    where.manifest.parent.mkdir(parents=True, exist_ok=True)
    doc = manifest_doc(where.launcher, where.windows)
    where.manifest.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")


def _register(where: Layout) -> str:
    """Point the registry key at the manifest (Windows); returns the key's full name."""
    if where.registry is None:
        raise InstallError(_("the Windows registry is not available here"))
    where.registry.set_default(REGISTRY_KEY, str(PureWindowsPath(where.manifest)))
    return f"HKEY_CURRENT_USER\\{REGISTRY_KEY}"


def _copy_to_profile(xpi: Path, profile: Path) -> Path:
    """A copy of the XPI in the profile's extensions, named by the add-in's id."""
    copied = _profile_xpi(profile)
    copied.parent.mkdir(exist_ok=True)
    copied.write_bytes(xpi.read_bytes())
    return copied


def _profile_xpi(profile: Path) -> Path:
    """Where Thunderbird finds the add-in in a profile: named by the add-in's id."""
    return profile / "extensions" / f"{ADDON_ID}.xpi"


def _installed_files(where: Layout, profile: Path | None) -> list[Path]:
    paths = [where.manifest, where.launcher, where.xpi]
    if profile is not None:
        paths.append(_profile_xpi(profile))
    return paths


def uninstall(where: Layout, profile: Path | None = None) -> list[str]:
    """Remove what ``install`` wrote; returns what was removed, one line each."""
    removed: list[str] = []
    for path in _installed_files(where, profile):
        if path.exists():
            path.unlink()
            removed.append(str(path))
    if where.windows and where.registry is not None:
        where.registry.delete(REGISTRY_KEY)
        removed.append(f"HKEY_CURRENT_USER\\{REGISTRY_KEY}")
    return removed
