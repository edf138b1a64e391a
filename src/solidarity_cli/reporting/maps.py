"""The social map: communities on an outline of their country, coloured by needs covered.

Rendered as a self-contained inline SVG (no tiles, no scripts, no network) so that the static
site works offline, and as GeoJSON that GitHub shows on its own map. Every text is escaped and
every coordinate rounded, so the same data gives the same bytes.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

from solidarity_cli.reporting.outlines import COUNTRY_OUTLINES

Ring = list[tuple[float, float]]

#: Colour-blind-safe diverging scale (ColorBrewer RdYlBu): red at 0 % covered, yellow at
#: half, blue at 100 %.
SCALE: tuple[tuple[float, tuple[int, int, int]], ...] = (
    (0.0, (0xD7, 0x30, 0x27)),
    (0.25, (0xFC, 0x8D, 0x59)),
    (0.5, (0xFE, 0xE0, 0x90)),
    (0.75, (0x91, 0xBF, 0xDB)),
    (1.0, (0x45, 0x75, 0xB4)),
)
#: The colour of a community with no open needs: a dark grey, far from every colour of the
#: scale also as people with red-green or blue-yellow colour blindness see them (tested).
NO_OPEN_NEEDS_COLOUR = "#4d4d4d"

#: Countries too large to show whole: the map shows the regions that hold points.
_FOCUS_ON_REGIONS = frozenset({"BR"})
#: Countries whose every region (island) is named on the map; elsewhere only those with points.
_NAME_EVERY_REGION = frozenset({"CV"})

_DEFAULT_LEGEND = {
    "covered": "share of needs covered",
    "none": "nothing covered yet",
    "no_open_needs": "no open needs",
}
#: How a group of dots that would overlap is named; ``{count}`` is the number of communities.
_DEFAULT_GROUP = "{count} communities here"
_FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
_TITLE_SIZE = 14
_TITLE_LINE = 18
_PAD = 10
_RADIUS = 7
_MAX_ASPECT = 1.4


@dataclass(frozen=True)
class MapPoint:
    """One community on the map."""

    id: str
    label: str
    lat: float
    lon: float
    coverage: float | None
    """Share of the open needs covered, 0..1; None when the community has no open needs."""
    href: str


def coverage_colour(coverage: float | None) -> str:
    """The fill of a point: red (0) through yellow to blue (1); grey for None or NaN."""
    if coverage is None or math.isnan(coverage):
        return NO_OPEN_NEEDS_COLOUR
    share = min(1.0, max(0.0, coverage))
    for (low, low_rgb), (high, high_rgb) in itertools.pairwise(SCALE):
        if share <= high:
            t = (share - low) / (high - low)
            rgb = (round(a + (b - a) * t) for a, b in zip(low_rgb, high_rgb, strict=True))
            return "#" + "".join(f"{c:02x}" for c in rgb)
    return "#" + "".join(f"{c:02x}" for c in SCALE[-1][1])  # pragma: no cover


def _n(value: float) -> str:
    """A coordinate with at most one decimal, never ``-0``."""
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _contains(ring: Ring, lon: float, lat: float) -> bool:
    """Even-odd ray casting: whether (lon, lat) lies inside ``ring``."""
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def _bbox(rings: Sequence[Ring]) -> tuple[float, float, float, float]:
    """(min lon, min lat, max lon, max lat) of ``rings``."""
    xs = [x for ring in rings for x, _ in ring]
    ys = [y for ring in rings for _, y in ring]
    return min(xs), min(ys), max(xs), max(ys)


def _ring_area(ring: Ring) -> float:
    return abs(
        sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True))
    )


def _regions_with_points(
    regions: Mapping[str, list[Ring]], points: Sequence[MapPoint]
) -> list[str]:
    # Each place once (communities share places), and only where a ring's box holds it.
    places = sorted({(p.lon, p.lat) for p in points})
    found = []
    for name, rings in regions.items():
        for ring in rings:
            x0, y0, x1, y1 = _bbox([ring])
            if any(
                x0 <= lon <= x1 and y0 <= lat <= y1 and _contains(ring, lon, lat)
                for lon, lat in places
            ):
                found.append(name)
                break
    return sorted(found)


def _extent(
    country: str, regions: Mapping[str, list[Ring]], points: Sequence[MapPoint]
) -> tuple[float, float, float, float]:
    """The box the map shows: the country, or for large ones the regions holding points."""
    boxes: list[tuple[float, float, float, float]] = []
    focus = country in _FOCUS_ON_REGIONS and points
    names = _regions_with_points(regions, points) if focus else sorted(regions)
    boxes += [_bbox(regions[name]) for name in names if regions[name]]
    boxes += [(p.lon, p.lat, p.lon, p.lat) for p in points]
    if not boxes:
        return -1.0, -1.0, 1.0, 1.0
    x0, y0 = min(b[0] for b in boxes), min(b[1] for b in boxes)
    x1, y1 = max(b[2] for b in boxes), max(b[3] for b in boxes)
    share = 0.1 if focus else 0.05
    margin = max(share * max(x1 - x0, y1 - y0), 0.1)
    return x0 - margin, y0 - margin, x1 + margin, y1 + margin


@dataclass(frozen=True)
class _Projection:
    """Equirectangular, longitudes shrunk by the cosine of the middle latitude."""

    west: float
    north: float
    scale: float
    squeeze: float
    dx: float

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        return (
            self.dx + (lon - self.west) * self.squeeze * self.scale,
            (self.north - lat) * self.scale,
        )


def _path(ring: Ring, project: _Projection) -> str:
    parts: list[str] = []
    last = ""
    for lon, lat in ring:
        x, y = project(lon, lat)
        here = f"{_n(x)} {_n(y)}"
        if here != last:
            parts.append(here)
            last = here
    return "M" + "L".join(parts) + "Z"


def _text_width(text: str, size: float) -> float:
    """A rough width of ``text`` in pixels (no font metrics offline)."""
    return len(text) * size * 0.56


def _label(x: float, y: float, text: str, size: float, colour: str) -> str:
    return (
        f'<text x="{_n(x)}" y="{_n(y)}" text-anchor="middle" font-size="{_n(size)}" '
        f'fill="{colour}" stroke="#fff" stroke-width="3" paint-order="stroke" '
        f'stroke-linejoin="round">{escape(text)}</text>'
    )


def _island_labels(
    regions: Mapping[str, list[Ring]], project: _Projection, width: float, height: float
) -> list[str]:
    """Each island named off its shore: below it, else above, else on it."""
    boxes: dict[str, tuple[float, float, float, float]] = {}
    for name in regions:
        x0, y0, x1, y1 = _bbox(regions[name])
        (left, top), (right, bottom) = project(x0, y1), project(x1, y0)
        boxes[name] = (left, top, right, bottom)
    size = 11.0
    out: list[str] = []
    for name in sorted(regions):
        left, top, right, bottom = boxes[name]
        half = _text_width(name, size) / 2
        cx = (left + right) / 2
        candidates = [(cx, bottom + size + 2), (cx, top - 4), (cx, (top + bottom) / 2)]

        def clear(x: float, y: float, own: str = name, half: float = half) -> bool:
            box = (x - half, y - size, x + half, y + 2)
            return all(
                box[2] < b[0] or box[0] > b[2] or box[3] < b[1] or box[1] > b[3]
                for other, b in boxes.items()
                if other != own
            )

        x, y = next((c for c in candidates if clear(*c)), candidates[-1])
        x = min(max(x, half + 2), width - half - 2)
        y = min(max(y, size + 2), height - 4)
        out.append(_label(x, y, name, size, "#555"))
    return out


def _inland_labels(
    regions: Mapping[str, list[Ring]],
    highlight: set[str],
    points: Sequence[MapPoint],
    project: _Projection,
    view: tuple[float, float, float, float],
) -> list[str]:
    """Names in the middle of the part of each region in view; those with points stand out."""
    west, south, east, north = view
    inset = 0.08 * min(east - west, north - south)
    spots = [project(p.lon, p.lat) for p in points]
    out: list[str] = []
    for name in sorted(regions):
        ring = max(regions[name], key=_ring_area)
        seen = [
            (x, y)
            for x, y in ring
            if west + inset <= x <= east - inset and south + inset <= y <= north - inset
        ]
        if len(seen) < 2 and name not in highlight:
            continue
        middle = seen if len(seen) >= len(ring) / 2 or name not in highlight else ring
        lon = sum(x for x, _ in middle) / len(middle)
        lat = sum(y for _, y in middle) / len(middle)
        if not _contains(ring, lon, lat) or not (west < lon < east and south < lat < north):
            continue
        x, y = project(lon, lat)
        if any(abs(x - sx) < 40 and abs(y - sy) < 16 for sx, sy in spots):
            y += 22
        if name in highlight:
            out.append(_label(x, y, name, 13.0, "#333"))
        elif not any(abs(x - sx) < 40 and abs(y - sy) < 16 for sx, sy in spots):
            out.append(_label(x, y, name, 10.0, "#8a8a8a"))
    return out


def _title_lines(title: str, width: int) -> list[str]:
    """``title`` broken into lines that fit ``width`` (by a rough estimate of text width)."""
    room = width - 2 * _PAD
    lines: list[str] = []
    for word in title.split():
        if lines and _text_width(f"{lines[-1]} {word}", _TITLE_SIZE * 1.08) <= room:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]


#: The map's script names its buttons with these data-* attributes (see map.js.j2).
CONTROLS = ("controls", "zoom-in", "zoom-out", "left", "right", "up", "down", "reset")


def _controls(labels: Mapping[str, str]) -> str:
    """The texts of the zoom and move buttons, as attributes, when ``labels`` gives them all."""
    if not all(name in labels for name in CONTROLS):
        return ""
    return "".join(f' data-{name}="{escape(labels[name])}"' for name in CONTROLS)


def _legend(labels: Mapping[str, str], width: int, top: float) -> tuple[list[str], float]:
    """The legend under the map, wrapped to ``width``; its elements and its height."""
    size = 12.0
    covered, none, no_needs = (labels.get(key, default) for key, default in _DEFAULT_LEGEND.items())
    bar_w, steps = 120, 24
    items: list[tuple[float, list[str]]] = []

    def swatch(colour: str, text: str) -> tuple[float, list[str]]:
        body = [
            f'<circle cx="{_RADIUS}" cy="0" r="{_RADIUS - 1}" fill="{colour}" '
            f'stroke="#333" stroke-width="1"/>',
            f'<text x="{2 * _RADIUS + 5}" y="4">{escape(text)}</text>',
        ]
        return 2 * _RADIUS + 5 + _text_width(text, size), body

    items.append((_text_width(covered, size), [f'<text x="0" y="4">{escape(covered)}</text>']))
    bar = ['<text x="0" y="4">0 %</text>']
    start = _text_width("0 %", size) + 4
    for i in range(steps):
        colour = coverage_colour((i + 0.5) / steps)
        bar.append(
            f'<rect x="{_n(start + i * bar_w / steps)}" y="-6" width="{_n(bar_w / steps + 0.5)}" '
            f'height="12" fill="{colour}"/>'
        )
    bar.append(
        f'<rect x="{_n(start)}" y="-6" width="{bar_w}" height="12" fill="none" stroke="#333" '
        'stroke-width="0.5"/>'
    )
    bar.append(f'<text x="{_n(start + bar_w + 4)}" y="4">100 %</text>')
    items.append((start + bar_w + 4 + _text_width("100 %", size), bar))
    items.append(swatch(coverage_colour(0.0), none))
    items.append(swatch(NO_OPEN_NEEDS_COLOUR, no_needs))

    row_h, gap = 22.0, 14.0
    out: list[str] = []
    x, row = float(_PAD), 0
    for item_w, body in items:
        if x > _PAD and x + item_w > width - _PAD:
            x, row = float(_PAD), row + 1
        y = top + _PAD + row_h / 2 + row * row_h
        out.append(f'<g transform="translate({_n(x)} {_n(y)})">{"".join(body)}</g>')
        x += item_w + gap
    return out, 2 * _PAD + (row + 1) * row_h


def _groups(points: Sequence[MapPoint], project: _Projection) -> list[list[MapPoint]]:
    """Points whose dots would overlap on the map, grouped; drawn least covered on top.

    Greedy over a grid of cells as wide as a dot, in the order of the points' ids: a point joins
    the nearest group whose first point lies within a dot's width, else starts a group. The same
    points give the same groups in any order.
    """
    reach = 2 * _RADIUS
    cells: dict[tuple[int, int], list[int]] = {}
    seeds: list[tuple[float, float]] = []
    groups: list[list[MapPoint]] = []
    for p in sorted(points, key=lambda p: p.id):
        x, y = project(p.lon, p.lat)
        cx, cy = int(x // reach), int(y // reach)
        best, best_d = -1, float(reach * reach)
        for i in range(cx - 1, cx + 2):
            for j in range(cy - 1, cy + 2):
                for g in cells.get((i, j), ()):
                    sx, sy = seeds[g]
                    d = (sx - x) ** 2 + (sy - y) ** 2
                    if d < best_d or (d == best_d and g < best):
                        best, best_d = g, d
        if best < 0:
            best = len(groups)
            groups.append([])
            seeds.append((x, y))
            cells.setdefault((cx, cy), []).append(best)
        groups[best].append(p)

    def order_key(group: list[MapPoint]) -> tuple[int, float, str]:
        # Grey first, then from most to least covered: the least served are drawn on top.
        cov = _mean_coverage(group)
        if cov is None:
            return 0, 0.0, group[0].id
        return 1, -cov, group[0].id

    return sorted(groups, key=order_key)


def _luminance(colour: str) -> float:
    """The relative luminance of ``#rrggbb`` (WCAG 2)."""
    channels = []
    for i in (1, 3, 5):
        c = int(colour[i : i + 2], 16) / 255
        channels.append(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4)
    return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]


def _text_on(fill: str) -> str:
    """White or near-black, whichever reads better on ``fill``."""
    lum = _luminance(fill)
    on_white = 1.05 / (lum + 0.05)
    on_black = (lum + 0.05) / (_luminance("#111111") + 0.05)
    return "#fff" if on_white > on_black else "#111"


def _mean_coverage(points: Sequence[MapPoint]) -> float | None:
    known = [p.coverage for p in points if p.coverage is not None and not math.isnan(p.coverage)]
    return sum(known) / len(known) if known else None


def _group_mark(group: Sequence[MapPoint], project: _Projection, words: str) -> str:
    """A larger dot with the number of communities it holds, coloured by their mean coverage."""
    spots = [project(p.lon, p.lat) for p in group]
    x = sum(s[0] for s in spots) / len(spots)
    y = sum(s[1] for s in spots) / len(spots)
    radius = _RADIUS + 2.5 * math.log2(len(group))
    cov = _mean_coverage(group)
    names = ", ".join(p.label for p in sorted(group, key=lambda p: (p.label, p.id))[:12])
    more = "…" if len(group) > 12 else ""
    tip = f"{words.format(count=len(group))}: {names}{more}"
    fill = coverage_colour(cov)
    return (
        f'<g class="group"><circle cx="{_n(x)}" cy="{_n(y)}" r="{_n(radius)}" '
        f'fill="{fill}" stroke="#222" stroke-width="1.5">'
        f"<title>{escape(tip)}</title></circle>"
        f'<text x="{_n(x)}" y="{_n(y + 4)}" text-anchor="middle" font-size="11" '
        f'font-weight="700" fill="{_text_on(fill)}" aria-hidden="true">'
        f"{len(group)}</text></g>"
    )


def coverage_table(
    points: Sequence[MapPoint], *, caption: str, heads: Sequence[str], none: str
) -> str:
    """The map's numbers as a table (community, share covered), linked to each page."""
    rows = []
    for p in sorted(points, key=lambda p: (p.label.casefold(), p.id)):
        cov = p.coverage
        value = (
            none if cov is None or math.isnan(cov) else f"{round(min(1.0, max(0.0, cov)) * 100)} %"
        )
        rows.append(
            f'<tr><th scope="row"><a href="{escape(p.href)}">{escape(p.label)}</a></th>'
            f"<td>{escape(value)}</td></tr>"
        )
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in heads)
    return (
        f'<details class="numbers"><summary>{escape(caption)}</summary><table><thead><tr>{head}'
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table></details>"
    )


def social_map(
    country: str,
    points: Sequence[MapPoint],
    *,
    title: str,
    legend: Mapping[str, str],
    width: int = 720,
) -> str:
    """An inline SVG map of ``points`` on the outline of ``country`` (ISO 3166-1 alpha-2).

    Each point is a circle linked to its page, with a tooltip, coloured by coverage (see
    ``coverage_colour``). ``legend`` gives the translated texts: ``covered`` names the scale,
    ``none`` its 0 % end and ``no_open_needs`` the grey points. The map fits the country's
    outlines, or for large countries (Brazil) the regions that hold points, plus a margin.
    """
    code = country.upper()
    regions = COUNTRY_OUTLINES.get(code, {})
    west, south, east, north = _extent(code, regions, points)
    focus = code in _FOCUS_ON_REGIONS
    highlight = set(_regions_with_points(regions, points))
    squeeze = math.cos(math.radians((north + south) / 2))
    plot_w = float(width)
    scale = plot_w / ((east - west) * squeeze)
    map_h = (north - south) * scale
    dx = 0.0
    if map_h > plot_w * _MAX_ASPECT:
        scale = plot_w * _MAX_ASPECT / (north - south)
        map_h = plot_w * _MAX_ASPECT
        dx = (plot_w - (east - west) * squeeze * scale) / 2
    project = _Projection(west, north, scale, squeeze, dx)

    body: list[str] = []
    order = sorted(
        (name for name in regions if regions[name]),
        key=lambda name: (-sum(_ring_area(r) for r in regions[name]), name),
    )
    for name in order:
        x0, y0, x1, y1 = _bbox(regions[name])
        if x1 < west or x0 > east or y1 < south or y0 > north:
            continue
        d = "".join(_path(ring, project) for ring in regions[name])
        fill = "#f1f1f0" if focus and name not in highlight else "#e2e2e2"
        body.append(
            f'<path d="{d}" fill="{fill}" stroke="#8a8a8a" stroke-width="0.8" '
            f'stroke-linejoin="round"><title>{escape(name)}</title></path>'
        )
    if code in _NAME_EVERY_REGION:
        body += _island_labels(regions, project, plot_w, map_h)
    else:
        body += _inland_labels(regions, highlight, points, project, (west, south, east, north))

    covered_text = legend.get("covered", _DEFAULT_LEGEND["covered"])
    no_needs_text = legend.get("no_open_needs", _DEFAULT_LEGEND["no_open_needs"])
    for group in _groups(points, project):
        if len(group) == 1:
            p = group[0]
            x, y = project(p.lon, p.lat)
            cov = p.coverage
            if cov is None or math.isnan(cov):
                tip = f"{p.label}: {no_needs_text}"
            else:
                tip = f"{p.label}: {round(min(1.0, max(0.0, cov)) * 100)} % {covered_text}"
            body.append(
                f'<a href="{escape(p.href)}" aria-label="{escape(tip)}"><circle cx="{_n(x)}" '
                f'cy="{_n(y)}" r="{_RADIUS}" fill="{coverage_colour(cov)}" stroke="#222" '
                f'stroke-width="1.2"><title>{escape(tip)}</title></circle></a>'
            )
            continue
        body.append(_group_mark(group, project, legend.get("group", _DEFAULT_GROUP)))
    lines = _title_lines(title, width)
    title_h = 12 + _TITLE_LINE * len(lines)
    legend_parts, legend_h = _legend(legend, width, title_h + map_h)
    height = title_h + map_h + legend_h
    heading = "".join(
        f'<text x="{_PAD}" y="{_PAD + _TITLE_LINE * (i + 1) - 4}" font-size="{_TITLE_SIZE}" '
        f'font-weight="600">{escape(line)}</text>'
        for i, line in enumerate(lines)
    )
    label = escape(title)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="social-map" '
        f'viewBox="0 0 {width} {_n(height)}" width="{width}" height="{_n(height)}" '
        f'role="group" aria-label="{label}"{_controls(legend)} font-family="{_FONT}" '
        'font-size="12" fill="#222">',
        f"<title>{label}</title>",
        f'<rect width="{width}" height="{_n(height)}" fill="#fff"/>',
        heading,
        f'<svg class="map-area" x="0" y="{title_h}" width="{width}" height="{_n(map_h)}" '
        f'viewBox="0 0 {width} {_n(map_h)}">',
        f'<rect width="{width}" height="{_n(map_h)}" fill="#f3f7fa"/>',
        *body,
        "</svg>",
        f'<line x1="0" y1="{_n(title_h + map_h)}" x2="{width}" y2="{_n(title_h + map_h)}" '
        'stroke="#ccc"/>',
        *legend_parts,
        "</svg>",
    ]
    return "".join(out)


def geojson(points: Sequence[MapPoint]) -> dict[str, Any]:
    """A GeoJSON FeatureCollection of ``points``, coloured for GitHub's map (simplestyle)."""
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [p.lon, p.lat]},
            "properties": {
                "id": p.id,
                "label": p.label,
                "coverage": None if p.coverage is None or math.isnan(p.coverage) else p.coverage,
                "href": p.href,
                "marker-color": coverage_colour(p.coverage),
                "marker-size": "medium",
            },
        }
        for p in points
    ]
    return {"type": "FeatureCollection", "features": features}
