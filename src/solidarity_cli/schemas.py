"""JSON Schema for every record kind, generated from the pydantic models."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from solidarity_cli import standards
from solidarity_cli.atomic import write_text_atomic
from solidarity_cli.models import Settings
from solidarity_cli.models.base import language_tag_pattern
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
        schema = _share_code_lists(model.model_json_schema(mode="validation"))
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


def _code_lists() -> dict[str, dict[str, Any]]:
    """The long code lists, each written once per schema under ``$defs``."""
    return {
        "CountryCode": {"type": "string", "enum": sorted(standards.country_codes())},
        "SubdivisionCode": {"type": "string", "enum": sorted(standards.subdivision_codes())},
        "CurrencyCode": {"type": "string", "enum": sorted(standards.currency_codes())},
        "LanguageTag": {"type": "string", "pattern": language_tag_pattern()},
    }


def _share_code_lists(schema: dict[str, Any]) -> dict[str, Any]:
    """Replace every inline copy of a code list by a reference to one definition."""
    lists = _code_lists()
    used: set[str] = set()

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            keyed = node.get("patternProperties", {})
            if list(keyed) == [language_tag_pattern()]:
                # Keys that miss the pattern would pass as extra properties: name the keys.
                node = {k: v for k, v in node.items() if k != "patternProperties"}
                node["propertyNames"] = {"type": "string", "pattern": language_tag_pattern()}
                node["additionalProperties"] = keyed[language_tag_pattern()]
            for name, definition in lists.items():
                if all(node.get(key) == value for key, value in definition.items()):
                    used.add(name)
                    rest = {k: walk(v) for k, v in node.items() if k not in definition}
                    return {"$ref": f"#/$defs/{name}", **rest}
            return {key: walk(value) for key, value in node.items()}
        if isinstance(node, list):
            return [walk(item) for item in node]
        return node

    out: dict[str, Any] = walk(schema)
    if used:
        defs = out.setdefault("$defs", {})
        for name in sorted(used):
            defs[name] = lists[name]
        out["$defs"] = dict(sorted(defs.items()))
    return out
