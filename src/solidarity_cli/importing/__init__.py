"""``solidarity import``: bring records in from IATI, 360Giving, CSV and XLSX files.

Reading the input (``sheets``, ``cells``), mapping it to records (``tables`` for the tool's own
spreadsheets), the plan of changes (``plan``) and the edits that keep every comment
(``edits``). Nothing is written while the plan has errors, nor with ``dry_run``.
"""

from __future__ import annotations

import datetime as dt
import enum
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from solidarity_cli.diagnostics import Diagnostic
    from solidarity_cli.importing.plan import ImportPlan
    from solidarity_cli.importing.sheets import Sheet

__all__ = ["ImportFormat", "import_file"]


class ImportFormat(enum.StrEnum):
    """What ``solidarity import`` reads."""

    IATI = "iati"
    GIVING360 = "360giving"
    CSV = "csv"
    XLSX = "xlsx"


def _shown(path: Path) -> str:
    return path.as_posix()


def _sheets(path: Path, fmt: ImportFormat) -> tuple[list[Sheet], list[Diagnostic]]:
    from solidarity_cli.importing.sheets import read_csv, read_workbook

    if fmt is ImportFormat.XLSX:
        return read_workbook(path, _shown(path))
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix.lower() == ".csv")
        return [read_csv(p, _shown(p)) for p in files], []
    return [read_csv(path, _shown(path))], []


def import_file(
    root: Path, path: Path, fmt: ImportFormat, *, as_of: dt.date, dry_run: bool = False
) -> ImportPlan:
    """Read ``path``, plan the changes to the repository at ``root``, and write them unless
    ``dry_run`` or the plan has errors."""
    # Imported here: the command line starts without loading the import machinery.
    from solidarity_cli.exporting.public import Public
    from solidarity_cli.exporting.tables import tables
    from solidarity_cli.importing.edits import Edit
    from solidarity_cli.importing.plan import ImportPlan, build_plan, working_tree, write_plan
    from solidarity_cli.importing.sheets import Unreadable
    from solidarity_cli.importing.tables import sheet_edits, sheet_table, table_of
    from solidarity_cli.importing.untaken import untaken
    from solidarity_cli.reading import load_repository
    from solidarity_cli.reading.loader import BlobCache

    plan = ImportPlan(_shown(path))
    cache: BlobCache = {}
    before = load_repository(root, source=working_tree(root), cache=cache)
    edits: list[Edit] = []
    new_files: dict[str, str] = {}
    try:
        if fmt in (ImportFormat.CSV, ImportFormat.XLSX):
            sheets, header_findings = _sheets(path, fmt)
            plan.diagnostics.extend(header_findings)
            copies = {t.name: t for t in tables(Public(before.dataset, as_of))}
            for sheet in sheets:
                table, findings = table_of(sheet)
                plan.diagnostics.extend(findings)
                known = sheet_table(sheet)
                if not findings and known is not None:
                    plan.diagnostics.extend(untaken(sheet, copies[known]))
                if table is None:
                    continue
                changes, problems = sheet_edits(sheet, table, before.dataset, new_files)
                edits.extend(changes)
                plan.diagnostics.extend(problems)
        else:
            from solidarity_cli.importing.giving360 import grants_records
            from solidarity_cli.importing.iati import iati_records

            read = iati_records if fmt is ImportFormat.IATI else grants_records
            records = read(path, plan.source, before.dataset)
            edits.extend(records.edits)
            new_files.update(records.new_files)
            plan.diagnostics.extend(records.findings)
    except Unreadable as exc:
        plan.unreadable = True
        plan.diagnostics = [exc.finding]
        return plan
    build_plan(root, plan, before, edits, new_files, as_of, cache)
    if not dry_run:
        write_plan(root, plan)
    return plan
