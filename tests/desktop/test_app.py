"""Starting the app: no display gives one line and exit 1; other arguments go to the CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[2]


def _run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    code = "import sys; from desktop.main import main; sys.exit(main())"
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        env=env,
    )


def _no_display(home: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    return {**env, "MAILSCOPE_HOME": str(home), "PYTHONPATH": str(ROOT)}


def test_no_display_is_one_clear_line(tmp_path: Path) -> None:
    for args in ((), ("--demo",)):
        done = _run(*args, env=_no_display(tmp_path))
        assert done.returncode == 1
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("mailscope: no display found")
        assert done.stdout == ""
    assert not (tmp_path / "demo.sqlite").exists()  # nothing was opened


def test_other_arguments_go_to_the_command_line(tmp_path: Path) -> None:
    done = _run("account", "list", env=_no_display(tmp_path))
    assert done.returncode == 0, done.stderr
    assert "no display" not in done.stderr


def test_a_command_ends_with_its_cache_closed_and_nothing_left_to_collect(tmp_path: Path) -> None:
    """The CLI ends with one collection then a freeze (the teardown walks nothing): the
    connection a cycle held is closed all the same, its WAL checkpointed and gone."""
    env = {**_no_display(tmp_path), "PYTHON_KEYRING_BACKEND": "keyrings.alt.file.PlaintextKeyring"}
    maildir = ROOT / "resources" / "demo" / "Maildir"
    assert _run("account", "add", "demo", "--maildir", str(maildir), env=env).returncode == 0
    code = (
        "import atexit, gc, sys; from desktop.main import main;"
        " atexit.register(lambda: print('frozen', gc.get_freeze_count() > 0)); sys.exit(main())"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, "sync", "demo"],
        capture_output=True, text=True, timeout=120, cwd=ROOT, env=env, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "300 new" in done.stdout and done.stdout.strip().endswith("frozen True")
    assert sorted(p.name for p in tmp_path.glob("mailscope.sqlite*")) == ["mailscope.sqlite"]


def test_the_executable_ends_a_command_as_soon_as_it_is_done(tmp_path: Path) -> None:
    """``mailscope`` (``desktop.main.entry``) ends a command without the interpreter's
    teardown: its output all there, its cache closed, the WAL checkpointed and gone; no
    ``atexit`` runs, which is how the test sees the teardown skipped."""
    env = {**_no_display(tmp_path), "PYTHON_KEYRING_BACKEND": "keyrings.alt.file.PlaintextKeyring"}
    maildir = ROOT / "resources" / "demo" / "Maildir"
    code = (
        "import atexit; from desktop.main import entry;"
        " atexit.register(lambda: print('teardown')); entry()"
    )
    for args, out in (
        (("account", "add", "demo", "--maildir", str(maildir)), "demo"),
        (("sync", "demo"), "300 new"),
        (("messages", "--account", "demo", "--json"), '"needs_action"'),
    ):
        done = subprocess.run(
            [sys.executable, "-c", code, *args],
            capture_output=True, text=True, timeout=120, cwd=ROOT, env=env, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert out in done.stdout and "teardown" not in done.stdout
        assert sorted(p.name for p in tmp_path.glob("mailscope.sqlite*")) == ["mailscope.sqlite"]
    failed = subprocess.run(
        [sys.executable, "-c", code, "sync", "nobody"],
        capture_output=True, text=True, timeout=60, cwd=ROOT, env=env, check=False,
    )  # fmt: skip
    assert failed.returncode != 0 and "nobody" in failed.stderr and "teardown" not in failed.stdout
