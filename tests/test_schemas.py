"""JSON Schemas generated from the models, and the copies shipped in schemas/."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

from solidarity_cli.reading.layout import RecordKind
from solidarity_cli.schemas import render_schemas
from tests.conftest import PROJECT, Run


def test_shipped_schemas_are_current() -> None:
    rendered = render_schemas()
    shipped = {p.name: p.read_text(encoding="utf-8") for p in (PROJECT / "schemas").glob("*.json")}
    assert shipped == rendered, "run: solidarity schema --out schemas"


def test_schema_forbids_unknown_keys_and_lists_required_ones() -> None:
    community = json.loads(render_schemas()["community.schema.json"])
    assert community["additionalProperties"] is False
    assert {"id", "name", "kind", "country", "subdivision", "association"} <= set(
        community["required"]
    )


def test_schema_command_writes_and_then_reports_up_to_date(
    tmp_path: Path, cli: Callable[..., Run]
) -> None:
    run = cli(["schema", "--out", str(tmp_path)])
    assert run.exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(render_schemas())
    again = cli(["schema", "--out", str(tmp_path)])
    assert "up to date" in again.stderr


def test_every_shipped_record_names_its_schema() -> None:
    files = [*sorted((PROJECT / "data").rglob("*.yaml")), PROJECT / "solidarity.yaml"]
    assert len(files) > 30
    pattern = re.compile(r"^# yaml-language-server: \$schema=(\S+)$", re.MULTILINE)
    kinds = {k.value for k in RecordKind} | {"settings"}
    for path in files:
        match = pattern.search(path.read_text(encoding="utf-8"))
        assert match, f"{path} does not name its schema"
        target = (path.parent / match.group(1)).resolve()
        assert target.is_file(), f"{path} names {match.group(1)}, which does not exist"
        assert target.name.removesuffix(".schema.json") in kinds
