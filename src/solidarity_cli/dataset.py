"""The whole repository in memory, with the indexes later stages look records up by."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from solidarity_cli.diagnostics import Diagnostic
from solidarity_cli.models import (
    Agreement,
    Community,
    Donor,
    Need,
    NetworkRule,
    Platform,
    Report,
    Settings,
    Strategy,
    Vocabulary,
)
from solidarity_cli.reading.items import Incomplete
from solidarity_cli.reading.layout import RecordKind, Unreadable


@dataclass
class Dataset:
    """Every valid record, keyed by id; ``paths`` says which file each came from."""

    root: Path
    settings: Settings | None = None
    vocabularies: dict[str, Vocabulary] = field(default_factory=dict)
    platforms: dict[str, Platform] = field(default_factory=dict)
    communities: dict[str, Community] = field(default_factory=dict)
    strategies: dict[str, Strategy] = field(default_factory=dict)
    donors: dict[str, Donor] = field(default_factory=dict)
    agreements: dict[str, Agreement] = field(default_factory=dict)
    reports: dict[str, dict[str, Report]] = field(default_factory=dict)
    strategy_owner: dict[str, str] = field(default_factory=dict)
    paths: dict[tuple[RecordKind, str], str] = field(default_factory=dict)
    rules: dict[str, NetworkRule] = field(default_factory=dict)
    """Rules the network wrote in data/rules/, by name."""
    broken: set[tuple[RecordKind, str]] = field(default_factory=set)
    """Records whose file exists but could not be read or validated, by (kind, id)."""
    unreadable: dict[tuple[RecordKind, str], Unreadable] = field(default_factory=dict)
    """Every file where a record belongs that gave none, by the (kind, key) its place gives
    (reports keyed ``<agreement>/<id>``): what ``diff`` tells from a record that is gone."""
    incomplete: dict[str, Incomplete] = field(default_factory=dict)
    """Records kept without the list items that had schema errors, by file."""
    files: int = 0
    personal: set[str] | None = None
    """Files whose raw text may hold personal data; None when not known (scan every file)."""
    _by_community: dict[str, list[str]] | None = field(default=None, repr=False, compare=False)
    _indexed: int = field(default=-1, repr=False, compare=False)

    def table(self, kind: RecordKind) -> dict[str, Any]:
        """The records of one kind keyed by id (reports are kept per agreement instead)."""
        tables: dict[RecordKind, dict[str, Any]] = {
            RecordKind.VOCABULARY: self.vocabularies,
            RecordKind.PLATFORM: self.platforms,
            RecordKind.COMMUNITY: self.communities,
            RecordKind.STRATEGY: self.strategies,
            RecordKind.DONOR: self.donors,
            RecordKind.AGREEMENT: self.agreements,
            RecordKind.RULE: self.rules,
        }
        return tables[kind]

    def path_of(self, kind: RecordKind, key: str) -> str:
        """The repo-relative path of a record (reports are keyed ``<agreement>/<id>``)."""
        return self.paths[(kind, key)]

    def strategies_of(self, community: str) -> list[Strategy]:
        """The strategies a community wrote, by id."""
        if self._by_community is None or self._indexed != len(self.strategy_owner):
            index: dict[str, list[str]] = {}
            for sid, owner in self.strategy_owner.items():
                index.setdefault(owner, []).append(sid)
            self._by_community = {c: sorted(ids) for c, ids in index.items()}
            self._indexed = len(self.strategy_owner)
        return [self.strategies[sid] for sid in self._by_community.get(community, [])]

    def in_file(self, diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
        """Findings about records as kept, with the item numbers of their files; those about
        items left out for schema errors (or the lists holding them) are dropped, since a
        schema finding already says what is wrong there."""
        out = []
        for diag in diagnostics:
            incomplete = self.incomplete.get(diag.location.path)
            if incomplete is None:
                out.append(diag)
                continue
            key_path = incomplete.original(diag.location.key_path)
            if not incomplete.touches(key_path):
                out.append(replace(diag, location=replace(diag.location, key_path=key_path)))
        return out

    def sound(self, kind: RecordKind, key: str) -> bool:
        """Whether the record exists and was read whole (no item left out)."""
        return (kind, key) in self.paths and self.paths[(kind, key)] not in self.incomplete

    def need(self, ref: str) -> Need | None:
        """The need named by ``<strategy-id>/<need-id>``, if it exists."""
        strategy_id, _, need_id = ref.partition("/")
        strategy = self.strategies.get(strategy_id)
        return strategy.need(need_id) if strategy is not None else None

    def reports_of(self, agreement: str) -> list[Report]:
        """The monitoring reports of an agreement, by id."""
        return [r for _, r in sorted(self.reports.get(agreement, {}).items())]

    def counts(self) -> dict[str, int]:
        """How many records of each kind were loaded."""
        return {
            RecordKind.VOCABULARY.plural: len(self.vocabularies),
            RecordKind.PLATFORM.plural: len(self.platforms),
            RecordKind.COMMUNITY.plural: len(self.communities),
            RecordKind.STRATEGY.plural: len(self.strategies),
            "needs": sum(len(s.needs) for s in self.strategies.values()),
            RecordKind.DONOR.plural: len(self.donors),
            RecordKind.AGREEMENT.plural: len(self.agreements),
            RecordKind.REPORT.plural: sum(len(r) for r in self.reports.values()),
            RecordKind.RULE.plural: len(self.rules),
        }
