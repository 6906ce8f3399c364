"""``mailscope sync`` on a terminal: a progress bar on stderr, one summary line on stdout."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from core.cli import main


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_on_a_terminal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MAILSCOPE_HOME", str(tmp_path / "home"))
    root = tmp_path / "Maildir"
    for part in ("cur", "new", "tmp"):
        (root / part).mkdir(parents=True)
    for n in range(5):
        (root / "cur" / f"{n}.x:2,S").write_bytes(f"From: a{n}@x.example\r\n\r\n".encode())
    out, err = io.StringIO(), _Terminal()
    assert main(["account", "add", "m", "--maildir", str(root)], out, err) == 0
    out = io.StringIO()
    assert main(["sync", "m"], out, err) == 0
    assert out.getvalue().startswith("m: 1 folders, 5 new, 0 changed, 0 removed in ")
    assert out.getvalue().count("\n") == 1
    shown = err.getvalue()
    assert "\r" in shown and "m INBOX: [" in shown and "5/5" in shown
    assert shown.endswith("\r")  # the bar is wiped before the summary line
    plain = io.StringIO()
    assert main(["sync", "m"], io.StringIO(), plain) == 0
    assert plain.getvalue() == ""  # not a terminal: no bar


def test_an_unusable_cache_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "mailscope.sqlite").write_bytes(b"this is not a database" * 100)
    monkeypatch.setenv("MAILSCOPE_HOME", str(home))
    err = io.StringIO()
    assert main(["account", "list"], io.StringIO(), err) == 1
    assert err.getvalue().count("\n") == 1
    assert "cannot be used: file is not a database" in err.getvalue()
