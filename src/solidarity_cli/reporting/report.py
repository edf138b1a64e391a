"""``solidarity report`` as a library call: check, build views, draw maps, render."""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import json
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from babel import Locale as BabelLocale

from solidarity_cli.checking import CheckReport, check_repository, checking_beside
from solidarity_cli.diagnostics import Diagnostic
from solidarity_cli.gitrepo import data_commit_later
from solidarity_cli.reading.layout import SETTINGS_FILE, RecordKind
from solidarity_cli.reading.loader import collector_paused
from solidarity_cli.reading.parse import parse_bytes
from solidarity_cli.reporting import history, maps
from solidarity_cli.reporting.i18n import Locale
from solidarity_cli.reporting.labels import KIND_LABELS
from solidarity_cli.reporting.sandbox import environment
from solidarity_cli.reporting.scope import cut, find_scope
from solidarity_cli.reporting.site import (
    Progress,
    SplitPages,
    package_templates,
    render_markdown,
    site_pages,
    templates_for,
)
from solidarity_cli.reporting.views import SiteView, build_site, with_findings
from solidarity_cli.revisions import Revision, Revisions, revisions
from solidarity_cli.withholding import make_public


@dataclass(frozen=True)
class Rendered:
    """Files of a report, relative path -> text."""

    files: dict[str, str]
    site: SiteView
    withheld: list[Diagnostic] = field(default_factory=list)
    """Texts left out because they hold personal data, with file, line and rule."""


def country_name(code: str, language: str) -> str:
    """A country's name in ``language`` (from Babel's locale data), else its ISO code."""
    try:
        names = BabelLocale.parse(language).territories
    except (ValueError, LookupError):
        return code
    return str(names.get(code.upper(), code))


def map_points(site: SiteView) -> dict[str, list[maps.MapPoint]]:
    """Communities with a public location, by country."""
    out: dict[str, list[maps.MapPoint]] = {}
    for c in site.communities:
        if c.lat is None or c.lon is None:
            continue
        coverage = c.coverage if c.needs else None
        out.setdefault(c.country, []).append(
            maps.MapPoint(c.id, c.name, c.lat, c.lon, coverage, c.page)
        )
    return out


def build(root: Path, as_of: dt.date, language: str, scope: str | None = None) -> SiteView:
    """Check the repository and build every view in ``language`` (see ``build_public``)."""
    return build_public(root, as_of, language, scope)[0]


def build_public(
    root: Path,
    as_of: dt.date,
    language: str,
    scope: str | None = None,
    revision: Revision | None = None,
    opened: Revisions | None = None,
    named: str | None = None,
) -> tuple[SiteView, list[Diagnostic]]:
    """Check the repository and build every view in ``language``.

    With ``scope`` (a community, platform, donor or partnership), only the records it covers
    are built, so that every total, chart and finding is about that part of the network.
    ``revision`` (opened by ``opened``) builds the views of a git revision instead of the
    working tree. ``named``: a record whose own page of the whole network is wanted, refused
    first (with the reason) when there is none.
    """
    if revision is not None:
        return _build_public(root, as_of, language, scope, revision, opened, None, named)
    with data_commit_later(root) as commit:  # git beside the reading, for the site's stamp
        return _build_public(root, as_of, language, scope, None, None, commit, named)


def _build_public(
    root: Path,
    as_of: dt.date,
    language: str,
    scope: str | None,
    revision: Revision | None,
    opened: Revisions | None,
    commit: Callable[[], str] | None,
    named: str | None = None,
) -> tuple[SiteView, list[Diagnostic]]:
    checked = check_repository(root, as_of=as_of, revision=revision, opened=opened)
    public = make_public(
        checked.dataset, language, root, revision.read if revision is not None else None
    )
    report = replace(checked, dataset=public.dataset)
    if scope is None:
        if named is not None:
            find_scope(report.dataset, named)  # a page of the whole network is asked for
        site = build_site(report.dataset, report, language, as_of, commit=commit)
        return _stamped(site, revision), public.withheld
    where = find_scope(report.dataset, scope)
    loc = Locale(language)
    kind = loc.gettext(KIND_LABELS[where.kind])
    name = scope
    if where.kind is RecordKind.COMMUNITY:
        name = report.dataset.communities[scope].name
    label = f"{kind}: {name}"
    part = cut(report, where)
    withheld = [d for d in public.withheld if d.path in set(part.dataset.paths.values())]
    site = build_site(part.dataset, part, language, as_of, label, commit=commit)
    return _stamped(site, revision), withheld


def _stamped(site: SiteView, revision: Revision | None) -> SiteView:
    """A revision's views say its commit, as a checkout of that commit would."""
    if revision is None or revision.short is None:
        return site
    return replace(site, stamp=replace(site.stamp, commit=revision.short))


def history_page(site: SiteView, points: list[history.Point], templates: Path) -> str:
    """The site's page of the network over time: a chart and tables."""
    loc = Locale(site.stamp.language)
    if not (templates / "history.html.j2").is_file():
        templates = package_templates()
    env = environment(templates, site.stamp.language, html=True)
    return env.get_template("history.html.j2").render(
        site=site,
        root="",
        page_title=loc.gettext("The network over time"),
        chart=history.chart(points, loc, site.base_currency),
        **vars(history.table(points, loc, site.base_currency)),
    )


def network_language(root: Path, rev: str | None = None) -> str | None:
    """The ``default_language`` written in the repository's settings (at ``rev``, if given),
    if it can be read."""
    if rev is not None:
        with revisions(root) as opened:
            content = opened.open(rev).source.settings()
        if content is None:
            return None
    else:
        path = root / SETTINGS_FILE
        if path.is_symlink() or not path.is_file():
            return None
        with path.open("rb") as handle:
            content = handle.read(1 << 20)
    parsed = parse_bytes(SETTINGS_FILE, content[: 1 << 20], screen=False)
    data = parsed.data
    language = data.get("default_language") if isinstance(data, dict) else None
    return language if isinstance(language, str) else None


def render(
    root: Path,
    as_of: dt.date,
    language: str,
    fmt: str,
    scope: str | None,
    past: list[history.Point] | None = None,
    rev: str | None = None,
    progress: Progress | None = None,
) -> Rendered:
    """Render a report: ``html`` (a site), ``md`` or ``geojson``, of the network or a scope.

    Markdown of a scope is that record's own page; a site or map data of a scope covers the
    records it reaches (a platform's communities, a donor's partnerships, ...). ``past`` (the
    network's history) adds a page to the site and tables to the network's Markdown. ``rev``
    renders the data, and the repository's own templates, as they were at that git revision.
    A site is held whole here; ``making_site`` gives its pages one at a time.
    """
    if fmt == "html":
        with making_site(root, as_of, language, scope, past, rev, progress) as made:
            return Rendered(dict(made.pages), made.site, made.withheld)
    with revisions(root) as opened:
        revision = opened.open(rev) if rev is not None else None
        return _render(root, as_of, language, fmt, scope, past, revision, opened)


class SitePages:
    """A site being made: its views, the texts withheld, and its pages made one at a time."""

    def __init__(
        self,
        views: Callable[[], SiteView],
        withheld: list[Diagnostic],
        pages: Iterator[tuple[str, str]],
        beside: Iterator[tuple[str, str]] | None = None,
    ) -> None:
        self._views = views
        self.withheld = withheld
        self.pages = pages
        """(relative path, text) of every file, each rendered when the writer asks for it."""
        self.beside = beside
        """With ``split``: the files a second process makes and writes (``write_site``), not
        in ``pages``."""

    @property
    def site(self) -> SiteView:
        """The views of the site, with the check's findings (waited for, if still coming)."""
        return self._views()


@contextmanager
def making_site(
    root: Path,
    as_of: dt.date,
    language: str,
    scope: str | None,
    past: list[history.Point] | None = None,
    rev: str | None = None,
    progress: Progress | None = None,
    *,
    split: bool = False,
) -> Iterator[SitePages]:
    """The site of the network (or of ``scope``), checked and built, its pages still to make.

    Take the pages inside the ``with``: at a git revision, its templates are read from a
    folder that lives as long as the block. Writing them as they come (``write_site``) holds
    one page at a time instead of the whole site. The site of the whole working tree is
    checked beside this process while its views and pages are made (see ``beside``); the
    pages that list the findings come last. With ``split``, the donors' and partnerships'
    pages are apart (``SitePages.beside``), for a second process to make and write.
    """
    with revisions(root) as opened, ExitStack() as stack:
        revision = opened.open(rev) if rev is not None else None
        final: Callable[[], SiteView] | None = None
        if revision is None and scope is None:
            site, withheld, final = stack.enter_context(_built_beside(root, as_of, language))
        else:
            site, withheld = _built(root, as_of, language, scope, revision, opened)
        templates = templates_for(revision.outside_data() if revision is not None else root)
        svgs = _maps(site, Locale(language))
        if past:
            site = replace(site, history=True)  # every page's menu then links to it
        views = _views(site, final, history=bool(past))
        checked = None if final is None else views
        if checked is not None and templates != package_templates():
            # A network's own templates may show the findings on any page: they wait for them.
            site, checked = views(), None
        if not split:
            yield SitePages(views, withheld, _pages(site, templates, svgs, past, progress, checked))
            return
        parts = SplitPages(site, templates, svgs, progress, checked)
        mine = itertools.chain(parts.mine, _history(site, past, templates))
        yield SitePages(views, withheld, mine, parts.beside)


def _views(
    site: SiteView, final: Callable[[], SiteView] | None, *, history: bool
) -> Callable[[], SiteView]:
    """The site's views once the findings are in (asked for once, then kept)."""
    if final is None:
        return lambda: site

    @functools.cache
    def views() -> SiteView:
        whole = final()
        return replace(whole, history=True) if history else whole

    return views


@contextmanager
def _built_beside(
    root: Path, as_of: dt.date, language: str
) -> Iterator[tuple[SiteView, list[Diagnostic], Callable[[], SiteView]]]:
    """The views of the working tree built while its check runs beside (``checking_beside``):
    the views without findings, the texts withheld, and the views with the findings."""
    # git reads the files' metadata for the site's stamp while the records are read
    with (
        data_commit_later(root) as commit,
        checking_beside(root, as_of=as_of) as (
            dataset,
            findings,
        ),
    ):
        with collector_paused():  # the records and the views live until the files are written
            public = make_public(dataset, language, root, None)
            unchecked = CheckReport(public.dataset, [], as_of)
            site = build_site(public.dataset, unchecked, language, as_of, commit=commit)
        yield site, public.withheld, lambda: with_findings(site, findings.result())


def _pages(
    site: SiteView,
    templates: Path,
    svgs: list[str],
    past: list[history.Point] | None,
    progress: Progress | None,
    final: Callable[[], SiteView] | None,
) -> Iterator[tuple[str, str]]:
    yield from site_pages(site, templates, svgs, progress, final)
    yield from _history(site, past, templates)


def _history(
    site: SiteView, past: list[history.Point] | None, templates: Path
) -> Iterator[tuple[str, str]]:
    if past:
        yield "history.html", history_page(site, past, templates)


def _built(
    root: Path,
    as_of: dt.date,
    language: str,
    scope: str | None,
    revision: Revision | None,
    opened: Revisions,
    named: str | None = None,
) -> tuple[SiteView, list[Diagnostic]]:
    with collector_paused():  # the records and the views live until the files are written
        return build_public(
            root, as_of, language, scope, revision, opened if revision is not None else None, named
        )


def _render(
    root: Path,
    as_of: dt.date,
    language: str,
    fmt: str,
    scope: str | None,
    past: list[history.Point] | None,
    revision: Revision | None,
    opened: Revisions,
) -> Rendered:
    markdown = fmt == "md"  # a scope's Markdown is its own page of the whole network
    site, withheld = _built(
        root,
        as_of,
        language,
        None if markdown else scope,
        revision,
        opened,
        scope if markdown else None,
    )
    loc = Locale(language)
    if fmt == "geojson":
        points = map_points(site)
        features = [p for country in sorted(points) for p in points[country]]
        text = json.dumps(maps.geojson(features), ensure_ascii=False, indent=2) + "\n"
        return Rendered({"map.geojson": text}, site, withheld)
    templates = templates_for(revision.outside_data() if revision is not None else root)
    text = render_markdown(site, templates, scope)
    if past and scope is None:
        text += "\n" + history.markdown(past, loc, site.base_currency)
    return Rendered({"report.md": text}, site, withheld)


def _maps(site: SiteView, loc: Locale) -> list[str]:
    """The social map of each country, the larger network first, each with its table."""
    points = map_points(site)
    legend = {
        "covered": loc.gettext("share of needs covered"),
        "none": loc.gettext("nothing covered yet"),
        "no_open_needs": loc.gettext("no open needs"),
        "group": loc.gettext("{count} communities here"),
        "controls": loc.gettext("Zoom and move the map"),
        "zoom-in": loc.gettext("Zoom in"),
        "zoom-out": loc.gettext("Zoom out"),
        "left": loc.gettext("Move west"),
        "right": loc.gettext("Move east"),
        "up": loc.gettext("Move north"),
        "down": loc.gettext("Move south"),
        "reset": loc.gettext("Whole map"),
    }
    svgs: list[str] = []
    # The larger network first; each panel is captioned with its country's name.
    for country in sorted(points, key=lambda c: (-len(points[c]), c)):
        name = country_name(country, loc.babel)
        svgs.append(
            maps.social_map(
                country,
                points[country],
                title=loc.gettext("%(country)s: communities and how much of their needs is covered")
                % {"country": name},
                legend=legend,
            )
            + maps.coverage_table(
                points[country],
                caption=loc.gettext("The numbers of this map: %(country)s") % {"country": name},
                heads=[loc.gettext("Community"), loc.gettext("Share of needs covered")],
                none=loc.gettext("no open needs"),
            )
        )
    return svgs
