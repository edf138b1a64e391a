"""Matching runs with the cyclic collector paused, and gives it back as it found it."""

from __future__ import annotations

import datetime as dt
import gc
from pathlib import Path
from typing import Any

import pytest

from solidarity_cli.matching import engine
from solidarity_cli.reading import load_repository
from tests.conftest import PROJECT, generator

AS_OF = dt.date(2026, 11, 1)


@pytest.mark.parametrize("enabled", [True, False])
def test_match_and_explain_pause_the_collector_and_restore_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, enabled: bool
) -> None:
    root = generator().generate(tmp_path / "n", 20, 8, seed=3).root
    dataset = load_repository(root).dataset
    seen: list[bool] = []
    build = engine.build_problem

    def watched(*args: Any, **kwargs: Any) -> engine.Problem:
        seen.append(gc.isenabled())
        return build(*args, **kwargs)

    monkeypatch.setattr(engine, "build_problem", watched)
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        result = engine.match(dataset, AS_OF)
        assert gc.isenabled() is enabled
        ref = result.proposals[0].need
        explained = engine.explain(dataset, AS_OF, ref)
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()
    assert seen == [False, False]
    assert explained.need is not None and explained.need.ref == ref


def test_the_command_writes_its_result_with_the_collector_paused(
    cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from solidarity_cli.matching.result import MatchResult

    seen: list[bool] = []
    to_dict = MatchResult.to_dict

    def watched(self: MatchResult) -> dict[str, Any]:
        seen.append(gc.isenabled())
        return to_dict(self)

    monkeypatch.setattr(MatchResult, "to_dict", watched)
    was = gc.isenabled()
    gc.enable()
    try:
        run = cli(["match", "--as-of", "2026-11-21", "--format", "json"], cwd=PROJECT)
        after = gc.isenabled()
    finally:
        (gc.enable if was else gc.disable)()
    assert run.exit_code == 0, run.stderr
    assert seen == [False] and after
