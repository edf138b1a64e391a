"""``solidarity report`` as a library call: check, build views, draw maps, render."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from solidarity_cli.checking import check_repository
from solidarity_cli.reporting import maps
from solidarity_cli.reporting.i18n import Locale
from solidarity_cli.reporting.site import render_markdown, render_site, templates_for
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


def build(root: Path, as_of: dt.date, language: str) -> SiteView:
    """Check the repository and build every view in ``language``."""
    report = check_repository(root, as_of=as_of)
    return build_site(report.dataset, report, language, as_of)


def render(root: Path, as_of: dt.date, language: str, fmt: str, scope: str | None) -> Rendered:
    """Render a report: ``html`` (a whole site), ``md`` or ``geojson``."""
    site = build(root, as_of, language)
    loc = Locale(language)
    points = map_points(site)
    if fmt == "geojson":
        features = [p for country in sorted(points) for p in points[country]]
        text = json.dumps(maps.geojson(features), ensure_ascii=False, indent=2) + "\n"
        return Rendered({"map.geojson": text}, site)
    templates = templates_for(root)
    if fmt == "md":
        return Rendered({"report.md": render_markdown(site, templates, scope)}, site)
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
    return Rendered(render_site(site, templates, svgs), site)
