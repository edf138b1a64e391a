"""View models: everything a report shows, computed and formatted here; templates only lay out.

Personal data never reaches a view: fields a community keeps private are left out, and
anonymous donors appear under a neutral label and an id that does not reveal them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal

from solidarity_cli import __version__
from solidarity_cli.checking import CheckReport
from solidarity_cli.commitments import binding, required, shares
from solidarity_cli.dataset import Dataset
from solidarity_cli.diagnostics import Diagnostic, Severity
from solidarity_cli.gitrepo import data_commit
from solidarity_cli.models import Agreement, Report
from solidarity_cli.models.agreement import AgreementStatus, TransactionType
from solidarity_cli.models.community import PrivateField
from solidarity_cli.models.strategy import Need, NeedKind, NeedStatus, Strategy, StrategyStatus
from solidarity_cli.money import Converter, MissingRate
from solidarity_cli.reporting import charts
from solidarity_cli.reporting.i18n import Locale
from solidarity_cli.reporting.scope import platforms_below
from solidarity_cli.rules.monitoring import next_report_due
from solidarity_cli.standards import subdivision_name
from solidarity_cli.tranches import timing
from solidarity_cli.words import say

BINDING = frozenset(
    {
        AgreementStatus.SIGNED,
        AgreementStatus.ACTIVE,
        AgreementStatus.SUSPENDED,
        AgreementStatus.COMPLETED,
        AgreementStatus.TERMINATED,
    }
)
MONEY_NEEDS = frozenset({NeedKind.FINANCIAL, NeedKind.MATERIAL})


@dataclass(frozen=True)
class Text:
    """Record text in the reader's language, or visibly in another one."""

    value: str
    language: str
    fallback: bool


@dataclass(frozen=True)
class Link:
    """A labelled link to another page of the site (path relative to the site root)."""

    label: str
    page: str


@dataclass(frozen=True)
class Stamp:
    """What a report was made from."""

    commit: str
    as_of: str
    """The day the report judges dates by, written the reader's way."""
    rules: str
    language: str


@dataclass(frozen=True)
class Row:
    """A generic labelled value."""

    label: str
    value: str


@dataclass
class NeedView:
    ref: str
    title: Text
    description: Text | None
    dimension: str
    kind: str
    priority: int
    status: str
    asked: str
    covered: str
    coverage: float
    supporters: list[Link]
    dead_end: bool


@dataclass
class IndicatorView:
    agreement: Link
    result: Text
    title: Text
    baseline: str
    target: str
    actual: str
    chart: str
    reported: bool


@dataclass
class ObligationView:
    """Something due: a report from a community or a tranche from a donor."""

    kind: str
    who: str
    agreement: Link
    due: str
    due_date: dt.date
    overdue: bool
    calculation: str


@dataclass
class TraceAgreement:
    """One partnership supporting a need, with what measures its results."""

    link: Link
    status: str
    indicators: list[IndicatorView]
    no_indicator: bool
    """A dead end: a binding partnership with no indicator to measure it by."""


@dataclass
class TraceNeed:
    """One need of a strategy, followed through to the reports."""

    title: Text
    status: str
    agreements: list[TraceAgreement]
    dead_end: bool
    """An open need no partnership supports yet."""


@dataclass
class AgreementView:
    id: str
    page: str
    title: Text
    community: Link
    donor: Link
    status: str
    dates: list[Row]
    decisions: list[Row]
    conditions: list[Row]
    needs: list[Link]
    money: list[Row]
    chart: str
    indicators: list[IndicatorView]
    reports: list[Row]
    timeline: str
    description: Text | None


@dataclass
class CommunityView:
    id: str
    page: str
    name: str
    kind: str
    place: str
    languages: str
    association: list[Row]
    strategy_title: Text | None
    strategy_rows: list[Row]
    criteria: list[tuple[Text, str]]
    objectives: list[Text]
    needs: list[NeedView]
    agreements: list[Link]
    indicators: list[IndicatorView]
    gave_forward: list[Row]
    platforms: list[Link]
    coverage: float
    coverage_text: str
    description: Text | None
    lat: float | None
    lon: float | None
    country: str
    trace: list[TraceNeed] = field(default_factory=list)
    """Strategy -> need -> partnership -> indicator -> report, with dead ends marked."""


@dataclass
class DonorView:
    id: str
    page: str
    name: str
    kind: str
    country: str
    committed: str
    disbursed: str
    agreements: list[Link]
    indicators: list[IndicatorView]
    obligations: list[ObligationView]
    description: Text | None


@dataclass
class PlatformView:
    id: str
    page: str
    name: Text
    kind: str
    scope: str
    parent: Link | None
    members: list[Row]
    communities: list[Link]
    totals: list[Row]
    chart: str
    not_reached: list[Link]


@dataclass
class FindingView:
    severity: str
    code: str
    where: str
    message: str
    hint: str


@dataclass
class SiteView:
    """The whole network, as the site and the Markdown report show it."""

    title: Text
    stamp: Stamp
    base_currency: str
    totals: list[Row]
    by_dimension: list[Row]
    by_status: list[Row]
    money_chart: str
    reached: list[Link]
    not_reached: list[Link]
    platforms: list[PlatformView]
    communities: list[CommunityView]
    donors: list[DonorView]
    agreements: list[AgreementView]
    obligations: list[ObligationView]
    findings: list[FindingView]
    findings_summary: str
    scope: str = ""
    """What a scoped report covers ("Community: Cruzinha"); empty for the whole network."""
    dimension_chart: str = ""
    """Needs by dimension as bars (supported of all), beside the table of ``by_dimension``."""
    status_chart: str = ""
    """Needs by status as bars, beside the table of ``by_status``."""
    history: bool = False
    """Whether the site has a page of the network over time (``report --history``)."""


def donor_page(ds: Dataset, donor_id: str) -> str:
    """A donor's page; an anonymous donor's is named by a hash, never by its id."""
    donor = ds.donors.get(donor_id)
    if donor is not None and donor.is_anonymous:
        digest = hashlib.sha256(donor_id.encode()).hexdigest()[:10]
        return f"donors/anonymous-{digest}.html"
    return f"donors/{donor_id}.html"


class _Builder:
    def __init__(self, ds: Dataset, report: CheckReport, locale: Locale, as_of: dt.date) -> None:
        self.ds, self.report, self.loc, self.as_of = ds, report, locale, as_of
        self.conv = Converter(ds.settings)
        self._ = locale.gettext
        self.by_donor: dict[str, list[str]] = defaultdict(list)
        self.by_community: dict[str, list[str]] = defaultdict(list)
        for aid, agreement in sorted(ds.agreements.items()):
            self.by_donor[agreement.donor].append(aid)
            self.by_community[agreement.community].append(aid)
        self._indicators: dict[str, list[IndicatorView]] = {}
        # Indexes built once, so that no page scans the whole network.
        self.by_platform: dict[str, list[str]] = defaultdict(list)
        for cid, community in ds.communities.items():
            for pid in community.platforms:
                self.by_platform[pid].append(cid)
        self.supported = {a.community for a in ds.agreements.values() if a.status in BINDING}
        self._disbursements: dict[str, list[int]] | None = None
        # What several pages ask of the same record, computed once: an agreement's sums feed
        # the coverage, its page, its donor's page and the totals; its link and its reports
        # appear on the community's, the donor's and the trace's pages.
        self._sums: dict[str, dict[TransactionType, Decimal]] = {}
        self._links: dict[str, Link] = {}
        self._reports: dict[str, list[Report]] = {}
        self._needs: dict[str, Need] = {}
        for sid, strategy in ds.strategies.items():
            for need in strategy.needs:
                self._needs.setdefault(f"{sid}/{need.id}", need)
        self._dimensions: dict[str, str] = {}
        self._traces: dict[str, TraceAgreement] = {}

    # -- helpers -------------------------------------------------------------------------
    def text(self, texts: dict[str, str] | None) -> Text | None:
        if not texts:
            return None
        value, language = self.loc.text(texts)
        return Text(value, language, language != self.loc.language)

    def must_text(self, texts: dict[str, str]) -> Text:
        found = self.text(texts)
        assert found is not None
        return found

    def base(self, amounts: list[tuple[Decimal, str, dt.date | None]]) -> Decimal:
        total = Decimal(0)
        for amount, currency, day in amounts:
            try:
                total += amount / self.conv.units_per_base(currency, day or self.as_of)
            except MissingRate:
                continue
        return total

    def flow_bars(self, planned: Decimal, sums: dict[TransactionType, Decimal]) -> list[charts.Bar]:
        """Each stage of the money against the one before: budget, committed, disbursed, spent."""
        stages = [
            (label, sums[kind])
            for label, kind in (
                (self._("Committed"), TransactionType.COMMITMENT),
                (self._("Disbursed"), TransactionType.DISBURSEMENT),
                (self._("Spent"), TransactionType.EXPENDITURE),
            )
        ]
        before = [planned, *(value for _, value in stages[:-1])]
        return [
            charts.Bar(label, float(prior), float(value), self.money(prior), self.money(value))
            for (label, value), prior in zip(stages, before, strict=True)
        ]

    def dimension(self, term: str) -> str:
        """A dimension's label from the network's own vocabulary, in the reader's language."""
        if term not in self._dimensions:
            self._dimensions[term] = self._dimension(term)
        return self._dimensions[term]

    def _dimension(self, term: str) -> str:
        vocabulary = self.ds.vocabularies.get("dimensions")
        for t in vocabulary.terms if vocabulary is not None else ():
            if t.id == term:
                return self.must_text(t.label).value
        return term

    def money(self, value: Decimal) -> str:
        return self.loc.money(value, self.conv.base)

    def donor_page(self, donor_id: str) -> str:
        return donor_page(self.ds, donor_id)

    def donor_name(self, donor_id: str) -> str:
        donor = self.ds.donors.get(donor_id)
        if donor is None:
            return donor_id
        if donor.is_anonymous:
            return donor.pseudonym or self._("Anonymous donor")
        return donor.name or donor_id

    def donor_link(self, donor_id: str) -> Link:
        return Link(self.donor_name(donor_id), self.donor_page(donor_id))

    def community_link(self, cid: str) -> Link:
        community = self.ds.communities.get(cid)
        return Link(community.name if community else cid, f"communities/{cid}.html")

    def agreement_link(self, aid: str) -> Link:
        link = self._links.get(aid)
        if link is None:
            agreement = self.ds.agreements[aid]
            link = Link(self.must_text(agreement.title).value, f"agreements/{aid}.html")
            self._links[aid] = link
        return link

    def reports_of(self, aid: str) -> list[Report]:
        """An agreement's reports by id (the dataset sorts them on every call)."""
        reports = self._reports.get(aid)
        if reports is None:
            reports = self._reports[aid] = self.ds.reports_of(aid)
        return reports

    def need(self, ref: str) -> Need | None:
        """The need named by ``<strategy-id>/<need-id>`` (as ``Dataset.need``, from an index)."""
        return self._needs.get(ref)

    def sums(self, agreement: Agreement) -> dict[TransactionType, Decimal]:
        """The agreement's transactions in the base currency, by type (0 for a type it lacks)."""
        known = self._sums.get(agreement.id)
        if known is not None:
            return defaultdict(Decimal, known)
        out: dict[TransactionType, Decimal] = defaultdict(Decimal)
        for t in agreement.transactions:
            out[t.type] += self.base([(t.value.amount, t.value.currency, t.value.value_date)])
        self._sums[agreement.id] = dict(out)
        return out

    # -- needs and coverage --------------------------------------------------------------
    def need_coverage(self) -> dict[str, tuple[Decimal, Decimal, list[str]]]:
        """Per need ref: (asked in base, covered in base or 1/0 for needs met whole, agreements)."""
        committed: dict[str, Decimal] = defaultdict(Decimal)
        supporters: dict[str, list[str]] = defaultdict(list)
        for aid, agreement in sorted(self.ds.agreements.items()):
            if agreement.status not in BINDING:
                continue
            amount = self.sums(agreement)[binding(agreement)]
            for ref in agreement.needs:
                supporters[ref].append(aid)
            for ref, share in shares(self.ds, self.conv, agreement, self.as_of).items():
                committed[ref] += amount * share
        out = {}
        for sid, strategy in self.ds.strategies.items():
            for need in strategy.needs:
                ref = f"{sid}/{need.id}"
                out[ref] = (
                    self.asked(ref),
                    committed.get(ref, Decimal(0)),
                    supporters.get(ref, []),
                )
        return out

    def asked(self, ref: str) -> Decimal:
        """What a need still requires from donors, in the base currency (0 when unknown)."""
        need = self.need(ref)
        found = None if need is None else required(need, self.conv, self.as_of)
        return found if found is not None else Decimal(0)

    @staticmethod
    def share(need: Need, asked: Decimal, covered: Decimal, supporters: list[str]) -> float:
        if need.status is NeedStatus.MET:
            return 1.0
        if need.kind in MONEY_NEEDS and asked > 0:
            return float(min(Decimal(1), covered / asked))
        return 1.0 if supporters else 0.0

    # -- views ---------------------------------------------------------------------------
    def indicators(self, aid: str) -> list[IndicatorView]:
        if aid not in self._indicators:
            self._indicators[aid] = self._build_indicators(aid)
        return self._indicators[aid]

    def _build_indicators(self, aid: str) -> list[IndicatorView]:
        agreement = self.ds.agreements[aid]
        values: dict[tuple[str, str], list[tuple[dt.date, Decimal]]] = defaultdict(list)
        for report in self.reports_of(aid):
            for v in report.indicator_values:
                values[(v.result, v.indicator)].append((v.period.end, v.value))
        out = []
        for result in agreement.results:
            for ind in result.indicators:
                target = next(
                    (p.target for p in reversed(ind.periods) if p.target is not None), None
                )
                actual_period = next(
                    (p.actual for p in reversed(ind.periods) if p.actual is not None), None
                )
                reported = sorted(values.get((result.id, ind.id), []))
                actual = reported[-1][1] if reported else actual_period
                baseline = (
                    ind.baseline.value if ind.baseline and ind.baseline.value is not None else None
                )
                label = self.must_text(ind.title).value
                year = ind.baseline.year if ind.baseline else ""
                chart = ""
                if baseline is not None and target is not None:
                    chart = charts.progress(
                        float(baseline),
                        float(target),
                        None if actual is None else float(actual),
                        label=label,
                    )
                out.append(
                    IndicatorView(
                        self.agreement_link(aid),
                        self.must_text(result.title),
                        self.must_text(ind.title),
                        "" if baseline is None else f"{self.loc.number(baseline, 0)} ({year})",
                        "" if target is None else self.loc.number(target, 0),
                        "" if actual is None else self.loc.number(actual, 0),
                        chart,
                        bool(reported),
                    )
                )
        return out

    def obligations(self) -> list[ObligationView]:
        out = []
        for aid, agreement in sorted(self.ds.agreements.items()):
            link = self.agreement_link(aid)
            community = self.community_link(agreement.community).label
            if agreement.status in (AgreementStatus.ACTIVE, AgreementStatus.SUSPENDED):
                due = next_report_due(agreement, self.reports_of(aid))
                if due is not None:
                    _, deadline, how = due
                    out.append(
                        ObligationView(
                            self._("report"),
                            community,
                            link,
                            self.loc.date(deadline),
                            deadline,
                            deadline < self.as_of,
                            say(how, self._),
                        )
                    )
            if agreement.status in (AgreementStatus.SIGNED, AgreementStatus.ACTIVE):
                paid = sum(
                    (
                        t.value.amount
                        for t in agreement.transactions
                        if t.type is TransactionType.DISBURSEMENT and t.date <= self.as_of
                    ),
                    Decimal(0),
                )
                owed = Decimal(0)
                reports = self.reports_of(aid)
                timed = []
                for t in agreement.transactions:
                    if t.type is not TransactionType.COMMITMENT or t.due is None:
                        continue
                    when = timing(t, reports, self.as_of)
                    if when.held is not None:
                        # Not owed while it waits: shown as held, with what it waits for.
                        out.append(
                            ObligationView(
                                self._("disbursement"),
                                self.donor_name(agreement.donor),
                                link,
                                self._("held"),
                                t.due,
                                False,
                                say(when.held, self._),
                            )
                        )
                        continue
                    assert when.due is not None
                    timed.append((when.due, t))
                for falls, t in sorted(timed, key=lambda x: x[0]):
                    owed += t.value.amount
                    if owed > paid:
                        how = self._(
                            "commitments due by {day}: {owed}; disbursed by {as_of}: {paid}"
                        ).format(
                            day=falls.isoformat(),
                            owed=self.loc.money(owed, t.value.currency),
                            as_of=self.as_of.isoformat(),
                            paid=self.loc.money(paid, t.value.currency),
                        )
                        out.append(
                            ObligationView(
                                self._("disbursement"),
                                self.donor_name(agreement.donor),
                                link,
                                self.loc.date(falls),
                                falls,
                                falls < self.as_of,
                                how,
                            )
                        )
                        break
        return sorted(out, key=lambda o: (o.due_date, o.agreement.page, o.kind))

    def agreement(self, aid: str) -> AgreementView:
        a = self.ds.agreements[aid]
        sums = self.sums(a)
        planned = self.base(
            [(b.value.amount, b.value.currency, b.value.value_date) for b in a.budget]
        )
        _ = self._
        money = [
            Row(_("Planned (budget)"), self.money(planned)),
            Row(_("Committed"), self.money(sums[TransactionType.COMMITMENT])),
            Row(_("Disbursed"), self.money(sums[TransactionType.DISBURSEMENT])),
            Row(_("Spent"), self.money(sums[TransactionType.EXPENDITURE])),
        ]
        reports = self.reports_of(aid)
        events = [(r.submitted.on, f"{r.id} ({r.kind.value})", True) for r in reports]
        if a.status in (AgreementStatus.ACTIVE, AgreementStatus.SUSPENDED):
            due = next_report_due(a, reports)
            if due is not None:
                events.append((due[1], _("next report due"), False))
        dates = [
            Row(_(label), self.loc.date(day))
            for label, day in (
                ("Planned start", a.dates.planned_start),
                ("Planned end", a.dates.planned_end),
                ("Signed", a.dates.signed),
                ("Started", a.dates.actual_start),
                ("Ended", a.dates.actual_end),
            )
            if day is not None
        ]
        decisions = [
            Row(f"{self.loc.date(d.date)} · {d.body}", _(d.outcome.value)) for d in a.decisions
        ]
        conditions = []
        for c in a.conditions:
            state = (
                _("accepted by the community")
                if c.accepted
                else (
                    _("refused by the community")
                    if c.accepted is False
                    else _("awaiting the community's decision")
                )
            )
            conditions.append(Row(f"{_(c.type.value)}: {self.must_text(c.text).value}", state))
        return AgreementView(
            aid,
            f"agreements/{aid}.html",
            self.must_text(a.title),
            self.community_link(a.community),
            self.donor_link(a.donor),
            _(a.status.value),
            dates,
            decisions,
            conditions,
            [
                Link(
                    self.need_title(ref),
                    f"communities/{a.community}.html#need-{ref.partition('/')[2]}",
                )
                for ref in a.needs
            ],
            money,
            charts.planned_actual(
                self.flow_bars(planned, sums),
                title=_("Money planned and actual"),
                planned=_("planned"),
                actual=_("actual"),
                numbers=_("The numbers of this chart"),
            ),
            self.indicators(aid),
            [
                Row(
                    f"{self.loc.date(r.submitted.on)} · {_(r.kind.value)}",
                    self.must_text(r.narrative).value if r.narrative else "",
                )
                for r in reports
            ],
            charts.timeline(events, title=_("Reports")),
            self.text(a.description),
        )

    def need_title(self, ref: str) -> str:
        """A need's title in the reader's language; its reference when it cannot be found."""
        need = self.need(ref)
        return self.must_text(need.title).value if need is not None else ref

    def current_strategy(self, cid: str) -> Strategy | None:
        """The community's adopted (or under revision) strategy that starts last."""
        strategies = [
            s
            for s in self.ds.strategies_of(cid)
            if s.status in (StrategyStatus.ADOPTED, StrategyStatus.UNDER_REVISION)
        ]
        return max(strategies, key=lambda s: s.period.start) if strategies else None

    def coverage_of(
        self, strategy: Strategy, coverage: dict[str, tuple[Decimal, Decimal, list[str]]]
    ) -> float:
        """The mean share covered of a strategy's needs that are not withdrawn (0 if none)."""
        shares = [
            self.share(need, *coverage[f"{strategy.id}/{need.id}"])
            for need in strategy.needs
            if need.status is not NeedStatus.WITHDRAWN
        ]
        return sum(shares) / len(shares) if shares else 0.0

    def community(
        self, cid: str, coverage: dict[str, tuple[Decimal, Decimal, list[str]]]
    ) -> CommunityView:
        c = self.ds.communities[cid]
        _ = self._
        private = set(c.private)
        strategy = self.current_strategy(cid)
        needs: list[NeedView] = []
        trace: list[TraceNeed] = []
        if strategy is not None:
            for need in sorted(strategy.needs, key=lambda n: (n.priority, n.id)):
                ref = f"{strategy.id}/{need.id}"
                asked, covered, supporters = coverage[ref]
                dead_end = not supporters and need.status is NeedStatus.OPEN
                share = self.share(need, asked, covered, supporters)
                needs.append(
                    NeedView(
                        ref,
                        self.must_text(need.title),
                        self.text(need.description),
                        self.dimension(need.dimension),
                        _(need.kind.value),
                        need.priority,
                        _(need.status.value),
                        self.money(asked)
                        if need.kind in MONEY_NEEDS
                        else (f"{need.days} " + _("days") if need.days else ""),
                        self.money(min(covered, asked)) if need.kind in MONEY_NEEDS else "",
                        share,
                        [self.agreement_link(a) for a in supporters],
                        dead_end,
                    )
                )
                trace.append(
                    TraceNeed(
                        self.must_text(need.title),
                        _(need.status.value),
                        [self.trace_agreement(a) for a in supporters],
                        dead_end,
                    )
                )
        agreements = self.by_community.get(cid, [])
        association: list[Row] = []
        if PrivateField.ASSOCIATION not in private:
            association = [
                Row(_("Association"), c.association.name),
                Row(_("Legal form"), c.association.legal_form),
                Row(_("Decides through"), c.association.governance.decision_body),
            ]
        strategy_rows: list[Row] = []
        if strategy is not None:
            start, end = strategy.period.start, strategy.period.end
            strategy_rows.append(
                Row(
                    _("Period"),
                    f"{self.loc.date(start)} - {self.loc.date(end)}",
                )
            )
            if strategy.adoption is not None:
                who = strategy.adoption.body
                if strategy.adoption.participants is not None:
                    who += " · " + self.loc.ngettext(
                        "{n} participant", "{n} participants", strategy.adoption.participants.count
                    ).format(n=strategy.adoption.participants.count)
                strategy_rows.append(
                    Row(
                        _("Adopted by the community"),
                        f"{self.loc.date(strategy.adoption.date)} · {who}",
                    )
                )
        gave = []
        for aid in agreements:
            for r in self.reports_of(aid):
                for g in r.gave_forward:
                    to = (
                        self.community_link(g.to_community).label
                        if g.to_community
                        else (g.to or "")
                    )
                    gave.append(
                        Row(f"{self.loc.date(g.date)} → {to}", self.must_text(g.what).value)
                    )
        place = ", ".join(x for x in (c.island, subdivision_name(c.subdivision), c.country) if x)
        location = None if PrivateField.LOCATION in private else c.location
        coverage_value = self.coverage_of(strategy, coverage) if strategy is not None else 0.0
        return CommunityView(
            cid,
            f"communities/{cid}.html",
            c.name,
            _(c.kind.value),
            place,
            ", ".join(c.languages),
            association,
            self.text(strategy.title) if strategy else None,
            strategy_rows,
            [
                (self.must_text(k.text), self.dimension(k.dimension))
                for k in (strategy.wellbeing_criteria if strategy else [])
            ],
            [self.must_text(o.text) for o in (strategy.objectives if strategy else [])],
            needs,
            [self.agreement_link(a) for a in agreements],
            [i for a in agreements for i in self.indicators(a)],
            gave,
            [
                Link(self.must_text(self.ds.platforms[p].name).value, f"platforms/{p}.html")
                for p in c.platforms
                if p in self.ds.platforms
            ],
            coverage_value,
            self.loc.percent(coverage_value),
            self.text(c.description),
            location.lat if location else None,
            location.lon if location else None,
            c.country,
            trace,
        )

    def trace_agreement(self, aid: str) -> TraceAgreement:
        """One partnership in the trace; the same one for every need it supports."""
        trace = self._traces.get(aid)
        if trace is None:
            indicators = self.indicators(aid)
            trace = self._traces[aid] = TraceAgreement(
                self.agreement_link(aid),
                self._(self.ds.agreements[aid].status.value),
                indicators,
                not indicators,
            )
        return trace

    def donor(self, did: str, obligations: list[ObligationView]) -> DonorView:
        d = self.ds.donors[did]
        agreements = self.by_donor.get(did, [])
        committed = disbursed = Decimal(0)
        for aid in agreements:
            if self.ds.agreements[aid].status in BINDING:
                sums = self.sums(self.ds.agreements[aid])
                committed += sums[TransactionType.COMMITMENT]
                disbursed += sums[TransactionType.DISBURSEMENT]
        page = self.donor_page(did)
        if self._disbursements is None:  # the disbursements due, by agreement page, once
            disbursement = self._("disbursement")
            self._disbursements = defaultdict(list)
            for i, o in enumerate(obligations):
                if o.kind == disbursement:
                    self._disbursements[o.agreement.page].append(i)
        due = self._disbursements
        mine = [
            obligations[i]
            for i in sorted({i for a in agreements for i in due.get(f"agreements/{a}.html", ())})
        ]
        return DonorView(
            did if not d.is_anonymous else page.rpartition("/")[2].removesuffix(".html"),
            page,
            self.donor_name(did),
            self._(d.kind.value),
            d.country,
            self.money(committed),
            self.money(disbursed),
            [self.agreement_link(a) for a in agreements],
            [i for a in agreements for i in self.indicators(a)],
            mine,
            None if d.is_anonymous else self.text(d.description),
        )

    def platform(
        self,
        pid: str,
        coverage: dict[str, tuple[Decimal, Decimal, list[str]]],
    ) -> PlatformView:
        p = self.ds.platforms[pid]
        _ = self._
        members = self.platform_communities(pid)
        asked = covered = Decimal(0)
        for cid in members:
            for s in self.ds.strategies_of(cid):
                for n in s.needs:
                    a, c, _s = coverage[f"{s.id}/{n.id}"]
                    asked += a
                    covered += min(a, c)
        reached = [self.community_link(c) for c in members if c in self.supported]
        not_reached = [self.community_link(c) for c in members if c not in self.supported]
        totals = [
            Row(_("Communities"), self.loc.number(len(members))),
            Row(_("Communities reached"), self.loc.number(len(reached))),
            Row(_("Money asked"), self.money(asked)),
            Row(_("Money committed"), self.money(covered)),
        ]
        bar = [
            charts.Bar(
                _("Needs"), float(asked), float(covered), self.money(asked), self.money(covered)
            )
        ]
        parent = (
            Link(
                self.must_text(self.ds.platforms[p.parent].name).value, f"platforms/{p.parent}.html"
            )
            if p.parent in self.ds.platforms
            else None
        )
        return PlatformView(
            pid,
            f"platforms/{pid}.html",
            self.must_text(p.name),
            _(p.kind.value),
            ", ".join([p.scope.country, *p.scope.subdivisions]),
            parent,
            [Row(m.name, _(m.sector.value) if m.sector else _("platform")) for m in p.members],
            [self.community_link(c) for c in members],
            totals,
            charts.planned_actual(
                bar,
                title=_("Money asked and committed"),
                planned=_("asked"),
                actual=_("committed"),
                numbers=_("The numbers of this chart"),
            ),
            not_reached,
        )

    def platform_communities(self, pid: str) -> list[str]:
        """Communities of a platform and of the platforms below it (roll-up)."""
        below = platforms_below(self.ds, pid)
        return sorted({cid for p in below for cid in self.by_platform.get(p, ())})


def with_findings(site: SiteView, diagnostics: list[Diagnostic]) -> SiteView:
    """``site`` listing ``diagnostics`` as its findings (views built before the check ended)."""
    findings, summary = _findings(diagnostics, Locale(site.stamp.language))
    return replace(site, findings=findings, findings_summary=summary)


def _findings(diagnostics: list[Diagnostic], loc: Locale) -> tuple[list[FindingView], str]:
    """The findings as the site lists them, and the line that counts them."""
    _ = loc.gettext
    findings = [
        FindingView(
            _(d.severity.value),
            d.code,
            d.location.where(),
            say(d.message, _),
            say(d.hint, _),
        )
        for d in diagnostics
    ]
    counts = {s: sum(1 for d in diagnostics if d.severity is s) for s in Severity}
    summary = _("{errors} errors, {warnings} warnings, {infos} notes").format(
        errors=counts[Severity.ERROR],
        warnings=counts[Severity.WARNING],
        infos=counts[Severity.INFO],
    )
    return findings, summary


def build_site(
    ds: Dataset,
    report: CheckReport,
    language: str,
    as_of: dt.date,
    scope: str = "",
    *,
    commit: Callable[[], str] | None = None,
) -> SiteView:
    """Every view of the network (or of the part ``scope`` names), in ``language``;
    ``commit`` says the data's commit where it was asked of git earlier (``data_commit_later``).
    """
    loc = Locale(language)
    b = _Builder(ds, report, loc, as_of)
    _ = loc.gettext
    coverage = b.need_coverage()
    communities = {cid: b.community(cid, coverage) for cid in sorted(ds.communities)}
    obligations = b.obligations()
    donors = [b.donor(did, obligations) for did in sorted(ds.donors)]
    donors.sort(key=lambda d: (d.name.casefold(), d.page))
    platforms = [b.platform(pid, coverage) for pid in sorted(ds.platforms)]
    agreements = [b.agreement(aid) for aid in sorted(ds.agreements)]
    binding = [a for a in ds.agreements.values() if a.status in BINDING]
    reached = {a.community for a in binding if a.community in communities}
    reached_ids = sorted(reached)
    asked = sum((v[0] for v in coverage.values()), Decimal(0))
    sums: dict[TransactionType, Decimal] = defaultdict(Decimal)
    planned = Decimal(0)
    for a in binding:
        for kind, value in b.sums(a).items():
            sums[kind] += value
        planned += b.base(
            [(x.value.amount, x.value.currency, x.value.value_date) for x in a.budget]
        )
    by_dimension: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    by_status: dict[str, int] = defaultdict(int)
    for ref, (_asked, _covered, supporters) in coverage.items():
        need = b.need(ref)
        assert need is not None
        by_dimension[need.dimension][0] += 1
        by_dimension[need.dimension][1] += 1 if supporters else 0
        state = (
            need.status.value
            if need.status is not NeedStatus.OPEN
            else ("supported" if supporters else "open")
        )
        by_status[state] += 1
    findings, findings_summary = _findings(report.diagnostics, loc)
    rules_digest = hashlib.sha256(
        "".join(
            f"{r.code}{r.governance.status.value}"
            for r in sorted(ds.rules.values(), key=lambda r: r.code)
        ).encode()
    ).hexdigest()[:8]
    settings_name = ds.settings.name if ds.settings is not None else {"en": "solidarity"}
    return SiteView(
        b.must_text(settings_name),
        Stamp(
            data_commit(ds.root) if commit is None else commit(),
            loc.date(as_of),
            f"{__version__}+{rules_digest}",
            language,
        ),
        b.conv.base,
        [
            Row(_("Communities"), loc.number(len(communities))),
            Row(_("Communities reached by a partnership"), loc.number(len(reached_ids))),
            Row(_("Money asked (after the communities' own contribution)"), b.money(asked)),
            Row(_("Committed"), b.money(sums[TransactionType.COMMITMENT])),
            Row(_("Disbursed"), b.money(sums[TransactionType.DISBURSEMENT])),
            Row(_("Spent"), b.money(sums[TransactionType.EXPENDITURE])),
        ],
        [
            Row(
                b.dimension(dim),
                _("{supported} of {total} needs supported").format(supported=v[1], total=v[0]),
            )
            for dim, v in sorted(by_dimension.items())
        ],
        [Row(_(state), loc.number(n)) for state, n in sorted(by_status.items())],
        charts.planned_actual(
            b.flow_bars(planned, sums),
            title=_("Money planned and actual"),
            planned=_("planned"),
            actual=_("actual"),
            numbers=_("The numbers of this chart"),
        ),
        [b.community_link(c) for c in reached_ids],
        [b.community_link(c) for c in communities if c not in reached],
        platforms,
        list(communities.values()),
        donors,
        agreements,
        obligations,
        findings,
        findings_summary,
        scope,
        charts.counts(
            [
                (
                    b.dimension(dim),
                    v[1],
                    _("{supported} of {total} needs supported").format(supported=v[1], total=v[0]),
                )
                for dim, v in sorted(by_dimension.items())
            ],
            title=_("Needs by dimension"),
        ),
        charts.counts(
            [(_(state), n, loc.number(n)) for state, n in sorted(by_status.items())],
            title=_("Needs by status"),
        ),
    )


def community_coverage(ds: Dataset, as_of: dt.date) -> dict[str, float | None]:
    """Per community, the share of its current strategy's needs covered, as the social map
    shows it; ``None`` when that strategy has no needs (or there is none)."""
    b = _Builder(ds, CheckReport(ds, [], as_of), Locale("en"), as_of)
    coverage = b.need_coverage()
    out: dict[str, float | None] = {}
    for cid in sorted(ds.communities):
        strategy = b.current_strategy(cid)
        out[cid] = b.coverage_of(strategy, coverage) if strategy and strategy.needs else None
    return out
