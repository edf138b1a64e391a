"""Shared fixtures: copies of real repositories on disk and a CLI runner with fixed width."""

from __future__ import annotations

import importlib.util
import json
import shutil
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from typer.testing import CliRunner

from solidarity_cli.cli.app import app

PROJECT = Path(__file__).resolve().parents[1]
EXAMPLE_REPO = PROJECT / "src" / "solidarity_cli" / "example_repo"
SHARED = PROJECT.parent / "shared"


def generator() -> ModuleType:
    """benchmarks/generate.py, the generator of synthetic networks (loaded once)."""
    loaded = sys.modules.get("solidarity_generate")
    if loaded is not None:
        return loaded
    path = PROJECT / "benchmarks" / "generate.py"
    spec = importlib.util.spec_from_file_location("solidarity_generate", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def copy_repository(source: Path, target: Path) -> Path:
    """Copy a data repository (settings, data, schemas) into ``target``."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source / "solidarity.yaml", target / "solidarity.yaml")
    shutil.copytree(source / "data", target / "data")
    if (source / "schemas").is_dir():
        shutil.copytree(source / "schemas", target / "schemas")
    return target


@pytest.fixture(autouse=True)
def _own_result_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each test keeps ``check`` results in a cache folder of its own, never the user's."""
    monkeypatch.setenv("SOLIDARITY_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture
def shipped(tmp_path: Path) -> Path:
    """A private copy of the data shipped with the project."""
    return copy_repository(PROJECT, tmp_path / "shipped")


@pytest.fixture
def minimal(tmp_path: Path) -> Path:
    """A private copy of the smallest valid repository (the one rule examples build on)."""
    return copy_repository(EXAMPLE_REPO, tmp_path / "minimal")


@dataclass
class Run:
    """What a CLI invocation gave."""

    exit_code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        """stdout parsed as JSON."""
        return json.loads(self.stdout)


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch) -> Callable[..., Run]:
    """Invoke ``solidarity`` in-process with no colour and a fixed width."""
    runner = CliRunner()

    def invoke(args: Sequence[str], cwd: Path | None = None) -> Run:
        if cwd is not None:
            monkeypatch.chdir(cwd)
        env = {"NO_COLOR": "1", "COLUMNS": "120", "TERM": "dumb"}
        result = runner.invoke(app, list(args), env=env, catch_exceptions=False)
        return Run(result.exit_code, result.stdout, result.stderr)

    return invoke
