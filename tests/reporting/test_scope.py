"""Scoped sites cover what one record reaches; the trace follows each need to its reports."""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from solidarity_cli.checking import check_repository
from solidarity_cli.errors import UsageError
from solidarity_cli.reading.layout import RecordKind
from solidarity_cli.reporting.report import render
from solidarity_cli.reporting.scope import cut, find_scope
from tests.conftest import PROJECT, copy_repository
from tests.reporting.links import assert_links_resolve

DAY = dt.date(2026, 11, 21)


def _pages(files: dict[str, str], folder: str) -> set[str]:
    return {
        rel.split("/")[1].removesuffix(".html")
        for rel in files
        if rel.startswith(f"{folder}/") and not rel.endswith("index.html")
    }


@pytest.fixture(scope="module")
def report():  # type: ignore[no-untyped-def]
    return check_repository(PROJECT, as_of=DAY)


def test_a_platform_site_covers_its_communities_and_what_reaches_them(report) -> None:  # type: ignore[no-untyped-def]
    ds = report.dataset
    members = {c for c, x in ds.communities.items() if "santiago-norte" in x.platforms}
    assert members, "the pilot data has communities on this platform"
    files = render(PROJECT, DAY, "en", "html", "santiago-norte").files
    assert _pages(files, "communities") == members
    agreements = {a for a, x in ds.agreements.items() if x.community in members}
    assert _pages(files, "agreements") == agreements
    donors = {ds.agreements[a].donor for a in agreements}
    assert {d for d in donors if not ds.donors[d].anonymous} <= _pages(files, "donors")
    assert _pages(files, "platforms") == {"santiago-norte", "federacao-nacional"}
    assert "Platform: santiago-norte" in files["index.html"]
    assert_links_resolve(files)


@pytest.mark.parametrize(
    "scope", ["ribeira-das-pratas", "atlantic-commons-foundation", "chao-bom-abastecimento-agua"]
)
def test_every_scope_renders_a_whole_site(scope: str) -> None:
    files = render(PROJECT, DAY, "pt", "html", scope).files
    assert {"index.html", "trace.html", "obligations.html", "findings.html"} <= set(files)
    assert_links_resolve(files)


def test_findings_of_a_scope_are_only_about_its_files(report) -> None:  # type: ignore[no-untyped-def]
    whole = {d.path for d in report.diagnostics}
    part = cut(report, find_scope(report.dataset, "santiago-norte"))
    kept = {d.path for d in part.diagnostics}
    assert kept <= whole
    for path in kept:
        assert path.startswith(
            ("data/communities/", "data/partnerships/", "data/donors/", "data/platforms/")
        )
    strategies = set(part.dataset.strategies)
    assert all(part.dataset.strategy_owner[s] in part.dataset.communities for s in strategies)


def test_unknown_scope_is_a_clear_error(report) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UsageError, match="no community, platform, donor or partnership"):
        find_scope(report.dataset, "nowhere")
    assert find_scope(report.dataset, "praia-branca").kind is RecordKind.COMMUNITY


def test_a_misspelt_scope_gets_a_did_you_mean(report) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UsageError) as raised:
        find_scope(report.dataset, "praia-brnca")
    assert raised.value.hint == "did you mean 'praia-branca'?"
    # An anonymous donor's id is never offered (the reports name it by no id at all).
    anonymous = [d for d, donor in report.dataset.donors.items() if donor.is_anonymous]
    assert anonymous
    with pytest.raises(UsageError) as raised:
        find_scope(report.dataset, anonymous[0][:-1])
    assert anonymous[0] not in str(raised.value.hint)


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_a_scope_whose_file_cannot_be_read_says_so(tmp_path: Path, fmt: str) -> None:
    repo = copy_repository(PROJECT, tmp_path / "repo")
    path = repo / "data" / "communities" / "coculi" / "community.yaml"
    path.write_text(
        re.sub(r"^kind: \w+$", "kind: vilage", path.read_text(encoding="utf-8"), flags=re.M),
        encoding="utf-8",
    )
    with pytest.raises(UsageError) as raised:
        render(repo, DAY, "en", fmt, "coculi")
    assert str(raised.value.message) == "the file of 'coculi' cannot be read"
    assert "run solidarity check" in str(raised.value.hint)


def test_trace_marks_dead_ends_at_every_step(report) -> None:  # type: ignore[no-untyped-def]
    text = render(PROJECT, DAY, "en", "html", None).files["trace.html"]
    ds = report.dataset
    # Every community appears once, in the alphabetical order of ids: no ranking.
    found = [html.unescape(n) for n in re.findall(r'<h2><a href="[^"]+">([^<]+)</a></h2>', text)]
    assert found == [ds.communities[c].name for c in sorted(ds.communities)]
    # An open need with no partnership, and an indicator with no reported value, are marked.
    assert "no partnership yet" in text
    assert "no report value yet" in text
    assert "no indicator agreed" not in text


def test_trace_marks_a_partnership_without_indicators(tmp_path: Path) -> None:
    repo = copy_repository(PROJECT, tmp_path / "repo")
    aid = "ribeira-das-pratas-rega-gota-a-gota"
    path = repo / f"data/partnerships/{aid}/agreement.yaml"
    yaml = YAML()
    data = yaml.load(path.read_text(encoding="utf-8"))
    assert data["status"] == "active" and data["results"]
    data["results"] = []
    with path.open("w", encoding="utf-8") as out:
        yaml.dump(data, out)
    text = render(repo, DAY, "en", "html", None).files["trace.html"]
    marked = re.findall(
        rf'agreements/{aid}\.html">[^<]*</a> <small>[^<]*</small> '
        r'<span class="deadend">no indicator agreed</span>',
        text,
    )
    needs = len(data["needs"])
    assert len(marked) == needs
