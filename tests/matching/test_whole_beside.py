"""``match`` solves the whole needs in a second process while it solves the money: the
same proposals, needs left and objective as when it solves both itself."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

import pytest

from solidarity_cli import beside as beside_module
from solidarity_cli.matching import engine
from solidarity_cli.reading import load_repository
from tests.conftest import generator

AS_OF = dt.date(2026, 11, 21)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forks on Linux only")
@pytest.mark.parametrize("seed", [2, 4])
def test_whole_needs_solved_beside_give_the_same_match(
    tmp_path: Path, seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    dataset = load_repository(generator().generate(tmp_path / "n", 40, 20, seed=seed).root).dataset
    forked: list[bool] = []
    start = beside_module._start

    def counted(work: Any) -> Any:
        pending = start(work)
        forked.append(pending.forked)
        return pending

    monkeypatch.setattr(beside_module, "_start", counted)
    monkeypatch.setattr(engine, "WHOLE_FORK_LIMIT", 0)
    here = engine.match(dataset, AS_OF).to_dict()
    assert forked == []
    monkeypatch.setattr(engine, "WHOLE_FORK_LIMIT", 1 << 40)
    beside = engine.match(dataset, AS_OF).to_dict()
    assert forked == [True]
    assert beside == here
    assert here["objective"]["whole"]["value"] > 0
    assert any(p["days"] for p in here["proposals"])
