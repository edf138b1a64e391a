"""The official YAML test suite (read from ../shared, never copied) against the bulk parser and
through the reading layer, the path every record file takes in ``check``."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import yaml_rs
from pydantic import BaseModel, ConfigDict

from solidarity_cli.reading import read_file
from solidarity_cli.reading.parse import ALIAS_LIMITS
from tests.conftest import SHARED

SUITE = SHARED / "yaml-test-suite" / "data"

#: Cases where the parser differs from the suite, none of which can occur in a valid record:
#: empty streams (an empty record file is reported before parsing), complex or null keys
#: (record keys are plain strings) and the !!set tag (tags are refused).
KNOWN_DEVIATIONS = {
    "2JQS": "null keys",
    "2XXW": "!!set",
    "8G76": "empty stream",
    "98YD": "empty stream",
    "AVM7": "empty stream",
    "HWV9": "empty stream",
    "QT73": "empty stream",
    "X38W": "sequence as a key",
}

VALID, INVALID = "valid", "invalid"

#: Why the reading layer refuses a case, by finding code, and for which of the suite's verdicts
#: that reason may explain a refusal. A valid case may be refused for something the tool's
#: writers never emit (tags, anchors...); the syntax code only ever explains an invalid case.
POLICY: dict[str, tuple[str, frozenset[str]]] = {
    "SY001": ("invalid YAML: the parser's syntax error", frozenset({INVALID})),
    "SY002": ("a key twice in one mapping (two null keys)", frozenset({VALID})),
    "SY003": ("a tab where indentation is read", frozenset({VALID, INVALID})),
    "SY007": ("an empty file holds no record", frozenset({VALID})),
    "SY008": ("a list or a single value where a record belongs", frozenset({VALID})),
    "SY010": ("explicit tags", frozenset({VALID, INVALID})),
    "SY011": ("several documents in one file", frozenset({VALID, INVALID})),
    "SY012": ("%YAML and %TAG directives", frozenset({VALID, INVALID})),
    "SY013": ("anchors and aliases", frozenset({VALID, INVALID})),
    "SY014": ("control characters, also written as escapes", frozenset({VALID, INVALID})),
    "SY015": ("bidi overrides", frozenset({VALID, INVALID})),
    "SY016": ("nesting deeper than the bound", frozenset({VALID, INVALID})),
    "SC003": ("a key that is a list, a mapping or null (keys are plain text)", frozenset({VALID})),
}

PATH = "data/donors/case.yaml"


class AnyRecord(BaseModel):
    """A record that accepts any mapping, so that only the reading itself can refuse a case."""

    model_config = ConfigDict(extra="allow")


def _cases() -> list[Path]:
    if not SUITE.is_dir():
        return []
    out = []
    for case in sorted(SUITE.iterdir()):
        if (case / "in.yaml").is_file():
            out.append(case)
        else:
            out.extend(sorted(p for p in case.iterdir() if (p / "in.yaml").is_file()))
    return out


def _json_documents(text: str) -> Any:
    decoder, docs, i = json.JSONDecoder(), [], 0
    text = text.strip()
    while i < len(text):
        value, i = decoder.raw_decode(text, i)
        docs.append(value)
        while i < len(text) and text[i].isspace():
            i += 1
    return docs[0] if len(docs) == 1 else docs


def _outcome(case: Path) -> bool:
    """Whether the parser agrees with the suite on this case."""
    source = (case / "in.yaml").read_text(encoding="utf-8")
    invalid = (case / "error").exists()
    try:
        value = yaml_rs.loads(source, parse_datetime=False, alias_limits=ALIAS_LIMITS)
    except yaml_rs.YAMLDecodeError:
        return invalid
    if invalid:
        return False
    expected = case / "in.json"
    return not expected.is_file() or value == _json_documents(expected.read_text("utf-8"))


def test_parser_agrees_with_the_yaml_test_suite() -> None:
    cases = _cases()
    assert len(cases) > 350, f"the YAML test suite is not at {SUITE}"
    disagreements = {case.relative_to(SUITE).as_posix() for case in cases if not _outcome(case)}
    assert disagreements == set(KNOWN_DEVIATIONS)


def _as_json(value: Any) -> Any:
    """A parsed value as the suite's JSON writes it (dates stay text in YAML 1.2's core schema)."""
    if isinstance(value, dict):
        return {key: _as_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_as_json(item) for item in value]
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


def _unexplained(case: Path) -> str | None:
    """Why the reading layer's outcome on ``case`` is not what the policy allows, or None."""
    verdict = INVALID if (case / "error").exists() else VALID
    try:
        record, findings = read_file(PATH, (case / "in.yaml").read_bytes(), AnyRecord)
    except Exception as exc:  # any exception at all is what this test looks for
        return f"raised {type(exc).__name__}: {exc}"
    if record is not None:
        if findings:
            return "a record and findings at once"
        if verdict == INVALID:
            return "the suite says invalid, but it became a record"
        expected = case / "in.json"
        if expected.is_file() and _as_json(record.model_extra) != _json_documents(
            expected.read_text("utf-8")
        ):
            return f"the record differs from in.json: {record.model_extra!r}"
        return None
    if not findings:
        return "neither a record nor a finding"
    for finding in findings:
        if finding.path != PATH or finding.line < 1 or finding.column < 1:
            return f"{finding.code} names {finding.path}:{finding.line}:{finding.column}"
        reason = POLICY.get(finding.code)
        if reason is None or verdict not in reason[1]:
            return f"{finding.code} on a case the suite says is {verdict}: not in the policy"
    return None


def test_every_case_is_a_record_or_a_finding_the_policy_explains() -> None:
    cases = _cases()
    assert len(cases) > 350, f"the YAML test suite is not at {SUITE}"
    failures = {}
    for case in cases:
        why = _unexplained(case)
        if why is not None:
            failures[case.relative_to(SUITE).as_posix()] = why
    assert failures == {}


def test_the_policy_is_used_and_every_verdict_is_met() -> None:
    """Each reason in the policy explains some case, so the table cannot rot unnoticed; the
    suite holds invalid cases, and none of them became a record (checked case by case above)."""
    cases = _cases()
    assert len(cases) > 350, f"the YAML test suite is not at {SUITE}"
    codes: set[str] = set()
    records = invalid = 0
    for case in cases:
        record, findings = read_file(PATH, (case / "in.yaml").read_bytes(), AnyRecord)
        codes.update(finding.code for finding in findings)
        records += record is not None
        invalid += (case / "error").exists()
    assert records > 50
    assert invalid > 50
    assert codes <= set(POLICY)
    assert set(POLICY) - codes <= {"SY015", "SY016"}  # no suite case holds these
