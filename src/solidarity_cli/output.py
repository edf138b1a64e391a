"""Machine-readable renderings of findings: JSON documents and GitHub workflow annotations."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from solidarity_cli.diagnostics import Diagnostic, Severity

JSON_VERSION = 1


def dumps(document: Any) -> str:
    """Stable, readable JSON (sorted keys are not used: key order is part of the format)."""
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def dumps_in_pieces(document: Any) -> Iterator[str]:
    """``dumps(document)`` piece by piece, the same text, for writing a large document out
    without holding all of it (or the many pieces ``dumps`` joins) at once."""
    yield from json.JSONEncoder(ensure_ascii=False, indent=2).iterencode(document)
    yield "\n"


def check_document(summary: dict[str, Any], diagnostics: Iterable[Diagnostic]) -> dict[str, Any]:
    """The JSON document printed by ``solidarity check --format json``."""
    return {
        "version": JSON_VERSION,
        "summary": summary,
        "diagnostics": [d.to_dict() for d in diagnostics],
    }


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_annotations(diagnostics: Iterable[Diagnostic]) -> str:
    """GitHub Actions workflow commands, one line per finding: errors first, then warnings and
    notes, each by path and line (GitHub shows only the first few of each kind on a step)."""
    level = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
    lines = []
    for d in sorted(diagnostics, key=lambda d: (-d.severity.rank, d.sort_key())):
        props = (
            f"file={_escape_property(d.path)},line={max(d.line, 1)},col={max(d.column, 1)},"
            f"title={_escape_property(d.code + ' ' + d.rule)}"
        )
        body = d.message + (f"\n{d.hint}" if d.hint else "")
        lines.append(f"::{level[d.severity]} {props}::{_escape_data(body)}")
    return "".join(line + "\n" for line in lines)
