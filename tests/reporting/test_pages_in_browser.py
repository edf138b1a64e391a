"""Every kind of page of the site in a real browser, in en and pt, at 1280 and 360 px wide.

Each page fits the window (no sideways scroll), every chart and map label lies inside its SVG,
axe-core finds no serious or critical accessibility violation and no request leaves the page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from solidarity_cli.reporting.report import render
from solidarity_cli.reporting.site import write_site
from tests.conftest import PROJECT, copy_repository
from tests.reporting.browser import Visit, chromium

LANGUAGES = ("en", "pt")
WIDTHS = (1280, 360)
KINDS = (
    "index.html",
    "obligations.html",
    "trace.html",
    "findings.html",
    "communities/index.html",
    "platforms/index.html",
    "donors/index.html",
    "agreements/index.html",
    "communities/",
    "platforms/",
    "donors/",
    "agreements/",
)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as running:
        yield running


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("pages")
    repo = copy_repository(PROJECT, base / "repo")
    out: dict[str, Path] = {}
    for language in LANGUAGES:
        out[language] = base / f"site-{language}"
        write_site(render(repo, dt.date(2026, 11, 21), language, "html", None).files, out[language])
    return out


def _page(site: Path, kind: str) -> Path:
    """The page of that kind; for a folder, the first record page in it with the most charts."""
    if kind.endswith(".html"):
        return site / kind
    pages = sorted(p for p in (site / kind).glob("*.html") if p.name != "index.html")
    assert pages, f"no page in {kind}"
    return max(pages, key=lambda p: (p.read_text(encoding="utf-8").count("<svg"), -pages.index(p)))


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", KINDS)
def test_page_fits_reads_and_stays_offline(
    browser: Browser, sites: dict[str, Path], kind: str, language: str, width: int
) -> None:
    page = _page(sites[language], kind)
    visit = Visit(browser, page.as_uri(), width)
    try:
        where = f"{page.relative_to(sites[language])} ({language}, {width} px)"
        assert visit.errors == [], f"{where}: {visit.errors}"
        assert visit.sideways() == 0, f"{where} scrolls sideways"
        assert visit.labels_outside() == [], f"{where}: labels cut"
        assert visit.axe() == [], f"{where}: accessibility"
        assert visit.off_site() == [], f"{where}: requests left the page"
    finally:
        visit.close()


@pytest.mark.parametrize("language", LANGUAGES)
def test_search_finds_a_community_by_a_word_of_its_name(
    browser: Browser, sites: dict[str, Path], language: str
) -> None:
    site = sites[language]
    community = sorted((site / "communities").glob("*.html"))[-1]
    name = community.read_text(encoding="utf-8").split("<h1>")[1].split("</h1>")[0]
    word = max(name.split(), key=len)
    # from a page one folder down, so the links must climb back to the site's root
    visit = Visit(browser, (site / "donors" / "index.html").as_uri(), 360)
    try:
        visit.page.fill("#search-words", word.upper())
        hits = visit.page.locator("#search-hits a")
        labels = hits.all_text_contents()
        assert name in labels, f"{word!r} did not find {name!r}: {labels}"
        target = hits.nth(labels.index(name))
        target.click()
        visit.page.wait_for_load_state()
        assert visit.page.url == community.as_uri()
        assert visit.errors == [] and visit.off_site() == []
    finally:
        visit.close()


def test_search_finds_nothing_for_a_word_no_page_holds(
    browser: Browser, sites: dict[str, Path]
) -> None:
    visit = Visit(browser, (sites["en"] / "index.html").as_uri(), 1280)
    try:
        visit.page.fill("#search-words", "zzqxj")
        assert visit.page.locator("#search-hits a").count() == 0
        assert visit.page.text_content("#search-status") == "Nothing found."
    finally:
        visit.close()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_map_zooms_and_moves_from_the_keyboard(
    browser: Browser, sites: dict[str, Path], language: str, width: int
) -> None:
    visit = Visit(browser, (sites[language] / "index.html").as_uri(), width)
    try:
        page = visit.page
        area = page.locator("figure.map-panel svg.map-area").first
        tools = page.locator("figure.map-panel .map-tools").first
        whole = [float(v) for v in (area.get_attribute("viewBox") or "").split()]

        def view() -> list[float]:
            return [float(v) for v in (area.get_attribute("viewBox") or "").split()]

        # Each button is reached with Tab and pressed with Enter or Space, and is named.
        zoom_in = tools.locator("button.map-zoom-in")
        zoom_in.focus()
        page.keyboard.press("Enter")
        page.keyboard.press("Space")
        zoomed = view()
        assert zoomed[2] == pytest.approx(whole[2] / 2.25, abs=0.2), zoomed
        assert zoomed[0] > 0 and zoomed[1] > 0  # zoomed on the middle
        page.keyboard.press("Tab")
        page.keyboard.press("Tab")
        page.keyboard.press("Tab")  # zoom out, west, east
        page.keyboard.press("Enter")
        assert view()[0] > zoomed[0] and view()[2:] == zoomed[2:]
        tools.locator("button.map-reset").focus()
        page.keyboard.press("Enter")
        assert view() == whole
        names = tools.locator("button").evaluate_all(
            "bs => bs.map(b => b.getAttribute('aria-label'))"
        )
        assert len(names) == 7 and all(names) and len(set(names)) == 7
        assert visit.sideways() == 0 and visit.axe() == [] and visit.off_site() == []
        assert visit.errors == []
    finally:
        visit.close()
