"""``solidarity fmt`` on the command line, and the drafts of ``match --write``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.conftest import Run

AS_OF = "2026-11-21"


def test_check_prints_a_diff_and_fmt_repairs(minimal: Path, cli: Callable[..., Run]) -> None:
    target = next((minimal / "data" / "donors").glob("*.yaml"))
    original = target.read_text(encoding="utf-8")
    target.write_text(original.replace("\n  ", "\n      "), encoding="utf-8")
    run = cli(["fmt", "--repo", str(minimal), "--check"])
    assert run.exit_code == 1
    assert run.stdout.startswith("--- a/data/donors/")
    assert "not in the canonical form" in run.stderr
    run = cli(["fmt", "--repo", str(minimal), "--format", "json", "--check"])
    assert run.exit_code == 1
    assert run.json()["changed"] == [target.relative_to(minimal).as_posix()]
    run = cli(["fmt", "--repo", str(minimal)])
    assert run.exit_code == 0, run.stderr
    assert "1 file rewritten" in run.stderr
    assert target.read_text(encoding="utf-8") == original
    run = cli(["fmt", "--repo", str(minimal), "--check"])
    assert (run.exit_code, run.stdout) == (0, "")
    assert "every file is in the canonical form" in run.stderr


def test_match_write_drafts_are_canonical(shipped: Path, cli: Callable[..., Run]) -> None:
    run = cli(["match", "--repo", str(shipped), "--as-of", AS_OF, "--write"])
    assert run.exit_code == 0, run.stderr
    drafts = [line.split()[-1] for line in run.stderr.splitlines() if line.startswith("wrote ")]
    assert drafts
    for draft in drafts:
        text = (shipped / draft).read_text(encoding="utf-8")
        assert "&id" not in text and "*id" not in text
    run = cli(["fmt", "--repo", str(shipped), "--check", *[str(shipped / d) for d in drafts]])
    assert (run.exit_code, run.stdout) == (0, ""), run.stdout


def test_a_misspelt_or_outside_path_is_named_never_a_crash(
    minimal: Path, tmp_path: Path, cli: Callable[..., Run]
) -> None:
    typo = minimal / "data" / "comunities"
    run = cli(["fmt", "--check", "--repo", str(minimal), str(typo)])
    assert run.exit_code == 2
    assert f"{typo}: no such file or folder" in run.stderr
    assert "canonical" not in run.stdout + run.stderr
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text("name: x\n", encoding="utf-8")
    run = cli(["fmt", "--repo", str(minimal), str(outside)])
    assert run.exit_code == 2
    assert "is outside the repository" in run.stderr
    assert "internal error" not in run.stderr
    assert outside.read_text(encoding="utf-8") == "name: x\n"
