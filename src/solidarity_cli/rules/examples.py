"""Build a rule's examples on disk and run the rule on them (``solidarity rules test``)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import tempfile
from dataclasses import dataclass
from importlib import resources
from io import StringIO
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from solidarity_cli.diagnostics import Diagnostic, Severity
from solidarity_cli.reading import load_repository, place
from solidarity_cli.rules.base import DELETE, Example
from solidarity_cli.rules.engine import RuleSpec, run_rules

_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def example_repository() -> Path:
    """The example repository shipped inside the package."""
    return Path(str(resources.files("solidarity_cli") / "example_repo"))


def _key_path(dotted: str) -> list[str | int]:
    return [name if name else int(index) for name, index in _PART.findall(dotted)]


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _as_written(value: Any) -> Any:
    """Edit values as a person would type them: ISO dates become dates, not quoted text."""
    if isinstance(value, str) and _DATE.match(value):
        return dt.date.fromisoformat(value)
    if isinstance(value, dict):
        return {k: _as_written(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_written(v) for v in value]
    return value


def _apply_edits(path: Path, edits: dict[str, Any]) -> None:
    yaml = YAML(typ="rt", pure=True)
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 100
    data = yaml.load(path.read_text(encoding="utf-8"))
    for dotted, value in edits.items():
        keys = _key_path(dotted)
        node = data
        for key in keys[:-1]:
            node = node[key]
        if value is DELETE:
            del node[keys[-1]]
        else:
            node[keys[-1]] = _as_written(value)
    out = StringIO()
    yaml.dump(data, out)
    path.write_text(out.getvalue(), encoding="utf-8")


def materialise(example: Example, target: Path) -> Path:
    """Copy the example repository to ``target`` and lay the example over it."""
    shutil.copytree(example_repository(), target)
    for rel, text in example.files.items():
        file = target / rel
        if text is None:
            file.unlink()
        else:
            file.parent.mkdir(parents=True, exist_ok=True)
            file.write_text(text, encoding="utf-8")
    for rel, edits in example.edits.items():
        _apply_edits(target / rel, dict(edits))
    return target


@dataclass(frozen=True)
class ExampleOutcome:
    """What running a rule on one of its examples gave."""

    findings: list[Diagnostic]
    broken: list[Diagnostic]
    """Errors that are not the rule's: the example itself does not load cleanly."""


def run_example(rule: RuleSpec, example: Example) -> ExampleOutcome:
    """Run ``rule`` alone on ``example``, at the example's date."""
    with tempfile.TemporaryDirectory(prefix="solidarity-example-") as tmp:
        root = materialise(example, Path(tmp) / "repo")
        loaded = load_repository(root)
        findings = run_rules(loaded.dataset, [rule], example.as_of)
        mine = [d for d in findings if d.code == rule.code]
        broken = [d for d in loaded.diagnostics if d.severity is Severity.ERROR]
        return ExampleOutcome(place(root, mine), place(root, broken))
