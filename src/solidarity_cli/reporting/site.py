"""Render views with Jinja: a static, self-contained HTML site, or Markdown for GitHub."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from jinja2 import Template

from solidarity_cli.atomic import Files, write_tree_atomic
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
    # trace; four lists
    fixed = 4 + 4 + 4
    records = len(site.communities) + len(site.platforms) + len(site.donors)
    return fixed + records + len(site.agreements)


def render_site(
    site: SiteView, templates: Path, maps: list[str], progress: Progress | None = None
) -> dict[str, str]:
    """Every page of the site: relative path -> HTML; ``progress`` hears of each page."""
    return dict(site_pages(site, templates, maps, progress))


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
        yield from _render_site(site, templates, maps, progress, final)


def _render_site(
    site: SiteView,
    templates: Path,
    maps: list[str],
    progress: Progress | None,
    final: Callable[[], SiteView] | None,
) -> Iterator[tuple[str, str]]:
    env = environment(templates, site.stamp.language, html=True)
    _ = translations(site.stamp.language).gettext
    total = page_count(site)
    done = 0
    # Each template once: asking the environment for it per page checks its file every time.
    compiled: dict[str, Template] = {}

    def page(path: str, template: str, title: str, **extra: Any) -> tuple[str, str]:
        nonlocal done
        root = "../" * path.count("/")
        if template not in compiled:
            compiled[template] = env.get_template(template)
        html = compiled[template].render(site=site, root=root, page_title=title, **extra)
        done += 1
        if progress is not None and done % 50 == 0:
            progress(done, total)
        return path, html

    # One stylesheet for every page, linked relatively: the site still works from file://.
    yield "style.css", env.get_template("style.css.j2").render()
    # The search: its index as a script (a page opened from file:// may not fetch JSON).
    yield "search-index.js", search_index(site, _)
    yield "search.js", env.get_template("search.js.j2").render()
    # Zoom and move the map; a repository's own templates/ may predate it.
    script = templates if (templates / "map.js.j2").is_file() else package_templates()
    yield "map.js", (script / "map.js.j2").read_text(encoding="utf-8")
    done = 4
    yield page("obligations.html", "obligations.html.j2", _("Obligations"))
    yield page("trace.html", "trace.html.j2", _("Traceability"))
    lists = {
        "communities": (_("Communities"), [Link(c.name, c.page) for c in site.communities]),
        "platforms": (_("Platforms"), [Link(p.name.value, p.page) for p in site.platforms]),
        "donors": (_("Donors"), [Link(d.name, d.page) for d in site.donors]),
        "agreements": (_("Partnerships"), [Link(a.title.value, a.page) for a in site.agreements]),
    }
    for kind, (title, links) in lists.items():
        yield page(f"{kind}/index.html", "list.html.j2", title, links=links, kind=kind)
    for c in site.communities:
        yield page(c.page, "community.html.j2", c.name, page=c)
    for p in site.platforms:
        yield page(p.page, "platform.html.j2", p.name.value, page=p)
    for d in site.donors:
        yield page(d.page, "donor.html.j2", d.name, page=d)
    for a in site.agreements:
        yield page(a.page, "agreement.html.j2", a.title.value, page=a)
    if final is not None:
        site = final()
    yield page("index.html", "index.html.j2", _("Overview"), maps=maps)
    yield page("findings.html", "findings.html.j2", _("Findings"))
    if progress is not None:
        progress(done, total)


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
    template, view = the_one(scope, found)
    with refusals_explained(templates):
        return env.get_template(template).render(site=site, page=view)


def write_site(pages: Files, out: Path, *, force: bool = False) -> None:
    """Write the site atomically: the folder is swapped in whole, never half-written.

    ``pages`` may be made one at a time (``site_pages``): each is written as it comes, and the
    folder is checked before the first is made.

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
    files = sorted(pages.items()) if isinstance(pages, Mapping) else pages
    write_tree_atomic(itertools.chain(files, marker), out)
