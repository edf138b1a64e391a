"""How a file becomes a record: discovery, bounded read, decoding, the YAML parse, positions,
schema validation and the translation of every problem into a finding.

The rest of the tool asks this package for records and findings (``load_repository``; for one
file's bytes, ``read_file``) and for the line and column of findings known by key path
(``place``).
"""

from __future__ import annotations

from solidarity_cli.reading.loader import (
    LoadResult,
    Progress,
    collector_paused,
    find_root,
    load_repository,
    read_file,
)
from solidarity_cli.reading.positions import place

__all__ = [
    "LoadResult",
    "Progress",
    "collector_paused",
    "find_root",
    "load_repository",
    "place",
    "read_file",
]
