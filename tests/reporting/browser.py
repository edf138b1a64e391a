"""A real headless Chromium driven through Playwright, with axe-core injected into pages.

Playwright for Python ships its own driver and speaks the DevTools protocol to the Chromium the
machine already has (``executable_path``), so the tests can run JavaScript in the page, measure
boxes and run axe-core, with no browser download. axe-core's ``axe.min.js`` comes from the
``axe-playwright-python`` package, which bundles it.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from typing import Any

from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = (
    os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
)
#: The flags test_browser.py starts Chromium with (Playwright adds --headless itself).
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--allow-file-access-from-files",
]
AXE = (resources.files("axe_playwright_python") / "axe.min.js").read_text(encoding="utf-8")

#: Every <text> of an SVG must lie inside that SVG's box (1 px of rounding allowed).
LABELS_OUTSIDE = """() => {
  const out = [];
  for (const svg of document.querySelectorAll('svg')) {
    if (svg.ownerSVGElement) continue;
    const box = svg.getBoundingClientRect();
    for (const t of svg.querySelectorAll('text')) {
      const r = t.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      if (r.left < box.left - 1 || r.right > box.right + 1 ||
          r.top < box.top - 1 || r.bottom > box.bottom + 1) {
        out.push(t.textContent + ' @ ' + Math.round(r.left) + '..' + Math.round(r.right) +
                 ' in ' + Math.round(box.left) + '..' + Math.round(box.right));
      }
    }
  }
  return out;
}"""

RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => v.id + ': ' + v.help + ' -> ' +
         v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '));
}"""


@contextmanager
def chromium() -> Iterator[Browser]:
    """A headless Chromium for the duration of the block."""
    assert CHROMIUM is not None, "headless Chromium is not installed"
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            yield browser
        finally:
            browser.close()


class Visit:
    """One page opened at one width, with what it asked the network for and what it logged."""

    def __init__(self, browser: Browser, url: str, width: int) -> None:
        self.page: Page = browser.new_page(viewport={"width": width, "height": 800})
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.goto(url)

    def evaluate(self, script: str) -> Any:
        return self.page.evaluate(script)

    def sideways(self) -> int:
        """How many pixels the page scrolls sideways (0 when it fits the window)."""
        width: int = self.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")
        return max(0, width)

    def labels_outside(self) -> list[str]:
        """Chart and map labels whose box is not inside their SVG."""
        out: list[str] = self.evaluate(LABELS_OUTSIDE)
        return out

    def axe(self) -> list[str]:
        """axe-core's serious and critical violations."""
        self.page.add_script_tag(content=AXE)
        out: list[str] = self.evaluate(RUN_AXE)
        return out

    def off_site(self) -> list[str]:
        """Requests that left the page's own files."""
        return [u for u in self.requests if not u.startswith(("file://", "data:", "about:"))]

    def close(self) -> None:
        self.page.close()
