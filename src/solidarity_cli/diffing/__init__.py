"""What a change to the data does, record by record: compare two datasets and say it in words."""

from __future__ import annotations

from solidarity_cli.diffing.changes import Action, Change, Diff, FieldChange
from solidarity_cli.diffing.engine import compare

__all__ = ["Action", "Change", "Diff", "FieldChange", "compare"]
