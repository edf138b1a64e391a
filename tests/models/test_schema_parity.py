"""The editors' JSON Schemas and ``check`` give the same verdict on the same records.

Every record of the shipped data and of the example repository is mutated value by value
(a boolean written ``yes``, a number in quotes, a code in the wrong case, an unknown key, a
missing field...) and each mutant goes to both the pydantic model ``check`` uses and the JSON
Schema written by ``solidarity schema``: both must accept it or both refuse it.

A few rules compare two values of one record (a period ending before it starts, a range whose
``max`` is below its ``min``, a subdivision of another country, two currencies that must be the
same): JSON Schema cannot say them, so the mutations never move two values against each other.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml_rs
from pydantic import BaseModel, ValidationError

from solidarity_cli.reading.layout import classify
from solidarity_cli.schemas import render_schemas, schema_models
from tests.conftest import EXAMPLE_REPO, PROJECT

Path_ = tuple[str | int, ...]


@cache
def _validator(stem: str) -> jsonschema.Draft202012Validator:
    schema = json.loads(render_schemas()[f"{stem}.schema.json"])
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def _as_json(value: Any) -> Any:
    """What an editor's YAML language server sees: an unquoted date is text."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_json(v) for v in value]
    return value


def _check_accepts(model: type[BaseModel], data: Any) -> bool:
    try:
        model.model_validate(data)
    except ValidationError:
        return False
    return True


def _schema_accepts(stem: str, data: Any) -> bool:
    return _validator(stem).is_valid(_as_json(data))


def _records() -> list[tuple[str, str, Any]]:
    """(repo-relative path, schema stem, parsed data) of every record file shipped."""
    out = []
    for root in (PROJECT, EXAMPLE_REPO):
        for file in sorted((root / "data").rglob("*.yaml")):
            rel = file.relative_to(root).as_posix()
            slot = classify(rel)
            if slot is None:
                continue
            data = yaml_rs.loads(file.read_text(encoding="utf-8"))
            out.append((f"{root.name}:{rel}", slot.kind.value, data))
        settings = root / "solidarity.yaml"
        data = yaml_rs.loads(settings.read_text(encoding="utf-8"))
        out.append((f"{root.name}:solidarity.yaml", "settings", data))
    return out


def _scalars(node: Any, path: Path_ = ()) -> Iterator[tuple[Path_, Any]]:
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            yield from _scalars(value, (*path, key))
    elif isinstance(node, list):
        yield path, node
        for index, value in enumerate(node):
            yield from _scalars(value, (*path, index))
    else:
        yield path, node


def _mutations(value: Any) -> list[tuple[str, Any]]:
    """Ways a contributor could write ``value`` wrongly (or differently)."""
    if isinstance(value, bool):
        return [("yes", "yes"), ("one", 1), ("quoted", str(value).lower())]
    if isinstance(value, int):
        return [("quoted", str(value)), ("true", True), ("fraction", value + 0.5), ("negative", -1)]
    if isinstance(value, float):
        return [("quoted", str(value)), ("true", True), ("negative", -1.5)]
    if isinstance(value, dt.date):
        return [
            ("quoted", value.isoformat()),
            ("number", int(value.strftime("%Y%m%d"))),
            ("with time", f"{value.isoformat()}T10:00:00"),
            ("no such day", f"{value.year}-13-01"),
        ]
    if isinstance(value, str):
        out = [("number", 123), ("true", True), ("empty", ""), ("suffix", value + "!")]
        if value.upper() != value:
            out.append(("upper", value.upper()))
        elif value.lower() != value:
            out.append(("lower", value.lower()))
        return out
    if isinstance(value, dict):
        out = [("unknown key", {**value, "colour": "blue"}), ("a list", [value])]
        for key in value:
            out.append((f"without {key}", {k: v for k, v in value.items() if k != key}))
            if isinstance(key, str) and len(key) <= 3:  # language keys of a text
                out.append(
                    (
                        f"key {key} upper",
                        {key.upper() if k == key else k: v for k, v in value.items()},
                    )
                )
        return out
    if isinstance(value, list):
        return [("empty list", []), ("a mapping", {"item": value[0] if value else None})]
    if value is None:
        return [("number", 0), ("text", "x")]
    return []


def _replace(data: Any, path: Path_, new: Any) -> Any:
    if not path:
        return new
    out = copy.deepcopy(data)
    node = out
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = new
    return out


def _mutants(data: Any, limit: int = 400) -> Iterator[tuple[str, Any]]:
    """Up to ``limit`` mutants of one record, spread over all of its values."""
    spots = list(_scalars(data))
    made: list[tuple[str, Any]] = []
    for path, value in spots:
        for name, new in _mutations(value):
            made.append(
                (f"{'/'.join(map(str, path)) or '(root)'}: {name}", _replace(data, path, new))
            )
    step = max(1, len(made) // limit)
    yield from made[::step]


RECORDS = _records()


def test_the_shipped_records_pass_both() -> None:
    models = schema_models()
    for where, stem, data in RECORDS:
        assert _check_accepts(models[stem], data), where
        assert _schema_accepts(stem, data), (where, _validator(stem).iter_errors(_as_json(data)))


@pytest.mark.parametrize(("where", "stem", "data"), RECORDS, ids=[r[0] for r in RECORDS])
def test_mutated_records_get_the_same_verdict(where: str, stem: str, data: Any) -> None:
    model = schema_models()[stem]
    disagreements = []
    refused = 0
    for name, mutant in _mutants(data, limit=60):
        by_check = _check_accepts(model, mutant)
        by_schema = _schema_accepts(stem, mutant)
        refused += not by_check
        if by_check != by_schema:
            disagreements.append(
                f"{name}: check {'accepts' if by_check else 'refuses'}, "
                f"schema {'accepts' if by_schema else 'refuses'}"
            )
    assert not disagreements, f"{where}:\n" + "\n".join(disagreements[:10])
    assert refused, "the mutations should be refused at least once"


def test_schemas_carry_the_code_lists() -> None:
    community = json.loads(render_schemas()["community.schema.json"])
    assert "CV" in community["$defs"]["CountryCode"]["enum"]
    assert "cv" not in community["$defs"]["CountryCode"]["enum"]
    assert "CV-PN" in community["$defs"]["SubdivisionCode"]["enum"]
    assert "|kea|" in community["$defs"]["LanguageTag"]["pattern"]


@pytest.mark.parametrize(
    ("find", "replace", "words"),
    [
        ("grace_days: 30", "grace_days: true", "should be a whole number but is true/false"),
        ("accepted: true", "accepted: yes", "should be true or false but is 'yes'"),
        ("amount: 10000", 'amount: "10000"', "is not a number"),
        ("country: CV", "country: cv", "is written 'CV' in ISO codes"),
        ("currency: EUR}", "currency: eur}", "is written 'EUR' in ISO codes"),
    ],
)
def test_values_are_taken_as_written(
    cli: Any, minimal: Path, find: str, replace: str, words: str
) -> None:
    for file in sorted((minimal / "data").rglob("*.yaml")):
        text = file.read_text(encoding="utf-8")
        if find in text:
            file.write_text(text.replace(find, replace, 1), encoding="utf-8")
            break
    else:
        pytest.fail(f"no file of the example repository has {find!r}")
    run = cli(["check", "--repo", str(minimal), "--as-of", "2025-09-15", "--format", "json"])
    assert run.exit_code == 1
    findings = run.json()["diagnostics"]
    hit = [f for f in findings if f["code"] == "SC003" and words in f["message"]]
    assert hit, findings
    assert hit[0]["path"] == file.relative_to(minimal).as_posix()
    line = 1 + text[: text.index(find)].count("\n")
    assert hit[0]["line"] == line
