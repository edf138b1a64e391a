"""Cross-record checks: every id a record names exists, and ids inside a record are unique."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from solidarity_cli.dataset import Dataset
from solidarity_cli.diagnostics import Diagnostic, KeyPath, Location, Severity
from solidarity_cli.reading.layout import RecordKind
from solidarity_cli.words import M_, Words, did_you_mean

DIMENSIONS = "dimensions"


def _finding(code: str, rule: str, path: str, key: KeyPath, message: str, hint: str) -> Diagnostic:
    return Diagnostic(
        code=code,
        severity=Severity.ERROR,
        message=message,
        hint=hint,
        rule=rule,
        location=Location(path, 0, 0, key),
    )


def _suggest(value: str, known: Iterable[str], where: str) -> Words:
    return did_you_mean(
        value, known, M_("check the spelling, or add the record in {where}", where=where)
    )


def _does_not_exist(kind: RecordKind, value: str) -> Words:
    """The message for a reference to a record that is not there, one sentence per kind."""
    if kind is RecordKind.PLATFORM:
        return M_("platform '{platform}' does not exist", platform=value)
    if kind is RecordKind.COMMUNITY:
        return M_("community '{community}' does not exist", community=value)
    if kind is RecordKind.STRATEGY:
        return M_("strategy '{strategy}' does not exist", strategy=value)
    if kind is RecordKind.DONOR:
        return M_("donor '{donor}' does not exist", donor=value)
    return M_("{kind} '{record}' does not exist", kind=kind.value, record=value)


class _References:
    def __init__(self, ds: Dataset) -> None:
        self.ds = ds
        vocab = ds.vocabularies.get(DIMENSIONS)
        self.dimensions = vocab.term_ids() if vocab is not None else None
        self.tables: dict[RecordKind, dict[str, Any]] = {}

    def record(
        self, kind: RecordKind, path: str, key: KeyPath, value: str | None
    ) -> list[Diagnostic]:
        if value is None:
            return []
        table = self.tables.get(kind)
        if table is None:
            table = self.tables[kind] = self.ds.table(kind)
        if value in table or (kind, value) in self.ds.broken:
            return []
        return [
            _finding(
                "RF001",
                "unknown-reference",
                path,
                key,
                _does_not_exist(kind, value),
                _suggest(value, table, kind.where),
            )
        ]

    def dimension(self, path: str, key: KeyPath, value: str) -> Iterator[Diagnostic]:
        if self.dimensions is None:
            yield _finding(
                "RF003",
                "unknown-term",
                path,
                key,
                M_(
                    "dimension '{dimension}' cannot be checked: there is no dimensions vocabulary",
                    dimension=value,
                ),
                M_(
                    "add data/vocabularies/dimensions.yaml with the network's well-being dimensions"
                ),
            )
        elif value not in self.dimensions:
            yield _finding(
                "RF003",
                "unknown-term",
                path,
                key,
                M_("'{term}' is not a term of the dimensions vocabulary", term=value),
                _suggest(value, self.dimensions, "data/vocabularies/dimensions.yaml"),
            )


def _duplicates(path: str, items: Iterable[tuple[KeyPath, str]], what: str) -> Iterator[Diagnostic]:
    seen: dict[str, KeyPath] = {}
    for key, value in items:
        if value in seen:
            yield _finding(
                "LY003",
                "duplicate-id",
                path,
                key,
                M_("two {what} use the id '{id}'", what=what, id=value),
                M_("give each of the {what} its own id", what=what),
            )
        else:
            seen[value] = key


def check_references(ds: Dataset) -> list[Diagnostic]:
    """Every reference between records, and ids that must be unique inside a record."""
    ref = _References(ds)
    out: list[Diagnostic] = []
    for vid, vocab in ds.vocabularies.items():
        path = ds.path_of(RecordKind.VOCABULARY, vid)
        out += _duplicates(
            path, ((("terms", i, "id"), t.id) for i, t in enumerate(vocab.terms)), M_("terms")
        )
    for pid, platform in ds.platforms.items():
        path = ds.path_of(RecordKind.PLATFORM, pid)
        out += ref.record(RecordKind.PLATFORM, path, ("parent",), platform.parent)
        if platform.parent is not None and platform.parent != pid and _in_cycle(ds, pid):
            out.append(
                _finding(
                    "RF004",
                    "self-reference",
                    path,
                    ("parent",),
                    M_(
                        "platform '{platform}' is its own ancestor: {chain}",
                        platform=pid,
                        chain=" -> ".join(_chain(ds, pid)),
                    ),
                    M_("roll-ups go from platform to federation: break the loop of parents"),
                )
            )
        if platform.parent == pid:
            out.append(
                _finding(
                    "RF004",
                    "self-reference",
                    path,
                    ("parent",),
                    M_("a platform cannot be its own parent"),
                    M_("name the platform or federation above this one, or remove 'parent'"),
                )
            )
        for i, member in enumerate(platform.members):
            out += ref.record(
                RecordKind.COMMUNITY, path, ("members", i, "community"), member.community
            )
            out += ref.record(
                RecordKind.PLATFORM, path, ("members", i, "platform"), member.platform
            )
    for cid, community in ds.communities.items():
        path = ds.path_of(RecordKind.COMMUNITY, cid)
        for i, platform_id in enumerate(community.platforms):
            out += ref.record(RecordKind.PLATFORM, path, ("platforms", i), platform_id)
    for sid, strategy in ds.strategies.items():
        path = ds.path_of(RecordKind.STRATEGY, sid)
        for i, criterion in enumerate(strategy.wellbeing_criteria):
            out += ref.dimension(path, ("wellbeing_criteria", i, "dimension"), criterion.dimension)
        for i, need in enumerate(strategy.needs):
            out += ref.dimension(path, ("needs", i, "dimension"), need.dimension)
        out += _duplicates(
            path, ((("needs", i, "id"), n.id) for i, n in enumerate(strategy.needs)), M_("needs")
        )
        out += _duplicates(
            path,
            ((("objectives", i, "id"), o.id) for i, o in enumerate(strategy.objectives)),
            M_("objectives"),
        )
    for did, donor in ds.donors.items():
        path = ds.path_of(RecordKind.DONOR, did)
        for i, dim in enumerate(donor.preferences.dimensions):
            out += ref.dimension(path, ("preferences", "dimensions", i), dim)
        out += _duplicates(
            path,
            ((("conditions", i, "id"), c.id) for i, c in enumerate(donor.conditions)),
            M_("conditions"),
        )
    for aid in ds.agreements:
        out += _agreement_references(ds, ref, aid)
    for aid, reports in ds.reports.items():
        for rid, report in reports.items():
            path = ds.path_of(RecordKind.REPORT, f"{aid}/{rid}")
            if aid not in ds.agreements and (RecordKind.AGREEMENT, aid) not in ds.broken:
                out.append(
                    _finding(
                        "RF001",
                        "unknown-reference",
                        path,
                        ("partnership",),
                        M_(
                            "agreement '{agreement}' does not exist: the report's folder has no "
                            "agreement.yaml",
                            agreement=aid,
                        ),
                        M_(
                            "add data/partnerships/{agreement}/agreement.yaml, or move the report",
                            agreement=aid,
                        ),
                    )
                )
            for i, gift in enumerate(report.gave_forward):
                out += ref.record(
                    RecordKind.COMMUNITY,
                    path,
                    ("gave_forward", i, "to_community"),
                    gift.to_community,
                )
    return out


def _agreement_references(ds: Dataset, ref: _References, aid: str) -> list[Diagnostic]:
    agreement = ds.agreements[aid]
    path = ds.path_of(RecordKind.AGREEMENT, aid)
    out = list(ref.record(RecordKind.COMMUNITY, path, ("community",), agreement.community))
    out += ref.record(RecordKind.STRATEGY, path, ("strategy",), agreement.strategy)
    out += ref.record(RecordKind.DONOR, path, ("donor",), agreement.donor)
    owner = ds.strategy_owner.get(agreement.strategy)
    if owner is not None and agreement.community in ds.communities and owner != agreement.community:
        out.append(
            _finding(
                "RF005",
                "foreign-strategy",
                path,
                ("strategy",),
                M_(
                    "strategy '{strategy}' belongs to community '{owner}', not to '{community}'",
                    strategy=agreement.strategy,
                    owner=owner,
                    community=agreement.community,
                ),
                M_(
                    "name a strategy of '{community}' "
                    "(see data/communities/{community}/strategies/)",
                    community=agreement.community,
                ),
            )
        )
    for i, need_ref in enumerate(agreement.needs):
        strategy_id, _, need_id = need_ref.partition("/")
        strategy = ds.strategies.get(strategy_id)
        if (RecordKind.STRATEGY, strategy_id) in ds.broken:
            continue
        if strategy is None:
            out.append(
                _finding(
                    "RF002",
                    "unknown-need",
                    path,
                    ("needs", i),
                    M_(
                        "need '{need}' names strategy '{strategy}', which does not exist",
                        need=need_ref,
                        strategy=strategy_id,
                    ),
                    _suggest(strategy_id, ds.strategies, RecordKind.STRATEGY.where),
                )
            )
        elif strategy.need(need_id) is None and not _left_out(ds, strategy_id, need_id):
            out.append(
                _finding(
                    "RF002",
                    "unknown-need",
                    path,
                    ("needs", i),
                    M_(
                        "strategy '{strategy}' has no need '{need}'",
                        strategy=strategy_id,
                        need=need_id,
                    ),
                    _suggest(
                        need_id,
                        (n.id for n in strategy.needs),
                        ds.path_of(RecordKind.STRATEGY, strategy_id),
                    ),
                )
            )
    out += _duplicates(
        path, ((("needs", i), n) for i, n in enumerate(agreement.needs)), M_("entries of needs")
    )
    for i, participant in enumerate(agreement.participants):
        out += ref.record(RecordKind.DONOR, path, ("participants", i, "donor"), participant.donor)
        out += ref.record(
            RecordKind.COMMUNITY, path, ("participants", i, "community"), participant.community
        )
    for i, condition in enumerate(agreement.conditions):
        out += ref.record(
            RecordKind.DONOR, path, ("conditions", i, "proposed_by"), condition.proposed_by
        )
    out += _duplicates(
        path,
        ((("results", i, "id"), r.id) for i, r in enumerate(agreement.results)),
        M_("results"),
    )
    for i, result in enumerate(agreement.results):
        out += _duplicates(
            path,
            (
                (("results", i, "indicators", j, "id"), ind.id)
                for j, ind in enumerate(result.indicators)
            ),
            M_("indicators of a result"),
        )
    return out


def _chain(ds: Dataset, start: str) -> list[str]:
    """``start``, its parent, the parent's parent ... until a repeat or the top."""
    chain, current = [start], ds.platforms[start].parent
    while current is not None and current in ds.platforms and current not in chain:
        chain.append(current)
        current = ds.platforms[current].parent
    return [*chain, current] if current in chain else chain


def _in_cycle(ds: Dataset, start: str) -> bool:
    chain = _chain(ds, start)
    return len(chain) > 1 and chain[-1] == start


def _left_out(ds: Dataset, strategy_id: str, need_id: str) -> bool:
    """Whether the need was left out of its strategy for a schema error (already reported)."""
    path = ds.paths.get((RecordKind.STRATEGY, strategy_id))
    incomplete = ds.incomplete.get(path) if path is not None else None
    return incomplete is not None and need_id in incomplete.ids
