"""GeoJSON of the communities with how much of their needs is covered: the social map's own
points and colours, so that the report and the export say the same."""

from __future__ import annotations

import json

from solidarity_cli.exporting.public import Public
from solidarity_cli.reporting import maps
from solidarity_cli.reporting.views import community_coverage


def communities_geojson(public: Public) -> bytes:
    """Communities with a public location, as a FeatureCollection (by country, then id)."""
    coverage = community_coverage(public.ds, public.as_of)
    points: list[tuple[str, maps.MapPoint]] = []
    for cid, c in sorted(public.ds.communities.items()):
        where = public.location(cid)
        if where is None:
            continue
        name = public.community_name(cid)
        page = f"communities/{cid}.html"
        points.append(
            (c.country, maps.MapPoint(cid, name, where.lat, where.lon, coverage[cid], page))
        )
    features = [p for _, p in sorted(points, key=lambda x: x[0])]
    return (json.dumps(maps.geojson(features), ensure_ascii=False, indent=2) + "\n").encode()
