"""A report's scope: the part of the network one community, platform, donor or partnership sees.

The scope is cut from the dataset before any view is built, so that every total, chart, map,
obligation and finding of a scoped report is computed from the scoped records alone.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TypeVar

from solidarity_cli.checking import CheckReport
from solidarity_cli.dataset import Dataset
from solidarity_cli.errors import UsageError
from solidarity_cli.reading.layout import RecordKind
from solidarity_cli.words import M_, did_you_mean

T = TypeVar("T")


@dataclass(frozen=True)
class Scope:
    """What a scoped report covers."""

    kind: RecordKind
    id: str


_SCOPED = (RecordKind.COMMUNITY, RecordKind.PLATFORM, RecordKind.DONOR, RecordKind.AGREEMENT)


def find_scope(ds: Dataset, name: str) -> Scope:
    """The record ``name`` refers to; a clear error when none or several do."""
    tables: dict[RecordKind, Mapping[str, object]] = {
        RecordKind.COMMUNITY: ds.communities,
        RecordKind.PLATFORM: ds.platforms,
        RecordKind.DONOR: ds.donors,
        RecordKind.AGREEMENT: ds.agreements,
    }
    if not any(name in table for table in tables.values()):
        for kind in _SCOPED:
            if (kind, name) in ds.broken:
                raise UsageError(
                    M_("the file of '{name}' cannot be read", name=name),
                    hint=M_("run solidarity check, fix what it says, then report again"),
                )
    found = [Scope(kind, name) for kind, table in tables.items() if name in table]
    # An anonymous donor is never offered by its id: the reports name it by no id at all.
    hidden = {did for did, donor in ds.donors.items() if donor.is_anonymous}
    known = [ident for table in tables.values() for ident in table if ident not in hidden]
    return the_one(name, found, known)


def the_one(name: str, found: list[T], known: Iterable[str] = ()) -> T:
    """The single record a scope ``name`` found; a clear error when none or several (with the
    closest of the ``known`` ids, when one is close)."""
    if not found:
        raise UsageError(
            M_("there is no community, platform, donor or partnership called '{name}'", name=name),
            hint=did_you_mean(
                name,
                known,
                M_("give an id from data/ (anonymous donors cannot be reported on by name)"),
            ),
        )
    if len(found) > 1:
        raise UsageError(
            M_("'{name}' names records of several kinds", name=name),
            hint=M_("rename one of them"),
        )
    return found[0]


def platforms_below(ds: Dataset, platform: str) -> set[str]:
    """A platform and every platform under it."""
    below = {platform}
    changed = True
    while changed:
        changed = False
        for pid, p in ds.platforms.items():
            if p.parent in below and pid not in below:
                below.add(pid)
                changed = True
    return below


def _with_parents(ds: Dataset, platforms: set[str]) -> set[str]:
    """Platforms and every platform above them, so that roll-up links resolve."""
    out = set()
    for pid in platforms:
        seen = pid
        while seen in ds.platforms and seen not in out:
            out.add(seen)
            seen = ds.platforms[seen].parent or ""
    return out


def cut(report: CheckReport, scope: Scope) -> CheckReport:
    """The check report restricted to the records in ``scope`` (and its findings on them)."""
    ds = report.dataset
    agreements: set[str]
    platforms: set[str] = set()
    if scope.kind is RecordKind.COMMUNITY:
        communities = {scope.id}
        agreements = {a for a, x in ds.agreements.items() if x.community == scope.id}
    elif scope.kind is RecordKind.PLATFORM:
        platforms = platforms_below(ds, scope.id)
        communities = {c for c, x in ds.communities.items() if set(x.platforms) & platforms}
        agreements = {a for a, x in ds.agreements.items() if x.community in communities}
    elif scope.kind is RecordKind.DONOR:
        agreements = {a for a, x in ds.agreements.items() if x.donor == scope.id}
        communities = {ds.agreements[a].community for a in agreements}
    else:
        agreements = {scope.id}
        communities = {ds.agreements[scope.id].community}
    communities &= set(ds.communities)
    donors = {ds.agreements[a].donor for a in agreements} & set(ds.donors)
    if scope.kind is RecordKind.DONOR:
        donors.add(scope.id)
    for cid in communities:
        platforms |= set(ds.communities[cid].platforms)
    platforms = _with_parents(ds, platforms)
    strategies = {s for s, owner in ds.strategy_owner.items() if owner in communities}
    keep = {
        RecordKind.COMMUNITY: communities,
        RecordKind.STRATEGY: strategies,
        RecordKind.PLATFORM: platforms,
        RecordKind.DONOR: donors,
        RecordKind.AGREEMENT: agreements,
    }
    part = dataclasses.replace(
        ds,
        platforms={k: v for k, v in ds.platforms.items() if k in platforms},
        communities={k: v for k, v in ds.communities.items() if k in communities},
        strategies={k: v for k, v in ds.strategies.items() if k in strategies},
        donors={k: v for k, v in ds.donors.items() if k in donors},
        agreements={k: v for k, v in ds.agreements.items() if k in agreements},
        reports={k: v for k, v in ds.reports.items() if k in agreements},
        strategy_owner={k: v for k, v in ds.strategy_owner.items() if k in strategies},
        _by_community=None,
        _indexed=-1,
    )
    files = {
        path
        for (kind, key), path in ds.paths.items()
        if key in keep.get(kind, ())
        or (kind is RecordKind.REPORT and key.partition("/")[0] in agreements)
    }
    findings = [d for d in report.diagnostics if d.path in files]
    return CheckReport(part, findings, report.as_of)
