"""Writers that cannot tear: exclusive creation, no links, the umask, whole swaps, SIGKILL."""

from __future__ import annotations

import itertools
import os
import random
import signal
import stat
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from solidarity_cli import atomic
from solidarity_cli.atomic import (
    clean_leftovers,
    clean_staging,
    write_text_atomic,
    write_tree_atomic,
)
from solidarity_cli.errors import UsageError


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_new_file_follows_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        write_text_atomic(tmp_path / "a.txt", "hello\n")
        os.umask(0o077)
        write_text_atomic(tmp_path / "b.txt", "hello\n")
    finally:
        os.umask(old)
    assert _mode(tmp_path / "a.txt") == 0o644
    assert _mode(tmp_path / "b.txt") == 0o600
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == "hello\n"


def test_an_overwritten_file_keeps_its_permissions(tmp_path: Path) -> None:
    target = tmp_path / "a.txt"
    target.write_text("old\n", encoding="utf-8")
    target.chmod(0o640)
    write_text_atomic(target, "new\n", overwrite=True)
    assert target.read_text(encoding="utf-8") == "new\n"
    assert _mode(target) == 0o640


def test_never_clobbers_without_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "a.txt"
    target.write_text("mine\n", encoding="utf-8")
    with pytest.raises(FileExistsError):
        write_text_atomic(target, "theirs\n")
    assert target.read_text(encoding="utf-8") == "mine\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]


@pytest.mark.parametrize("overwrite", [False, True])
def test_refuses_to_write_through_a_link(tmp_path: Path, overwrite: bool) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("untouched\n", encoding="utf-8")
    (tmp_path / "link.txt").symlink_to(secret)
    with pytest.raises(UsageError, match="symbolic link"):
        write_text_atomic(tmp_path / "link.txt", "x\n", overwrite=overwrite)
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "folder").symlink_to(real)
    with pytest.raises(UsageError, match="symbolic link"):
        write_text_atomic(tmp_path / "folder" / "new.txt", "x\n", overwrite=overwrite)
    assert secret.read_text(encoding="utf-8") == "untouched\n"
    assert list(real.iterdir()) == []


def test_text_that_cannot_be_encoded_writes_nothing(tmp_path: Path) -> None:
    with pytest.raises(UnicodeEncodeError):
        write_text_atomic(tmp_path / "a.txt", "half \udc80 a surrogate")
    assert list(tmp_path.iterdir()) == []


def test_temporary_names_and_leftovers_of_a_killed_write_are_cleaned(tmp_path: Path) -> None:
    stale = tmp_path / ".a.txt.0123456789ab.tmp"
    stale.write_text("torn", encoding="utf-8")
    os.utime(stale, (time.time() - 60, time.time() - 60))
    fresh = tmp_path / ".a.txt.ba9876543210.tmp"
    fresh.write_text("a writer still running", encoding="utf-8")
    other = tmp_path / ".b.txt.0123456789ab.tmp"
    other.write_text("another writer's", encoding="utf-8")
    os.utime(other, (time.time() - 60, time.time() - 60))
    write_text_atomic(tmp_path / "a.txt", "new\n")
    assert not stale.exists()
    assert fresh.exists() and other.exists()
    assert clean_leftovers(tmp_path, "b.txt") == [other]


def test_a_tree_is_swapped_in_whole_with_the_umask(tmp_path: Path) -> None:
    out = tmp_path / "site"
    old = os.umask(0o022)
    try:
        write_tree_atomic({"index.html": "one", "a/b/page.html": "one"}, out)
        write_tree_atomic({"index.html": "two", "c/page.html": "two"}, out)
    finally:
        os.umask(old)
    files = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    assert files == ["c/page.html", "index.html"]
    assert (out / "index.html").read_text(encoding="utf-8") == "two"
    assert _mode(out) == 0o755 and _mode(out / "c") == 0o755
    assert _mode(out / "c" / "page.html") == 0o644
    assert [p.name for p in tmp_path.iterdir()] == ["site"]


def test_a_tree_refuses_paths_outside_it_and_links(tmp_path: Path) -> None:
    with pytest.raises(UsageError):
        write_tree_atomic({"../escape.html": "x"}, tmp_path / "site")
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "site").symlink_to(real)
    with pytest.raises(UsageError, match="symbolic link"):
        write_tree_atomic({"index.html": "x"}, tmp_path / "site")
    assert not (tmp_path / "escape.html").exists()
    assert list(real.iterdir()) == []


def test_a_tree_is_written_as_its_files_come_and_none_is_held(tmp_path: Path) -> None:
    """Pairs made one at a time are each on disk, in the staging folder, before the next."""
    out = tmp_path / "site"
    seen: list[list[str]] = []

    def pages() -> Iterator[tuple[str, str]]:
        for i in range(4):
            staged = [p for p in tmp_path.glob(".site.*/**/*") if p.is_file()]
            seen.append(sorted(p.read_text(encoding="utf-8") for p in staged))
            yield f"part{i % 2}/page{i}.html", f"page {i}"

    write_tree_atomic(pages(), out)
    assert seen == [[], ["page 0"], ["page 0", "page 1"], ["page 0", "page 1", "page 2"]]
    assert (out / "part1" / "page3.html").read_text(encoding="utf-8") == "page 3"
    assert [p.name for p in tmp_path.iterdir()] == ["site"]


@pytest.mark.parametrize(
    "bad", [("../escape.html", "x"), ("b.html", "\udc80"), ("a/page1.html", "twice")]
)
def test_a_stream_that_fails_midway_leaves_the_old_tree_and_no_staging(
    tmp_path: Path, bad: tuple[str, str]
) -> None:
    out = tmp_path / "site"
    write_tree_atomic({"index.html": "old"}, out)

    def pages() -> Iterator[tuple[str, str]]:
        yield "index.html", "new"
        yield "a/page1.html", "new"
        yield bad

    with pytest.raises((UsageError, UnicodeEncodeError, FileExistsError)):
        write_tree_atomic(pages(), out)
    assert [p.name for p in tmp_path.iterdir()] == ["site"]
    assert [p.name for p in out.iterdir()] == ["index.html"]
    assert (out / "index.html").read_text(encoding="utf-8") == "old"
    assert not (tmp_path / "escape.html").exists()


def test_a_long_write_keeps_its_staging_folder_fresh(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another run's clean-up removes only stale staging folders: a slow render is not one."""
    monkeypatch.setattr(atomic, "STAGING_TOUCH", 0.0)
    removed: list[Path] = []

    def pages() -> Iterator[tuple[str, str]]:
        for i in range(3):
            for staging in tmp_path.glob(".site.*"):
                os.utime(staging, (time.time() - 60, time.time() - 60))
            yield "index.html" if i == 0 else f"p/page{i}.html", "x"
            removed.extend(clean_staging(tmp_path))

    write_tree_atomic(pages(), tmp_path / "site")
    assert removed == []
    assert sorted(str(p.relative_to(tmp_path)) for p in (tmp_path / "site").rglob("*.html")) == [
        "site/index.html",
        "site/p/page1.html",
        "site/p/page2.html",
    ]


def test_stale_staging_folders_are_cleaned(tmp_path: Path) -> None:
    stale = tmp_path / ".site.0123456789ab"
    (stale / "x").mkdir(parents=True)
    os.utime(stale, (time.time() - 60, time.time() - 60))
    fresh = tmp_path / ".site.ba9876543210"
    fresh.mkdir()
    assert clean_staging(tmp_path) == [stale]
    assert fresh.exists()


PAGES = 60
WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from solidarity_cli.atomic import write_text_atomic, write_tree_atomic

    root = Path(sys.argv[1])
    body = "x" * 4000
    version = 0
    print("ready", flush=True)
    while True:
        version += 1
        tag = f"{sys.argv[2]}-{version}"
        pages = {
            f"part{i % 7}/page{i}.html": f"<!-- {tag} -->{body}<!-- end {tag} -->"
            for i in range(PAGES)
        }
        write_tree_atomic(pages, root / "site")
        write_text_atomic(
            root / "drafts" / "agreement.yaml",
            f"# {tag}\\n" + "line: value\\n" * 2000 + f"# end {tag}\\n",
            overwrite=True,
        )
    """
).replace("PAGES", str(PAGES))


def _site_is_whole(site: Path) -> str:
    pages = sorted(site.rglob("*.html"))
    assert len(pages) == PAGES
    tags = set()
    for page in pages:
        text = page.read_text(encoding="utf-8")
        head = text[5 : text.index(" -->")]
        assert text.endswith(f"<!-- end {head} -->"), page
        tags.add(head)
    assert len(tags) == 1, f"pages from different runs: {sorted(tags)[:3]}"
    return tags.pop()


def _draft_is_whole(draft: Path) -> str:
    lines = draft.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2002
    assert lines[-1] == f"# end {lines[0][2:]}"
    return lines[0][2:]


def test_a_writer_killed_at_random_moments_leaves_the_old_state_or_the_new(
    tmp_path: Path,
) -> None:
    """SIGKILL 50 times at random moments: never a torn file, never half a site."""
    rng = random.Random(20261205)
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    kills = 0
    body = "x" * 4000
    write_tree_atomic(
        {
            f"part{i % 7}/page{i}.html": f"<!-- old-0 -->{body}<!-- end old-0 -->"
            for i in range(PAGES)
        },
        tmp_path / "site",
    )
    draft = tmp_path / "drafts" / "agreement.yaml"
    write_text_atomic(draft, "# old-0\n" + "line: value\n" * 2000 + "# end old-0\n")
    sites, drafts = [_site_is_whole(tmp_path / "site")], [_draft_is_whole(draft)]
    for run in range(50):
        child = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(tmp_path), str(run)],
            stdout=subprocess.PIPE,
            env=env,
        )
        assert child.stdout is not None
        assert child.stdout.readline() == b"ready\n"
        # Some kills right away (before the first swap), others during later writes.
        time.sleep(rng.choice([0.0, rng.uniform(0.0, 0.02), rng.uniform(0.0, 0.5)]))
        child.send_signal(signal.SIGKILL)
        child.wait()
        child.stdout.close()
        kills += child.returncode == -signal.SIGKILL
        sites.append(_site_is_whole(tmp_path / "site"))
        drafts.append(_draft_is_whole(draft))
        # Leftovers are only hidden staging folders and temporary files, never a visible one.
        assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".")) == [
            "drafts",
            "site",
        ]
    assert kills == 50
    # The writers got far enough to swap on many runs, so kills fell between real writes.
    moved = sum(a != b for a, b in itertools.pairwise(sites))
    assert moved >= 5, moved
    # The next run of each writer removes what the killed ones left behind.
    for leftover in [*tmp_path.glob(".site.*"), *(tmp_path / "drafts").glob(".*.tmp")]:
        os.utime(leftover, (time.time() - 60, time.time() - 60))
    write_tree_atomic({"index.html": "final"}, tmp_path / "site")
    write_text_atomic(tmp_path / "drafts" / "agreement.yaml", "final\n", overwrite=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["drafts", "site"]
    assert [p.name for p in (tmp_path / "drafts").iterdir()] == ["agreement.yaml"]


def _tree(folder: Path) -> dict[str, tuple[str, int]]:
    return {
        p.relative_to(folder).as_posix(): (p.read_text(encoding="utf-8"), _mode(p))
        for p in folder.rglob("*")
        if p.is_file()
    }


def _theirs(here: int, fail: str = "") -> Iterator[tuple[str, str]]:
    """Files for the second process; ``fail`` breaks it there (not when redone here)."""
    for i in range(30):
        if i == 10 and os.getpid() != here:
            if fail == "raises":
                raise RuntimeError("broken")
            if fail == "killed":
                os.kill(os.getpid(), signal.SIGKILL)
        yield f"donors/d{i:02}/page.html" if i % 3 else f"donors/page{i:02}.html", f"donor {i}"
    yield "agreements/index.html", "the agreements"


@pytest.mark.parametrize("fail", ["", "raises", "killed"])
def test_files_written_beside_by_a_second_process_make_the_same_tree(
    tmp_path: Path, fail: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Written by two processes, or redone here after the second failed midway: one tree,
    the same files and modes as one writer makes, and nothing left of the second's folder."""
    from solidarity_cli import beside

    monkeypatch.setattr(beside, "FORK_LIMIT", 1 << 40)  # however large the test process
    forks: list[object] = []
    started = beside._start
    monkeypatch.setattr(beside, "_start", lambda work: forks.append(work) or started(work))
    mine = {"index.html": "top", "communities/c1.html": "c1", "communities/index.html": "all"}
    here = os.getpid()
    old = os.umask(0o027)
    try:
        alone = write_tree_atomic({**mine, **dict(_theirs(here))}, tmp_path / "alone")
        both = write_tree_atomic(mine, tmp_path / "both", beside=_theirs(here, fail))
    finally:
        os.umask(old)
    assert alone == both == 34
    assert len(forks) == 1
    assert _tree(tmp_path / "both") == _tree(tmp_path / "alone")
    assert _mode(tmp_path / "both" / "donors" / "d01") == 0o750
    assert sorted(p.name for p in tmp_path.iterdir()) == ["alone", "both"]


def test_a_folder_given_to_both_writers_is_refused_and_nothing_is_swapped(tmp_path: Path) -> None:
    out = tmp_path / "site"
    write_tree_atomic({"index.html": "old"}, out)
    with pytest.raises(FileExistsError, match="both processes"):
        write_tree_atomic(
            {"index.html": "new", "donors/a.html": "mine"}, out, beside={"donors/b.html": "x"}
        )
    assert _tree(out) == {"index.html": ("old", _mode(out / "index.html"))}
    assert [p.name for p in tmp_path.iterdir()] == ["site"]


def test_a_failure_of_this_process_stops_the_second_and_leaves_the_old_tree(
    tmp_path: Path,
) -> None:
    out = tmp_path / "site"
    write_tree_atomic({"index.html": "old"}, out)

    def slow() -> Iterator[tuple[str, str]]:
        for i in range(1000):
            time.sleep(0.01)
            yield f"donors/{i}.html", "x"

    def mine() -> Iterator[tuple[str, str]]:
        yield "index.html", "new"
        yield "../escape.html", "x"

    with pytest.raises(UsageError):
        write_tree_atomic(mine(), out, beside=slow())
    assert [p.name for p in tmp_path.iterdir()] == ["site"]
    assert (out / "index.html").read_text(encoding="utf-8") == "old"


@pytest.mark.skipif(sys.platform == "win32", reason="no flock: the folder's age decides there")
def test_a_run_waiting_long_between_two_files_keeps_its_staging_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page that takes long (a check still running) leaves the staging folder untouched for
    a while: another run's clean-up still leaves it alone, the writer holds it."""
    monkeypatch.setattr(atomic, "STAGING_TOUCH", 3600.0)  # never touched while writing
    removed: list[Path] = []

    def pages() -> Iterator[tuple[str, str]]:
        yield "index.html", "x"
        for staging in tmp_path.glob(".site.*"):
            os.utime(staging, (time.time() - 60, time.time() - 60))
        removed.extend(clean_staging(tmp_path))
        yield "p/page.html", "y"

    write_tree_atomic(pages(), tmp_path / "site")
    assert removed == []
    assert (tmp_path / "site" / "p" / "page.html").read_text(encoding="utf-8") == "y"
    stale = tmp_path / ".site.0123456789ab"  # a killed run's: no one holds it
    stale.mkdir()
    os.utime(stale, (time.time() - 60, time.time() - 60))
    assert clean_staging(tmp_path) == [stale]
