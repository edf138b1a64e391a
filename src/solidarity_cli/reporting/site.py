"""Render views with Jinja: a static, self-contained HTML site, or Markdown for GitHub."""

from __future__ import annotations

import functools
import itertools
import json
import mmap
import os
import struct
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from jinja2 import Template

from solidarity_cli.atomic import Files, file_pairs, write_tree_atomic
from solidarity_cli.errors import UsageError
from solidarity_cli.reporting.i18n import translations
from solidarity_cli.reporting.sandbox import (
    environment,
    markdown_escape,
    refusals_explained,
    shipped_templates,
)
from solidarity_cli.reporting.scope import the_one
from solidarity_cli.reporting.views import Link, SiteView
from solidarity_cli.words import M_

__all__ = ["markdown_escape", "render_markdown", "render_site", "write_site"]

SITE_MARKER = ".solidarity-site"


def package_templates() -> Path:
    """The templates shipped inside the package."""
    return shipped_templates()


def templates_for(root: Path) -> Path:
    """The repository's own templates/ when it has them, else the package's."""
    own = root / "templates"
    return own if (own / "base.html.j2").is_file() else package_templates()


Progress = Callable[[int, int], None]
"""Told (pages written, pages in all) as the site is rendered."""


def page_count(site: SiteView) -> int:
    """How many pages (and files) ``render_site`` writes for ``site``."""
    # style, search index and script, the map's script; overview, obligations, findings,
    # trace; and every record folder's pages with its list
    return 4 + 4 + sum(_folder_pages(site).values())


def render_site(
    site: SiteView, templates: Path, maps: list[str], progress: Progress | None = None
) -> dict[str, str]:
    """Every page of the site: relative path -> HTML; ``progress`` hears of each page."""
    return dict(site_pages(site, templates, maps, progress))


#: The folders of a site's records: the pages a second process may render and write
#: (``SplitPages``), each a folder no other page shares.
RECORD_FOLDERS = ("communities", "platforms", "donors", "agreements")


def beside_folders(site: SiteView) -> tuple[str, ...]:
    """The record folders that give a second process as near half the site's pages as can be
    (writing a file costs more than rendering it on some disks: counting pages is fair).

    This process keeps the pages at the top and the ones that wait for the findings."""
    pages = _folder_pages(site)
    total = page_count(site)
    best: tuple[int, tuple[str, ...]] = (total + 1, ())
    for size in range(1, len(RECORD_FOLDERS)):
        for chosen in itertools.combinations(RECORD_FOLDERS, size):
            theirs = sum(pages[f] for f in chosen)
            best = min(best, (abs(total - 2 * theirs), chosen))
    return best[1]


def _folder_pages(site: SiteView) -> dict[str, int]:
    """The pages of each record folder: one a record, and the folder's list."""
    records = (len(site.communities), len(site.platforms), len(site.donors), len(site.agreements))
    return {f: count + 1 for f, count in zip(RECORD_FOLDERS, records, strict=True)}


def site_pages(
    site: SiteView,
    templates: Path,
    maps: list[str],
    progress: Progress | None = None,
    final: Callable[[], SiteView] | None = None,
) -> Iterator[tuple[str, str]]:
    """Every page of the site as (relative path, HTML), each rendered when it is asked for.

    A writer that takes them one at a time (``write_site``) holds one page at once, never the
    whole site; ``progress`` hears of the pages made so far. The two pages that list the
    check's findings come last, from ``final()`` where given (the views with the findings of
    a check that ran while the other pages were made).
    """
    with refusals_explained(templates):
        yield from _render_site(site, templates, maps, final, _counting(progress, None), None)


class SplitPages:
    """A site's pages in two parts: the pages of ``beside_folders``, for a second process to
    render and write (``write_site(..., beside=)``), and every other page, for this one."""

    def __init__(
        self,
        site: SiteView,
        templates: Path,
        maps: list[str],
        progress: Progress | None = None,
        final: Callable[[], SiteView] | None = None,
    ) -> None:
        # Pages the second process has made, in memory both processes share: the progress
        # counts them with this process's own. Nothing here refers back to ``self``, so that
        # the views go as soon as the pages are written (no cycle to wait for the collector).
        shared = mmap.mmap(-1, 8)
        here = os.getpid()
        total = page_count(site)
        self.folders = beside_folders(site)
        """The record folders whose pages the second process makes."""
        folders = self.folders
        expected = sum(_folder_pages(site)[f] for f in folders)
        theirs_only = _in_folders(folders)

        def theirs_done() -> int:
            return int(struct.unpack_from("q", shared, 0)[0])

        def tell_theirs(done: int, of: int) -> None:
            struct.pack_into("q", shared, 0, done)
            if progress is not None and os.getpid() == here:  # made here, before the rest
                progress(done, of)

        def mine() -> Iterator[tuple[str, str]]:
            with refusals_explained(templates):
                told = _counting(progress, theirs_done)
                yield from _render_site(
                    site, templates, maps, final, told, lambda path: not theirs_only(path)
                )
            if progress is not None:
                _follow(theirs_done, expected, total - expected, total, progress)

        def theirs() -> Iterator[tuple[str, str]]:
            with refusals_explained(templates):
                told = _counting(tell_theirs, None)
                yield from _render_site(site, templates, maps, None, told, theirs_only)

        self.mine, self.beside = mine(), theirs()


def _follow(
    theirs: Callable[[], int], expected: int, mine: int, total: int, progress: Progress
) -> None:
    """Tell ``progress`` of the second process's pages until it has made them all, or has
    made none for a second (it failed, or is slow: the writer waits for it then)."""
    seen, since = -1, time.monotonic()
    while True:
        done = theirs()
        if done != seen:
            progress(mine + done, total)
            seen, since = done, time.monotonic()
        if done >= expected or time.monotonic() - since > 1.0:
            return
        time.sleep(0.02)


def _in_folders(folders: tuple[str, ...]) -> Callable[[str], bool]:
    """Whether a page's path lies in one of ``folders``."""
    prefixes = tuple(f"{folder}/" for folder in folders)
    return lambda path: path.startswith(prefixes)


def _counting(
    progress: Progress | None, others: Callable[[], int] | None
) -> Callable[[int, int, bool], None] | None:
    """What a part tells ``progress``: its own pages and, from ``others``, the other part's."""
    if progress is None:
        return None

    def tell(done: int, total: int, last: bool) -> None:
        if last or done % 50 == 0:
            progress(done + (others() if others is not None else 0), total)

    return tell


def _render_site(
    site: SiteView,
    templates: Path,
    maps: list[str],
    final: Callable[[], SiteView] | None,
    told: Callable[[int, int, bool], None] | None,
    part: Callable[[str], bool] | None,
) -> Iterator[tuple[str, str]]:
    """The pages of the site, or those whose path ``part`` takes."""
    env = environment(templates, site.stamp.language, html=True)
    _ = translations(site.stamp.language).gettext
    total = page_count(site)
    done = 0
    # Each template once: asking the environment for it per page checks its file every time.
    compiled: dict[str, Template] = {}

    def render(view: SiteView, template: str, path: str, title: str, **extra: Any) -> str:
        if template not in compiled:
            compiled[template] = env.get_template(template)
        root = "../" * path.count("/")
        return compiled[template].render(site=view, root=root, page_title=title, **extra)

    def page(path: str, template: str, title: str, **extra: Any) -> Callable[[], str]:
        return functools.partial(render, site, template, path, title, **extra)

    @functools.cache
    def checked() -> SiteView:
        return final() if final is not None else site

    def last(path: str, template: str, title: str, **extra: Any) -> Callable[[], str]:
        """A page that lists the findings: with the views of ``final()`` where given."""
        return lambda: render(checked(), template, path, title, **extra)

    def files() -> Iterator[tuple[str, Callable[[], str]]]:
        # One stylesheet for every page, linked relatively: the site still works from file://.
        yield "style.css", env.get_template("style.css.j2").render
        # The search: its index as a script (a page opened from file:// may not fetch JSON).
        yield "search-index.js", functools.partial(search_index, site, _)
        yield "search.js", env.get_template("search.js.j2").render
        # Zoom and move the map; a repository's own templates/ may predate it.
        script = templates if (templates / "map.js.j2").is_file() else package_templates()
        yield "map.js", functools.partial((script / "map.js.j2").read_text, encoding="utf-8")
        yield "obligations.html", page("obligations.html", "obligations.html.j2", _("Obligations"))
        yield "trace.html", page("trace.html", "trace.html.j2", _("Traceability"))
        lists = {
            "communities": (_("Communities"), [Link(c.name, c.page) for c in site.communities]),
            "platforms": (_("Platforms"), [Link(p.name.value, p.page) for p in site.platforms]),
            "donors": (_("Donors"), [Link(d.name, d.page) for d in site.donors]),
            "agreements": (
                _("Partnerships"),
                [Link(a.title.value, a.page) for a in site.agreements],
            ),
        }
        for kind, (title, links) in lists.items():
            path = f"{kind}/index.html"
            yield path, page(path, "list.html.j2", title, links=links, kind=kind)
        for c in site.communities:
            yield c.page, page(c.page, "community.html.j2", c.name, page=c)
        for p in site.platforms:
            yield p.page, page(p.page, "platform.html.j2", p.name.value, page=p)
        for d in site.donors:
            yield d.page, page(d.page, "donor.html.j2", d.name, page=d)
        for a in site.agreements:
            yield a.page, page(a.page, "agreement.html.j2", a.title.value, page=a)
        # Last: the findings of a check made meanwhile.
        yield "index.html", last("index.html", "index.html.j2", _("Overview"), maps=maps)
        yield "findings.html", last("findings.html", "findings.html.j2", _("Findings"))

    for path, make in files():
        if part is not None and not part(path):
            continue
        text = make()
        done += 1
        if told is not None:
            told(done, total, False)
        yield path, text
    if told is not None:
        told(done, total, True)


def search_index(site: SiteView, gettext: Callable[[str], str]) -> str:
    """Every community, need, donor and partnership as [label, kind, page, more words].

    Built from the views, so it holds only what the pages show (never private fields or an
    anonymous donor's name); sorted, so the same data gives the same bytes.
    """
    _ = gettext
    entries: list[tuple[str, str, str, str]] = []
    for c in site.communities:
        entries.append((c.name, _("Community"), c.page, c.place))
        for n in c.needs:
            anchor = f"{c.page}#need-{n.ref.partition('/')[2]}"
            entries.append((n.title.value, _("Need"), anchor, f"{c.name} {n.dimension}"))
    entries += [(d.name, _("Donor"), d.page, d.country) for d in site.donors]
    entries += [
        (a.title.value, _("Partnership"), a.page, f"{a.community.label} {a.donor.label}")
        for a in site.agreements
    ]
    entries += [(p.name.value, _("Platform"), p.page, p.scope) for p in site.platforms]
    entries.sort(key=lambda e: (e[0].casefold(), e[2]))
    body = json.dumps([list(e) for e in entries], ensure_ascii=False, separators=(",", ":"))
    # Record text stays data: no "<" (so no "</script>" or "<!--") appears in the file.
    body = body.replace("<", "\\u003c")
    return f"window.SOLIDARITY_SEARCH={body};\n"


def render_markdown(site: SiteView, templates: Path, scope: str | None) -> str:
    """The Markdown report of the network, or of one community, platform, donor or partnership."""
    env = environment(templates, site.stamp.language, html=False)
    if scope is None:
        with refusals_explained(templates):
            return env.get_template("report.md.j2").render(site=site)
    scopes: list[tuple[str, str, object]] = [
        *(("community.md.j2", c.id, c) for c in site.communities),
        *(("platform.md.j2", p.id, p) for p in site.platforms),
        *(("donor.md.j2", d.id, d) for d in site.donors),
        *(("agreement.md.j2", a.id, a) for a in site.agreements),
    ]
    found = [(template, view) for template, ident, view in scopes if ident == scope]
    template, view = the_one(scope, found, [ident for _, ident, _ in scopes])
    with refusals_explained(templates):
        return env.get_template(template).render(site=site, page=view)


def write_site(pages: Files, out: Path, *, force: bool = False, beside: Files | None = None) -> int:
    """Write the site atomically: the folder is swapped in whole, never half-written; the
    number of pages written.

    ``pages`` may be made one at a time (``site_pages``): each is written as it comes, and the
    folder is checked before the first is made. ``beside`` are pages that a second process
    makes and writes meanwhile (``SplitPages``).

    Pages and folders follow the umask, so that a web server running as another user can
    serve them.

    An existing folder is only replaced when it is a site written by this command (it holds the
    marker file) or with ``force``.
    """
    out = out.absolute()
    if out.is_symlink():
        raise UsageError(
            M_("{path} is a symbolic link; nothing is written through a link", path=out),
            hint=M_("write to a real folder and file instead"),
        )
    if out.exists() and any(out.iterdir()) and not (out / SITE_MARKER).is_file() and not force:
        raise UsageError(
            M_("{folder} already holds files that this command did not write", folder=out),
            hint=M_("choose another --out folder, or add --force to replace it"),
        )
    marker = [(SITE_MARKER, "written by solidarity report\n")]
    written = write_tree_atomic(itertools.chain(file_pairs(pages), marker), out, beside=beside)
    return written - len(marker)
