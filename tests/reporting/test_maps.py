"""The social map: outlines that hold the shipped communities, and a safe, stable SVG."""

from __future__ import annotations

import itertools
import json
import math
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from solidarity_cli.reading import load_repository
from solidarity_cli.reporting.maps import (
    NO_OPEN_NEEDS_COLOUR,
    MapPoint,
    coverage_colour,
    geojson,
    social_map,
)
from solidarity_cli.reporting.outlines import COUNTRY_OUTLINES, SUBDIVISION_REGIONS

ROOT = Path(__file__).resolve().parents[2]
SVG = "{http://www.w3.org/2000/svg}"
LEGEND = {
    "covered": "share of needs covered",
    "none": "nothing covered yet",
    "no_open_needs": "no open needs",
}
CV_ISLANDS = {
    "Santo Antão",
    "São Vicente",
    "Santa Luzia",
    "São Nicolau",
    "Sal",
    "Boa Vista",
    "Maio",
    "Santiago",
    "Fogo",
    "Brava",
}
# (min lon, min lat, max lon, max lat)
CV_BOX = (-25.4, 14.75, -22.6, 17.25)
BR_BOX = (-74.1, -33.8, -28.8, 5.3)

Ring = list[tuple[float, float]]


def inside(ring: Ring, lon: float, lat: float) -> bool:
    """Even-odd ray casting, written here apart from the module's own."""
    crossings = 0
    for i in range(len(ring) - 1):
        (x1, y1), (x2, y2) = ring[i], ring[i + 1]
        if (y1 <= lat < y2 or y2 <= lat < y1) and lon < x1 + (lat - y1) / (y2 - y1) * (x2 - x1):
            crossings += 1
    return crossings % 2 == 1


def in_region(rings: list[Ring], lon: float, lat: float) -> bool:
    return any(inside(ring, lon, lat) for ring in rings)


def centre(rings: list[Ring]) -> tuple[float, float]:
    ring = max(rings, key=len)
    return sum(x for x, _ in ring) / len(ring), sum(y for _, y in ring) / len(ring)


def point(
    id_: str, coverage: float | None, *, lat: float = 15.0, lon: float = -23.6, label: str = ""
) -> MapPoint:
    return MapPoint(id_, label or id_, lat, lon, coverage, f"communities/{id_}/")


def circles(svg: str) -> list[ET.Element]:
    tree = ET.fromstring(svg)
    return [c for a in tree.iter(f"{SVG}a") for c in a.iter(f"{SVG}circle")]


# -- outlines ---------------------------------------------------------------------------------


def test_cape_verde_has_its_ten_islands_as_closed_rings_inside_the_country() -> None:
    islands = COUNTRY_OUTLINES["CV"]
    assert set(islands) == CV_ISLANDS
    for name, rings in islands.items():
        assert len(rings) == 1, name
        ring = rings[0]
        assert ring[0] == ring[-1], f"{name} is not closed"
        assert 12 <= len(ring) <= 40, (name, len(ring))
        for lon, lat in ring:
            assert CV_BOX[0] <= lon <= CV_BOX[2] and CV_BOX[1] <= lat <= CV_BOX[3], name


def test_cape_verde_islands_keep_their_relative_positions() -> None:
    c = {name: centre(rings) for name, rings in COUNTRY_OUTLINES["CV"].items()}
    # Barlavento to the north, Sotavento to the south; Santo Antão furthest west.
    north = ("Santo Antão", "São Vicente", "Santa Luzia", "São Nicolau", "Sal", "Boa Vista")
    south = ("Maio", "Santiago", "Fogo", "Brava")
    assert min(c[n][1] for n in north) > max(c[s][1] for s in south)
    assert min(c.values()) == c["Santo Antão"]
    assert c["Santo Antão"][0] < c["São Vicente"][0] < c["Santa Luzia"][0] < c["São Nicolau"][0]
    assert c["Sal"][1] > c["Boa Vista"][1] > c["Maio"][1]
    assert c["Brava"][0] < c["Fogo"][0] < c["Santiago"][0] < c["Maio"][0]
    assert max(c.values(), key=lambda xy: xy[0]) == c["Boa Vista"]


def test_island_outlines_do_not_overlap() -> None:
    islands = COUNTRY_OUTLINES["CV"]
    for name, rings in islands.items():
        for other, other_rings in islands.items():
            if other != name:
                assert not any(in_region(other_rings, x, y) for x, y in rings[0]), (name, other)


def test_brazil_has_27_states_as_closed_rings() -> None:
    states = COUNTRY_OUTLINES["BR"]
    assert len(states) == 27
    assert set(states) == set(SUBDIVISION_REGIONS.values())
    for name, rings in states.items():
        for ring in rings:
            assert ring[0] == ring[-1], f"{name} is not closed"
            assert 10 <= len(ring) <= 40, (name, len(ring))
            for lon, lat in ring:
                assert BR_BOX[0] <= lon <= BR_BOX[2] and BR_BOX[1] <= lat <= BR_BOX[3], name


@pytest.mark.parametrize(
    ("place", "lat", "lon", "state"),
    [
        ("Salvador", -12.97, -38.50, "Bahia"),
        ("Cachoeira", -12.62, -38.96, "Bahia"),
        ("Vitória da Conquista", -14.86, -40.84, "Bahia"),
        ("Barreiras", -12.15, -45.00, "Bahia"),
        ("Aracaju", -10.93, -37.10, "Sergipe"),
        ("Belo Horizonte", -19.92, -43.94, "Minas Gerais"),
        ("Brasília", -15.79, -47.88, "Distrito Federal"),
        ("São Paulo", -23.55, -46.63, "São Paulo"),
        ("Manaus", -3.10, -60.02, "Amazonas"),
        ("Palmas", -10.18, -48.33, "Tocantins"),
        ("Campo Grande", -20.46, -54.62, "Mato Grosso do Sul"),
        ("Cuiabá", -15.60, -56.10, "Mato Grosso"),
        ("Boa Vista", 2.82, -60.67, "Roraima"),
        ("São Luís", -2.53, -44.30, "Maranhão"),
        ("Florianópolis", -27.59, -48.55, "Santa Catarina"),
        ("Belém", -1.45, -48.49, "Pará"),
        ("Porto Alegre", -30.03, -51.22, "Rio Grande do Sul"),
        ("Recife", -8.05, -34.90, "Pernambuco"),
    ],
)
def test_brazilian_cities_fall_in_their_state(
    place: str, lat: float, lon: float, state: str
) -> None:
    states = COUNTRY_OUTLINES["BR"]
    assert in_region(states[state], lon, lat), place
    # Only the Distrito Federal lies inside another state's outline (Goiás, drawn beneath it).
    others = {n for n, rings in states.items() if n != state and in_region(rings, lon, lat)}
    assert others <= ({"Goiás"} if state == "Distrito Federal" else set()), (place, others)


def test_shipped_communities_fall_inside_their_own_island_or_state() -> None:
    communities = load_repository(ROOT).dataset.communities
    placed = [c for c in communities.values() if c.location is not None]
    assert {c.country for c in placed} >= {"CV", "BR"}
    for c in placed:
        assert c.location is not None
        lon, lat = c.location.lon, c.location.lat
        regions = COUNTRY_OUTLINES[c.country]
        own = c.island if c.country == "CV" else SUBDIVISION_REGIONS[c.subdivision]
        assert own in regions, (c.id, own)
        assert in_region(regions[own], lon, lat), f"{c.id} ({lat}, {lon}) is not in {own}"
        elsewhere = [n for n, rings in regions.items() if n != own and in_region(rings, lon, lat)]
        assert elsewhere == [], (c.id, elsewhere)
    assert any(SUBDIVISION_REGIONS.get(c.subdivision) == "Bahia" for c in placed)


# -- colours ----------------------------------------------------------------------------------


def test_colour_scale_runs_from_red_through_yellow_to_blue() -> None:
    assert coverage_colour(0.0) == "#d73027"
    assert coverage_colour(0.5) == "#fee090"
    assert coverage_colour(1.0) == "#4575b4"
    assert coverage_colour(None) == NO_OPEN_NEEDS_COLOUR
    assert coverage_colour(float("nan")) == NO_OPEN_NEEDS_COLOUR
    assert coverage_colour(-1.0) == coverage_colour(0.0)
    assert coverage_colour(3.0) == coverage_colour(1.0)
    assert re.fullmatch(r"#[0-9a-f]{6}", coverage_colour(0.37))


# -- SVG --------------------------------------------------------------------------------------


def test_svg_parses_with_one_linked_circle_per_point_coloured_by_coverage() -> None:
    points = [
        point("none-covered", 0.0, lat=14.92, lon=-23.49),
        point("all-covered", 1.0, lat=15.27, lon=-23.74),
        point("no-needs", None, lat=16.88, lon=-24.98),
    ]
    svg = social_map("CV", points, title="Needs covered", legend=LEGEND)
    tree = ET.fromstring(svg)
    assert tree.tag == f"{SVG}svg"
    # a group, not an image: it holds links that a keyboard reaches, each with its own name
    assert tree.get("role") == "group"
    assert tree.get("aria-label") == "Needs covered"
    assert all(a.get("aria-label") for a in tree.iter(f"{SVG}a"))
    links = list(tree.iter(f"{SVG}a"))
    assert sorted(a.get("href") or "" for a in links) == sorted(p.href for p in points)
    fills = {}
    for a in links:
        (circle,) = a.iter(f"{SVG}circle")
        title = circle.find(f"{SVG}title")
        assert title is not None and title.text
        fills[title.text.split(":")[0]] = circle.get("fill")
    assert fills == {
        "none-covered": "#d73027",
        "all-covered": "#4575b4",
        "no-needs": NO_OPEN_NEEDS_COLOUR,
    }
    assert len(circles(svg)) == 3
    texts = "".join(tree.itertext())
    for value in LEGEND.values():
        assert value in texts
    for island in CV_ISLANDS:
        assert island in texts


def test_record_text_is_escaped_and_never_becomes_markup() -> None:
    evil = "<script>alert(1)</script>"
    points = [
        MapPoint("x", f"Vila {evil}", 15.0, -23.6, 0.5, '/c/"><script>alert(2)</script>'),
    ]
    legend = {key: f"{text} {evil}" for key, text in LEGEND.items()}
    svg = social_map("CV", points, title=f"Map {evil}", legend=legend)
    assert "<script" not in svg
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in svg
    tree = ET.fromstring(svg)
    assert not [e for e in tree.iter() if e.tag.rsplit("}", 1)[-1].lower() == "script"]
    (circle,) = circles(svg)
    title = circle.find(f"{SVG}title")
    assert title is not None and title.text is not None and evil in title.text
    (link,) = tree.iter(f"{SVG}a")
    assert link.get("href") == '/c/"><script>alert(2)</script>'
    assert tree.get("aria-label") == f"Map {evil}"


def test_same_input_gives_the_same_string_whatever_the_order() -> None:
    points = [point(f"p{i}", i / 4, lat=14.9 + i / 20, lon=-23.7 + i / 50) for i in range(5)]
    first = social_map("CV", points, title="t", legend=LEGEND)
    assert social_map("CV", points, title="t", legend=LEGEND) == first
    assert social_map("CV", list(reversed(points)), title="t", legend=LEGEND) == first


def test_coordinates_have_at_most_one_decimal() -> None:
    svg = social_map("CV", [point("a", 0.3)], title="t", legend=LEGEND)
    numbers = re.findall(r'(?:d|cx|cy|x|y|x1|x2|y1|y2|width|height)="([^"]*)"', svg)
    assert numbers
    for value in numbers:
        for number in re.findall(r"-?\d+(?:\.\d+)?", value):
            assert re.fullmatch(r"-?\d+(\.\d)?", number), number


def test_least_covered_points_are_drawn_last() -> None:
    # far enough apart that none is grouped with another
    points = [
        point("a", 0.0, lat=14.9),
        point("b", None, lat=15.2),
        point("c", 0.9, lat=15.5),
        point("d", 0.4, lat=15.8),
    ]
    svg = social_map("CV", points, title="t", legend=LEGEND)
    order = [c.findtext(f"{SVG}title", "").split(":")[0] for c in circles(svg)]
    assert order == ["b", "c", "d", "a"]


def test_brazil_map_is_fitted_to_the_states_with_points() -> None:
    points = [
        point("bairro-da-paz", 0.2, lat=-12.94, lon=-38.40),
        point("kaonge", None, lat=-12.69, lon=-38.86),
    ]
    svg = social_map("BR", points, title="t", legend=LEGEND)
    tree = ET.fromstring(svg)
    texts = list(tree.itertext())
    assert "Bahia" in texts
    assert "Amazonas" not in texts and "Rio Grande do Sul" not in texts
    a, b = ((float(c.get("cx") or 0), float(c.get("cy") or 0)) for c in circles(svg))
    # 0.5 degree apart: on a map of the whole country they would almost touch.
    assert ((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2) ** 0.5 > 25
    width = float(tree.get("width") or 0)
    for x, _ in (a, b):
        assert 0 < x < width


def test_country_without_outlines_still_shows_its_points() -> None:
    points = [point("a", 0.5, lat=10.0, lon=10.0), point("b", 1.0, lat=11.0, lon=12.0)]
    svg = social_map("ZZ", points, title="t", legend={})
    assert len(circles(svg)) == 2
    texts = "".join(ET.fromstring(svg).itertext())
    assert "no open needs" in texts  # English text stands in for a missing translation


# -- GeoJSON ----------------------------------------------------------------------------------


def test_geojson_is_a_feature_collection_github_can_colour() -> None:
    points = [
        point("a", 0.0, lat=14.92, lon=-23.49),
        point("b", 1.0, lat=-12.94, lon=-38.40),
        point("c", None, lat=16.88, lon=-24.98),
        point("d", float("nan")),
    ]
    doc = geojson(points)
    json.dumps(doc, allow_nan=False)
    assert doc["type"] == "FeatureCollection"
    assert len(doc["features"]) == 4
    for p, feature in zip(points, doc["features"], strict=True):
        assert feature["type"] == "Feature"
        assert feature["geometry"] == {"type": "Point", "coordinates": [p.lon, p.lat]}
        props = feature["properties"]
        assert {"id", "label", "coverage", "href", "marker-color"} <= set(props)
        assert props["id"] == p.id and props["href"] == p.href and props["label"] == p.label
        assert re.fullmatch(r"#[0-9a-f]{6}", props["marker-color"])
    colours = [f["properties"]["marker-color"] for f in doc["features"]]
    assert colours == ["#d73027", "#4575b4", NO_OPEN_NEEDS_COLOUR, NO_OPEN_NEEDS_COLOUR]
    assert doc["features"][3]["properties"]["coverage"] is None
    assert geojson([]) == {"type": "FeatureCollection", "features": []}


# -- dots that would overlap ------------------------------------------------------------------


def _groups(svg: str) -> list[tuple[int, str]]:
    """Each group mark: the count it writes and its circle's tooltip."""
    tree = ET.fromstring(svg)
    out = []
    for g in tree.iter(f"{SVG}g"):
        if g.get("class") != "group":
            continue
        circle = g.find(f"{SVG}circle")
        text = g.find(f"{SVG}text")
        assert circle is not None and text is not None and text.text
        title = circle.find(f"{SVG}title")
        assert title is not None and title.text
        out.append((int(text.text), title.text))
    return out


def test_dots_that_would_overlap_become_one_mark_with_their_count() -> None:
    # 30 communities within a few hundred metres of each other on Santiago, one far away on Fogo
    crowd = [point(f"c{i:02}", i / 30, lat=15.0 + i * 1e-4, lon=-23.6) for i in range(30)]
    alone = point("fogo", 0.5, lat=14.95, lon=-24.35)
    svg = social_map("CV", [*crowd, alone], title="t", legend={**LEGEND, "group": "{count} here"})
    assert _groups(svg) == [(30, _groups(svg)[0][1])]
    assert _groups(svg)[0][1].startswith("30 here: c00, c01")
    # the lone community keeps its own linked dot
    assert [c.get("fill") for c in circles(svg)] == [coverage_colour(0.5)]


def test_grouping_does_not_depend_on_the_order_of_the_points() -> None:
    crowd = [
        point(f"p{i:03}", (i % 7) / 6, lat=14.9 + (i % 10) * 0.02, lon=-23.7 + (i // 10) * 0.02)
        for i in range(100)
    ]
    first = social_map("CV", crowd, title="t", legend=LEGEND)
    assert social_map("CV", list(reversed(crowd)), title="t", legend=LEGEND) == first
    counts = [count for count, _ in _groups(first)]
    assert sum(counts) + len(circles(first)) == 100
    assert counts, "points 2 km apart overlap at this scale and must be grouped"


# Colour vision as simulated by Machado, Oliveira and Fernandes (2009), severity 1, on linear RGB.
_VISION = {
    "typical": ((1, 0, 0), (0, 1, 0), (0, 0, 1)),
    "deuteranopia": (
        (0.367322, 0.860646, -0.227968),
        (0.280085, 0.672501, 0.047413),
        (-0.011820, 0.042940, 0.968881),
    ),
    "protanopia": (
        (0.152286, 1.052583, -0.204868),
        (0.114503, 0.786281, 0.099216),
        (-0.003882, -0.048116, 1.051998),
    ),
    "tritanopia": (
        (1.255528, -0.076749, -0.178779),
        (-0.078411, 0.930809, 0.147602),
        (0.004733, 0.691367, 0.303900),
    ),
}


def _linear(colour: str) -> list[float]:
    out = []
    for i in (1, 3, 5):
        c = int(colour[i : i + 2], 16) / 255
        out.append(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4)
    return out


def _lab(colour: str, vision: str) -> tuple[float, float, float]:
    """CIELAB (D65) of ``colour`` as seen with ``vision``."""
    m = _VISION[vision]
    r, g, b = (
        min(1.0, max(0.0, sum(m[i][j] * v for j, v in enumerate(_linear(colour)))))
        for i in range(3)
    )
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def _luminance(colour: str) -> float:
    r, g, b = _linear(colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


@pytest.mark.parametrize("vision", sorted(_VISION))
def test_the_legend_colours_are_distinct_for_every_vision(vision: str) -> None:
    # "No open needs" is far from every shade of the coverage scale (CIELAB distance of 30 or
    # more, where 2.3 is just noticeable), and the scale's ends from each other and from it.
    scale = [coverage_colour(i / 20) for i in range(21)]
    grey = _lab(NO_OPEN_NEEDS_COLOUR, vision)
    nearest = min(math.dist(grey, _lab(c, vision)) for c in scale)
    assert nearest >= 30, f"{vision}: no open needs is {nearest:.1f} from the scale"
    ends = [_lab(coverage_colour(0.0), vision), _lab(coverage_colour(1.0), vision), grey]
    assert min(math.dist(a, b) for a, b in itertools.combinations(ends, 2)) >= 30


@pytest.mark.parametrize("coverage", [None, 0.0, 0.1, 0.3, 0.5, 0.7, 0.9, 1.0])
def test_a_group_count_is_readable_on_its_dot(coverage: float | None) -> None:
    points = [MapPoint(f"c{i}", f"C{i}", 14.9, -23.5, coverage, f"c{i}.html") for i in range(3)]
    svg = social_map("CV", points, title="t", legend={})
    group = svg.split('<g class="group">')[1]
    fill = group.split('fill="')[1][:7]
    text = group.split('font-weight="700" fill="')[1][:4]
    text = "#ffffff" if text == "#fff" else "#111111"
    light, dark = sorted((_luminance(fill), _luminance(text)), reverse=True)
    assert (light + 0.05) / (dark + 0.05) >= 4.5, (coverage, fill, text)
