"""Rules on the identification of needs."""

from __future__ import annotations

from collections.abc import Iterator

from solidarity_cli.diagnostics import Severity
from solidarity_cli.models.rule import Family
from solidarity_cli.models.strategy import Need, NeedKind, NeedStatus, Strategy
from solidarity_cli.money import fmt
from solidarity_cli.reading.layout import RecordKind
from solidarity_cli.rules import paths
from solidarity_cli.rules.base import DELETE, Example, Finding, NoOptions, Reads, Rule, RuleContext
from solidarity_cli.words import M_, N_


def _needs(ctx: RuleContext) -> list[tuple[str, Strategy, int, Need]]:
    """Every open need with its file, strategy and place (listed once per run)."""
    return ctx.shared("open needs", lambda: list(_open_needs(ctx)))


def _open_needs(ctx: RuleContext) -> Iterator[tuple[str, Strategy, int, Need]]:
    strategy: Strategy
    for path, strategy in ctx.with_files(RecordKind.STRATEGY):
        for i, need in enumerate(strategy.needs):
            if need.status is NeedStatus.OPEN:
                yield path, strategy, i, need


class NeedCosted(Rule[NoOptions]):
    code = "ND001"
    reads = Reads.OWN_RECORD
    name = "need-costed"
    family = Family.NEEDS
    severity = Severity.ERROR
    summary = N_("A financial or material need has an estimated cost above zero.")
    rationale = N_(
        "Donors and the matcher compare what is asked with what they can give; a cost of zero "
        "hides the size of the need."
    )
    failing = Example(
        N_("A financial need costed at 0."),
        edits={paths.STRATEGY: {"needs[0].estimated_cost.amount": 0}},
    )
    passing = Example(N_("The cistern is costed at 1,500,000 CVE."))

    def check(self, ctx: RuleContext, options: NoOptions) -> Iterator[Finding]:
        for path, _, i, need in _needs(ctx):
            money_kinds = (NeedKind.FINANCIAL, NeedKind.MATERIAL)
            if need.kind in money_kinds and need.estimated_cost and need.estimated_cost.amount <= 0:
                yield Finding(
                    path,
                    ("needs", i, "estimated_cost", "amount"),
                    M_("need '{need}' is costed at 0", need=need.id),
                    M_(
                        "write the estimated cost agreed in the assembly, in the currency it was "
                        "estimated in"
                    ),
                )


class OwnContributionRecorded(Rule[NoOptions]):
    code = "ND002"
    reads = Reads.OWN_RECORD
    name = "own-contribution-recorded"
    family = Family.NEEDS
    severity = Severity.WARNING
    summary = N_("A costed need records what the community contributes itself.")
    rationale = N_(
        "Solidarity supports what a community does, it does not replace it: the community's own "
        "share (cash, labour, materials valued in money) is part of every need."
    )
    failing = Example(
        N_("The cistern's own contribution is not recorded."),
        edits={paths.STRATEGY: {"needs[0].own_contribution": DELETE}},
    )
    passing = Example(N_("The community contributes 300,000 CVE to the cistern."))

    def check(self, ctx: RuleContext, options: NoOptions) -> Iterator[Finding]:
        for path, _, i, need in _needs(ctx):
            if need.estimated_cost is not None and need.own_contribution is None:
                yield Finding(
                    path,
                    ("needs", i),
                    M_(
                        "need '{need}' does not record the community's own contribution",
                        need=need.id,
                    ),
                    M_(
                        "add own_contribution (amount, currency, value_date): labour and materials "
                        "count, valued in money; write amount: 0 if there is none"
                    ),
                )


class OwnContributionWithinCost(Rule[NoOptions]):
    code = "ND003"
    reads = Reads.OWN_RECORD
    name = "own-contribution-within-cost"
    family = Family.NEEDS
    severity = Severity.ERROR
    summary = N_("The community's own contribution is not larger than the need's cost.")
    rationale = N_(
        "A contribution above the cost is a typing mistake or a need that is already met."
    )
    failing = Example(
        N_("Own contribution above the cost."),
        edits={paths.STRATEGY: {"needs[0].own_contribution.amount": 2000000}},
    )
    passing = Example(N_("300,000 CVE of 1,500,000 CVE."))

    def check(self, ctx: RuleContext, options: NoOptions) -> Iterator[Finding]:
        for path, _, i, need in _needs(ctx):
            cost, own = need.estimated_cost, need.own_contribution
            if cost is not None and own is not None and own.amount > cost.amount:
                yield Finding(
                    path,
                    ("needs", i, "own_contribution", "amount"),
                    M_(
                        "need '{need}': own contribution {own} is above the estimated cost {cost}",
                        need=need.id,
                        own=fmt(own.amount, own.currency),
                        cost=fmt(cost.amount, cost.currency),
                    ),
                    M_("check both amounts; if the community can cover it all, mark the need met"),
                )


class NeedInSector(Rule[NoOptions]):
    code = "ND004"
    reads = Reads.OWN_RECORD
    name = "need-in-sector"
    family = Family.NEEDS
    severity = Severity.INFO
    summary = N_("A need is classified by at least one IATI sector (DAC 5-digit code or SDG).")
    rationale = N_(
        "Sectors let donors find needs they can support and make IATI and 360Giving exports "
        "faithful; the dimension stays the community's own classification."
    )
    failing = Example(
        N_("The cistern has no sector."), edits={paths.STRATEGY: {"needs[0].sectors": DELETE}}
    )
    passing = Example(N_("The cistern is DAC 14030, basic drinking water supply."))

    def check(self, ctx: RuleContext, options: NoOptions) -> Iterator[Finding]:
        for path, _, i, need in _needs(ctx):
            if not need.sectors:
                written = "sectors" in need.model_fields_set
                yield Finding(
                    path,
                    ("needs", i, "sectors") if written else ("needs", i),
                    M_("need '{need}' has no sector", need=need.id),
                    M_(
                        "add sectors: [{vocabulary: dac-5, code: '14030'}] or an SDG target, "
                        "e.g. {vocabulary: sdg-target, code: '6.1'}"
                    ),
                    anchor="key",
                )


class TimeframeInPeriod(Rule[NoOptions]):
    code = "ND005"
    reads = Reads.OWN_RECORD
    name = "timeframe-in-period"
    family = Family.NEEDS
    severity = Severity.WARNING
    summary = N_("A need's timeframe lies inside the period of its strategy.")
    rationale = N_(
        "A need belongs to the strategy the community adopted for a period; a timeframe beyond "
        "it was not part of that decision."
    )
    failing = Example(
        N_("The cistern is planned until 2030, the strategy ends in 2028."),
        edits={paths.STRATEGY: {"needs[0].timeframe.end": "2030-06-30"}},
    )
    passing = Example(N_("The cistern is planned for 2025-2026."))

    def check(self, ctx: RuleContext, options: NoOptions) -> Iterator[Finding]:
        for path, strategy, i, need in _needs(ctx):
            frame, period = need.timeframe, strategy.period
            if frame is None:
                continue
            for field, day in (("start", frame.start), ("end", frame.end)):
                if day is not None and not period.contains(day):
                    yield Finding(
                        path,
                        ("needs", i, "timeframe", field),
                        M_(
                            "need '{need}' starts on {day}, outside the strategy's period "
                            "{start} to {end}",
                            need=need.id,
                            day=day,
                            start=period.start,
                            end=period.end,
                        )
                        if field == "start"
                        else M_(
                            "need '{need}' ends on {day}, outside the strategy's period "
                            "{start} to {end}",
                            need=need.id,
                            day=day,
                            start=period.start,
                            end=period.end,
                        ),
                        M_(
                            "keep the timeframe inside the strategy, or move the need to the "
                            "strategy of that period"
                        ),
                    )


class BeneficiariesStated(Rule[NoOptions]):
    code = "ND006"
    reads = Reads.OWN_RECORD
    name = "beneficiaries-stated"
    family = Family.NEEDS
    severity = Severity.INFO
    summary = N_("A need says how many people benefit when it is met.")
    rationale = N_("Reports roll up who is reached; the count comes from the community itself.")
    failing = Example(
        N_("No beneficiaries."), edits={paths.STRATEGY: {"needs[0].beneficiaries": DELETE}}
    )
    passing = Example(N_("420 people benefit from the cistern."))

    def check(self, ctx: RuleContext, options: NoOptions) -> Iterator[Finding]:
        for path, _, i, need in _needs(ctx):
            if need.beneficiaries is None:
                yield Finding(
                    path,
                    ("needs", i),
                    M_("need '{need}' does not say who benefits", need=need.id),
                    M_("add beneficiaries: {count: N, description: {pt: ...}}"),
                )


class TimeframeStated(Rule[NoOptions]):
    code = "ND007"
    reads = Reads.OWN_RECORD
    name = "timeframe-stated"
    family = Family.NEEDS
    severity = Severity.INFO
    summary = N_("A need says by when it should be met.")
    rationale = N_("Urgency comes from the community's own timeframe, not from a donor's calendar.")
    failing = Example(N_("No timeframe."), edits={paths.STRATEGY: {"needs[1].timeframe": DELETE}})
    passing = Example(N_("The school garden is planned for 2025."))

    def check(self, ctx: RuleContext, options: NoOptions) -> Iterator[Finding]:
        for path, _, i, need in _needs(ctx):
            if need.timeframe is None:
                yield Finding(
                    path,
                    ("needs", i),
                    M_("need '{need}' has no timeframe", need=need.id),
                    M_("add timeframe: {start: YYYY-MM-DD, end: YYYY-MM-DD}"),
                )


RULES: tuple[type[Rule[NoOptions]], ...] = (
    NeedCosted,
    OwnContributionRecorded,
    OwnContributionWithinCost,
    NeedInSector,
    TimeframeInPeriod,
    BeneficiariesStated,
    TimeframeStated,
)
