"""One canonical form for record files, keeping every comment (``solidarity fmt``).

Public API: ``format_text`` (text in, canonical text out), ``dump_record`` (for writers that
create files), ``format_paths`` (a repository's files, with diffs and findings).
"""

from __future__ import annotations

from solidarity_cli.formatting.canonical import Kind, dump_record, format_text
from solidarity_cli.formatting.files import FileChange, FormatResult, format_paths

__all__ = ["FileChange", "FormatResult", "Kind", "dump_record", "format_paths", "format_text"]
