"""The pair table read as columns and slices gives what reading it pair by pair gives."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest

from solidarity_cli.matching import engine, solver
from solidarity_cli.matching.pairs import INDEX_MAX, as_index
from solidarity_cli.reading import load_repository
from tests.conftest import generator

AS_OF = dt.date(2026, 11, 1)


def _problem(tmp_path: Path, seed: int, communities: int, donors: int) -> engine.Problem:
    root = generator().generate(tmp_path / f"n{seed}", communities, donors, seed=seed).root
    return engine.build_problem(load_repository(root).dataset, AS_OF, keep_verdicts_for=set())


def _rows_pair_by_pair(problem: engine.Problem) -> dict[int, list[int]]:
    rows: dict[int, list[int]] = defaultdict(list)
    for row, pair in enumerate(problem.pairs):
        rows[pair.need].append(row)
    return rows


@pytest.mark.parametrize("seed", [1, 2])
def test_a_needs_pairs_are_one_slice_of_the_table(tmp_path: Path, seed: int) -> None:
    problem = _problem(tmp_path, seed, 40, 20)
    pairs, rows = problem.pairs, _rows_pair_by_pair(problem)
    starts = pairs.starts(len(problem.needs))
    assert starts[0] == 0 and starts[-1] == len(pairs)
    for index in range(len(problem.needs)):
        expected = rows.get(index, [])
        assert list(range(starts[index], starts[index + 1])) == expected
        assert list(pairs.rows_of(index)) == expected


@pytest.mark.parametrize("seed", [1, 2])
def test_unmet_needs_read_from_slices_as_from_every_pair(tmp_path: Path, seed: int) -> None:
    """``_unmet`` reads each need's donors from a slice of the table; the straightforward way,
    a list of rows per need from every pair, says the same of every need left unmet."""
    problem = _problem(tmp_path, seed, 60, 12)
    money, _ = engine._solve_money(problem, greedy=False)
    whole, _ = engine._solve_whole(problem)
    chosen = {row: problem.pairs.pair(row) for row in {**money, **whole}}
    given: dict[int, int] = defaultdict(int)
    given_money: dict[int, Decimal] = defaultdict(Decimal)
    for row, pair in chosen.items():
        if problem.needs[pair.need].money:
            given_money[pair.need] += money[row]
        else:
            given[pair.need] += problem.needs[pair.need].remaining
    unmet = engine._unmet(problem, given, chosen, given_money)

    rows = _rows_pair_by_pair(problem)
    taken: dict[str, list[tuple[float, str]]] = defaultdict(list)
    for pair in chosen.values():
        taken[pair.donor].append((pair.score.total, problem.needs[pair.need].ref))
    position = {need.ref: i for i, need in enumerate(problem.needs)}
    full = 0
    for u in unmet:
        index = position[u.need]
        eligible = rows.get(index, [])
        if u.reason != "all eligible capacity used":
            assert not eligible
            continue
        full += 1
        donors = {problem.pairs.pair(r).donor for r in eligible}
        went = sorted({x for d in donors for x in taken.get(d, ())}, key=lambda x: (-x[0], x[1]))
        detail = str(u.detail)
        assert detail.startswith(f"{len(eligible)} eligible donor")
        named = ", ".join(f"{ref} ({w:.3f})" for w, ref in went[: engine.SHOWN])
        assert detail.endswith(named) if went else "; " not in detail
    assert full, "no unmet need had eligible donors: the comparison tested nothing"
    assert all(u.remaining > 0 for u in unmet)


def test_money_arcs_are_numbered_in_32_bits_and_match_the_pairs(tmp_path: Path) -> None:
    problem = _problem(tmp_path, 1, 40, 20)
    part = engine._money_arcs(problem)
    assert part.arcs.need.dtype == np.int32 and part.arcs.donor.dtype == np.int32
    assert part.rows.dtype == np.int32 and part.arcs.bound.dtype == np.int64
    for i, row in enumerate(part.rows.tolist()):
        pair = problem.pairs.pair(row)
        need = problem.needs[pair.need]
        supply = problem.supply[pair.donor]
        assert need.money and supply.money > 0
        assert problem.needs[part.need_positions[part.arcs.need[i]]] is need
        assert part.donor_ids[part.arcs.donor[i]] == pair.donor
        assert part.arcs.weight[i] == pair.score.total
        most = min(need.remaining, supply.money)
        if supply.max_per_partnership is not None and supply.max_per_partnership > 0:
            most = min(most, supply.max_per_partnership)
        assert part.arcs.bound[i] == most


def test_positions_that_do_not_fit_in_32_bits_are_refused() -> None:
    fits = as_index(np.asarray([0, 7, INDEX_MAX], dtype=np.int64), "pairs")
    assert fits.dtype == np.int32 and fits.tolist() == [0, 7, INDEX_MAX]
    with pytest.raises(OverflowError, match="2,147,483,648 pairs"):
        as_index(np.asarray([1, INDEX_MAX + 1], dtype=np.int64), "pairs")


@pytest.mark.parametrize("seed", [1, 2])
def test_arcs_made_twice_and_given_in_parts_solve_the_same(
    tmp_path: Path, seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Arcs made by a function (let go while the flow solver runs) and given to it a few at a
    time: the same solution as the arcs given whole."""
    problem = _problem(tmp_path, seed, 40, 20)
    part = engine._money_arcs(problem)
    minimums = [problem.supply[d].min_per_partnership for d in part.donor_ids]
    whole = solver.solve_money(part.needs, part.donors, part.arcs, minimums)
    monkeypatch.setattr(solver, "ARCS_AT_ONCE", 7)
    made = solver.solve_money(
        part.needs, part.donors, lambda: engine._money_arcs(problem).arcs, minimums
    )
    assert whole.flows and made == whole


@pytest.mark.parametrize("seed", range(6))
def test_values_first_seen_are_numbered_in_order_of_appearance(seed: int) -> None:
    rng = np.random.default_rng(seed)
    values = rng.integers(
        0, [1, 5, 40, 1_000, 70_000, 3][seed], size=[1, 7, 500, 20_000, 9, 0][seed]
    )
    values = values.astype(np.int32)
    distinct, local = engine._first_seen(values)
    expected: dict[int, int] = {}
    for v in values.tolist():
        expected.setdefault(v, len(expected))
    assert distinct.tolist() == list(expected)
    assert local.tolist() == [expected[v] for v in values.tolist()]
    assert distinct.dtype == np.int64 and local.dtype == np.int32


@pytest.mark.parametrize("seed", range(6))
def test_smallest_distinct_values_of_segments_are_those_a_sort_of_each_gives(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = np.random.default_rng(seed)
    keys_in_all, none = [5, 40, 300, 7, 1, 60][seed], [4, 30, 2_000, 3, 9, 100][seed]
    table = np.sort(rng.integers(0, none + 1, size=(keys_in_all, engine.SHOWN)), axis=1)
    lengths = rng.integers(1, [3, 9, 40, 2, 1, 25][seed] + 1, size=[4, 30, 200, 1, 6, 50][seed])
    starts = np.zeros(lengths.size, dtype=np.int64)
    np.cumsum(lengths[:-1], out=starts[1:])
    keys = rng.integers(0, keys_in_all, size=int(lengths.sum())).astype(np.int32)
    monkeypatch.setattr(engine, "ROWS_AT_ONCE", [1, 10, 50, 1 << 20, 2, 7][seed])
    found = engine._smallest_distinct(table, keys, starts, lengths, none)
    for i, (start, length) in enumerate(zip(starts.tolist(), lengths.tolist(), strict=True)):
        expected = np.unique(table[keys[start : start + length]])[: engine.SHOWN].tolist()
        expected += [none] * (engine.SHOWN - len(expected))
        assert found[i].tolist() == expected
