"""Data-driven rule cases: each file in cases/ holds named cases for one rule code.

A case lays edits and files over the example repository (as rule examples do), runs
``solidarity check`` on it at the case's date, and compares the findings of that rule code with
the expected ``[code, path, line, column]`` rows.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml_rs

from solidarity_cli.checking import check_repository
from solidarity_cli.rules.base import EXAMPLE_AS_OF, Example
from solidarity_cli.rules.examples import materialise

CASES = Path(__file__).parent / "cases"


def load_cases() -> list[tuple[str, dict[str, Any]]]:
    """(code, case) for every case of every file, in a stable order."""
    out = []
    for path in sorted(CASES.glob("*.yaml")):
        document = yaml_rs.loads(path.read_text(encoding="utf-8"))
        assert document["rule"] == path.stem, f"{path.name} names rule {document['rule']}"
        for case in document["cases"]:
            out.append((path.stem, case))
    return out


def _text(value: Any) -> Any:
    """Dates the case file parsed back to the text an edit writes."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_text(v) for v in value]
    return value


ALL = load_cases()


@pytest.mark.parametrize(("code", "case"), ALL, ids=[f"{c}-{k['name']}" for c, k in ALL])
def test_rule_case(code: str, case: dict[str, Any], tmp_path: Path) -> None:
    example = Example(
        case["name"],
        edits=_text(case.get("edits", {})),
        files=case.get("files", {}),
        as_of=case.get("as_of", EXAMPLE_AS_OF),
    )
    root = materialise(example, tmp_path / "repo")
    report = check_repository(root, as_of=example.as_of)
    broken = [str(d) for d in report.diagnostics if d.code[:2] in {"SY", "SC", "LY"}]
    assert not broken, f"the case does not load cleanly: {broken}"
    found = [[d.code, d.path, d.line, d.column] for d in report.diagnostics if d.code == code]
    assert found == case["expected"]
