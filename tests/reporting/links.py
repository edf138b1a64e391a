"""Every link of a rendered site points inside it, and nothing is fetched from elsewhere."""

from __future__ import annotations

import os
from html.parser import HTMLParser
from pathlib import Path


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.links.append(value)


def assert_links_resolve(files: dict[str, str]) -> None:
    """Fail on the first link that leaves the site or names a page it does not have."""
    for rel, text in files.items():
        parser = _Links()
        parser.feed(text)
        for link in parser.links:
            assert not link.startswith(("http:", "https:", "//")), f"{rel} fetches {link}"
            target = link.split("#", 1)[0]
            if not target:
                continue
            resolved = os.path.normpath((Path(rel).parent / target).as_posix())
            assert resolved in files, f"{rel} links to missing {link}"
