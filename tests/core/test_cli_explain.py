"""``mailscope explain``: the contract other tools rely on (stdout JSON, exit codes, errors)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.rules.model import Attribution, Reason, Rule
from core.rules.scenario import verdicts_json
from core.rules.verdict import Verdict

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "scenarios"


def mailscope(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "desktop.main", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize("name", ["log_all_basics", "replies_only_basics"])
def test_explain_prints_exactly_the_expected_verdicts(name: str) -> None:
    result = mailscope("explain", str(DATA / f"{name}.json"))
    assert result.returncode == 0, result.stderr
    expected = json.loads((DATA / f"{name}.expected.json").read_text())
    assert json.loads(result.stdout) == expected
    assert result.stderr == ""


def test_explain_reads_standard_input() -> None:
    text = (DATA / "log_all_basics.json").read_text()
    result = mailscope("explain", "-", stdin=text)
    assert result.returncode == 0
    assert next(v["id"] for v in json.loads(result.stdout)) == "sent-to-contact"


def test_explain_trace_adds_rule_and_steps() -> None:
    result = mailscope("explain", "--trace", str(DATA / "replies_only_basics.json"))
    verdicts = json.loads(result.stdout)
    assert verdicts[1]["rule"] == "R5"
    assert verdicts[1]["trace"][-2].startswith("R5: the account logs replies only")
    assert set(verdicts[0]) == {
        "id",
        "logged",
        "reason",
        "contacts",
        "attributed_to",
        "attribution",
        "rule",
        "trace",
    }


def test_explain_table_format() -> None:
    result = mailscope("explain", "--format", "table", str(DATA / "log_all_basics.json"))
    lines = result.stdout.splitlines()
    assert lines[0].split()[:3] == ["id", "verdict", "reason"]
    # The vocabulary's words (core.rules.vocabulary), no rule id without --trace.
    assert any("sent-to-stranger" in line and "Needs action" in line for line in lines)
    colleague = next(line for line in lines if "sent-to-colleague" in line)
    assert re.search("Won't log +Internal", colleague)
    assert not any(re.search(r"\bR\d", line) for line in lines)
    traced = mailscope("explain", "--format", "table", "--trace", str(DATA / "log_all_basics.json"))
    assert "Not a contact (R9)" in traced.stdout


def _broken(tmp_path: Path, mutate: object) -> Path:
    doc = json.loads((DATA / "log_all_basics.json").read_text())
    mutate(doc)  # type: ignore[operator]
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(doc))
    return path


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (
            lambda d: d["messages"][3].update(to="lea@x"),
            "messages[3].to: expected a list of strings",
        ),
        (
            lambda d: d["messages"][3].update(to=["a@x", 3]),
            "messages[3].to: expected a list of strings",
        ),
        (lambda d: d["messages"][0].update(folder="spam"), "messages[0].folder: expected one of"),
        (lambda d: d["messages"][1].pop("id"), "messages[1].id: required field is missing"),
        (lambda d: d["messages"][1].update(form="x"), "messages[1].form: unknown field"),
        (lambda d: d.pop("users"), "users: required field is missing"),
        (
            lambda d: d["users"][0].update(personal_email_access="yes"),
            "users[0].personal_email_access: expected true or false",
        ),
        (
            lambda d: d["account"].update(logging_rule="some"),
            "account.logging_rule: expected one of",
        ),
        (lambda d: d.update(mailbox_owner="u-nobody"), "mailbox_owner: no user has the id"),
        (lambda d: d["messages"][2].update(date=5), "messages[2].date: expected a string or null"),
    ],
)
def test_explain_names_the_bad_field_and_exits_2(
    tmp_path: Path, mutate: object, message: str
) -> None:
    path = _broken(tmp_path, mutate)
    result = mailscope("explain", str(path))
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"{path}: {message}")


def test_explain_rejects_text_that_is_not_json(tmp_path: Path) -> None:
    path = tmp_path / "notjson.json"
    path.write_text("{ nope")
    result = mailscope("explain", str(path))
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.startswith(f"{path}: not JSON")


def test_explain_rejects_a_missing_file(tmp_path: Path) -> None:
    result = mailscope("explain", str(tmp_path / "missing.json"))
    assert (result.returncode, result.stdout) == (2, "")
    assert "cannot read" in result.stderr


def test_explain_rejects_a_json_array() -> None:
    result = mailscope("explain", "-", stdin="[]")
    assert result.returncode == 2
    assert result.stderr.strip() == "<stdin>: (root): expected an object"


@pytest.mark.parametrize("name", ["log_all_basics", "replies_only_basics"])
def test_explain_output_is_byte_for_byte_the_expected_file(name: str) -> None:
    result = mailscope("explain", str(DATA / f"{name}.json"))
    assert result.stdout == (DATA / f"{name}.expected.json").read_text()


@settings(max_examples=200, deadline=None)
@given(
    ids=st.lists(st.text(), max_size=4),
    contacts=st.lists(st.text(max_size=5), max_size=3),
    logged=st.booleans(),
)
def test_verdicts_json_is_json_dumps_with_indent_1(
    ids: list[str], contacts: list[str], logged: bool
) -> None:
    verdicts = [
        Verdict(
            i,
            logged,
            Reason.THREAD_REPLY,
            Rule.R4,
            tuple(contacts),
            'u"1' if logged else None,
            Attribution.SENDER if logged else None,
        )
        for i in ids
    ]
    assert verdicts_json(verdicts) == json.dumps([v.as_dict() for v in verdicts], indent=1)
