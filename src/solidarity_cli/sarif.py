"""SARIF 2.1.0, the format code-scanning tools read: rules with their help, results with a
region and a fingerprint that survives inserted lines."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from solidarity_cli import __version__
from solidarity_cli.baseline import FINGERPRINT_KEY
from solidarity_cli.diagnostics import Diagnostic, Severity, format_key_path
from solidarity_cli.rules.registry import BUILTIN_RULES

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"

_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _rule_entry(code: str, name: str) -> dict[str, Any]:
    """A ``reportingDescriptor`` for ``code``: the registry's documentation when it has one."""
    described = next((r.describe() for r in BUILTIN_RULES if r.code == code), None)
    if described is None:
        summary = name.replace("-", " ") or code
        return {
            "id": code,
            "name": name or code,
            "shortDescription": {"text": summary},
            "help": {"text": f"{code} {summary}: see `solidarity rules` and the README."},
        }
    text = f"{described['summary']}\n\n{described['rationale']}"
    return {
        "id": code,
        "name": described["name"],
        "shortDescription": {"text": described["summary"]},
        "fullDescription": {"text": described["rationale"]},
        "help": {
            "text": text,
            "markdown": f"**{described['summary']}**\n\n{described['rationale']}",
        },
        "defaultConfiguration": {"level": _LEVEL[Severity(described["severity"])]},
        "properties": {"tags": [described["family"]]},
    }


def sarif_document(
    diagnostics: Sequence[Diagnostic],
    fingerprints: Sequence[str],
    new: Sequence[bool] | None = None,
) -> dict[str, Any]:
    """One SARIF run of ``diagnostics``; ``new`` sets each result's ``baselineState``."""
    rules: dict[str, int] = {}
    descriptors: list[dict[str, Any]] = []
    results = []
    for i, d in enumerate(diagnostics):
        if d.code not in rules:
            rules[d.code] = len(descriptors)
            descriptors.append(_rule_entry(d.code, d.rule))
        message = str(d.message) + (f"\nWhat to do: {d.hint}" if d.hint else "")
        result: dict[str, Any] = {
            "ruleId": d.code,
            "ruleIndex": rules[d.code],
            "level": _LEVEL[d.severity],
            "message": {"text": message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": d.path, "uriBaseId": "%SRCROOT%"},
                        "region": {"startLine": max(d.line, 1), "startColumn": max(d.column, 1)},
                    },
                    "logicalLocations": [
                        {"fullyQualifiedName": format_key_path(d.location.key_path)}
                    ]
                    if d.location.key_path
                    else [],
                }
            ],
            "partialFingerprints": {FINGERPRINT_KEY: fingerprints[i]},
        }
        if not result["locations"][0]["logicalLocations"]:
            del result["locations"][0]["logicalLocations"]
        if new is not None:
            result["baselineState"] = "new" if new[i] else "unchanged"
        results.append(result)
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "solidarity",
                        "version": __version__,
                        "rules": descriptors,
                    }
                },
                "results": results,
            }
        ],
    }
