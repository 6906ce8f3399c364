"""`mailscope thunderbird install|uninstall` on Linux, macOS and Windows layouts (Windows'
registry through a stand-in), the XPI it builds, and the launcher Thunderbird starts."""

from __future__ import annotations

import io
import json
import os
import stat
import subprocess
import zipfile
from pathlib import Path

import pytest

from core import cli
from core.thunderbird import ADDON_ID, HOST_NAME
from core.thunderbird.install import REGISTRY_KEY, Layout, build_xpi, install, layout, uninstall
from tests.thunderbird.frames import answers, frame

ROOT = Path(__file__).resolve().parents[2]


class FakeRegistry:
    """HKEY_CURRENT_USER as a dict: what the install writes and deletes."""

    def __init__(self) -> None:
        self.keys: dict[str, str] = {}

    def set_default(self, key: str, value: str) -> None:
        self.keys[key] = value

    def delete(self, key: str) -> None:
        self.keys.pop(key, None)


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_linux_install_writes_the_manifest_launcher_and_xpi_and_uninstall_removes_them(
    tmp_path: Path,
) -> None:
    profile = tmp_path / "profile"
    profile.mkdir()
    code, out, err = run(
        "thunderbird", "install", "--home", str(tmp_path), "--profile", str(profile)
    )
    assert code == 0, err
    manifest = tmp_path / ".mozilla" / "native-messaging-hosts" / f"{HOST_NAME}.json"
    doc = json.loads(manifest.read_text())
    launcher = Path(doc["path"])
    assert doc == {
        "name": HOST_NAME,
        "description": "Mailscope: will the CRM log this email?",
        "path": str(tmp_path / ".local" / "share" / "mailscope" / "native-host"),
        "type": "stdio",
        "allowed_extensions": [ADDON_ID],
    }
    assert launcher.stat().st_mode & stat.S_IXUSR
    xpi = profile / "extensions" / f"{ADDON_ID}.xpi"
    assert (
        xpi.read_bytes()
        == (tmp_path / ".local" / "share" / "mailscope" / "mailscope-thunderbird.xpi").read_bytes()
    )
    assert f"host manifest: {manifest}" in out and f"installed in the profile: {xpi}" in out
    code, out, _ = run(
        "thunderbird", "uninstall", "--home", str(tmp_path), "--profile", str(profile)
    )
    assert code == 0
    assert not manifest.exists() and not launcher.exists() and not xpi.exists()
    assert out.count("removed: ") == 4
    assert run("thunderbird", "uninstall", "--home", str(tmp_path))[1] == "nothing to remove\n"


def test_the_launcher_runs_the_host_with_the_cache_chosen_at_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MAILSCOPE_HOME", str(tmp_path / "data"))
    done = install(layout(tmp_path, "linux"))
    env = {k: v for k, v in os.environ.items() if k not in ("MAILSCOPE_HOME", "PYTHONPATH")}
    request = {"op": "explain", "id": 1, "account": {"identities": ["x@y.example"]}, "message": {}}
    result = subprocess.run(
        [str(done.launcher), str(done.manifest), ADDON_ID],
        input=frame({"op": "hello", "id": 0}) + frame(request),
        capture_output=True, env=env, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    hello, explain = answers(result.stdout)
    assert hello["ok"] and hello["protocol"] == 1
    assert explain["error"]["code"] == "not_connected"
    assert "MAILSCOPE_HOME=" in done.launcher.read_text()


def test_macos_paths(tmp_path: Path) -> None:
    done = install(Layout("darwin", tmp_path))
    support = tmp_path / "Library" / "Application Support"
    assert done.manifest == support / "Mozilla" / "NativeMessagingHosts" / f"{HOST_NAME}.json"
    assert done.launcher == support / "Mailscope" / "native-host"
    assert json.loads(done.manifest.read_text())["path"] == str(done.launcher)
    assert done.registry_key is None


def test_windows_writes_a_bat_launcher_and_the_registry_key(tmp_path: Path) -> None:
    registry = FakeRegistry()
    where = Layout("win32", tmp_path, registry)
    done = install(where)
    assert done.launcher.name == "native-host.bat"
    text = done.launcher.read_bytes().decode()
    assert text.startswith("@echo off\r\n") and "-m core.thunderbird.host %*" in text
    assert registry.keys == {REGISTRY_KEY: str(done.manifest).replace("/", "\\")}
    assert f"Software\\Mozilla\\NativeMessagingHosts\\{HOST_NAME}" == REGISTRY_KEY
    assert done.registry_key == f"HKEY_CURRENT_USER\\{REGISTRY_KEY}"
    assert json.loads(done.manifest.read_text())["path"].endswith("\\native-host.bat")
    removed = uninstall(where)
    assert registry.keys == {} and f"HKEY_CURRENT_USER\\{REGISTRY_KEY}" in removed


def test_the_xpi_holds_the_add_in_and_no_tests_and_is_reproducible(tmp_path: Path) -> None:
    first = build_xpi(tmp_path / "a.xpi")
    second = build_xpi(tmp_path / "b.xpi")
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as xpi:
        names = set(xpi.namelist())
        manifest = json.loads(xpi.read("manifest.json"))
    expected = {
        "manifest.json",
        "background.html",
        "background.js",
        "lib/host.js",
        "icons/will_log.svg",
    }
    assert (
        expected | {"popup/warn.html", "_locales/en/messages.json", "_locales/fr/messages.json"}
        <= names
    )
    assert not any(n.startswith("test/") or n == "package.json" for n in names)
    assert manifest["browser_specific_settings"]["gecko"]["id"] == ADDON_ID
    assert "nativeMessaging" in manifest["permissions"]


def test_a_missing_profile_is_refused(tmp_path: Path) -> None:
    code, _, err = run(
        "thunderbird", "install", "--home", str(tmp_path), "--profile", str(tmp_path / "nope")
    )
    assert code == 1
    assert "no such Thunderbird profile folder" in err


def test_the_add_ins_logic_passes_nodes_test_runner() -> None:
    """The extension's plain JS modules (thunderbird/lib), tested by thunderbird/test."""
    result = subprocess.run(
        ["node", "--test", "test/"], cwd=ROOT / "thunderbird",
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "# fail 0" in result.stdout
