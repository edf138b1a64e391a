"""``check --rev REV`` checks the templates of that version, not those of the working tree."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.conftest import Run
from tests.revisions.gitutil import commit_all, git

AS_OF = "2025-09-15"
HOSTILE = "{{ cycler.__init__.__globals__ }}\n"


def _tp(run: Run) -> list[tuple[str, str, int]]:
    return sorted(
        (d["code"], d["path"], d["line"])
        for d in run.json()["diagnostics"]
        if d["code"].startswith("TP")
    )


def _check(cli: Callable[..., Run], repo: Path, *rev: str) -> Run:
    args = ["check", "--repo", str(repo), "--as-of", AS_OF, "--format", "json"]
    return cli([*args, *(("--rev", rev[0]) if rev else ())])


def test_template_of_the_revision_is_checked(minimal: Path, cli: Callable[..., Run]) -> None:
    clean = commit_all(minimal, "no templates")
    (minimal / "templates").mkdir()
    (minimal / "templates" / "base.html.j2").write_text("<p>\n" + HOSTILE, encoding="utf-8")
    (minimal / "templates" / "notes.txt").write_text("not a template\n", encoding="utf-8")
    hostile = commit_all(minimal, "a template reaching for Python's internals")

    at_hostile = _check(cli, minimal, hostile)
    assert at_hostile.exit_code == 1
    assert ("TP004", "templates/base.html.j2", 2) in _tp(at_hostile)
    # the same from the working tree
    assert _tp(_check(cli, minimal)) == _tp(at_hostile)

    # the earlier version had no template: nothing is said of today's working tree
    assert _tp(_check(cli, minimal, clean)) == []

    # and the other way round: the working tree fixed, the commit still hostile
    (minimal / "templates" / "base.html.j2").write_text("<p>{{ page_title }}</p>\n")
    assert _tp(_check(cli, minimal)) == []
    assert _tp(_check(cli, minimal, hostile)) == _tp(at_hostile)
    assert git(minimal, "status", "--porcelain").strip() == "M templates/base.html.j2"
