"""``match``: from the dataset to proposals, as one library call."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from functools import partial
from typing import Any

import numpy as np
import numpy.typing as npt

from solidarity_cli.beside import beside
from solidarity_cli.dataset import Dataset
from solidarity_cli.matching.alone import tighter
from solidarity_cli.matching.assignment import solve_whole
from solidarity_cli.matching.batches import Group, admit_group, support_kinds
from solidarity_cli.matching.eligibility import (
    Exclusion,
    History,
    Reach,
    Verdict,
    judge,
    stated_preferences,
)
from solidarity_cli.matching.exact import MOST_ARCS, solve_steps
from solidarity_cli.matching.index import DonorIndex
from solidarity_cli.matching.pairs import KINDS, NO_KIND, PairBuilder, PairTable, as_index
from solidarity_cli.matching.polish import polish
from solidarity_cli.matching.problem import (
    CENT,
    SUPPORT_FOR,
    DonorSupply,
    OpenNeed,
    cents,
    committed_by_need,
    donor_supply,
    open_needs,
)
from solidarity_cli.matching.relax import MOST_RELAXED_ARCS, Relaxation, around, relax
from solidarity_cli.matching.result import DonorLeft, MatchResult, Proposal, Unmet
from solidarity_cli.matching.scoring import Base, Score, need_base
from solidarity_cli.matching.solver import (
    WEIGHT_SCALE,
    Arc,
    Arcs,
    Solution,
    give_back_free_memory,
    greedy_money,
    solve_money,
)
from solidarity_cli.matching.steps import (
    Limits,
    StepScale,
    limits,
    settle,
    step_of,
    to_steps,
    trim,
    usable,
)
from solidarity_cli.models.base import SLUG_PATTERN
from solidarity_cli.models.donor import SupportKind
from solidarity_cli.models.settings import MatchSettings
from solidarity_cli.money import Converter
from solidarity_cli.reading.layout import RecordKind
from solidarity_cli.reading.loader import collector_paused
from solidarity_cli.words import M_, N_, Words, joined, ngettext

#: Records a match reads: reports and network rules play no part in it.
MATCH_KINDS = frozenset(RecordKind) - {RecordKind.REPORT, RecordKind.RULE}
#: The fields a match reads of the records it reads in part (with ``--explain`` and the
#: text output); the loader keeps these alone (``load_repository(fields=)``).
MATCH_FIELDS: dict[RecordKind, frozenset[str]] = {
    RecordKind.PLATFORM: frozenset({"id"}),
    RecordKind.COMMUNITY: frozenset({"id", "country", "subdivision", "languages"}),
    RecordKind.STRATEGY: frozenset({"id", "period", "status", "donor_conditions", "needs"}),
    RecordKind.AGREEMENT: frozenset({"id", "status", "donor", "needs", "budget", "transactions"}),
}
WHOLE_FORK_LIMIT = 2 << 30
"""The whole needs are solved in a second process while this one is at most this large (at
20,000 communities it holds 775 MB then, and the second process adds some 150 MB)."""


@dataclass
class Problem:
    """Everything the solvers and the explanations need."""

    as_of: dt.date
    conv: Converter
    settings: MatchSettings
    needs: list[OpenNeed]
    supply: dict[str, DonorSupply]
    pairs: PairTable
    verdicts: dict[int, list[tuple[str, Verdict]]]
    """Every donor's verdict, for the needs being explained."""
    exclusions: dict[int, Counter[Exclusion]]
    """How many donors were excluded from each need, by reason."""
    ranks: dict[str, int]
    closed: dict[str, Words]
    history: History
    open_per_strategy: Counter[str]
    """How many open needs each strategy has (a rank is out of this many)."""
    money_needs: npt.NDArray[np.bool_] = field(init=False, repr=False)
    """Per open need, whether it is met with money (else whole)."""
    steps: dict[str, tuple[Decimal, int, int]] = field(init=False, repr=False)
    """Per currency asked: its rounding step, and steps per cent of the base as a fraction."""
    remaining_cents: npt.NDArray[np.int64] = field(init=False, repr=False)
    """What remains of each open need (cents of the base currency, or days)."""
    donor_cents: tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]] = field(init=False, repr=False)
    """Per donor of the pairs: the money it can still give, and the most per partnership
    (-1 for no bound), in cents of the base currency."""

    def __post_init__(self) -> None:
        self.money_needs = np.asarray([n.money for n in self.needs], dtype=bool)
        self.steps = {}
        self.remaining_cents = np.asarray([n.remaining for n in self.needs], dtype=np.int64)
        supplies = [self.supply[did] for did in self.pairs.donors]
        self.donor_cents = (
            np.asarray([s.money for s in supplies], dtype=np.int64),
            np.asarray(
                [-1 if s.max_per_partnership is None else s.max_per_partnership for s in supplies],
                dtype=np.int64,
            ),
        )

    def step(self, currency: str) -> tuple[Decimal, int, int]:
        """The rounding step of ``currency`` and the steps per cent of the base currency
        (numerator, denominator), as ``StepScale`` counts them."""
        known = self.steps.get(currency)
        if known is None:
            step = step_of(self.settings, self.conv, currency, self.as_of)
            rate = self.conv.units_per_base(currency, self.as_of)
            ratio = Fraction(rate) / (Fraction(step) * 100)
            known = self.steps[currency] = (step, ratio.numerator, ratio.denominator)
        return known

    def whole_rows(self) -> npt.NDArray[np.int64]:
        """The pair rows of needs met whole, with a kind of support the donor has days for."""
        pairs = self.pairs
        return np.nonzero(~self.money_needs[pairs.need] & (pairs.kind != NO_KIND))[0]


def _ranks(needs: list[OpenNeed]) -> dict[str, int]:
    by_strategy: dict[str, list[OpenNeed]] = defaultdict(list)
    for need in needs:
        by_strategy[need.strategy.id].append(need)
    ranks = {}
    for group in by_strategy.values():
        for rank, need in enumerate(sorted(group, key=lambda n: (n.need.priority, n.need.id)), 1):
            ranks[need.ref] = rank
    return ranks


def _solidarity(ds: Dataset, committed: dict[str, Decimal]) -> dict[str, float]:
    received: dict[str, Decimal] = defaultdict(Decimal)
    for ref, amount in committed.items():
        strategy = ref.partition("/")[0]
        if strategy in ds.strategy_owner:
            received[ds.strategy_owner[strategy]] += amount
    most = max(received.values(), default=Decimal(0))
    return {
        cid: 1.0 if most == 0 else round(float(1 - received.get(cid, Decimal(0)) / most), 4)
        for cid in ds.communities
    }


def build_problem(
    ds: Dataset, as_of: dt.date, *, keep_verdicts_for: set[str] | None = None
) -> Problem:
    """Open needs, donor supply and every eligible pair with its score."""
    conv = Converter(ds.settings)
    settings = ds.settings.matching if ds.settings is not None else MatchSettings()
    committed = committed_by_need(ds, conv, as_of)
    needs, closed = open_needs(ds, conv, as_of, committed)
    supply = donor_supply(ds, conv, as_of)
    ranks = _ranks(needs)
    solidarity = _solidarity(ds, committed)
    history = History.of(ds)
    index = DonorIndex(supply)
    fits = np.asarray([stated_preferences(supply[did]) for did in index.ids], dtype=np.int64)
    builder = PairBuilder(index.ids)
    verdicts: dict[int, list[tuple[str, Verdict]]] = {}
    exclusions: dict[int, Counter[Exclusion]] = {}
    open_per_strategy = Counter(n.strategy.id for n in needs)
    bases: list[Base] = []
    groups: dict[tuple[int, int], Group] = {}
    for position, need in enumerate(needs):
        community = ds.communities[need.community]
        offering = index.offering_for(need)
        preferring = index.preferring(need, community)
        allowed = index.allowed(need.strategy.donor_conditions)
        candidates, ordered = index.candidates(preferring, allowed)
        of = open_per_strategy[need.strategy.id]
        base = need_base(ranks[need.ref], of, need, solidarity.get(need.community, 1.0), as_of)
        bases.append(base)
        if keep_verdicts_for is not None and need.ref not in keep_verdicts_for:
            # Checked later with every need sharing the same candidates.
            # The index keeps both sets alive: their identities name the group.
            key = (id(preferring), id(allowed))
            group = groups.get(key)
            if group is None:
                reach = Reach(len(supply), offering, preferring, candidates)
                group = groups[key] = Group(reach, ordered)
            group.needs.append(position)
            continue
        # Explained needs judge every donor offering the kind, to say why each was left out.
        judged: list[tuple[str, Verdict]] = []
        kept: list[int] = []
        kept_verdicts: list[Verdict] = []
        for did in sorted(offering):
            verdict = judge(need, supply[did], community, history, as_of)
            judged.append((did, verdict))
            if verdict.eligible:
                kept.append(index.position[did])
                kept_verdicts.append(verdict)
        donors = np.asarray(kept, dtype=np.int32)
        score_ids = np.asarray(
            [builder.score_id(base, len(v.fit), settings.weights) for v in kept_verdicts],
            dtype=np.int32,
        )
        builder.add(
            position,
            donors,
            score_ids,
            support_kinds(index, need, donors, need.remaining),
            kept_verdicts,
        )
        counts = Counter(v.exclusion for _, v in judged if v.exclusion)
        counts[Exclusion.KIND] += len(supply) - len(offering)
        exclusions[position] = counts
        unjudged = sorted(set(supply) - set(offering))
        judged += [(did, _no_kind(need, did, as_of)) for did in unjudged]
        verdicts[position] = sorted(judged)
    numbers: dict[Base, int] = {}
    base_of = np.asarray([numbers.setdefault(b, len(numbers)) for b in bases], dtype=np.int64)
    for group in groups.values():
        exclusions.update(
            admit_group(
                group, needs, index, history, fits, bases, base_of, settings.weights, builder
            )
        )
    exclusions = dict(sorted(exclusions.items()))
    pairs = builder.build()
    del builder, groups
    give_back_free_memory()  # the blocks the pairs were checked and gathered in
    return Problem(
        as_of,
        conv,
        settings,
        needs,
        supply,
        pairs,
        verdicts,
        exclusions,
        ranks,
        closed,
        history,
        open_per_strategy,
    )


def _no_kind(need: OpenNeed, did: str, as_of: dt.date) -> Verdict:
    wanted = " / ".join(sorted(k.value for k in SUPPORT_FOR[need.need.kind]))
    reason = M_("{donor} offers no {kinds} support on {day}", donor=did, kinds=wanted, day=as_of)
    return Verdict(False, (reason,), Exclusion.KIND)


@dataclass(frozen=True)
class MoneyProblem:
    """The money part of the problem, numbered for the solver."""

    needs: list[int]
    """What remains of each money need, in cents, by local number."""
    donors: list[int]
    """What each donor can still give, in cents, by local number."""
    arcs: Arcs
    rows: npt.NDArray[np.int32]
    """The pair row of each arc."""
    need_positions: list[int]
    """The position among the open needs of each local need."""
    donor_ids: list[str]
    currencies: list[str]
    """The currency of each local need, in which its proposals are written."""


def _first_seen(
    values: npt.NDArray[np.int32],
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int32]]:
    """Distinct values (small, not negative) in order of first appearance, and each value's
    local number; no sort of the values themselves (millions at 20,000 communities)."""
    if not values.size:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int32)
    first = np.full(int(values.max()) + 1, values.size, dtype=np.int64)
    np.minimum.at(first, values, np.arange(values.size, dtype=np.int64))
    present = np.flatnonzero(first < values.size)
    distinct = present[np.argsort(first[present], kind="stable")]
    local = np.empty(first.size, dtype=np.int32)
    local[distinct] = np.arange(distinct.size, dtype=np.int32)
    return distinct.astype(np.int64), local[values]


@dataclass(frozen=True)
class _MoneyColumns:
    """The money part's arcs and how they are numbered: arrays alone, made again cheaply."""

    arcs: Arcs
    rows: npt.NDArray[np.int32]
    needs_seen: npt.NDArray[np.int64]
    """The position among the open needs of each local need."""
    donors_seen: npt.NDArray[np.int64]
    """The position among the pairs' donors of each local donor."""


def _money_columns(problem: Problem) -> _MoneyColumns:
    pairs = problem.pairs
    remaining = problem.remaining_cents
    money, top = problem.donor_cents
    # What a pair may carry depends on its need and its donor alone: no column of millions
    # of pairs is made for it beyond the bound itself.
    rows = as_index(
        np.nonzero(problem.money_needs[pairs.need] & (money[pairs.donor] > 0))[0], "pair rows"
    )
    need_pos, donor_pos = pairs.need[rows], pairs.donor[rows]
    needs_seen, need_local = _first_seen(need_pos)
    del need_pos
    donors_seen, donor_local = _first_seen(donor_pos)
    most = np.minimum(money, np.where(top > 0, top, np.iinfo(np.int64).max))
    bound = most[donor_pos]
    del donor_pos
    np.minimum(bound, remaining[needs_seen][need_local], out=bound)
    arcs = Arcs(need_local, donor_local, pairs.weights(rows), bound)
    return _MoneyColumns(arcs, rows, needs_seen, donors_seen)


def _money_arcs(problem: Problem) -> MoneyProblem:
    made = _money_columns(problem)
    positions = made.needs_seen.tolist()
    return MoneyProblem(
        problem.remaining_cents[made.needs_seen].tolist(),
        problem.donor_cents[0][made.donors_seen].tolist(),
        made.arcs,
        made.rows,
        positions,
        [problem.pairs.donors[d] for d in made.donors_seen.tolist()],
        [_currency(problem.needs[p], problem.conv) for p in positions],
    )


def _currency(need: OpenNeed, conv: Converter) -> str:
    cost = need.need.estimated_cost
    return cost.currency if cost is not None else conv.base


def _step_problem(problem: Problem, part: MoneyProblem) -> tuple[StepScale, Limits]:
    """The money part in whole steps of each need's currency."""
    conv, day = problem.conv, problem.as_of
    steps = {c: step_of(problem.settings, conv, c, day) for c in sorted(set(part.currencies))}
    rates = {c: conv.units_per_base(c, day) for c in steps}
    scale = StepScale.of([steps[c] for c in part.currencies], [rates[c] for c in part.currencies])
    minimums = [problem.supply[d].min_per_partnership for d in part.donor_ids]
    return scale, limits(part.needs, part.donors, part.arcs, minimums, scale)


def _solve_money(problem: Problem, greedy: bool) -> tuple[dict[int, Decimal], Solution]:
    """Amounts per pair row, in whole steps of each need's currency, and the solution."""
    part = _money_arcs(problem)
    minimums = [problem.supply[d].min_per_partnership for d in part.donor_ids]
    if greedy:
        solution = greedy_money(part.needs, part.donors, part.arcs, minimums)
    else:
        # The arcs are let go while the flow solver runs (see ``solve_money``) and made again
        # after, the same columns from the same pairs.
        needs, donors = part.needs, part.donors
        numbered = (part.need_positions, part.donor_ids, part.currencies)
        del part
        solution = solve_money(needs, donors, lambda: _money_columns(problem).arcs, minimums)
        made = _money_columns(problem)
        part = MoneyProblem(needs, donors, made.arcs, made.rows, *numbered)
        if solution.status != "optimal":
            # Minimums cut into the flow's optimum: never return less than the greedy pass,
            # which respects them as it goes; the relaxed optimum stays the bound.
            fallback = greedy_money(part.needs, part.donors, part.arcs, minimums)
            if fallback.objective > solution.objective:
                solution = Solution(fallback.flows, fallback.objective, "heuristic", solution.bound)
    scale, limit = _step_problem(problem, part)
    kept = to_steps(part.arcs, scale, limit, solution)
    arcs = part.arcs
    # The flow's optimum is a bound once widened by what rounding its weights to integer
    # costs (half a unit of 1 / WEIGHT_SCALE each way) may hide.
    bound = solution.bound + min(sum(part.needs), sum(part.donors)) / WEIGHT_SCALE
    status = "greedy" if greedy else "heuristic"
    solver = "OR-Tools min-cost flow (bound), rounded to whole steps with minimums"
    if not greedy and len(arcs) <= MOST_RELAXED_ARCS:
        kept, bound, solver = _closer(part, scale, limit, kept, bound, solver)
        if solver.startswith("GLOP"):
            # A feasible allocation with its proven gap (``optimal`` below once within 1e-6).
            status = "feasible"
    if not greedy and len(arcs) <= MOST_ARCS:
        exact = solve_steps(
            limit.need_steps,
            limit.donor_cents,
            arcs,
            limit.bound_steps,
            limit.min_steps,
            scale.num,
            scale.den,
            kept,
            problem.settings.money_time_limit_seconds,
        )
        kept = exact.steps
        bound = min(bound, exact.bound)
        solver = "GLOP relaxation and CP-SAT (bound), CP-SAT on whole steps with minimums"
        if exact.optimal:
            status = "optimal"
    # Only the arcs kept are read back, never a list of every arc: a large network has
    # millions of them, and a list of as many Python numbers outweighs the arrays.
    used = np.fromiter(kept, dtype=np.int64, count=len(kept))
    rows = part.rows[used].tolist()
    need_of = part.arcs.need[used].tolist()
    weights = part.arcs.weight[used].tolist()
    amounts = {
        row: k * scale.step[n] for row, n, k in zip(rows, need_of, kept.values(), strict=True)
    }
    num, den = scale.num.tolist(), scale.den.tolist()
    value = sum(
        w * k * den[n] / num[n] for w, n, k in zip(weights, need_of, kept.values(), strict=True)
    )
    result = Solution({}, float(value), status, max(bound, float(value)), solver)
    if not greedy and result.gap <= 1e-6:
        result = Solution({}, float(value), "optimal", result.bound, solver)
    return amounts, result


def _closer(
    part: MoneyProblem,
    scale: StepScale,
    limit: Limits,
    kept: dict[int, int],
    bound: float,
    solver: str,
) -> tuple[dict[int, int], float, str]:
    """The linear relaxation's proven bound and, above ``MOST_ARCS``, SCIP's allocation next
    to its optimum when it is worth more than ``kept`` (``relax``)."""
    arcs = part.arcs
    num, den = scale.num[arcs.need], scale.den[arcs.need]  # steps per cent on each arc
    top = usable(arcs, scale, limit)
    relaxation = relax(limit.need_steps, limit.donor_cents, arcs, top, limit.min_steps, num, den)
    if relaxation is None:
        return kept, bound, solver
    need_count = limit.need_steps.size
    alone = partial(tighter, need_count, arcs, top, limit.min_steps, den / num, relaxation)
    rounded = "GLOP relaxation (bound), rounded to whole steps with minimums"
    if len(arcs) <= MOST_ARCS:
        return kept, min(bound, alone()), rounded
    # The donors whose minimum the relaxation splits are solved alone beside the search for
    # an allocation: they only tighten the bound.
    with beside(alone) as tightened:
        found = _search(part, scale, limit, kept, top, num, den, relaxation)
        if found is None:
            return kept, min(bound, tightened.result()), rounded
        kept, proven = found
        solver = "GLOP relaxation (bound), then SCIP with minimums next to it, in whole steps"
        return kept, min(bound, proven, tightened.result()), solver


def _search(
    part: MoneyProblem,
    scale: StepScale,
    limit: Limits,
    kept: dict[int, int],
    top: npt.NDArray[np.int64],
    num: npt.NDArray[np.int64],
    den: npt.NDArray[np.int64],
    relaxation: Relaxation,
) -> tuple[dict[int, int], float] | None:
    """SCIP's allocation next to the relaxation's optimum, in whole steps and after the
    exchanges, when it is worth more than ``kept``, and the bound SCIP proves; ``None`` if
    SCIP proves nothing. ``num[i] / den[i]``: steps per cent on arc ``i``."""
    arcs = part.arcs
    per_step = den / num
    hint = np.zeros(len(arcs), dtype=np.int64)
    for i, k in kept.items():
        hint[i] = k
    found = around(
        limit.need_steps, limit.donor_cents, arcs, top, limit.min_steps, per_step, relaxation, hint
    )
    if found is None:
        return None
    wanted = np.floor(found.steps + 1e-6).astype(np.int64)
    weights = (arcs.weight * per_step).tolist()
    for steps in (
        settle(arcs, scale, limit, trim(arcs, scale, limit, wanted)),
        settle(arcs, scale, limit, wanted),
    ):
        if sum(weights[i] * k for i, k in steps.items()) > sum(
            weights[i] * k for i, k in kept.items()
        ):
            kept = steps
    kept = polish(arcs, top, limit.min_steps, num, den, limit.need_steps, limit.donor_cents, kept)
    return kept, found.bound


def _solve_whole(problem: Problem) -> tuple[dict[int, int], Solution]:
    pairs = problem.pairs
    found = problem.whole_rows()
    rows = found.tolist()
    weights = pairs.weights(found).tolist()
    capacity_index: dict[tuple[int, int], int] = {}
    capacities: list[int] = []
    sizes = [n.remaining for n in problem.needs]
    arcs: list[Arc] = []
    need_of, donor_of = pairs.need[found].tolist(), pairs.donor[found].tolist()
    kind_of = pairs.kind[found].tolist()
    for need, donor, kind, weight in zip(need_of, donor_of, kind_of, weights, strict=True):
        key = (donor, kind)
        if key not in capacity_index:
            capacity_index[key] = len(capacities)
            supply = problem.supply[pairs.donors[donor]]
            capacities.append(supply.days[KINDS[kind]])
        arcs.append(Arc(need, capacity_index[key], float(weight), 1))
    solution = solve_whole(sizes, capacities, arcs, problem.settings.time_limit_seconds)
    return {rows[i]: 1 for i in solution.flows}, solution


def _slug(text: str, taken: set[str]) -> str:
    import re

    base = re.sub(r"-+", "-", re.sub(r"[^a-z0-9-]", "-", text.lower())).strip("-")[:72].strip("-")
    candidate, n = base, 2
    while candidate in taken or not re.match(SLUG_PATTERN, candidate):
        candidate = f"{base}-{n}"
        n += 1
    taken.add(candidate)
    return candidate


# Matching makes objects that live until the result is written (needs, pairs' scores,
# proposals, reasons) and little garbage with cycles: the cyclic collector would scan the
# growing lot again and again (an eighth of the run on a large network).
@collector_paused(freeze=False)
def match(
    ds: Dataset,
    as_of: dt.date,
    *,
    candidates: bool = False,
    greedy: bool = False,
) -> MatchResult:
    """Propose support for open needs: eligible pairs, scored, allocated optimally."""
    problem = build_problem(ds, as_of, keep_verdicts_for=set())
    # The whole needs are solved beside the money: the two read the problem and share nothing
    # else, and the second process touches little of this one's memory.
    with beside(partial(_solve_whole, problem), limit=WHOLE_FORK_LIMIT) as whole_part:
        money, money_solution = _solve_money(problem, greedy)
        whole, whole_solution = whole_part.result()
    # The proposals and the needs left are many small objects, after arrays of millions.
    give_back_free_memory()
    conv = problem.conv
    taken = set(ds.agreements)
    proposals: list[Proposal] = []
    given: dict[int, int] = defaultdict(int)
    given_money: dict[int, Decimal] = defaultdict(Decimal)
    proposed_money: dict[str, int] = defaultdict(int)
    chosen = {p: problem.pairs.pair(p) for p in {**money, **whole}}
    needs = problem.needs
    for p in sorted(chosen, key=lambda k: (needs[chosen[k].need].ref, chosen[k].donor)):
        pair = chosen[p]
        need = problem.needs[pair.need]
        ident = _slug(f"{need.community}-{need.need.id}-{pair.donor}", taken)
        rank, of = problem.ranks[need.ref], problem.open_per_strategy[need.strategy.id]
        verdict = pair.verdict or judge(
            need, problem.supply[pair.donor], ds.communities[need.community], problem.history, as_of
        )
        reasons = (*verdict.reasons, *pair.score.explain(rank, of))
        if need.money:
            value = money[p]
            currency = _currency(need, conv)
            base = (value / conv.units_per_base(currency, as_of)).quantize(CENT)
            amount_cents = cents(base)
            given_money[pair.need] += value
            proposed_money[pair.donor] += amount_cents
            proposals.append(
                Proposal(
                    ident,
                    need.community,
                    need.ref,
                    pair.donor,
                    value,
                    currency,
                    base,
                    None,
                    pair.score,
                    reasons,
                )
            )
        else:
            given[pair.need] += need.remaining
            proposals.append(
                Proposal(
                    ident,
                    need.community,
                    need.ref,
                    pair.donor,
                    None,
                    None,
                    None,
                    need.remaining,
                    pair.score,
                    reasons,
                )
            )
    unmet = _unmet(problem, given, chosen, given_money)
    donors = _donors_left(problem, proposed_money, whole)
    objective: dict[str, Any] = {
        "money": {
            "value": round(money_solution.objective / 100, 4),
            "status": "greedy" if greedy else money_solution.status,
            "gap": round(money_solution.gap, 6),
            "solver": "greedy" if greedy else money_solution.solver,
            "unit": f"weight x {conv.base}",
        },
        "whole": {
            "value": round(whole_solution.objective, 4),
            "status": whole_solution.status,
            "gap": round(whole_solution.gap, 6),
            "solver": "OR-Tools min-cost flow relaxation, then CP-SAT",
            "unit": "weight per need",
        },
    }
    objective["total"] = round(objective["money"]["value"] + objective["whole"]["value"], 4)
    result = MatchResult(
        as_of, conv.base, objective, proposals, unmet, donors, open_needs=len(problem.needs)
    )
    if candidates:
        result.candidates = _candidates(problem)
    del problem
    give_back_free_memory()  # for the output, as large as the proposals
    return result


def what_is_left(problem: Problem, need: OpenNeed, given: Decimal) -> Decimal:
    """What a money need can still be given, in whole steps of its own currency.

    ``given`` is what proposals give it, in its currency. The same count of steps the money
    allocation works with (``StepScale.steps`` of the remainder), less the steps given: less
    than one step left is nothing left, since nobody writes a smaller amount. ``match`` (its
    unmet needs) and ``--explain`` (a need's outcome) both ask this function.
    """
    step, num, den = problem.step(_currency(need, problem.conv))
    steps = need.remaining * num // den
    left = steps - int(given / step)
    return Decimal(max(left, 0)) * step


def _weight_first(taken: tuple[float, str]) -> tuple[float, str]:
    """Needs a donor gave to, heaviest first, then by reference."""
    return (-taken[0], taken[1])


def _unmet(
    problem: Problem, given: dict[int, int], chosen: dict[int, Any], money: dict[int, Decimal]
) -> list[Unmet]:
    """Needs left (partly) without support; ``given`` counts days of whole needs, ``money``
    what each money need is given in its own currency."""
    out = []
    pairs = problem.pairs
    taken: dict[str, list[tuple[float, str]]] = defaultdict(list)
    for pair in chosen.values():
        taken[pair.donor].append((pair.score.total, problem.needs[pair.need].ref))
    # A need among the first few an unmet need's donors gave to is among the first few of
    # one of them: each donor's first few are enough. Each need given to stands for its place
    # among them all, heaviest first, so that a need's first few are its donors' smallest.
    order = sorted({x for xs in taken.values() for x in xs}, key=_weight_first)
    place = {x: k for k, x in enumerate(order)}
    firsts = np.full((len(pairs.donors), SHOWN), len(order), dtype=np.int64)
    number = {did: d for d, did in enumerate(pairs.donors)}
    for did, xs in taken.items():
        mine = sorted({place[x] for x in xs})[:SHOWN]
        firsts[number[did], : len(mine)] = mine
    # A need's pairs are a slice of the table, ordered by need: no list of rows per need.
    starts = pairs.starts(len(problem.needs))
    lefts: dict[int, Decimal | int] = {}
    for index, need in enumerate(problem.needs):
        if need.money:
            lefts[index] = what_is_left(problem, need, money.get(index, Decimal(0)))
        else:
            lefts[index] = need.remaining - given.get(index, 0)
    unmet = [index for index, left in lefts.items() if left > 0]
    # The first few of every unmet need with eligible donors, found for all of them at once.
    counts = np.diff(starts)[unmet]
    some = counts > 0
    served = np.asarray(unmet, dtype=np.int64)[some]
    smallest = _smallest_distinct(firsts, pairs.donor, starts[served], counts[some], len(order))
    ranks_of = dict(zip(served.tolist(), smallest.tolist(), strict=True))
    # The same words for many needs are made once (and shared: nothing changes them).
    used_up = M_("all eligible capacity used")
    no_capacity: dict[int, Words] = {}
    excluded: dict[tuple[tuple[Exclusion, int], ...], tuple[Words, Words]] = {}
    for index, eligible in zip(unmet, counts.tolist(), strict=True):
        need, left = problem.needs[index], lefts[index]
        if eligible:
            reason: str = used_up
            went = [order[k] for k in ranks_of[index] if k < len(order)]
            detail: str | None = no_capacity.get(eligible)
            if detail is None:
                detail = no_capacity[eligible] = ngettext(
                    "{n} eligible donor has no capacity left for it",
                    "{n} eligible donors have no capacity left for it",
                    eligible,
                )
            if went:
                named = ", ".join(f"{ref} ({w:.3f})" for w, ref in went[:SHOWN])
                detail = M_(
                    "{detail}; their capacity went to needs that weigh more: {named}",
                    detail=detail,
                    named=named,
                )
        else:
            tally = +problem.exclusions.get(index, Counter())
            key = tuple(sorted(tally.items()))
            if key not in excluded:
                excluded[key] = _excluded(tally)
            reason, detail = excluded[key]
        unit = _currency(need, problem.conv) if need.money else "days"
        out.append(Unmet(need.community, need.ref, left, unit, reason, detail))
    return out


def _smallest_distinct(
    table: npt.NDArray[np.int64],
    keys: npt.NDArray[np.int32],
    starts: npt.NDArray[np.int64],
    lengths: npt.NDArray[np.int64],
    none: int,
) -> npt.NDArray[np.int64]:
    """For each segment of ``keys`` (``lengths[i]`` keys from ``starts[i]``, none empty), the
    smallest distinct values of the ``table`` rows its keys name, as many as a row holds.

    Each row of ``table`` is ascending and padded with ``none``, above every value, which
    also pads a segment that has fewer. The same as ``np.unique(table[keys[segment]])`` cut
    to a row's width, in a few passes over all segments instead of a sort for each.
    """
    width = table.shape[1]
    out = np.full((starts.size, width), none, dtype=np.int64)
    ends = np.cumsum(lengths)
    done = 0
    while done < starts.size:
        # Segments a block at a time: the rows of a block are gathered whole.
        before = int(ends[done - 1]) if done else 0
        upto = int(np.searchsorted(ends, before + ROWS_AT_ONCE, side="right"))
        upto = max(upto, done + 1)
        size = lengths[done:upto]
        local = np.zeros(size.size, dtype=np.int64)
        np.cumsum(size[:-1], out=local[1:])
        rows = np.arange(int(size.sum())) + np.repeat(starts[done:upto] - local, size)
        values = table[keys[rows]]
        segment = np.repeat(np.arange(size.size), size)
        floor = np.full(size.size, -1, dtype=np.int64)
        for column in range(width):
            above = np.where(values > floor[segment][:, None], values, none).min(axis=1)
            floor = np.minimum.reduceat(above, local)
            out[done:upto, column] = floor
        done = upto
    return out


def _excluded(counts: Counter[Exclusion]) -> tuple[Words, Words]:
    """Why a need no donor is eligible for is unmet, and the detail."""
    if not counts:
        return M_("no eligible donor"), M_("the network has no donor yet")
    if set(counts) == {Exclusion.CONDITION} or (
        Exclusion.CONDITION in counts
        and set(counts) <= {Exclusion.CONDITION, Exclusion.KIND}
        and counts[Exclusion.CONDITION] > 0
    ):
        return M_("excluded by a condition"), _summary(counts)
    return M_("no eligible donor"), _summary(counts)


_LABELS = {
    Exclusion.DECLINED: N_("declined by the community"),
    Exclusion.ALREADY_PROPOSED: N_("already proposed"),
    Exclusion.KIND: N_("offer another kind of support"),
    Exclusion.TIME: N_("have capacity at another time"),
    Exclusion.PREFERENCE: N_("prefer other places, themes or kinds of need"),
    Exclusion.CONDITION: N_("do not meet the community's conditions"),
    Exclusion.SIZE: N_("give more per partnership than remains"),
}


def _summary(counts: Counter[Exclusion]) -> Words:
    """``of 12 donors, 5 prefer other places ...; 4 ...``, largest group first."""
    parts: list[str] = [
        M_("{n} {label}", n=n, label=M_(_LABELS[e]))
        for e, n in sorted(counts.items(), key=lambda x: (-x[1], x[0].value))
    ]
    return ngettext(
        "of {n} donor, {parts}",
        "of {n} donors, {parts}",
        sum(counts.values()),
        parts=joined(parts, "; "),
    )


def _donors_left(
    problem: Problem, proposed: dict[str, int], whole: dict[int, int]
) -> list[DonorLeft]:
    used_days: dict[tuple[str, SupportKind], int] = defaultdict(int)
    for p in whole:
        pair = problem.pairs.pair(p)
        if pair.kind is not None:
            used_days[(pair.donor, pair.kind)] += problem.needs[pair.need].remaining
    out = []
    for did, s in sorted(problem.supply.items()):
        days = {k.value: v - used_days[(did, k)] for k, v in s.days.items()}
        left = s.money - proposed.get(did, 0)
        out.append(
            DonorLeft(
                did,
                Decimal(s.declared_money) * CENT,
                Decimal(s.committed_money) * CENT,
                Decimal(proposed.get(did, 0)) * CENT,
                Decimal(left) * CENT,
                days,
            )
        )
    return out


def _candidates(problem: Problem) -> dict[str, Any]:
    """The whole problem, so that anyone can re-solve it with another solver."""
    part = _money_arcs(problem)
    order = [problem.needs[p].ref for p in part.need_positions]
    arcs = part.arcs
    whole_pairs = [problem.pairs.pair(row) for row in problem.whole_rows().tolist()]
    return {
        "objective": "maximize the sum over pairs of weight x amount (money, in cents of the "
        "base currency) plus the sum of weights of whole-need assignments",
        "money": {
            "unit": f"cents of {problem.conv.base}",
            "pairs": [
                {
                    "need": order[need],
                    "donor": part.donor_ids[donor],
                    "weight": weight,
                    "bound": bound,
                }
                for need, donor, weight, bound in zip(
                    arcs.need.tolist(),
                    arcs.donor.tolist(),
                    arcs.weight.tolist(),
                    arcs.bound.tolist(),
                    strict=True,
                )
            ],
            "needs": [{"need": ref, "limit": part.needs[i]} for i, ref in enumerate(order)],
            "donors": [
                {"donor": did, "limit": part.donors[i]} for i, did in enumerate(part.donor_ids)
            ],
            "constraints": [
                "0 <= amount(pair) <= bound(pair)",
                "sum of amounts of a need's pairs <= the need's limit",
                "sum of amounts of a donor's pairs <= the donor's limit",
                "amount(pair) = 0 or >= the donor's minimum per partnership",
            ],
            "minimums": {
                did: s.min_per_partnership
                for did, s in sorted(problem.supply.items())
                if s.min_per_partnership
            },
            "steps": _steps_candidates(problem, part, order),
        },
        "whole": {
            "unit": "person-days",
            "pairs": [
                {
                    "need": problem.needs[p.need].ref,
                    "donor": p.donor,
                    "kind": p.kind.value,
                    "weight": p.score.total,
                    "size": problem.needs[p.need].remaining,
                }
                for p in whole_pairs
                if p.kind is not None
            ],
            "capacities": [
                {"donor": did, "kind": k.value, "days": v}
                for did, s in sorted(problem.supply.items())
                for k, v in sorted(s.days.items())
            ],
            "constraints": [
                "each need is assigned whole to at most one donor",
                "sum of sizes assigned to a donor's kind of support <= its days",
            ],
        },
    }


def _steps_candidates(problem: Problem, part: MoneyProblem, order: list[str]) -> dict[str, Any]:
    """The problem actually solved: whole steps of each need's currency."""
    scale, limit = _step_problem(problem, part)
    arcs = part.arcs
    return {
        "objective": "maximize the sum over pairs of weight x steps x cents_per_step "
        "(cents_per_step = den / num, in cents of the base currency)",
        "needs": [
            {
                "need": ref,
                "currency": part.currencies[i],
                "step": str(scale.step[i]),
                "steps": int(limit.need_steps[i]),
                "num": int(scale.num[i]),
                "den": int(scale.den[i]),
            }
            for i, ref in enumerate(order)
        ],
        "donors": [
            {"donor": did, "cents": int(limit.donor_cents[i])}
            for i, did in enumerate(part.donor_ids)
        ],
        "pairs": [
            {
                "need": order[need],
                "donor": part.donor_ids[donor],
                "weight": weight,
                "most": most,
                "least": least,
            }
            for need, donor, weight, most, least in zip(
                arcs.need.tolist(),
                arcs.donor.tolist(),
                arcs.weight.tolist(),
                limit.bound_steps.tolist(),
                limit.min_steps.tolist(),
                strict=True,
            )
        ],
        "constraints": [
            "steps(pair) = 0 or least(pair) <= steps(pair) <= most(pair)",
            "sum of steps of a need's pairs <= the need's steps",
            "cents(pair) = ceil(steps(pair) x den / num) of the pair's need",
            "sum of cents of a donor's pairs <= the donor's cents",
        ],
    }


@dataclass(frozen=True)
class Given:
    """What one donor gives the explained need."""

    donor: str
    amount: Decimal | None
    currency: str | None
    days: int | None


@dataclass(frozen=True)
class Outcome:
    """What the explained need got, and why each kept donor that gave nothing did not."""

    given: list[Given]
    left: Decimal | int
    """What still remains: in the need's currency for money, person-days otherwise."""
    unit: str
    idle: list[tuple[str, Words]]


@dataclass(frozen=True)
class Explanation:
    """For one need: every donor considered, kept or excluded, and why; and the outcome."""

    need: OpenNeed | None
    closed_reason: Words | None
    rows: list[tuple[str, Verdict, Score | None]]
    rank: int
    of: int
    outcome: Outcome | None = None


@collector_paused(freeze=False)  # as ``match``
def explain(ds: Dataset, as_of: dt.date, ref: str) -> Explanation:
    """Why each donor was kept or excluded for the need ``ref``, and what the need got."""
    problem = build_problem(ds, as_of, keep_verdicts_for={ref})
    for index, need in enumerate(problem.needs):
        if need.ref == ref:
            rows = list(problem.pairs.rows_of(index))
            scores = {p.donor: p.score for p in map(problem.pairs.pair, rows)}
            listed = [(did, v, scores.get(did)) for did, v in problem.verdicts[index]]
            listed.sort(key=lambda r: (not r[1].eligible, -(r[2].total if r[2] else 0), r[0]))
            of = problem.open_per_strategy[need.strategy.id]
            outcome = _outcome(problem, index, rows)
            return Explanation(need, None, listed, problem.ranks[ref], of, outcome)
    return Explanation(None, problem.closed.get(ref), [], 0, 0)


SHOWN = 3
"""How many of the needs that took a donor's capacity an explanation names."""
ROWS_AT_ONCE = 1 << 20
"""Pairs read at a time when naming the needs that took unmet needs' donors."""


def _outcome(problem: Problem, index: int, rows: list[int]) -> Outcome:
    """Solve as ``match`` does, then read the explained need's part of the solution."""
    need = problem.needs[index]
    money, _ = _solve_money(problem, False)
    whole, _ = _solve_whole(problem)
    pairs = problem.pairs
    chosen = {**money, **whole}
    # What each donor gave, and to which needs, by falling weight.
    taken: dict[str, list[tuple[float, str]]] = defaultdict(list)
    for row in chosen:
        pair = pairs.pair(row)
        taken[pair.donor].append((pair.score.total, problem.needs[pair.need].ref))
    conv, day = problem.conv, problem.as_of
    currency = _currency(need, conv)
    given: list[Given] = []
    mine = sorted((r for r in rows if r in chosen), key=lambda r: pairs.pair(r).donor)
    for row in mine:
        did = pairs.pair(row).donor
        if need.money:
            given.append(Given(did, money[row], currency, None))
        else:
            given.append(Given(did, None, None, need.remaining))
    left: Decimal | int
    if need.money:
        got = sum((g.amount or Decimal(0) for g in given), Decimal(0))
        left = what_is_left(problem, need, got)
    else:
        left = 0 if given else need.remaining
    step = step_of(problem.settings, conv, currency, day) if need.money else Decimal(1)
    idle: list[tuple[str, Words]] = []
    for row in rows:
        if row in chosen:
            continue
        pair = pairs.pair(row)
        idle.append((pair.donor, _why_nothing(problem, need, pair, taken, given, left, step)))
    idle.sort(key=lambda x: x[0])
    return Outcome(given, left, currency if need.money else "days", idle)


def _why_nothing(
    problem: Problem,
    need: OpenNeed,
    pair: Any,
    taken: dict[str, list[tuple[float, str]]],
    given: list[Given],
    left: Decimal | int,
    step: Decimal,
) -> Words:
    """Why a kept donor gave nothing to the explained need."""
    others = sorted(taken.get(pair.donor, []), key=lambda x: (-x[0], x[1]))
    first = ", ".join(f"{ref} ({weight:.3f})" for weight, ref in others[:SHOWN])
    if not need.money:
        if given:
            return M_(
                "the need is met whole by {donor}, whose score is higher",
                donor=given[0].donor,
            )
        if others:
            return M_(
                "its days went to needs that weigh more: {needs}",
                needs=first,
            )
        return M_("its days of this kind are not enough for the whole need")
    if left < step:
        return M_("the need is already met by {donors}", donors=", ".join(g.donor for g in given))
    supply = problem.supply[pair.donor]
    if supply.min_per_partnership:
        reach = min(need.remaining, supply.money)
        minimum = Decimal(supply.min_per_partnership) * CENT
        if supply.min_per_partnership > reach:
            return M_(
                "its minimum per partnership ({minimum} {base}) is more than it could give here",
                minimum=minimum,
                base=problem.conv.base,
            )
    if others:
        heavier = [ref for weight, ref in others if weight >= pair.score.total]
        if heavier:
            return M_(
                "its capacity went to needs that weigh more: {needs}",
                needs=first,
            )
        return M_(
            "its capacity went to other needs that had no other donor: {needs}",
            needs=first,
        )
    if supply.min_per_partnership:
        return M_(
            "its minimum per partnership ({minimum} {base}) cannot be reached here",
            minimum=Decimal(supply.min_per_partnership) * CENT,
            base=problem.conv.base,
        )
    return M_("it has no capacity left in this window")
