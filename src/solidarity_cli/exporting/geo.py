"""GeoJSON of the communities with how much of their needs is covered: the report's own map
data, so both say the same."""

from __future__ import annotations

import json

from solidarity_cli.checking import CheckReport
from solidarity_cli.exporting.public import Public
from solidarity_cli.reporting import maps
from solidarity_cli.reporting.report import map_points
from solidarity_cli.reporting.views import build_site


def communities_geojson(public: Public) -> bytes:
    """Communities with a public location, as a FeatureCollection (by country, then id)."""
    ds = public.ds
    site = build_site(ds, CheckReport(ds, [], public.as_of), public.language, public.as_of)
    points = map_points(site)
    features = [p for country in sorted(points) for p in points[country]]
    collection = maps.geojson(features)
    for feature in collection["features"]:
        feature["properties"]["label"] = public.text(feature["properties"]["label"])
    return (json.dumps(collection, ensure_ascii=False, indent=2) + "\n").encode()
