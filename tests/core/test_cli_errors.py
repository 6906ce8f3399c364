"""Exit statuses, written once (core.cli.common): bad input 2, the environment 1, a bug 70."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from core.cli import main
from core.crm.service import CrmService

DEMO_MAILDIR = Path(__file__).parents[2] / "resources" / "demo" / "Maildir"


def _run(*argv: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err, stdin=io.StringIO())
    return code, err.getvalue()


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("MAILSCOPE_HOME", str(tmp_path))
    assert _run("account", "add", "demo", "--maildir", str(DEMO_MAILDIR))[0] == 0
    return tmp_path


def test_bad_input_exits_2_with_one_line() -> None:
    code, err = _run("settings", "never-log", "add", "not an@address.example")
    assert (code, err.count("\n")) == (2, 1), err
    assert err.startswith("mailscope settings never-log: 'not an@address.example' is neither")
    code, err = _run("settings", "show", "--account", "nobody")
    assert (code, err) == (2, "mailscope settings show: no account named 'nobody'"
                               " (see: mailscope account list)\n")  # fmt: skip


def test_a_failure_of_the_environment_exits_1() -> None:
    code, err = _run("outbox", "retry", "4242")
    assert (code, err) == (1, "mailscope outbox retry: No outbox entry 4242 (see: mailscope"
                              " outbox list).\n")  # fmt: skip


def test_a_bug_is_not_bad_input(monkeypatch: pytest.MonkeyPatch) -> None:
    """A ``ValueError`` no one expected (here from the service, a seam this test owns) is
    reported as a bug: its traceback, one line asking for a report, exit 70, not 2."""

    def broken(self: CrmService) -> None:
        raise ValueError("an index out of its range")

    monkeypatch.setattr(CrmService, "settings", broken)
    code, err = _run("settings", "set", "--bcc", "log@bcc.example")
    assert code == 70
    assert "Traceback" in err and "ValueError: an index out of its range" in err
    assert err.endswith("mailscope settings set: internal error (ValueError): please report it\n")
