"""The rendered reports: golden files, inert record text, privacy, determinism, templates."""

from __future__ import annotations

import datetime as dt
import filecmp
import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from solidarity_cli.reporting.report import making_site, render
from solidarity_cli.reporting.site import package_templates, write_site
from tests.conftest import EXAMPLE_REPO, PROJECT, Run, copy_repository, generator
from tests.reporting.links import assert_links_resolve

GOLDEN = Path(__file__).parent / "golden"
REGENERATE = os.environ.get("SOLIDARITY_REGENERATE") == "1"
EXAMPLE_DAY = dt.date(2025, 9, 15)
SHIPPED_DAY = dt.date(2026, 11, 21)
GENERATED_DAY = dt.date(2026, 11, 1)


def _compare(files: dict[str, str], folder: Path) -> None:
    """Every file equal to its golden copy; SOLIDARITY_REGENERATE=1 rewrites them."""
    if REGENERATE:
        for rel, text in files.items():
            target = folder / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
    golden = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    assert golden == set(files), "files differ; regenerate with SOLIDARITY_REGENERATE=1"
    for rel, text in files.items():
        assert (folder / rel).read_text(encoding="utf-8") == text, f"{rel} differs from golden"


@pytest.mark.parametrize("language", ["en", "pt"])
def test_example_site_matches_golden(language: str, tmp_path: Path) -> None:
    repo = copy_repository(EXAMPLE_REPO, tmp_path / "repo")
    rendered = render(repo, EXAMPLE_DAY, language, "html", None)
    _compare(rendered.files, GOLDEN / f"example-site-{language}")


@pytest.mark.parametrize(
    ("language", "scope"),
    [
        ("en", None),
        ("pt", None),
        ("pt", "cha-de-igreja"),
        ("pt", "santo-antao"),
        ("en", "fundacao-morabeza"),
        ("fr", "monte-sossego-reservatorio"),
    ],
)
def test_shipped_markdown_matches_golden(language: str, scope: str | None, tmp_path: Path) -> None:
    repo = copy_repository(PROJECT, tmp_path / "repo")
    rendered = render(repo, SHIPPED_DAY, language, "md", scope)
    golden = GOLDEN / "markdown" / f"shipped-{language}-{scope or 'network'}.md"
    if REGENERATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(rendered.files["report.md"], encoding="utf-8")
    assert golden.read_text(encoding="utf-8") == rendered.files["report.md"]


def test_same_inputs_same_bytes(tmp_path: Path) -> None:
    repo = copy_repository(PROJECT, tmp_path / "repo")
    first = render(repo, SHIPPED_DAY, "fr", "html", None).files
    second = render(repo, SHIPPED_DAY, "fr", "html", None).files
    assert first == second
    assert "fr" in first["index.html"][:200]


def test_every_language_renders(tmp_path: Path) -> None:
    repo = copy_repository(EXAMPLE_REPO, tmp_path / "repo")
    titles = {}
    for language in ("en", "pt", "fr", "es"):
        index = render(repo, EXAMPLE_DAY, language, "html", None).files["index.html"]
        titles[language] = re.search(r"<h2>([^<]+)</h2>", index).group(1)  # type: ignore[union-attr]
    assert len(set(titles.values())) == 4, titles


def test_record_text_renders_inert(tmp_path: Path) -> None:
    repo = copy_repository(EXAMPLE_REPO, tmp_path / "repo")
    strategy = repo / "data/communities/cruzinha/strategies/cruzinha-2025-2028.yaml"
    hostile = (
        "<script>alert(1)</script> [click](javascript:alert(2)) "
        "<img src=x onerror=alert(3)> **bold** | cell"
    )
    text = strategy.read_text(encoding="utf-8").replace(
        "title: {pt: Horta escolar}", f"title: {{pt: '{hostile}'}}"
    )
    strategy.write_text(text, encoding="utf-8")
    community = repo / "data/communities/cruzinha/community.yaml"
    community.write_text(
        community.read_text(encoding="utf-8").replace(
            "name: Cruzinha da Garça", "name: 'Cruzinha <b>x</b>'"
        ),
        encoding="utf-8",
    )
    html = render(repo, EXAMPLE_DAY, "pt", "html", None).files
    page = html["communities/cruzinha.html"]
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img src=x" not in page and "<b>x</b>" not in page
    # the only scripts are the site's own search and map, loaded from its own files
    ours = (
        '<script src="{root}search-index.js"></script>',
        '<script src="{root}search.js"></script>',
        '<script src="{root}map.js"></script>',
    )
    for path, written in html.items():
        text = written
        for tag in ours:
            text = text.replace(tag.format(root="../" * path.count("/")), "")
        assert "<script" not in text
        assert 'href="javascript:' not in text
    markdown = render(repo, EXAMPLE_DAY, "pt", "md", "cruzinha").files["report.md"]
    assert r"\<script\>alert\(1\)\</script\>" in markdown
    assert r"\[click\]\(javascript:alert\(2\)\)" in markdown
    assert r"\*\*bold\*\* \| cell" in markdown
    assert "](javascript:" not in markdown


def test_private_fields_and_anonymous_donors_never_leave(tmp_path: Path) -> None:
    repo = copy_repository(PROJECT, tmp_path / "repo")
    files = render(repo, SHIPPED_DAY, "en", "html", None).files
    everything = "\n".join(files.values())
    from solidarity_cli.reading import load_repository

    ds = load_repository(repo).dataset
    anonymous = [d for d in ds.donors.values() if d.is_anonymous]
    assert anonymous, "the shipped data has an anonymous donor"
    for donor in anonymous:
        assert donor.name is None or donor.name not in everything
        assert donor.id not in everything
    private = [c for c in ds.communities.values() if c.private]
    assert private, "the shipped data has a community with private fields"
    for community in private:
        page = files[f"communities/{community.id}.html"]
        if "association" in community.private:
            assert community.association.name not in page
        if "location" in community.private and community.location is not None:
            assert f"communities/{community.id}.html" not in files["index.html"].split("<svg")[1]


def test_every_internal_link_resolves_and_nothing_is_fetched(tmp_path: Path) -> None:
    repo = copy_repository(PROJECT, tmp_path / "repo")
    assert_links_resolve(render(repo, SHIPPED_DAY, "pt", "html", None).files)


def test_site_is_written_atomically_and_never_over_foreign_files(tmp_path: Path) -> None:
    out = tmp_path / "site"
    write_site({"index.html": "one"}, out)
    write_site({"index.html": "two"}, out)
    assert (out / "index.html").read_text() == "two"
    foreign = tmp_path / "notes"
    foreign.mkdir()
    (foreign / "mine.txt").write_text("keep")
    from solidarity_cli.errors import UsageError

    with pytest.raises(UsageError):
        write_site({"index.html": "x"}, foreign)
    assert (foreign / "mine.txt").read_text() == "keep"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes", "site"]


def test_repository_templates_are_the_shipped_ones() -> None:
    comparison = filecmp.dircmp(PROJECT / "templates", package_templates())
    assert not comparison.left_only and not comparison.right_only and not comparison.diff_files


def test_the_report_speaks_the_networks_language_unless_told(
    cli: Callable[..., Run], minimal: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The example network's default_language is pt; the machine's locale does not choose.
    monkeypatch.delenv("SOLIDARITY_LANG", raising=False)
    monkeypatch.setenv("LANG", "es_ES.UTF-8")
    args = ["report", "--format", "md", "--repo", str(minimal), "--as-of", "2025-09-15"]
    assert "Situação em 15/09/2025" in cli(args).stdout
    assert "As of 15 Sept 2025" in cli([*args, "--lang", "en"]).stdout
    monkeypatch.setenv("SOLIDARITY_LANG", "fr")
    assert "Situation au 15 sept. 2025" in cli(args).stdout
    assert "As of 15 Sept 2025" in cli([*args, "--lang", "en"]).stdout


def test_a_report_written_to_a_file_says_what_it_wrote(
    cli: Callable[..., Run], minimal: Path, tmp_path: Path
) -> None:
    base = ["report", "--repo", str(minimal), "--as-of", "2025-09-15", "--lang", "en"]
    run = cli([*base, "--format", "md", "--out", str(tmp_path / "rep.md")])
    assert run.exit_code == 0, run.stderr
    assert f"Report written to {tmp_path / 'rep.md'}." in " ".join(run.stderr.split())
    run = cli([*base, "--format", "geojson", "--out", str(tmp_path / "map.json")])
    assert f"Map data written to {tmp_path / 'map.json'}." in " ".join(run.stderr.split())


def test_progress_counts_every_page_out_of_the_total(tmp_path: Path) -> None:
    repo = copy_repository(EXAMPLE_REPO, tmp_path / "repo")
    heard: list[tuple[int, int]] = []
    files = render(repo, EXAMPLE_DAY, "en", "html", None, progress=lambda *n: heard.append(n)).files
    assert heard, "the progress was never told"
    assert heard[-1] == (len(files), len(files))
    assert all(total == len(files) and done <= total for done, total in heard)


def test_the_site_is_written_page_by_page_as_it_is_rendered(
    tmp_path: Path, cli: Callable[..., Run]
) -> None:
    """No page waits for the others: each is in the staging folder before the next is made."""
    repo = tmp_path / "repo"
    generator().generate(repo, 30, 10)  # some 100 pages: the progress is told every 50th
    out = tmp_path / "site"
    staged: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> None:
        found = [p for p in tmp_path.glob(".site.*/**/*") if p.is_file()]
        staged.append((done, len(found)))

    with making_site(repo, GENERATED_DAY, "en", None, progress=progress) as made:
        write_site(made.pages, out)
    # Told at each 50th page (rendered, not yet written) and once more after the last page.
    assert len(staged) >= 2 and staged[0][0] == 50
    assert all(written == done - 1 for done, written in staged[:-1]), staged
    whole = render(repo, GENERATED_DAY, "en", "html", None).files
    on_disk = {p.relative_to(out).as_posix(): p for p in out.rglob("*") if p.is_file()}
    assert set(on_disk) == {*whole, ".solidarity-site"}
    assert all(on_disk[rel].read_text(encoding="utf-8") == text for rel, text in whole.items())
    run = cli(
        ["report", "--repo", str(repo), "--as-of", GENERATED_DAY.isoformat(), "--out", str(out)]
    )
    assert run.exit_code == 0, run.stderr
    assert f"({len(whole)} pages)" in " ".join(run.stderr.split())


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_check_made_beside_the_views_gives_the_same_site(
    language: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rules checked in a second process while the pages are made: the very same site, with
    the findings on the overview and the findings page, as when everything is done here."""
    from solidarity_cli import beside
    from solidarity_cli.checking import check_repository

    repo = copy_repository(EXAMPLE_REPO, tmp_path / "repo")
    late = dt.date(2027, 3, 1)  # a report overdue: a finding to list
    monkeypatch.setattr(beside, "FORK_LIMIT", 1 << 40)  # however large the test process
    started = beside._start
    forks: list[object] = []
    monkeypatch.setattr(beside, "_start", lambda work: forks.append(work) or started(work))
    with making_site(repo, late, language, None) as made:
        forked = dict(made.pages)
        site = made.site
    assert len(forks) == 1
    monkeypatch.setattr(beside, "FORK_LIMIT", 0)
    alone = render(repo, late, language, "html", None).files
    assert forked == alone
    expected = check_repository(repo, as_of=late).diagnostics
    assert [f.code for f in site.findings] == [d.code for d in expected] == ["ME002"]
    assert "ME002" in forked["findings.html"]
    assert site.findings_summary in forked["index.html"]


@pytest.mark.parametrize("fork", [True, False])
def test_a_site_written_by_two_processes_is_the_same_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fork: bool
) -> None:
    """The donors' and partnerships' pages made and written by a second process (or first,
    by this one): the same files, byte for byte, the same count, and a progress that counts
    both parts' pages."""
    from solidarity_cli import beside
    from solidarity_cli.reporting.site import beside_folders

    # However large the test process has grown, or not at all.
    monkeypatch.setattr(beside, "FORK_LIMIT", 1 << 40 if fork else 0)
    repo = tmp_path / "repo"
    generator().generate(repo, 30, 10)
    whole = render(repo, GENERATED_DAY, "pt", "html", None).files
    heard: list[tuple[int, int]] = []
    out = tmp_path / "site"
    with making_site(
        repo, GENERATED_DAY, "pt", None, progress=lambda *n: heard.append(n), split=True
    ) as made:
        assert made.beside is not None
        written = write_site(made.pages, out, beside=made.beside)
    on_disk = {
        p.relative_to(out).as_posix(): p.read_text(encoding="utf-8")
        for p in out.rglob("*")
        if p.is_file() and p.name != ".solidarity-site"
    }
    assert on_disk == whole
    assert written == len(whole)
    assert any(path.startswith("agreements/") for path in whole)
    assert heard and all(total == len(whole) for _, total in heard)
    assert [done for done, _ in heard] == sorted(done for done, _ in heard)
    if not fork:  # the second part was made first, told as it was made; then the rest
        theirs = beside_folders(render(repo, GENERATED_DAY, "pt", "html", None).site)
        first = sum(path.startswith(tuple(f"{f}/" for f in theirs)) for path in whole)
        assert heard[0] == (min(50, first), len(whole))
        assert heard[-1] == (len(whole), len(whole))
    assert [p.name for p in tmp_path.iterdir()] == ["repo", "site"]


@pytest.mark.parametrize(
    ("counts", "theirs"),
    [
        # communities, platforms, donors, agreements (the generated 2,000 x 1,000 network)
        ((2000, 40, 1000, 3000), ("platforms", "agreements")),
        ((2000, 40, 1000, 400), ("communities",)),
        ((300, 5, 900, 100), ("donors",)),
    ],
)
def test_the_second_process_takes_about_half_the_pages(
    tmp_path: Path, counts: tuple[int, int, int, int], theirs: tuple[str, ...]
) -> None:
    """The record folders given to the second process balance the two parts' pages, however
    the network is made (writing a file can cost more than rendering it)."""
    from dataclasses import replace

    from solidarity_cli.reporting.site import beside_folders, page_count

    repo = copy_repository(EXAMPLE_REPO, tmp_path / "repo")
    site = render(repo, EXAMPLE_DAY, "en", "html", None).site
    kinds = ("communities", "platforms", "donors", "agreements")
    grown = replace(
        site, **{kind: [getattr(site, kind)[0]] * n for kind, n in zip(kinds, counts, strict=True)}
    )
    assert beside_folders(grown) == theirs

    def imbalance(folders: tuple[str, ...]) -> int:
        given = sum(n + 1 for kind, n in zip(kinds, counts, strict=True) if kind in folders)
        return abs(page_count(grown) - 2 * given)

    assert imbalance(theirs) <= imbalance(("donors", "agreements"))  # the split before
    assert imbalance(theirs) <= max(counts) - min(counts)


def test_split_pages_hold_no_reference_cycle(tmp_path: Path) -> None:
    """The two parts of a site let their views go as soon as they are dropped: the views of a
    report are frozen out of the collector's sight (``collector_paused``), so a cycle through
    them would keep a whole site alive for as long as the process runs."""
    import gc
    import weakref

    from solidarity_cli.reporting.site import SplitPages

    repo = copy_repository(EXAMPLE_REPO, tmp_path / "repo")
    site = render(repo, EXAMPLE_DAY, "en", "html", None).site
    gc.disable()
    try:
        parts = SplitPages(site, package_templates(), [])
        theirs = parts.folders
        # This process's part made; the other left unstarted, as when a second process makes it.
        pages = dict(parts.mine)
        dropped = weakref.ref(parts)
        del parts
        assert dropped() is None
    finally:
        gc.enable()
    assert theirs and "index.html" in pages
    assert not any(p.startswith(f"{folder}/") for p in pages for folder in theirs)


def test_a_networks_own_templates_show_the_findings_on_every_page(tmp_path: Path) -> None:
    """A repository's templates may print the findings on any page (here in the footer): with
    them, no page is rendered before the check beside it has ended."""
    import shutil

    repo = copy_repository(EXAMPLE_REPO, tmp_path / "repo")
    shutil.copytree(package_templates(), repo / "templates")
    base = repo / "templates" / "base.html.j2"
    text = base.read_text(encoding="utf-8")
    base.write_text(
        text.replace("</footer>", '<p class="tally">{{ site.findings_summary }}</p></footer>'),
        encoding="utf-8",
    )
    late = dt.date(2027, 3, 1)  # a report overdue: one finding
    with making_site(repo, late, "en", None, split=True) as made:
        write_site(made.pages, tmp_path / "site", beside=made.beside)
        summary = made.site.findings_summary
    assert "1 warnings" in summary
    for page in ("index.html", "trace.html", "donors/index.html", "communities/index.html"):
        html = (tmp_path / "site" / page).read_text(encoding="utf-8")
        assert f'<p class="tally">{summary}</p>' in html, page
