"""Invariants of ``match`` on generated datasets (hypothesis), checked against the data itself."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from solidarity_cli.dataset import Dataset
from solidarity_cli.matching import batches
from solidarity_cli.matching.eligibility import History, judge
from solidarity_cli.matching.engine import Problem, build_problem, match
from solidarity_cli.matching.scoring import Score
from solidarity_cli.matching.steps import step_of
from solidarity_cli.models import Agreement, Community, Donor, Settings, Strategy, Vocabulary
from solidarity_cli.reading.layout import RecordKind

AS_OF = dt.date(2026, 3, 1)
DIMENSIONS = ["water", "food", "health"]
KINDS = ["financial", "material", "training", "technical-expertise", "volunteering"]
COUNTRIES = [("CV", "CV-RG", "Santo Antão"), ("CV", "CV-PR", "Santiago"), ("BR", "BR-BA", None)]


def _community(i: int, where: tuple[str, str, str | None]) -> Community:
    country, subdivision, island = where
    return Community.model_validate(
        {
            "id": f"c{i}",
            "name": f"Community {i}",
            "kind": "village",
            "country": country,
            "subdivision": subdivision,
            **({"island": island} if island else {}),
            "association": {
                "name": "A",
                "legal_form": "associação",
                "governance": {"decision_body": "AG"},
            },
            "languages": ["pt"],
        }
    )


def one_money_need(amount: int, currency: str) -> Strategy:
    """Strategy ``s0``, adopted, with one financial need ``n0`` costing ``amount``."""
    return Strategy.model_validate(
        {
            "id": "s0",
            "title": {"pt": "S"},
            "period": {"start": "2025-01-01", "end": "2028-12-31"},
            "status": "adopted",
            "adoption": {"body": "AG", "date": "2024-12-01"},
            "needs": [
                {
                    "id": "n0",
                    "title": {"pt": "N"},
                    "dimension": "water",
                    "kind": "financial",
                    "priority": 1,
                    "estimated_cost": {"amount": amount, "currency": currency},
                }
            ],
        }
    )


@st.composite
def datasets(draw: st.DrawFn) -> Dataset:
    """Small networks with money and non-money needs, donors of every shape, past agreements."""
    ds = Dataset(root=Path())
    rounding = draw(st.sampled_from([{}, {"CVE": 100, "EUR": 10}, {"CVE": 1000, "EUR": 0.5}]))
    ds.settings = Settings.model_validate(
        {"name": {"en": "t"}, "base_currency": "EUR", "matching": {"rounding": rounding}}
    )
    ds.vocabularies["dimensions"] = Vocabulary.model_validate(
        {
            "id": "dimensions",
            "title": {"en": "d"},
            "terms": [{"id": d, "label": {"en": d}} for d in DIMENSIONS],
        }
    )
    n_communities = draw(st.integers(1, 4))
    for c in range(n_communities):
        community = _community(c, draw(st.sampled_from(COUNTRIES)))
        ds.communities[community.id] = community
        needs = []
        for k in range(draw(st.integers(1, 4))):
            kind = draw(st.sampled_from(KINDS))
            need: dict[str, Any] = {
                "id": f"n{k}",
                "title": {"pt": f"Need {k}"},
                "dimension": draw(st.sampled_from(DIMENSIONS)),
                "kind": kind,
                "priority": k + 1,
                "timeframe": {"end": "2027-12-31"},
            }
            # Some needs start after some donors' windows end (money windows close in 2026).
            start = draw(st.sampled_from([None, "2026-06-01", "2027-03-01"]))
            if start is not None:
                need["timeframe"]["start"] = start
            if kind in ("financial", "material"):
                cost = draw(st.integers(100, 5000))
                need["estimated_cost"] = {
                    "amount": cost,
                    "currency": draw(st.sampled_from(["EUR", "CVE"])),
                }
                need["own_contribution"] = {
                    "amount": draw(st.integers(0, cost // 2)),
                    "currency": need["estimated_cost"]["currency"],
                }
            else:
                need["days"] = draw(st.integers(1, 20))
            needs.append(need)
        accepted = draw(
            st.lists(st.sampled_from(["performance", "fiduciary", "policy"]), unique=True)
        )
        strategy = Strategy.model_validate(
            {
                "id": f"s{c}",
                "title": {"pt": "S"},
                "period": {"start": "2025-01-01", "end": "2028-12-31"},
                "status": "adopted",
                "adoption": {"body": "AG", "date": "2024-12-01"},
                "needs": needs,
                "donor_conditions": {
                    "accepted_condition_types": accepted,
                    "refused_donor_kinds": draw(
                        st.lists(
                            st.sampled_from(["company", "public-body"]), unique=True, max_size=1
                        )
                    ),
                    "require_giving_forward": draw(st.booleans()),
                },
            }
        )
        ds.strategies[strategy.id] = strategy
        ds.strategy_owner[strategy.id] = community.id
    for d in range(draw(st.integers(1, 4))):
        capacities = []
        if draw(st.booleans()):
            capacities.append(
                {
                    "kind": "money",
                    "amount": {
                        "max": draw(st.integers(0, 6000)),
                        "currency": draw(st.sampled_from(["EUR", "CVE"])),
                    },
                    "period": {"start": "2026-01-01", "end": "2026-12-31"},
                    **(
                        {
                            "per_partnership": {
                                "min": draw(st.integers(0, 800)),
                                "max": draw(st.integers(800, 4000)),
                                "currency": "EUR",
                            }
                        }
                        if draw(st.booleans())
                        else {}
                    ),
                }
            )
        for kind in draw(
            st.lists(
                st.sampled_from(["training", "technical-expertise", "volunteering", "material"]),
                unique=True,
                max_size=2,
            )
        ):
            entry: dict[str, Any] = {
                "kind": kind,
                "period": {"start": "2026-01-01", "end": "2027-12-31"},
            }
            if kind == "material":
                entry["amount"] = {"max": draw(st.integers(0, 3000)), "currency": "EUR"}
            else:
                entry["days"] = draw(st.integers(1, 30))
            capacities.append(entry)
        donor = Donor.model_validate(
            {
                "id": f"d{d}",
                "name": f"Donor {d}",
                "kind": draw(st.sampled_from(["ngo", "company", "foundation", "public-body"])),
                "country": "PT",
                "capacities": capacities,
                "accepts_giving_forward": draw(st.booleans()),
                "preferences": {
                    "countries": draw(
                        st.lists(st.sampled_from(["CV", "BR"]), unique=True, max_size=1)
                    ),
                    "dimensions": draw(
                        st.lists(st.sampled_from(DIMENSIONS), unique=True, max_size=2)
                    ),
                },
                "conditions": [
                    {"id": f"k{t}", "type": t, "text": {"en": t}}
                    for t in draw(
                        st.lists(
                            st.sampled_from(["performance", "policy"]), unique=True, max_size=1
                        )
                    )
                ],
            }
        )
        ds.donors[donor.id] = donor
    # past proposals the communities declined, pending proposals, and signed agreements
    refs = [(sid, n.id) for sid, s in ds.strategies.items() for n in s.needs]
    for a in range(draw(st.integers(0, 3))):
        sid, nid = draw(st.sampled_from(refs))
        donor_id = draw(st.sampled_from(sorted(ds.donors)))
        status = draw(st.sampled_from(["declined", "signed", "proposed"]))
        agreement = Agreement.model_validate(
            {
                "id": f"a{a}",
                "title": {"pt": "A"},
                "community": ds.strategy_owner[sid],
                "strategy": sid,
                "needs": [f"{sid}/{nid}"],
                "donor": donor_id,
                "status": status,
                "transactions": [
                    {
                        "type": "commitment",
                        "date": "2026-02-01",
                        "value": {
                            "amount": draw(st.integers(0, 1500)),
                            "currency": "EUR",
                            "value_date": "2026-02-01",
                        },
                    }
                ]
                if status == "signed"
                else [],
            }
        )
        ds.agreements[agreement.id] = agreement
    for kind, table in (
        (RecordKind.COMMUNITY, ds.communities),
        (RecordKind.STRATEGY, ds.strategies),
        (RecordKind.DONOR, ds.donors),
        (RecordKind.AGREEMENT, ds.agreements),
    ):
        for rid in table:
            ds.paths[(kind, rid)] = f"{kind.value}/{rid}.yaml"
    return ds


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(datasets())
def test_match_invariants(ds: Dataset) -> None:
    problem = build_problem(ds, AS_OF)
    result = match(ds, AS_OF)
    needs = {n.ref: n for n in problem.needs}
    history = History.of(ds)

    money_per_need: dict[str, int] = defaultdict(int)
    money_per_donor: dict[str, int] = defaultdict(int)
    whole_per_need: dict[str, int] = defaultdict(int)
    days_per_donor: dict[tuple[str, str], int] = defaultdict(int)
    for proposal in result.proposals:
        need = needs[proposal.need]
        # every proposal is eligible, seen from both sides
        verdict = judge(
            need, problem.supply[proposal.donor], ds.communities[need.community], history, AS_OF
        )
        assert verdict.eligible, verdict.reasons
        # declined pairs are never proposed again
        assert (proposal.need, proposal.donor) not in history.declined
        if need.money:
            assert proposal.amount_base is not None and proposal.amount_base > 0
            cents = int(proposal.amount_base * 100)
            money_per_need[proposal.need] += cents
            money_per_donor[proposal.donor] += cents
            # in whole steps of the need's currency, never above what remains of it
            assert proposal.amount is not None and proposal.currency is not None
            step = step_of(problem.settings, problem.conv, proposal.currency, AS_OF)
            assert proposal.amount % step == 0, (proposal.amount, step)
            rate = problem.conv.units_per_base(proposal.currency, AS_OF)
            assert proposal.amount <= Decimal(need.remaining) / 100 * rate
            top = problem.supply[proposal.donor].max_per_partnership
            assert top is None or cents <= top
            assert cents >= problem.supply[proposal.donor].min_per_partnership
        else:
            assert proposal.days == need.remaining  # whole, never split
            whole_per_need[proposal.need] += 1
            days_per_donor[(proposal.donor, proposal.need)] += proposal.days or 0
    for ref, amount in money_per_need.items():
        assert amount <= needs[ref].remaining, "a need funded beyond what remains"
    # what is left of a money need is whole steps, and with what is given stays within it
    given_in_currency: dict[str, Decimal] = defaultdict(Decimal)
    for proposal in result.proposals:
        if proposal.amount is not None:
            given_in_currency[proposal.need] += proposal.amount
    for unmet in result.unmet:
        need = needs[unmet.need]
        if not need.money:
            continue
        step = step_of(problem.settings, problem.conv, unmet.unit, AS_OF)
        assert unmet.remaining % step == 0 and unmet.remaining >= step, (unmet, step)
        rate = problem.conv.units_per_base(unmet.unit, AS_OF)
        total = given_in_currency[unmet.need] + Decimal(unmet.remaining)
        assert total <= Decimal(need.remaining) / 100 * rate
    for donor, amount in money_per_donor.items():
        assert amount <= problem.supply[donor].money, "a donor over its capacity"
    assert all(count == 1 for count in whole_per_need.values()), "a whole need split"
    # each donor's days per kind stay within its capacity
    used: dict[tuple[str, str], int] = defaultdict(int)
    for pair in problem.pairs:
        ref = problem.needs[pair.need].ref
        if (pair.donor, ref) in days_per_donor and pair.kind is not None:
            used[(pair.donor, pair.kind.value)] += days_per_donor[(pair.donor, ref)]
    for (donor, kind), days in used.items():
        assert (
            days
            <= problem.supply[donor].days[
                next(k for k in problem.supply[donor].days if k.value == kind)
            ]
        )
    # the reported objective is what the proposals add up to
    money = sum(p.score.total * float(p.amount_base or 0) for p in result.proposals)
    assert abs(money - result.objective["money"]["value"]) < 0.01 * max(1, len(result.proposals))
    # never worse than the greedy baseline, even where minimums per partnership bite
    greedy = match(ds, AS_OF, greedy=True)
    assert result.objective["money"]["value"] >= greedy.objective["money"]["value"] - 1e-6
    # same data, same day: the same result
    assert match(ds, AS_OF).to_dict() == result.to_dict()


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(datasets())
def test_checks_on_columns_agree_with_judging_each_pair(ds: Dataset) -> None:
    # The fast path (donors checked many at a time) and the explained path (each pair judged
    # in words) keep the same pairs, with the same scores and kinds, and count the same
    # exclusions by reason.
    judged = build_problem(ds, AS_OF)
    fast = build_problem(ds, AS_OF, keep_verdicts_for=set())

    def rows(problem: Problem) -> list[tuple[str, str, Score, str | None]]:
        return [
            (problem.needs[p.need].ref, p.donor, p.score, p.kind and p.kind.value)
            for p in problem.pairs
        ]

    assert rows(fast) == rows(judged)
    assert fast.exclusions == judged.exclusions
    with pytest.MonkeyPatch.context() as patch:
        # Tables of needs x candidates cut into slices of one or two needs.
        patch.setattr(batches, "CELLS", 2)
        sliced = build_problem(ds, AS_OF, keep_verdicts_for=set())
    assert rows(sliced) == rows(judged)
    assert sliced.exclusions == judged.exclusions


def test_declined_pair_is_never_proposed_again() -> None:
    ds = Dataset(root=Path())
    ds.settings = Settings.model_validate({"name": {"en": "t"}})
    ds.communities["c0"] = _community(0, COUNTRIES[0])
    ds.strategies["s0"] = one_money_need(1000, "EUR")
    ds.strategy_owner["s0"] = "c0"
    for d in ("d0", "d1"):
        ds.donors[d] = Donor.model_validate(
            {
                "id": d,
                "name": d,
                "kind": "ngo",
                "country": "PT",
                "capacities": [
                    {
                        "kind": "money",
                        "amount": {"max": 5000, "currency": "EUR"},
                        "period": {"start": "2026-01-01", "end": "2026-12-31"},
                    }
                ],
            }
        )
    before = match(ds, AS_OF).proposals
    assert sum(p.amount or 0 for p in before) == Decimal("1000.00")
    assert {p.donor for p in before} <= {"d0", "d1"}
    ds.agreements["a0"] = Agreement.model_validate(
        {
            "id": "a0",
            "title": {"pt": "A"},
            "community": "c0",
            "strategy": "s0",
            "needs": ["s0/n0"],
            "donor": "d0",
            "status": "declined",
        }
    )
    proposals = match(ds, AS_OF).proposals
    assert [p.donor for p in proposals] == ["d1"]
    assert proposals[0].amount == Decimal("1000.00")
