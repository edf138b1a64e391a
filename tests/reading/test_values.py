"""Equal values read from many files are kept once, and sharing them changes no answer.

A loaded network holds hundreds of thousands of records; each equal text, date and set of given
fields is one object for all of them. The walk that shares them also decides which files the
data-protection rules read, so it must flag exactly the files an unshared walk flags.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from solidarity_cli.checking import check_repository
from solidarity_cli.models.base import Money, Period
from solidarity_cli.models.strategy import SectorCode
from solidarity_cli.privacy import texts_may_hold_personal_data
from solidarity_cli.reading import load_repository
from solidarity_cli.reading.parse import parse_bytes
from solidarity_cli.reading.values import Shared, may_be_personal, walk
from tests.reading.test_properties import PROFILE


def _models(value: Any) -> Iterator[BaseModel]:
    """Every model held in ``value``, each once."""
    seen: set[int] = set()
    stack = [value]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, BaseModel):
            yield node
            stack.extend(node.__dict__.values())
        elif isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list | tuple):
            stack.extend(node)


def _loaded(root: Path) -> list[BaseModel]:
    dataset = load_repository(root).dataset
    tables = [
        dataset.communities,
        dataset.strategies,
        dataset.donors,
        dataset.agreements,
        dataset.platforms,
        dataset.reports,
    ]
    return list(_models(tables))


def test_records_share_one_set_of_given_fields_per_combination(shipped: Path) -> None:
    models = _loaded(shipped)
    sets_by_fields: dict[tuple[type, frozenset[str]], set[int]] = {}
    for model in models:
        fields = model.model_fields_set
        sets_by_fields.setdefault((type(model), frozenset(fields)), set()).add(id(fields))
    assert len(models) > 300
    assert all(len(ids) == 1 for ids in sets_by_fields.values())


def test_records_share_equal_dates_and_codes_read_from_different_files(shipped: Path) -> None:
    dates: dict[dt.date, set[int]] = {}
    currencies: dict[str, set[int]] = {}
    for model in _loaded(shipped):
        for value in model.__dict__.values():
            if type(value) is dt.date:
                dates.setdefault(value, set()).add(id(value))
        if isinstance(model, Money):
            currencies.setdefault(model.currency, set()).add(id(model.currency))
    assert sum(len(ids) for ids in dates.values()) == len(dates) > 20
    assert len(currencies) >= 2
    assert all(len(ids) == 1 for ids in currencies.values())


def test_equal_small_values_of_different_records_are_one_object(shipped: Path) -> None:
    instances: dict[tuple[Any, ...], set[int]] = {}
    for model in _loaded(shipped):
        if isinstance(model, Period | SectorCode):
            key = (type(model), frozenset(model.model_fields_set), *model.__dict__.values())
            instances.setdefault(key, set()).add(id(model))
    assert len(instances) > 5
    assert all(len(ids) == 1 for ids in instances.values())


def test_values_made_outside_a_load_are_their_own_objects() -> None:
    day = dt.date(2026, 1, 1)
    assert Period(start=day, end=day) is not Period(start=day, end=day)


def test_a_copy_with_an_update_leaves_the_shared_fields_set_alone(shipped: Path) -> None:
    # Withholding personal data copies records with an update: the copy says the field was
    # given, and the records that shared the copied record's set are left as they were.
    groups: dict[int, list[BaseModel]] = {}
    for model in _loaded(shipped):
        if set(type(model).model_fields) - model.model_fields_set:
            groups.setdefault(id(model.model_fields_set), []).append(model)
    first, second = next(group for group in groups.values() if len(group) > 1)[:2]
    unset = sorted(set(type(first).model_fields) - first.model_fields_set)[0]
    changed = first.model_copy(update={unset: getattr(first, unset)})
    assert unset in changed.model_fields_set
    assert unset not in first.model_fields_set
    assert unset not in second.model_fields_set
    assert first.model_fields_set is second.model_fields_set


def test_a_text_flagged_in_one_file_flags_every_file_repeating_it(minimal: Path) -> None:
    text = "  pt: 'Contacto: ana.lima@example.cv'\n"
    for name in ("fundacao-mar-aberto", "grupo-amigos-de-lisboa"):
        path = minimal / "data" / "donors" / f"{name}.yaml"
        path.write_text(path.read_text(encoding="utf-8") + "description:\n" + text, "utf-8")
    report = check_repository(minimal, as_of=dt.date(2026, 11, 1))
    flagged = sorted(d.path for d in report.diagnostics if d.code == "DP001")
    assert flagged == [
        "data/donors/fundacao-mar-aberto.yaml",
        "data/donors/grupo-amigos-de-lisboa.yaml",
    ]


def test_files_parsed_with_one_shared_table_hold_one_object_per_value() -> None:
    shared = Shared()
    first = parse_bytes("a.yaml", b"id: a\non: 2025-03-31\nname: Ana\n", shared=shared)
    second = parse_bytes("b.yaml", b"id: b\nat: [2025-03-31]\nnames: {pt: Ana}\n", shared=shared)
    assert first.data["on"] is second.data["at"][0]
    assert first.data["name"] is second.data["names"]["pt"]


#: Texts that repeat across generated files, some of which the screen flags.
_TEXTS = st.sampled_from(
    ["a", "CVE", "Ana Lima", "ana@example.cv", "tel. +238 991 23 45", "2025-2028", "NIF 123456789"]
)
_LEAVES = st.one_of(st.none(), st.integers(), _TEXTS, st.dates(), st.text(max_size=4))
_VALUES = st.recursive(
    _LEAVES,
    lambda children: st.one_of(
        st.lists(children, max_size=3), st.dictionaries(st.text(max_size=3), children, max_size=3)
    ),
    max_leaves=25,
)


@settings(PROFILE)
@given(st.lists(_VALUES, min_size=1, max_size=6))
def test_a_shared_walk_changes_no_value_depth_or_verdict(files: list[Any]) -> None:
    shared = Shared()
    for value in files:
        before = copy.deepcopy(value)
        alone = walk(before)
        walked = walk(value, shared)
        assert value == before
        assert walked.layers == alone.layers
        personal = may_be_personal(walked, shared)
        assert personal == texts_may_hold_personal_data(alone.texts)
