"""``match --explain`` on the shipped data: every donor, then what the need got and why each
kept donor gave nothing, compared with golden copies in English and Portuguese."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import PROJECT, Run

AS_OF = "2026-11-21"
GOLDEN = Path(__file__).parent / "golden"
REGENERATE = os.environ.get("SOLIDARITY_REGENERATE") == "1"
#: A need a kept donor gives nothing to, for lack of capacity.
UNMET = "achada-furna-2026-2029/reservatorio-rega"
#: A need that is met, with a kept donor left out of it.
MET = "achada-furna-2026-2029/secagem-cafe"


@pytest.mark.parametrize("language", ["en", "pt"])
@pytest.mark.parametrize("ref", [UNMET, MET])
def test_explain_ends_with_the_outcome(
    cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch, language: str, ref: str
) -> None:
    monkeypatch.setenv("SOLIDARITY_LANG", language)
    run = cli(["match", "--repo", str(PROJECT), "--as-of", AS_OF, "--explain", ref])
    assert run.exit_code == 0, run.stderr
    golden = GOLDEN / f"explain-{ref.replace('/', '--')}.{language}.txt"
    if REGENERATE:
        golden.write_text(run.stdout, encoding="utf-8")
    assert run.stdout == golden.read_text(encoding="utf-8")


def test_outcome_in_json_names_what_was_given_and_why_not() -> None:
    from typer.testing import CliRunner

    from solidarity_cli.cli.app import app

    args = ["match", "--repo", str(PROJECT), "--as-of", AS_OF, "-f", "json", "--explain"]
    unmet = json.loads(CliRunner().invoke(app, [*args, UNMET]).stdout)["outcome"]
    assert unmet["given"] == []
    assert unmet["idle"] and all("went to needs that weigh more" in i["why"] for i in unmet["idle"])
    met = json.loads(CliRunner().invoke(app, [*args, MET]).stdout)["outcome"]
    assert met["given"] and met["given"][0]["amount"]["currency"] == "CVE"
    assert any("already met by" in i["why"] for i in met["idle"])
