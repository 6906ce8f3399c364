"""Every command that reads a file, fed hostile files: exit 2, one line, nothing stored.

The table crosses the commands (``explain``, ``directory import``, ``contacts import``,
``policy import``) with what a file can throw at them: nothing there, a folder, ``/dev/zero``,
a FIFO, a 2 GB file, binary, UTF-16, a 3 MB line; for JSON a 5,000-digit integer, a lone
surrogate, 100,000 nested brackets, NaN, 1e400, trailing garbage; for CSV a NUL byte, a
200 KB field, a quote never closed, no Email column. Each runs the real command line
(in-process, and a few in a process of their own) against a synced demo workspace whose
every table is compared before and after.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from core.cli import main
from tests.crm.workspace import demo_cache

ROOT = Path(__file__).parents[2]
COMMANDS = {
    "explain": ["explain", "{f}"],
    "directory import": ["directory", "import", "{f}", "--account", "demo"],
    "contacts import": ["contacts", "import", "{f}", "--account", "demo"],
    "policy import": ["policy", "import", "{f}", "--account", "demo"],
}
JSON_COMMANDS = ("explain", "directory import", "policy import")


def _policy(name: str) -> bytes:
    """A policy file whose owner is named ``name`` (JSON text: escapes stay escapes)."""
    user = {"id": "u-mia", "name": "NAME", "email": "mia@globex.example", "account_access": True}
    doc = json.dumps({"mailscope_policy": 1, "users": [user], "account": {}})
    return doc.replace("NAME", name).encode()


Make = Callable[[Path], str]


def _file(data: bytes) -> Make:
    def make(folder: Path) -> str:
        path = folder / "input"
        path.write_bytes(data)
        return str(path)

    return make


def _special(kind: str) -> Make:
    def make(folder: Path) -> str:
        path = folder / kind
        if kind == "folder":
            path.mkdir()
        elif kind == "fifo":
            os.mkfifo(path)
        elif kind == "huge":
            with path.open("wb") as handle:
                handle.truncate(2 << 30)  # sparse: 2 GB that take no disk
        elif kind == "dev_zero":
            return "/dev/zero"
        return str(path)

    return make


ANY = {
    "missing": _special("missing"),
    "folder": _special("folder"),
    "dev_zero": _special("dev_zero"),
    "fifo": _special("fifo"),
    "huge_2gb": _special("huge"),
    "empty": _file(b""),
    "binary": _file(bytes(range(256)) * 40),
    "utf16": _file("[1]\nEmail,Name\n".encode("utf-16")),
    "line_3mb": _file(b"9" * (3 << 20)),
}
JSON = {
    "digits_5000": _file(b'{"account": {}, "users": [], "mailbox_owner": ' + b"7" * 5000 + b"}"),
    "lone_surrogate": _file(_policy("Mia \\ud800 Rossi")),
    "nesting_100k": _file(b"[" * 100_000 + b"]" * 100_000),
    "nested_objects": _file(b'{"a":' * 50_000 + b"1" + b"}" * 50_000),
    "nan": _file(b'{"account": {"x": NaN}}'),
    "huge_float": _file(b'{"account": {"x": 1e400}}'),
    "trailing_garbage": _file(b"{} {}"),
    "wrong_shape": _file(b"[]"),
}
CSV = {
    "nul_byte": _file(b"Email,Name\r\nx@y.example,A\x00B\r\n"),
    "field_200kb": _file(b'Email,Name\nx@y.example,"' + b"a" * 200_000 + b'"\n'),
    "unclosed_quote": _file(b'Email,Name\nx@y.example,"Lea\nz@y.example,Z\n'),
    "no_email_column": _file(b"Name,Phone\nLea,+33 1\n"),
}
CASES = [
    *((c, n, m) for c in COMMANDS for n, m in ANY.items()),
    *((c, n, m) for c in JSON_COMMANDS for n, m in JSON.items()),
    *(("contacts import", n, m) for n, m in CSV.items()),
]


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("ws") / "mailscope.sqlite"
    conn, _ = demo_cache(path)
    conn.close()
    yield path


def stored(path: Path) -> str:
    """A fingerprint of every table's content."""
    conn = sqlite3.connect(path)
    digest = hashlib.sha256("\n".join(conn.iterdump()).encode()).hexdigest()
    conn.close()
    return digest


def run(argv: list[str], workspace: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[int, str, str]:
    monkeypatch.setattr("core.store.db.default_path", lambda: workspace)
    out, err = io.StringIO(), io.StringIO()
    stdin = io.TextIOWrapper(io.BytesIO(b""), encoding="utf-8")
    return main(argv, out, err, stdin), out.getvalue(), err.getvalue()


@pytest.mark.parametrize(("command", "name", "make"), CASES, ids=[f"{c}-{n}" for c, n, _ in CASES])
def test_a_hostile_file_is_refused_in_one_line_and_changes_nothing(
    command: str, name: str, make: Make, workspace: Path, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    target = make(tmp_path)
    argv = [a.replace("{f}", target) for a in COMMANDS[command]]
    before = stored(workspace)
    code, out, err = run(argv, workspace, monkeypatch)
    assert (code, out) == (2, ""), (code, out, err)
    assert err.endswith("\n") and err.count("\n") == 1 and "Traceback" not in err, err
    assert len(err) < 300, err
    assert stored(workspace) == before


@pytest.mark.parametrize(
    ("argv", "data"),
    [
        (["explain", "-"], b"[" * 100_000),
        (["policy", "import", "-", "--account", "demo"], _policy("\\udfff")),
        (["contacts", "import", "-", "--account", "demo"], b"Email\nx@y.example\x00\n"),
    ],
)
def test_standard_input_meets_the_same_checks(
    argv: list[str], data: bytes, workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("core.store.db.default_path", lambda: workspace)
    before = stored(workspace)
    out, err = io.StringIO(), io.StringIO()
    stdin = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")
    assert main(argv, out, err, stdin) == 2
    assert err.getvalue().startswith("<stdin>: ") and err.getvalue().count("\n") == 1
    assert stored(workspace) == before


@pytest.mark.parametrize(
    ("command", "name"), [("explain", "digits_5000"), ("directory import", "lone_surrogate")]
)
def test_the_installed_command_line_says_it_in_one_line(
    command: str, name: str, workspace: Path, tmp_path: Path
) -> None:
    target = JSON[name](tmp_path)
    argv = [a.replace("{f}", target) for a in COMMANDS[command]]
    env = {**os.environ, "MAILSCOPE_HOME": str(workspace.parent)}
    code = "import sys; from core.cli import main; sys.exit(main())"
    done = subprocess.run(
        [sys.executable, "-c", code, *argv],
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=120, check=False,
    )  # fmt: skip
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr, done.stderr
