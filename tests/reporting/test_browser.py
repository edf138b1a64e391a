"""The site in a real headless Chromium: every page loads from file:// with no console error,
and screenshots of the overview, a community page and the map are not blank.

Failed requests are ruled out in ``test_site``: every href and src resolves to a file of the
site and none points off it. CI installs Debian's chromium; where it is missing, this module is
skipped.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from PIL import Image

from solidarity_cli.reporting.history import history
from solidarity_cli.reporting.report import render
from solidarity_cli.reporting.site import write_site
from tests.conftest import PROJECT, copy_repository
from tests.revisions.gitutil import commit_all

CHROMIUM = (
    os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
)
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--allow-file-access-from-files",
]
SHOTS = Path(os.environ.get("SOLIDARITY_SCREENSHOTS", "screenshots"))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("browser")
    repo = copy_repository(PROJECT, base / "repo")
    commit_all(repo, "Shipped data")  # for the page of the network over time
    out = base / "site"
    past = history(repo, 2)
    write_site(render(repo, dt.date(2026, 11, 21), "pt", "html", None, past).files, out)
    assert (out / "history.html").is_file()
    return out


def _chromium(profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    return subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _problems(stderr: str) -> list[str]:
    bad = ("CONSOLE", "Uncaught", "net::ERR_", "Failed to load", "Not allowed to load")
    return [line for line in stderr.splitlines() if any(marker in line for marker in bad)]


def test_every_page_loads_cleanly(site: Path, tmp_path: Path) -> None:
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 50

    def load(page: Path) -> tuple[Path, str, list[str]]:
        profile = tmp_path / f"profile-{abs(hash(page))}"
        done = _chromium(profile, "--dump-dom", page.as_uri())
        return page, done.stdout, _problems(done.stderr)

    with ThreadPoolExecutor(max_workers=2) as pool:
        for page, dom, problems in pool.map(load, pages):
            assert "</html>" in dom, f"{page} did not render"
            assert problems == [], f"{page}: {problems}"


def _shot(url: str, target: Path, profile: Path, size: str) -> Image.Image:
    target.parent.mkdir(parents=True, exist_ok=True)
    done = _chromium(profile, f"--window-size={size}", f"--screenshot={target}", url)
    assert target.is_file(), done.stderr[-2000:]
    assert _problems(done.stderr) == []
    return Image.open(target).convert("RGB")


def _not_blank(image: Image.Image) -> None:
    colours = image.getcolors(maxcolors=1_000_000)
    assert colours is not None and len(colours) > 50, "the screenshot is (nearly) blank"
    top = max(count for count, _ in colours)
    assert top < 0.97 * image.width * image.height, "one colour fills the screenshot"


def test_screenshots_are_not_blank(site: Path, tmp_path: Path) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    overview = _shot(
        (site / "index.html").as_uri(), SHOTS / "overview.png", tmp_path / "p1", "1280,900"
    )
    _not_blank(overview)
    community = _shot(
        (site / "communities" / "cha-de-igreja.html").as_uri(),
        SHOTS / "community.png",
        tmp_path / "p2",
        "1280,1400",
    )
    _not_blank(community)
    index = (site / "index.html").read_text(encoding="utf-8")
    svg = index[index.index("<svg") : index.index("</svg>") + len("</svg>")]
    page = tmp_path / "map.html"
    page.write_text(
        f"<!doctype html><meta charset=utf-8><body style='margin:0'>{svg}</body>", encoding="utf-8"
    )
    shot = _shot(page.as_uri(), SHOTS / "map.png", tmp_path / "p3", "760,900")
    _not_blank(shot)
    # the map draws red, yellow or blue communities on grey land
    assert any(
        r > 180 and g < 120 and b < 100
        for _, (r, g, b) in shot.getcolors(maxcolors=1_000_000) or []
    )
