"""Personal data never published: one function makes any view or export safe.

``make_public`` returns a copy of the dataset in which every text value that the
data-protection rules flag (an e-mail address, DP001; a telephone number, DP002; an identity or
tax number, DP003) is replaced by a visible "withheld" mark in the reader's language, with one
finding per withheld text saying where it is (file, line, rule) so that it can be fixed. Every
output (the site, Markdown, GeoJSON, match's JSON, text and drafts, and any later export) is
built from that copy. The detection is the rules' own (``privacy.personal_data_codes``) and
does not depend on the rules' configured severity: a network that turns DP001 off still never
publishes an e-mail address.

Fields a community keeps ``private`` and anonymous donors' names are left out by the views
themselves (``reporting.views``); this module handles free text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from solidarity_cli.dataset import Dataset
from solidarity_cli.diagnostics import Diagnostic, KeyPath, Location, Severity
from solidarity_cli.privacy import personal_data_codes, text_values
from solidarity_cli.reading import place
from solidarity_cli.reading.layout import SETTINGS_FILE, RecordKind
from solidarity_cli.reporting.i18n import Locale
from solidarity_cli.words import M_

#: Keys whose values are identifiers or addresses, never free text (as the DP rules skip them).
NOT_TEXT = frozenset({"url", "github", "id"})
_KINDS = (
    RecordKind.PLATFORM,
    RecordKind.COMMUNITY,
    RecordKind.STRATEGY,
    RecordKind.DONOR,
    RecordKind.AGREEMENT,
)


def withheld_mark(language: str) -> str:
    """The visible mark that stands where personal data was withheld."""
    return Locale(language).gettext("[withheld: personal data]")


#: Findings whose line in the file holds what must not be shown (DP004: an anonymous name).
EXCERPT_WITHHELD = frozenset({"DP001", "DP002", "DP003", "DP004"})


def withhold_excerpt(code: str, line: str) -> bool:
    """Whether the line of a file shown under a finding must be replaced by the mark."""
    return code in EXCERPT_WITHHELD or bool(personal_data_codes(line))


@dataclass(frozen=True)
class Public:
    """A dataset safe to publish, and what was withheld from it (one finding per text)."""

    dataset: Dataset
    withheld: list[Diagnostic]


def _replaced(value: Any, key: KeyPath, mark: str) -> Any:
    """``value`` with the text at ``key`` replaced by ``mark`` (copies along the path only)."""
    if not key:
        return mark if isinstance(value, str) else value
    head, rest = key[0], key[1:]
    if isinstance(value, BaseModel):
        assert isinstance(head, str)
        return value.model_copy(update={head: _replaced(getattr(value, head), rest, mark)})
    if isinstance(value, dict):
        return {**value, head: _replaced(value[head], rest, mark)}
    if isinstance(value, list | tuple):
        assert isinstance(head, int)
        items = list(value)
        items[head] = _replaced(items[head], rest, mark)
        return type(value)(items) if isinstance(value, tuple) else items
    return value


def _records(ds: Dataset) -> Iterator[tuple[str, dict[str, Any], str]]:
    """(file, table, key) of every record that may hold personal data."""
    for kind in _KINDS:
        table = ds.table(kind)
        for rid in list(table):
            path = ds.path_of(kind, rid)
            if ds.personal is None or path in ds.personal:
                yield path, table, rid
    for aid, reports in ds.reports.items():
        for rid in list(reports):
            path = ds.path_of(RecordKind.REPORT, f"{aid}/{rid}")
            if ds.personal is None or path in ds.personal:
                yield path, reports, rid


def _withheld(record: Any, path: str, mark: str, found: list[Diagnostic]) -> Any:
    """``record`` with its flagged texts replaced by ``mark``; one finding each in ``found``."""
    for key, text in list(text_values(record)):
        if key and key[-1] in NOT_TEXT:
            continue
        codes = personal_data_codes(text)
        if not codes:
            continue
        record = _replaced(record, key, mark)
        found.extend(
            Diagnostic(
                code,
                Severity.ERROR,
                M_("this text was withheld from the report: it holds personal data"),
                Location(path, 0, 0, key),
                hint=M_("remove the personal data from this text; then it is published"),
                rule="withheld",
            )
            for code in codes
        )
    return record


def make_public(
    ds: Dataset,
    language: str = "en",
    root: Path | None = None,
    read: Callable[[str], bytes | None] | None = None,
) -> Public:
    """A copy of ``ds`` with every text the DP001-DP003 patterns flag replaced by the mark.

    The records of ``ds`` are left as they are. With ``root``, the findings carry the line of
    each withheld text (read from ``read`` when the records come from a git revision).
    """
    mark = withheld_mark(language)
    public = replace(
        ds,
        platforms=dict(ds.platforms),
        communities=dict(ds.communities),
        strategies=dict(ds.strategies),
        donors=dict(ds.donors),
        agreements=dict(ds.agreements),
        reports={aid: dict(reports) for aid, reports in ds.reports.items()},
    )
    found: list[Diagnostic] = []
    for path, table, rid in _records(public):
        table[rid] = _withheld(table[rid], path, mark, found)
    if ds.settings is not None and (ds.personal is None or SETTINGS_FILE in ds.personal):
        # The network's own name and texts are published too (site title, IATI reporting org).
        public.settings = _withheld(ds.settings, SETTINGS_FILE, mark, found)
    if root is not None:
        found = place(root, found, read)
    return Public(public, found)
