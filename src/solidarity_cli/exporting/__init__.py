"""``solidarity export``: the network in open standards and spreadsheets.

One module per format; each turns a :class:`~solidarity_cli.exporting.public.Public` view of
the dataset into bytes. Nothing personal reaches a format: they all read through ``Public``.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Iterable
from pathlib import Path

from solidarity_cli.checking import CheckReport
from solidarity_cli.exporting.public import Public
from solidarity_cli.reading import collector_paused, load_repository
from solidarity_cli.reporting.scope import cut, find_scope


class ExportFormat(enum.StrEnum):
    """What ``solidarity export`` writes."""

    IATI = "iati"
    GIVING360 = "360giving"
    HXL = "hxl"
    CSV = "csv"
    XLSX = "xlsx"
    GEOJSON = "geojson"
    JSON = "json"

    @property
    def several_files(self) -> bool:
        """Whether the format is a folder of files rather than one file."""
        return self is ExportFormat.CSV

    @property
    def binary(self) -> bool:
        """Whether the output is not text."""
        return self is ExportFormat.XLSX

    @property
    def default_name(self) -> str:
        """The file (or folder) name the format is usually written to."""
        return {
            "iati": "iati-activities.xml",
            "360giving": "360giving.json",
            "hxl": "who-what-where.csv",
            "csv": "tables",
            "xlsx": "network.xlsx",
            "geojson": "communities.geojson",
            "json": "network.json",
        }[self.value]


def public_view(root: Path, as_of: dt.date, scope: str | None = None) -> Public:
    """The repository's records, cut to ``scope`` when given, as they may be published."""
    # The withheld copy lives as long as the records: kept out of the collector's way too.
    with collector_paused():
        loaded = load_repository(root)
        report = CheckReport(loaded.dataset, [], as_of)
        if scope is not None:
            report = cut(report, find_scope(report.dataset, scope))
        public = Public(report.dataset, as_of)
        public.unreadable = len(loaded.dataset.broken)
        return public


def _writers() -> dict[ExportFormat, Callable[[Public], dict[str, bytes]]]:
    from solidarity_cli.exporting import geo, giving360, hxl, iati, normalised, tables, workbook

    return {
        ExportFormat.IATI: lambda p: {"iati-activities.xml": iati.iati_xml(p)},
        ExportFormat.GIVING360: lambda p: {"360giving.json": giving360.grants_json(p)},
        ExportFormat.HXL: lambda p: {"who-what-where.csv": hxl.hxl_csv(p)},
        ExportFormat.CSV: tables.csv_files,
        ExportFormat.XLSX: lambda p: {"network.xlsx": workbook.xlsx(p)},
        ExportFormat.GEOJSON: lambda p: {"communities.geojson": geo.communities_geojson(p)},
        ExportFormat.JSON: lambda p: {"network.json": normalised.dataset_json(p)},
    }


def render(public: Public, fmt: ExportFormat) -> dict[str, bytes]:
    """The files of one format: name -> bytes (one file, or several for csv)."""
    # A format allocates much and frees it by reference counting; the cyclic collector would
    # only re-scan the records and rows that live until the files are written.
    with collector_paused():
        return _writers()[fmt](public)


def render_all(public: Public, fmts: Iterable[ExportFormat]) -> dict[str, bytes]:
    """The files of several formats from one view, by path in the folder they go to: each
    format's usual name (``iati-activities.xml``, ..., ``tables/needs.csv``)."""
    files: dict[str, bytes] = {}
    for fmt in fmts:
        for name, data in render(public, fmt).items():
            files[f"{fmt.default_name}/{name}" if fmt.several_files else name] = data
    return files


def export_all(
    root: Path, fmts: Iterable[ExportFormat], as_of: dt.date, scope: str | None = None
) -> tuple[dict[str, bytes], Public]:
    """Read the repository and withhold what is personal once, then render every format of
    ``fmts``; the files by path (see ``render_all``) and the view they were made from."""
    public = public_view(root, as_of, scope)
    return render_all(public, fmts), public


def export(
    root: Path, fmt: ExportFormat, as_of: dt.date, scope: str | None = None
) -> dict[str, bytes]:
    """Read the repository and render it in ``fmt``."""
    return export_view(root, fmt, as_of, scope)[0]


def export_view(
    root: Path, fmt: ExportFormat, as_of: dt.date, scope: str | None = None
) -> tuple[dict[str, bytes], Public]:
    """The files of ``fmt`` and the view they were made from."""
    public = public_view(root, as_of, scope)
    return render(public, fmt), public
