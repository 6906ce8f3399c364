"""The spec's example scenarios (from shared/examples) give exactly their expected verdicts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.rules.scenario import explain_scenario, scenario_from_dict

DATA = Path(__file__).parent.parent / "data" / "scenarios"
EXAMPLES = sorted(p for p in DATA.glob("*.json") if not p.name.endswith(".expected.json"))


def test_the_examples_are_there() -> None:
    assert {p.stem for p in EXAMPLES} >= {"log_all_basics", "replies_only_basics"}


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_example_verdicts(path: Path) -> None:
    expected = json.loads(path.with_suffix(".expected.json").read_text())
    doc = json.loads(path.read_text())
    assert [v.as_dict() for v in explain_scenario(scenario_from_dict(doc))] == expected
