"""Rules on the elaboration of collective strategies."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from solidarity_cli.diagnostics import Severity
from solidarity_cli.models.rule import Family
from solidarity_cli.models.strategy import NeedStatus, Strategy, StrategyStatus
from solidarity_cli.reading.layout import RecordKind
from solidarity_cli.rules import paths
from solidarity_cli.rules.base import DELETE, Example, Finding, NoOptions, Reads, Rule, RuleContext
from solidarity_cli.words import M_, N_

IN_FORCE = (StrategyStatus.ADOPTED, StrategyStatus.UNDER_REVISION)


def _strategies(ctx: RuleContext) -> list[tuple[str, Strategy]]:
    """Every strategy with its file (listed once per run)."""
    return ctx.with_files(RecordKind.STRATEGY)


class AdoptionComplete(Rule[NoOptions]):
    code = "ST001"
    reads = Reads.OWN_RECORD
    name = "adoption-complete"
    family = Family.STRATEGIES
    severity = Severity.ERROR
    summary = N_(
        "An adopted strategy records who adopted it, when, how many took part, and the minutes."
    )
    rationale = N_(
        "The strategy is the community's own agenda only if its adoption can be shown: the body "
        "that decided, the date, the people present and the minutes anyone can read."
    )
    failing = Example(
        N_("The adoption has no minutes."), edits={paths.STRATEGY: {"adoption.minutes": DELETE}}
    )
    passing = Example(N_("The example strategy records body, date, participants and minutes."))

    def check(self, ctx: RuleContext, options: NoOptions) -> Iterator[Finding]:
        for path, strategy in _strategies(ctx):
            adoption = strategy.adoption
            if strategy.status not in IN_FORCE or adoption is None:
                continue
            missing = [
                name
                for name, value in (
                    ("participants", adoption.participants),
                    ("minutes", adoption.minutes),
                )
                if value is None
            ]
            if missing:
                yield Finding(
                    path,
                    ("adoption",),
                    M_(
                        "the adoption of strategy '{strategy}' does not record its participants",
                        strategy=strategy.id,
                    )
                    if missing == ["participants"]
                    else M_(
                        "the adoption of strategy '{strategy}' does not record its minutes",
                        strategy=strategy.id,
                    )
                    if missing == ["minutes"]
                    else M_(
                        "the adoption of strategy '{strategy}' does not record its "
                        "participants or minutes",
                        strategy=strategy.id,
                    ),
                    M_(
                        "add under adoption: participants (count, women, youth) and minutes "
                        "(title and url or path of the minutes)"
                    ),
                    anchor="key",
                )


class AdoptedByOwnBody(Rule[NoOptions]):
    code = "ST002"
    name = "adopted-by-own-body"
    family = Family.STRATEGIES
    severity = Severity.WARNING
    summary = N_("A strategy is adopted by the body the community's association decides through.")
    rationale = N_(
        "Support must never impose an external framework: a strategy adopted by anyone other "
        "than the community's own decision body (for instance a donor or a consultant) is not "
        "the community's agenda."
    )
    failing = Example(
        N_("The strategy says a foundation adopted it."),
        edits={paths.STRATEGY: {"adoption.body": "Fundação Mar Aberto"}},
    )
    passing = Example(N_("Adopted by the Assembleia Geral, the association's decision body."))

    def check(self, ctx: RuleContext, options: NoOptions) -> Iterator[Finding]:
        for path, strategy in _strategies(ctx):
            community = ctx.dataset.communities.get(ctx.dataset.strategy_owner[strategy.id])
            if strategy.adoption is None or community is None:
                continue
            own = community.association.governance.decision_body
            if strategy.adoption.body.casefold().strip() != own.casefold().strip():
                yield Finding(
                    path,
                    ("adoption", "body"),
                    M_(
                        "strategy '{strategy}' was adopted by '{body}', not by the community's "
                        "own decision body '{own}'",
                        strategy=strategy.id,
                        body=strategy.adoption.body,
                        own=own,
                    ),
                    M_(
                        "record the adoption by the community's decision body, or correct "
                        "association.governance.decision_body in community.yaml"
                    ),
                )


class AdoptionNotInFuture(Rule[NoOptions]):
    code = "ST003"
    reads = Reads.OWN_RECORD
    name = "adoption-not-in-future"
    family = Family.STRATEGIES
    severity = Severity.ERROR
    summary = N_("A strategy cannot be recorded as adopted on a date that has not come yet.")
    rationale = N_("A decision the community has not taken yet must not be presented as taken.")
    failing = Example(
        N_("Adoption dated in the future."), edits={paths.STRATEGY: {"adoption.date": "2030-01-01"}}
    )
    passing = Example(N_("Adopted on 2024-11-30, before the day of the check."))

    def check(self, ctx: RuleContext, options: NoOptions) -> Iterator[Finding]:
        for path, strategy in _strategies(ctx):
            if strategy.adoption is not None and strategy.adoption.date > ctx.as_of:
                yield Finding(
                    path,
                    ("adoption", "date"),
                    M_(
                        "the adoption is dated {date}, after {today}",
                        date=strategy.adoption.date,
                        today=ctx.as_of,
                    ),
                    M_("keep status: draft until the assembly has met, then record the real date"),
                )


class PeriodsDoNotOverlap(Rule[NoOptions]):
    code = "ST004"
    name = "periods-do-not-overlap"
    family = Family.STRATEGIES
    severity = Severity.ERROR
    summary = N_("Two strategies in force for one community do not cover the same days.")
    rationale = N_(
        "A community has one agenda at a time; two adopted strategies for the same days leave "
        "donors and platforms unsure which priorities hold."
    )
    failing = Example(
        N_("A second adopted strategy overlaps 2025-2028."),
        files={
            "data/communities/cruzinha/strategies/cruzinha-2027-2030.yaml": (
                "id: cruzinha-2027-2030\n"
                "title: {pt: Estratégia 2027-2030}\n"
                "period: {start: 2027-01-01, end: 2030-12-31}\n"
                "status: adopted\n"
                "adoption: {body: Assembleia Geral, date: 2025-06-01}\n"
            )
        },
    )
    passing = Example(
        N_("The earlier strategy is archived when the next one is adopted."),
        files={
            "data/communities/cruzinha/strategies/cruzinha-2021-2024.yaml": (
                "id: cruzinha-2021-2024\n"
                "title: {pt: Estratégia 2021-2024}\n"
                "period: {start: 2021-01-01, end: 2024-12-31}\n"
                "status: archived\n"
            )
        },
    )

    def check(self, ctx: RuleContext, options: NoOptions) -> Iterator[Finding]:
        for community in ctx.dataset.communities:
            in_force = [s for s in ctx.dataset.strategies_of(community) if s.status in IN_FORCE]
            for first, second in itertools.combinations(in_force, 2):
                if (
                    first.period.start <= second.period.end
                    and second.period.start <= first.period.end
                ):
                    yield Finding(
                        ctx.path(RecordKind.STRATEGY, second.id),
                        ("period",),
                        M_(
                            "strategies '{first}' and '{second}' are both in force and their "
                            "periods overlap",
                            first=first.id,
                            second=second.id,
                        ),
                        M_("archive '{first}', or shorten one of the two periods", first=first.id),
                    )


class PrioritiesUnique(Rule[NoOptions]):
    code = "ST005"
    reads = Reads.OWN_RECORD
    name = "priorities-unique"
    family = Family.STRATEGIES
    severity = Severity.ERROR
    summary = N_("Each need of a strategy has its own priority rank.")
    rationale = N_(
        "The community's own order of priorities is what matching respects first; two needs "
        "with the same rank leave that choice to someone else."
    )
    failing = Example(
        N_("Two needs share priority 1."), edits={paths.STRATEGY: {"needs[1].priority": 1}}
    )
    passing = Example(N_("Priorities 1 and 2."))

    def check(self, ctx: RuleContext, options: NoOptions) -> Iterator[Finding]:
        for path, strategy in _strategies(ctx):
            seen: dict[int, str] = {}
            for i, need in enumerate(strategy.needs):
                if need.status is not NeedStatus.OPEN:
                    continue
                if need.priority in seen:
                    yield Finding(
                        path,
                        ("needs", i, "priority"),
                        M_(
                            "needs '{first}' and '{second}' both have priority {priority}",
                            first=seen[need.priority],
                            second=need.id,
                            priority=need.priority,
                        ),
                        M_("give each open need its own rank, as the community ordered them"),
                    )
                else:
                    seen[need.priority] = need.id


class CurrentStrategy(Rule[NoOptions]):
    code = "ST006"
    name = "current-strategy"
    family = Family.STRATEGIES
    severity = Severity.WARNING
    summary = N_("A community with open needs has an adopted strategy in force today.")
    rationale = N_(
        "Needs are only proposed to donors from a strategy the community has adopted for the "
        "current period; an expired strategy means its priorities may have changed."
    )
    failing = Example(
        N_("The only strategy ended before the day of the check."),
        edits={
            paths.STRATEGY: {
                "period.end": "2025-06-30",
                "needs[0].timeframe.end": "2025-06-30",
                "needs[1].timeframe.end": "2025-06-30",
            }
        },
    )
    passing = Example(N_("The 2025-2028 strategy is in force on 2025-09-15."))

    def check(self, ctx: RuleContext, options: NoOptions) -> Iterator[Finding]:
        ds = ctx.dataset
        for cid in ds.communities:
            strategies = ds.strategies_of(cid)
            has_open = any(n.status is NeedStatus.OPEN for s in strategies for n in s.needs)
            current = any(s.status in IN_FORCE and s.period.contains(ctx.as_of) for s in strategies)
            if has_open and not current:
                yield Finding(
                    ds.path_of(RecordKind.COMMUNITY, cid),
                    ("id",),
                    M_(
                        "community '{community}' has open needs but no adopted strategy in force "
                        "on {day}",
                        community=cid,
                        day=ctx.as_of,
                    ),
                    M_(
                        "adopt a new strategy in the general assembly and record it under "
                        "data/communities/{community}/strategies/",
                        community=cid,
                    ),
                )


class WellbeingCriteria(Rule[NoOptions]):
    code = "ST007"
    reads = Reads.OWN_RECORD
    name = "wellbeing-criteria"
    family = Family.STRATEGIES
    severity = Severity.WARNING
    summary = N_("An adopted strategy says, in the community's own words, what well-being means.")
    rationale = N_(
        "Results are judged against the community's own idea of well-being, not an imported "
        "one; the criteria are what monitoring and evaluation come back to."
    )
    failing = Example(
        N_("No well-being criteria."), edits={paths.STRATEGY: {"wellbeing_criteria": DELETE}}
    )
    passing = Example(N_("One criterion in Kabuverdianu, classified as water."))

    def check(self, ctx: RuleContext, options: NoOptions) -> Iterator[Finding]:
        for path, strategy in _strategies(ctx):
            if strategy.status in IN_FORCE and not strategy.wellbeing_criteria:
                written = "wellbeing_criteria" in strategy.model_fields_set
                yield Finding(
                    path,
                    ("wellbeing_criteria",) if written else ("id",),
                    M_("strategy '{strategy}' states no well-being criteria", strategy=strategy.id),
                    M_(
                        "add wellbeing_criteria: what a good life means here, in the words used "
                        "in the assembly, each with a dimension"
                    ),
                    anchor="key" if written else "value",
                )


class InCommunityLanguage(Rule[NoOptions]):
    code = "ST008"
    name = "in-community-language"
    family = Family.STRATEGIES
    severity = Severity.WARNING
    summary = N_(
        "A strategy's title and needs are written in at least one of the community's languages."
    )
    rationale = N_(
        "A strategy written only in a donor's language cannot be read, discussed and owned by "
        "the people it belongs to."
    )
    failing = Example(
        N_("The title is only in English."),
        edits={paths.STRATEGY: {"title": {"en": "Collective strategy 2025-2028"}}},
    )
    passing = Example(N_("Title and needs in Portuguese, a language of the community."))

    def check(self, ctx: RuleContext, options: NoOptions) -> Iterator[Finding]:
        for path, strategy in _strategies(ctx):
            community = ctx.dataset.communities.get(ctx.dataset.strategy_owner[strategy.id])
            if community is None:
                continue
            own = {lang.split("-")[0] for lang in community.languages}
            texts = [(("title",), strategy.title)] + [
                (("needs", i, "title"), need.title) for i, need in enumerate(strategy.needs)
            ]
            for key, text in texts:
                if not own & {lang.split("-")[0] for lang in text}:
                    yield Finding(
                        path,
                        key,
                        M_(
                            "this text is only in {languages}, none of the community's "
                            "languages ({own})",
                            languages=", ".join(sorted(text)),
                            own=", ".join(community.languages),
                        ),
                        M_("add the text in {language}", language=community.languages[0]),
                    )


RULES: tuple[type[Rule[NoOptions]], ...] = (
    AdoptionComplete,
    AdoptedByOwnBody,
    AdoptionNotInFuture,
    PeriodsDoNotOverlap,
    PrioritiesUnique,
    CurrentStrategy,
    WellbeingCriteria,
    InCommunityLanguage,
)
