"""``solidarity check`` through the command line: exit codes, stdout and stderr together."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from solidarity_cli.cli.app import app
from tests.conftest import Run

AS_OF = "2025-09-15"  # the day the example repository is clean on


def test_clean_repository_exits_0(minimal: Path, cli: Callable[..., Run]) -> None:
    run = cli(["check", "--as-of", AS_OF, "--repo", str(minimal)])
    assert run.exit_code == 0
    assert run.stderr == ""  # the answer is on stdout: `check > findings.txt` keeps it
    assert run.stdout == (
        "All good: 11 files checked (1 vocabulary, 1 platform, 1 community, 1 strategy, "
        "2 needs, 2 donors, 2 agreements, 3 reports).\n"
    )


def test_repository_found_by_walking_up(minimal: Path, cli: Callable[..., Run]) -> None:
    run = cli(["check", "--as-of", AS_OF], cwd=minimal / "data" / "communities" / "cruzinha")
    assert run.exit_code == 0, run.stderr


def test_json_document(minimal: Path, cli: Callable[..., Run]) -> None:
    run = cli(["check", "--as-of", AS_OF, "--repo", str(minimal), "--format", "json"])
    document = json.loads(run.stdout)
    assert document["version"] == 1
    assert document["summary"]["files"] == 11
    assert document["summary"]["records"]["communities"] == 1
    assert document["summary"]["records"]["needs"] == 2
    assert document["summary"]["errors"] == 0
    assert document["diagnostics"] == []


def _break_kind(repo: Path) -> None:
    path = repo / "data" / "communities" / "cruzinha" / "community.yaml"
    path.write_text(path.read_text().replace("kind: village", "kind: vilage"))


def test_text_output_names_file_line_column_and_fix(minimal: Path, cli: Callable[..., Run]) -> None:
    _break_kind(minimal)
    run = cli(["check", "--as-of", AS_OF, "--repo", str(minimal)])
    assert run.exit_code == 1
    assert run.stderr == ""
    assert (
        "data/communities/cruzinha/community.yaml:3:7: error SC003 kind is 'vilage', "
        "which is not one of: village, neighbourhood, locality" in run.stdout
    )
    assert "what to do: did you mean 'village'?" in run.stdout
    assert "1 error." in run.stdout


@pytest.mark.parametrize(
    ("written", "code", "language", "hint"),
    [
        ("povoado", "village", "en", "in the files 'povoado' is written village"),
        ("Bairro", "neighbourhood", "pt", "nos ficheiros, 'Bairro' escreve-se neighbourhood"),
        ("quartier", "neighbourhood", "fr", "'quartier' s\u2019écrit neighbourhood"),
        ("localidad", "locality", "es", "en los archivos, 'localidad' se escribe locality"),
    ],
)
def test_a_code_written_as_a_word_of_another_language_is_named(
    minimal: Path, written: str, code: str, language: str, hint: str
) -> None:
    """A volunteer writes the word they know ("povoado"); the fix names the code to write."""
    path = minimal / "data" / "communities" / "cruzinha" / "community.yaml"
    path.write_text(path.read_text().replace("kind: village", f"kind: {written}"))
    run = CliRunner().invoke(
        app,
        ["check", "--as-of", AS_OF, "--repo", str(minimal)],
        env={"SOLIDARITY_LANG": language, "NO_COLOR": "1", "COLUMNS": "200"},
    )
    assert run.exit_code == 1
    assert hint in run.stdout
    assert code in run.stdout


def test_json_diagnostic_fields(minimal: Path, cli: Callable[..., Run]) -> None:
    _break_kind(minimal)
    document = cli(["check", "--as-of", AS_OF, "--repo", str(minimal), "--format", "json"]).json()
    assert document["summary"]["errors"] == 1
    assert document["diagnostics"] == [
        {
            "code": "SC003",
            "severity": "error",
            "rule": "invalid-value",
            "path": "data/communities/cruzinha/community.yaml",
            "line": 3,
            "column": 7,
            "pointer": "/kind",
            "message": "kind is 'vilage', which is not one of: village, neighbourhood, locality",
            "hint": "did you mean 'village'?",
        }
    ]


def test_github_annotations(minimal: Path, cli: Callable[..., Run]) -> None:
    _break_kind(minimal)
    run = cli(["check", "--as-of", AS_OF, "--repo", str(minimal), "--format", "github"])
    assert run.exit_code == 1
    assert run.stdout.startswith(
        "::error file=data/communities/cruzinha/community.yaml,line=3,col=7,"
        "title=SC003 invalid-value::kind is 'vilage'"
    )
    assert run.stdout.count("\n") == 1


def test_paths_limit_what_is_reported(minimal: Path, cli: Callable[..., Run]) -> None:
    _break_kind(minimal)
    donors = minimal / "data" / "donors"
    assert cli(["check", "--as-of", AS_OF, "--repo", str(minimal), str(donors)]).exit_code == 0
    community = minimal / "data" / "communities"
    assert cli(["check", "--as-of", AS_OF, "--repo", str(minimal), str(community)]).exit_code == 1


def test_a_misspelt_path_is_an_error_not_all_good(
    minimal: Path, tmp_path: Path, cli: Callable[..., Run]
) -> None:
    typo = minimal / "data" / "comunities"
    run = cli(["check", "--as-of", AS_OF, "--repo", str(minimal), str(typo)])
    assert run.exit_code == 2
    assert f"{typo}: no such file or folder" in run.stderr
    assert "All good" not in run.stdout + run.stderr
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text("name: x\n", encoding="utf-8")
    run = cli(["check", "--as-of", AS_OF, "--repo", str(minimal), str(outside)])
    assert run.exit_code == 2
    assert "is outside the repository" in run.stderr
    assert "Traceback" not in run.stderr


def test_not_a_repository_exits_2_with_advice(tmp_path: Path, cli: Callable[..., Run]) -> None:
    run = cli(["check"], cwd=tmp_path)
    assert run.exit_code == 2
    assert "no solidarity.yaml found" in run.stderr
    assert "--repo" in run.stderr
    assert "Traceback" not in run.stderr


def test_bad_as_of_is_a_usage_error(minimal: Path, cli: Callable[..., Run]) -> None:
    run = cli(["check", "--as-of", AS_OF, "--repo", str(minimal), "--as-of", "21/11/2026"])
    assert run.exit_code == 2
    assert "--as-of" in run.stderr


def test_every_command_has_an_example(cli: Callable[..., Run]) -> None:
    for command in ("check", "schema"):
        run = cli([command, "--help"])
        assert run.exit_code == 0
        assert "Examples" in run.stdout and f"solidarity {command}" in run.stdout


def test_module_entry_point_runs_outside_the_test_process(minimal: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "solidarity_cli",
            "check",
            "--repo",
            str(minimal),
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        check=False,
        env={"NO_COLOR": "1", "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["summary"]["errors"] == 0


def test_a_place_that_cannot_be_written_is_said_plainly(
    tmp_path: Path, cli: Callable[..., Run]
) -> None:
    """The machine's refusal is the user's to fix, not "a bug in solidarity"."""
    a_file = tmp_path / "notes.txt"
    a_file.write_text("mine\n", encoding="utf-8")
    run = cli(["schema", "--out", str(a_file / "schemas")])
    assert run.exit_code == 2
    assert f"{a_file / 'schemas'}: part of this path is a file, not a folder" in run.stderr
    assert "internal error" not in run.stderr and "Traceback" not in run.stderr
    assert a_file.read_text(encoding="utf-8") == "mine\n"


def test_outside_any_network_the_fix_names_the_three_ways_in(tmp_path: Path) -> None:
    """A volunteer in the wrong folder: where to run it, --repo, or starting a network."""
    run = subprocess.run(
        [sys.executable, "-m", "solidarity_cli", "check"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "SOLIDARITY_LANG": "en", "NO_COLOR": "1"},
        check=False,
    )
    assert run.returncode == 2
    assert f"no solidarity.yaml found in {tmp_path.resolve()} or any folder above it" in run.stderr
    assert "give its folder with --repo DIR, or start a network there with solidarity init" in (
        run.stderr
    )
    assert "Traceback" not in run.stderr
