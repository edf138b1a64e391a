"""``solidarity report`` as a library call: check, build views, draw maps, render."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from solidarity_cli.checking import check_repository
from solidarity_cli.reading.layout import RecordKind
from solidarity_cli.reporting import history, maps
from solidarity_cli.reporting.i18n import Locale
from solidarity_cli.reporting.labels import KIND_LABELS
from solidarity_cli.reporting.scope import cut, find_scope
from solidarity_cli.reporting.site import (
    environment,
    package_templates,
    render_markdown,
    render_site,
    templates_for,
)
from solidarity_cli.reporting.views import SiteView, build_site


@dataclass(frozen=True)
class Rendered:
    """Files of a report, relative path -> text."""

    files: dict[str, str]
    site: SiteView


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
    """Check the repository and build every view in ``language``.

    With ``scope`` (a community, platform, donor or partnership), only the records it covers
    are built, so that every total, chart and finding is about that part of the network.
    """
    report = check_repository(root, as_of=as_of)
    if scope is None:
        return build_site(report.dataset, report, language, as_of)
    where = find_scope(report.dataset, scope)
    loc = Locale(language)
    kind = loc.gettext(KIND_LABELS[where.kind])
    name = scope
    if where.kind is RecordKind.COMMUNITY:
        name = report.dataset.communities[scope].name
    label = f"{kind}: {name}"
    part = cut(report, where)
    return build_site(part.dataset, part, language, as_of, label)


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


def render(
    root: Path,
    as_of: dt.date,
    language: str,
    fmt: str,
    scope: str | None,
    past: list[history.Point] | None = None,
) -> Rendered:
    """Render a report: ``html`` (a site), ``md`` or ``geojson``, of the network or a scope.

    Markdown of a scope is that record's own page; a site or map data of a scope covers the
    records it reaches (a platform's communities, a donor's partnerships, ...). ``past`` (the
    network's history) adds a page to the site and tables to the network's Markdown.
    """
    site = build(root, as_of, language, None if fmt == "md" else scope)
    loc = Locale(language)
    points = map_points(site)
    if fmt == "geojson":
        features = [p for country in sorted(points) for p in points[country]]
        text = json.dumps(maps.geojson(features), ensure_ascii=False, indent=2) + "\n"
        return Rendered({"map.geojson": text}, site)
    templates = templates_for(root)
    if fmt == "md":
        text = render_markdown(site, templates, scope)
        if past and scope is None:
            text += "\n" + history.markdown(past, loc, site.base_currency)
        return Rendered({"report.md": text}, site)
    legend = {
        "covered": loc.gettext("share of needs covered"),
        "none": loc.gettext("nothing covered yet"),
        "no_open_needs": loc.gettext("no open needs"),
    }
    svgs = [
        maps.social_map(
            country,
            points[country],
            title=loc.gettext("Communities and how much of their needs is covered"),
            legend=legend,
        )
        for country in sorted(points)
    ]
    pages = render_site(site, templates, svgs)
    if past:
        pages["history.html"] = history_page(site, past, templates)
    return Rendered(pages, site)
