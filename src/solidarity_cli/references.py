"""Cross-record checks: every id a record names exists, and ids inside a record are unique."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator

from solidarity_cli.dataset import Dataset
from solidarity_cli.diagnostics import Diagnostic, KeyPath, Location, Severity
from solidarity_cli.layout import RecordKind

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


def _suggest(value: str, known: Iterable[str], where: str) -> str:
    close = difflib.get_close_matches(value, sorted(known), n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    return f"check the spelling, or add the record in {where}"


class _References:
    def __init__(self, ds: Dataset) -> None:
        self.ds = ds
        vocab = ds.vocabularies.get(DIMENSIONS)
        self.dimensions = vocab.term_ids() if vocab is not None else None

    def record(
        self, kind: RecordKind, path: str, key: KeyPath, value: str | None
    ) -> Iterator[Diagnostic]:
        if value is None:
            return
        table = self.ds.table(kind)
        if value not in table and (kind, value) not in self.ds.broken:
            yield _finding(
                "RF001",
                "unknown-reference",
                path,
                key,
                f"{kind.value} '{value}' does not exist",
                _suggest(value, table, kind.where),
            )

    def dimension(self, path: str, key: KeyPath, value: str) -> Iterator[Diagnostic]:
        if self.dimensions is None:
            yield _finding(
                "RF003",
                "unknown-term",
                path,
                key,
                f"dimension '{value}' cannot be checked: there is no dimensions vocabulary",
                "add data/vocabularies/dimensions.yaml with the network's well-being dimensions",
            )
        elif value not in self.dimensions:
            yield _finding(
                "RF003",
                "unknown-term",
                path,
                key,
                f"'{value}' is not a term of the dimensions vocabulary",
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
                f"two {what} use the id '{value}'",
                f"give each of the {what} its own id",
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
            path, ((("terms", i, "id"), t.id) for i, t in enumerate(vocab.terms)), "terms"
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
                    f"platform '{pid}' is its own ancestor: " + " -> ".join(_chain(ds, pid)),
                    "roll-ups go from platform to federation: break the loop of parents",
                )
            )
        if platform.parent == pid:
            out.append(
                _finding(
                    "RF004",
                    "self-reference",
                    path,
                    ("parent",),
                    "a platform cannot be its own parent",
                    "name the platform or federation above this one, or remove 'parent'",
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
            path, ((("needs", i, "id"), n.id) for i, n in enumerate(strategy.needs)), "needs"
        )
        out += _duplicates(
            path,
            ((("objectives", i, "id"), o.id) for i, o in enumerate(strategy.objectives)),
            "objectives",
        )
    for did, donor in ds.donors.items():
        path = ds.path_of(RecordKind.DONOR, did)
        for i, dim in enumerate(donor.preferences.dimensions):
            out += ref.dimension(path, ("preferences", "dimensions", i), dim)
        out += _duplicates(
            path,
            ((("conditions", i, "id"), c.id) for i, c in enumerate(donor.conditions)),
            "conditions",
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
                        f"agreement '{aid}' does not exist: the report's folder has no "
                        "agreement.yaml",
                        f"add data/partnerships/{aid}/agreement.yaml, or move the report",
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
                f"strategy '{agreement.strategy}' belongs to community '{owner}', "
                f"not to '{agreement.community}'",
                f"name a strategy of '{agreement.community}' "
                f"(see data/communities/{agreement.community}/strategies/)",
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
                    f"need '{need_ref}' names strategy '{strategy_id}', which does not exist",
                    _suggest(strategy_id, ds.strategies, RecordKind.STRATEGY.where),
                )
            )
        elif strategy.need(need_id) is None:
            out.append(
                _finding(
                    "RF002",
                    "unknown-need",
                    path,
                    ("needs", i),
                    f"strategy '{strategy_id}' has no need '{need_id}'",
                    _suggest(
                        need_id,
                        (n.id for n in strategy.needs),
                        ds.path_of(RecordKind.STRATEGY, strategy_id),
                    ),
                )
            )
    out += _duplicates(
        path, ((("needs", i), n) for i, n in enumerate(agreement.needs)), "entries of needs"
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
        path, ((("results", i, "id"), r.id) for i, r in enumerate(agreement.results)), "results"
    )
    for i, result in enumerate(agreement.results):
        out += _duplicates(
            path,
            (
                (("results", i, "indicators", j, "id"), ind.id)
                for j, ind in enumerate(result.indicators)
            ),
            "indicators of a result",
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
