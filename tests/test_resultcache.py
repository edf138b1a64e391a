"""The result cache answers an unchanged repository, and never gives a stale answer."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from solidarity_cli import resultcache
from solidarity_cli.checking import CheckReport, check_repository, check_with_cache
from solidarity_cli.reporting.i18n import translations
from solidarity_cli.words import say
from tests.conftest import Run
from tests.revisions.gitutil import commit_all, git

AS_OF = dt.date(2025, 9, 15)
STRATEGY = "data/communities/cruzinha/strategies/cruzinha-2025-2028.yaml"


def _found(report: CheckReport) -> list[dict[str, object]]:
    return [d.to_dict() for d in report.diagnostics]


def _cached(report: CheckReport) -> bool:
    """A cached answer carries counts but no loaded records."""
    return report.records is not None and not report.dataset.communities


def test_unchanged_repository_is_answered_from_the_cache(minimal: Path) -> None:
    path = minimal / STRATEGY
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("end: 2025-12-31}", "end: 2029-12-31}"), encoding="utf-8")
    first = check_with_cache(minimal, as_of=AS_OF)
    second = check_with_cache(minimal, as_of=AS_OF)
    assert not _cached(first)
    assert _cached(second)
    assert _found(second) == _found(first) == _found(check_repository(minimal, as_of=AS_OF))
    assert second.summary() == first.summary()
    assert first.warnings >= 1
    # messages still speak the reader's language
    pt = translations("pt").gettext
    assert [say(d.message, pt) for d in second.diagnostics] == [
        say(d.message, pt) for d in first.diagnostics
    ]
    assert any(say(d.message, pt) != d.message for d in second.diagnostics)
    # nothing is written into the repository
    assert not [p for p in minimal.rglob("*") if "cache" in p.name]


def test_a_file_touched_but_not_changed_is_still_answered(minimal: Path) -> None:
    check_with_cache(minimal, as_of=AS_OF)
    os.utime(minimal / STRATEGY, ns=(1, 1))
    assert _cached(check_with_cache(minimal, as_of=AS_OF))


def _edit_strategy(root: Path) -> None:
    path = root / STRATEGY
    path.write_text(path.read_text(encoding="utf-8").replace("priority: 2", "priority: 0"))


def _settings(root: Path) -> None:
    path = root / "solidarity.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "rules: {ignore: [no-such-rule]}\n")


def _stray(root: Path) -> None:
    (root / "data" / "notes.txt").write_text("a note\n")


def _template(root: Path) -> None:
    (root / "templates").mkdir()
    (root / "templates" / "base.html.j2").write_text("{{ nothing_known }}\n")


def _leftover(root: Path) -> None:
    (root / ".site.1234").mkdir()


CHANGES: dict[str, Callable[[Path], None]] = {
    "record": _edit_strategy,
    "settings": _settings,
    "stray-file": _stray,
    "template": _template,
    "leftover-at-the-top": _leftover,
}


@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
def test_any_change_is_checked_again(minimal: Path, change: Callable[[Path], None]) -> None:
    before = _found(check_with_cache(minimal, as_of=AS_OF))
    change(minimal)
    after = check_with_cache(minimal, as_of=AS_OF)
    assert not _cached(after)
    assert _found(after) == _found(check_repository(minimal, as_of=AS_OF))
    assert _found(after) != before


def test_another_day_is_checked_again(minimal: Path) -> None:
    check_with_cache(minimal, as_of=AS_OF)
    later = check_with_cache(minimal, as_of=dt.date(2027, 1, 1))
    assert not _cached(later)
    assert _found(later) == _found(check_repository(minimal, as_of=dt.date(2027, 1, 1)))


def test_a_damaged_cache_is_ignored(minimal: Path) -> None:
    first = check_with_cache(minimal, as_of=AS_OF)
    [entry] = resultcache.cache_dir().glob("check-*.json")
    entry.write_text('{"key": "', encoding="utf-8")
    again = check_with_cache(minimal, as_of=AS_OF)
    assert not _cached(again)
    assert _found(again) == _found(first)


def test_paths_filter_a_cached_answer(minimal: Path) -> None:
    _edit_strategy(minimal)
    check_with_cache(minimal, as_of=AS_OF)
    only = check_with_cache(minimal, paths=["data/donors"], as_of=AS_OF)
    assert _cached(only)
    assert all(d.path.startswith("data/donors/") for d in only.diagnostics)


def test_command_gives_the_same_output_from_the_cache(
    minimal: Path, cli: Callable[..., Run]
) -> None:
    _edit_strategy(minimal)
    args = ["check", "--repo", str(minimal), "--as-of", AS_OF.isoformat(), "--format", "json"]
    first, second = cli(args), cli(args)
    assert (first.exit_code, second.exit_code) == (1, 1)
    assert first.stdout == second.stdout
    assert list(resultcache.cache_dir().glob("check-*.json"))
    full = cli([*args, "--no-cache"])
    assert full.stdout == first.stdout


def test_in_a_git_repository_edits_staged_or_not_are_checked_again(minimal: Path) -> None:
    commit_all(minimal, "the example")
    check_with_cache(minimal, as_of=AS_OF)
    assert _cached(check_with_cache(minimal, as_of=AS_OF))
    _edit_strategy(minimal)  # not staged
    edited = check_with_cache(minimal, as_of=AS_OF)
    assert not _cached(edited)
    assert _found(edited) == _found(check_repository(minimal, as_of=AS_OF))
    assert edited.errors >= 1
    git(minimal, "add", "-A")  # staged: the index now names the new content
    staged = check_with_cache(minimal, as_of=AS_OF)
    assert _found(staged) == _found(edited)
    git(minimal, "checkout", "HEAD", "--", ".")  # back to the commit
    back = check_with_cache(minimal, as_of=AS_OF)
    assert _found(back) == _found(check_repository(minimal, as_of=AS_OF))
    assert back.errors == 0
