"""``match`` reads no field of a record beyond ``MATCH_FIELDS``: loaded with those alone, a
network gets the same findings, proposals, needs left and explanations."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from solidarity_cli.dataset import Dataset
from solidarity_cli.matching.engine import MATCH_FIELDS, MATCH_KINDS, explain, match
from solidarity_cli.reading import load_repository
from solidarity_cli.withholding import make_public
from tests.conftest import generator

AS_OF = dt.date(2026, 11, 21)


@pytest.mark.parametrize("seed", [1, 3])
def test_the_fields_match_reads_give_the_same_match(tmp_path: Path, seed: int) -> None:
    root = generator().generate(tmp_path / f"n{seed}", 40, 20, seed=seed).root
    whole = load_repository(root, kinds=MATCH_KINDS)
    lean = load_repository(root, kinds=MATCH_KINDS, fields=MATCH_FIELDS)
    assert lean.diagnostics == whole.diagnostics
    full, few = make_public(whole.dataset).dataset, make_public(lean.dataset).dataset
    expected = match(full, AS_OF)
    assert match(few, AS_OF).to_dict() == expected.to_dict()
    refs = sorted({p.need for p in expected.proposals} | {u.need for u in expected.unmet})
    assert refs
    for ref in refs[:: max(len(refs) // 4, 1)]:
        assert _explained(few, ref) == _explained(full, ref)


def _explained(dataset: Dataset, ref: str) -> tuple[object, ...]:
    """What ``--explain`` prints of a need (its records aside)."""
    found = explain(dataset, AS_OF, ref)
    assert found.need is not None
    return (found.need.ref, found.need.remaining, found.rows, found.rank, found.of, found.outcome)


def test_the_records_keep_only_the_fields_named(tmp_path: Path) -> None:
    root = generator().generate(tmp_path / "n", 10, 5, seed=2).root
    lean = load_repository(root, kinds=MATCH_KINDS, fields=MATCH_FIELDS).dataset
    assert lean.agreements and lean.communities and lean.strategies
    for kind, names in MATCH_FIELDS.items():
        for record in lean.table(kind).values():
            assert set(record.__dict__) == names
    donor = next(iter(lean.donors.values()))
    assert set(donor.__dict__) == set(type(donor).model_fields)
    agreement = next(iter(lean.agreements.values()))
    with pytest.raises(AttributeError):
        _ = agreement.results
