"""The README is a contract: every command it shows in a code block runs, as shown.

- ``make run`` opens the demo in a real window (on a private Xvfb), from this tree.
- ``make test`` is this very suite: it is checked with ``make -n`` (what it would run), not
  run again from inside itself.
- The Install commands run in a scratch folder holding the wheel and the bundle's archive,
  with pipx, the menu entry and the app's data all under the test's temporary folder; then
  the installed ``mailscope --demo`` opens the demo (a screenshot, ``pipx-demo.png``).

A new command in the README fails ``test_every_readme_command_is_run_here`` until it is run
here too.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from core.version import __version__
from desktop.desktop_entry import DESKTOP_FILE
from tests.helpers.xvfb import open_demo_window, xvfb
from tests.packaging.conftest import ROOT
from tests.packaging.test_desktop_entry import desktop_file_validate

README = ROOT / "README.md"
INSTALL_WHEEL = [
    "pipx install ./mailscope-*.whl",
    "mailscope --install-desktop-entry",
]
INSTALL_BUNDLE = [
    "tar -xzf mailscope-*-linux-x86_64.tar.gz",
    "./mailscope/mailscope --install-desktop-entry",
]
DEVELOPER = ["make run", "make test"]


def readme_commands() -> list[str]:
    """Every command line of the README's ``sh`` blocks, without its comment."""
    blocks = re.findall(r"^ *```sh\n(.*?)^ *```", README.read_text("utf-8"), re.M | re.S)
    return [
        line.split("#")[0].strip()
        for block in blocks
        for line in block.splitlines()
        if line.split("#")[0].strip()
    ]


def test_every_readme_command_is_run_here() -> None:
    assert readme_commands() == DEVELOPER + INSTALL_WHEEL + INSTALL_BUNDLE


def test_make_run_opens_the_demo(tmp_path: Path) -> None:
    with xvfb() as screen:
        env = screen.env(MAILSCOPE_HOME=str(tmp_path / "home"))
        command = ["make", "--no-print-directory", "run"]
        window = open_demo_window(screen, command, env, tmp_path / "run.png", ROOT)
    # The first window fits a 1366×768 laptop (desktop.window_layout.first_size): no window
    # manager here to shrink it, so the status bar would be off screen at 1480×860.
    assert (window.width, window.height) == (1366, 768)


def test_make_test_runs_lint_typecheck_and_the_suite() -> None:
    done = subprocess.run(
        ["make", "-n", "test"], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    for step in ("ruff check", "ruff format --check", "mypy", "pytest"):
        assert step in done.stdout


@pytest.fixture
def scratch(tmp_path: Path, dist: tuple[Path, Path]) -> tuple[Path, dict[str, str]]:
    """A folder with the files IT hands out, and an environment confined to the test."""
    folder = tmp_path / "Downloads"
    folder.mkdir()
    wheel, _ = dist
    (folder / wheel.name).write_bytes(wheel.read_bytes())
    bundle = ROOT / "bundle" / "mailscope"
    if not (bundle / "mailscope").is_file():
        pytest.fail("no bundle: `make test` builds it first (make bundle)", False)
    archive = folder / f"mailscope-{__version__}-linux-x86_64.tar.gz"
    with tarfile.open(archive, "w:gz", compresslevel=1) as tar:
        tar.add(bundle, arcname="mailscope")
    tools = tmp_path / "tools"  # pipx, and no other mailscope than the one pipx installs
    tools.mkdir()
    (tools / "pipx").symlink_to(Path(sys.executable).parent / "pipx")
    pipx_bin = tmp_path / "pipx" / "bin"
    env = {
        **{
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("PIPX_", "VIRTUAL_ENV", "QT_QPA", "DISPLAY"))
        },
        "PIPX_HOME": str(tmp_path / "pipx" / "home"),
        "PIPX_BIN_DIR": str(pipx_bin),
        "PIPX_MAN_DIR": str(tmp_path / "pipx" / "man"),
        "PIPX_DEFAULT_PYTHON": sys.base_prefix + "/bin/python3",
        "PATH": f"{pipx_bin}:{tools}:/usr/local/bin:/usr/bin:/bin",
        "XDG_DATA_HOME": str(tmp_path / "share"),
        "MAILSCOPE_HOME": str(tmp_path / "home"),
    }
    return folder, env


def _run(line: str, folder: Path, env: dict[str, str]) -> str:
    done = subprocess.run(
        ["bash", "-c", line], cwd=folder, env=env,
        capture_output=True, text=True, timeout=900, check=False,
    )  # fmt: skip
    assert done.returncode == 0, f"{line}: {done.stdout[-2000:]}{done.stderr[-2000:]}"
    return done.stdout


def test_the_install_commands_give_a_working_mailscope(
    scratch: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    folder, env = scratch
    share = Path(env["XDG_DATA_HOME"])
    # The wheel, with pipx, into a fresh environment.
    for line in INSTALL_WHEEL:
        _run(line, folder, env)
    installed = Path(env["PIPX_BIN_DIR"]) / "mailscope"
    entry = (share / DESKTOP_FILE).read_text("utf-8")
    assert f"Exec={installed}\n" in entry
    desktop_file_validate(share / DESKTOP_FILE)
    assert _run("mailscope --version", folder, env) == f"mailscope {__version__}\n"
    scenario = ROOT / "tests" / "data" / "scenarios" / "mixed_rules.json"
    explained = _run(f"mailscope explain {scenario}", folder, env)
    assert explained == (scenario.with_suffix(".expected.json")).read_text("utf-8")
    with xvfb() as screen:
        shot = tmp_path / "pipx-demo.png"
        open_demo_window(screen, [str(installed), "--demo"], screen.env(**env), shot, folder)
    # The self-contained build: unpacked anywhere, its entry points at that folder.
    for line in INSTALL_BUNDLE:
        _run(line, folder, env)
    entry = (share / DESKTOP_FILE).read_text("utf-8")
    assert f"Exec={folder / 'mailscope' / 'mailscope'}\n" in entry
    desktop_file_validate(share / DESKTOP_FILE)
    assert "Removed" in _run("mailscope --uninstall-desktop-entry", folder, env)
    assert not (share / DESKTOP_FILE).exists()
