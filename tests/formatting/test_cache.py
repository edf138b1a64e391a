"""``fmt``'s cache: a file found canonical is not formatted again, and never a stale answer."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from solidarity_cli.formatting import cache as cache_module
from solidarity_cli.formatting import canonical, files, format_paths
from tests.conftest import Run


@pytest.fixture
def rounds(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The text of every file ``format_paths`` puts through the round trip, in order."""
    seen: list[str] = []
    real = canonical.format_text

    def counting(text: str, kind: canonical.Kind) -> str:
        seen.append(text)
        return real(text, kind)

    monkeypatch.setattr(files, "format_text", counting)
    return seen


def _cache_files() -> list[Path]:
    return sorted(Path(os.environ["SOLIDARITY_CACHE_DIR"]).glob("fmt-*.json"))


def test_a_second_check_formats_nothing(shipped: Path, rounds: list[str]) -> None:
    first = format_paths(shipped, [], check=True, cache=True)
    assert first.exit_code == 0 and len(rounds) == first.files > 10
    rounds.clear()
    second = format_paths(shipped, [], check=True, cache=True)
    assert second.exit_code == 0 and second.files == first.files
    assert rounds == []
    assert len(_cache_files()) == 1
    assert not any(p.name.startswith("fmt-") for p in shipped.rglob("*"))


def test_an_edited_file_is_formatted_again(shipped: Path, rounds: list[str]) -> None:
    format_paths(shipped, [], check=True, cache=True)
    donor = next((shipped / "data" / "donors").glob("*.yaml"))
    text = donor.read_text(encoding="utf-8")
    donor.write_text(text + "\n\n", encoding="utf-8")
    rounds.clear()
    again = format_paths(shipped, [], check=True, cache=True)
    assert len(rounds) == 1
    assert [c.path for c in again.changes] == [donor.relative_to(shipped).as_posix()]
    assert again.exit_code == 1


def test_a_written_file_is_known_canonical(shipped: Path, rounds: list[str]) -> None:
    donor = next((shipped / "data" / "donors").glob("*.yaml"))
    donor.write_text(donor.read_text(encoding="utf-8") + "\n\n", encoding="utf-8")
    fixed = format_paths(shipped, [], check=False, cache=True)
    assert len(fixed.changes) == 1
    rounds.clear()
    assert format_paths(shipped, [], check=True, cache=True).exit_code == 0
    assert rounds == []


def test_a_new_formatter_starts_afresh(
    shipped: Path, rounds: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    format_paths(shipped, [], check=True, cache=True)
    monkeypatch.setattr(cache_module, "package_fingerprint", lambda: "an edited package")
    rounds.clear()
    result = format_paths(shipped, [], check=True, cache=True)
    assert len(rounds) == result.files


def test_a_damaged_cache_is_ignored(shipped: Path, rounds: list[str]) -> None:
    format_paths(shipped, [], check=True, cache=True)
    (entry,) = _cache_files()
    entry.write_text('{"format": 1, "salt": ', encoding="utf-8")
    rounds.clear()
    result = format_paths(shipped, [], check=True, cache=True)
    assert result.exit_code == 0 and len(rounds) == result.files
    assert json.loads(entry.read_text(encoding="utf-8"))["canonical"]


def test_without_cache_nothing_is_kept(shipped: Path, rounds: list[str]) -> None:
    format_paths(shipped, [], check=True)
    assert _cache_files() == []
    rounds.clear()
    result = format_paths(shipped, [], check=True)
    assert len(rounds) == result.files


def test_cli_no_cache_formats_every_file(
    shipped: Path, cli: Callable[..., Run], rounds: list[str]
) -> None:
    assert cli(["fmt", "--check", "--repo", str(shipped)]).exit_code == 0
    kept = len(rounds)
    assert kept > 10 and len(_cache_files()) == 1
    assert cli(["fmt", "--check", "--repo", str(shipped)]).exit_code == 0
    assert len(rounds) == kept
    assert cli(["fmt", "--check", "--no-cache", "--repo", str(shipped)]).exit_code == 0
    assert len(rounds) == 2 * kept
