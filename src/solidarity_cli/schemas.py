"""JSON Schema for every record kind, generated from the pydantic models."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from solidarity_cli.atomic import write_text_atomic
from solidarity_cli.models import Settings
from solidarity_cli.reading.layout import RecordKind

SCHEMA_DIR = "schemas"


def schema_models() -> dict[str, type[BaseModel]]:
    """File stem -> model, for every record kind and the settings file."""
    out: dict[str, type[BaseModel]] = {kind.value: kind.model for kind in RecordKind}
    out["settings"] = Settings
    return out


def render_schemas() -> dict[str, str]:
    """File name -> JSON Schema text (draft 2020-12), deterministic."""
    out = {}
    for stem, model in schema_models().items():
        schema = model.model_json_schema(mode="validation")
        schema = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": f"{stem}.schema.json",
            **schema,
        }
        out[f"{stem}.schema.json"] = json.dumps(schema, ensure_ascii=False, indent=2) + "\n"
    return out


def write_schemas(out_dir: Path) -> list[Path]:
    """Write every schema into ``out_dir``; returns the files that changed."""
    out_dir.mkdir(parents=True, exist_ok=True)
    changed = []
    for name, text in render_schemas().items():
        target = out_dir / name
        if target.is_file() and target.read_text(encoding="utf-8") == text:
            continue
        write_text_atomic(target, text, overwrite=True)
        changed.append(target)
    return changed
