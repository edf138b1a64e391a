"""Small charts as inline SVG: planned against actual money, indicator progress, a timeline.

Every text is escaped; numbers are rounded so the same data gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Bar:
    """One labelled pair of amounts."""

    label: str
    planned: float
    actual: float
    planned_text: str
    actual_text: str


#: ``html.escape``, remembered: the same labels and amounts recur in thousands of charts.
escape = lru_cache(maxsize=1 << 16)(html.escape)


def _n(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


#: Text size in a chart's own units; the chart scales with the page, its labels with it.
_SIZE = 14
_ROW = 64


def _text_width(text: str, size: float = _SIZE) -> float:
    """A generous width of ``text`` in the chart's units (no font metrics offline)."""
    return len(text) * size * 0.62


def numbers_table(caption: str, heads: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """The numbers a chart draws, as a table under it that a screen reader or a phone reads."""
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in heads)
    body = "".join(
        f'<tr><th scope="row">{escape(row[0])}</th>'
        + "".join(f"<td>{escape(cell)}</td>" for cell in row[1:])
        + "</tr>"
        for row in rows
    )
    return (
        f'<details class="numbers"><summary>{escape(caption)}</summary>'
        f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></details>"
    )


def planned_actual(
    bars: Sequence[Bar],
    *,
    title: str,
    planned: str,
    actual: str,
    numbers: str = "",
    width: int = 560,
) -> str:
    """Horizontal bars, planned (light) behind actual (dark), one row per label.

    Each row has its label above the bar and the amounts under it, so that no label depends on
    the bar's length; the chart is as wide as its longest text, and scales with the page.
    With ``numbers`` (a caption), the same amounts follow as a table.
    """
    if not bars:
        return ""
    top = max(max(b.planned, b.actual) for b in bars) or 1.0
    texts = [f"{b.actual_text} / {b.planned_text}" for b in bars]
    legend_w = 40 + _text_width(planned) + 40 + _text_width(actual)
    width = round(
        max(width, legend_w, *(_text_width(t) + 4 for t in [*texts, *(b.label for b in bars)]))
    )
    height = 10 + _ROW * len(bars) + 30
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    for i, (bar, text) in enumerate(zip(bars, texts, strict=True)):
        y = 10 + i * _ROW
        out.append(f'<text x="0" y="{y + _SIZE}" class="label">{escape(bar.label)}</text>')
        out.append(
            f'<rect x="0" y="{y + 20}" width="{_n(width * bar.planned / top)}" height="20" '
            f'class="planned"><title>{escape(planned)}: {escape(bar.planned_text)}</title></rect>'
        )
        out.append(
            f'<rect x="0" y="{y + 25}" width="{_n(width * bar.actual / top)}" height="10" '
            f'class="actual"><title>{escape(actual)}: {escape(bar.actual_text)}</title></rect>'
        )
        out.append(f'<text x="0" y="{y + 56}" class="value">{escape(text)}</text>')
    legend_y = height - 10
    second = 20 + _text_width(planned) + 20
    out.append(f'<rect x="0" y="{legend_y - 11}" width="14" height="14" class="planned"/>')
    out.append(f'<text x="20" y="{legend_y}" class="label">{escape(planned)}</text>')
    out.append(
        f'<rect x="{_n(second)}" y="{legend_y - 11}" width="14" height="14" class="actual"/>'
    )
    out.append(f'<text x="{_n(second + 20)}" y="{legend_y}" class="label">{escape(actual)}</text>')
    out.append("</svg>")
    if numbers:
        rows = [(b.label, b.planned_text, b.actual_text) for b in bars]
        out.append(numbers_table(numbers, ["", planned, actual], rows))
    return "".join(out)


def counts(rows: Sequence[tuple[str, float, str]], *, title: str, width: int = 560) -> str:
    """One bar per label, its length the count, with the count written beside the label."""
    if not rows:
        return ""
    top = max(value for _, value, _ in rows) or 1.0
    width = round(max(width, *(_text_width(f"{label} {text}") + 8 for label, _, text in rows)))
    row_h = 44
    height = 6 + row_h * len(rows)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    for i, (label, value, text) in enumerate(rows):
        y = 6 + i * row_h
        out.append(
            f'<text x="0" y="{y + _SIZE}" class="label">{escape(label)} '
            f'<tspan class="count">{escape(text)}</tspan></text>'
        )
        out.append(
            f'<rect x="0" y="{y + 20}" width="{_n(max(width * value / top, 2))}" height="14" '
            f'class="actual"><title>{escape(label)}: {escape(text)}</title></rect>'
        )
    out.append("</svg>")
    return "".join(out)


def progress(
    baseline: float, target: float, actual: float | None, *, label: str, width: int = 320
) -> str:
    """A progress bar from baseline to target, filled up to the latest actual value."""
    span = target - baseline
    share = 0.0 if actual is None or span == 0 else max(0.0, min(1.0, (actual - baseline) / span))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="progress" viewBox="0 0 {width} 16" '
        f'width="{width}" height="16" role="img" aria-label="{escape(label)}">'
        f"<title>{escape(label)}</title>"
        f'<rect x="0" y="2" width="{width}" height="12" rx="6" class="track"/>'
        f'<rect x="0" y="2" width="{_n(width * share)}" height="12" rx="6" class="fill"/>'
        "</svg>"
    )


def timeline(events: Sequence[tuple[dt.date, str, bool]], *, title: str, width: int = 640) -> str:
    """Dots on a line, one per report; hollow dots for what is due and not yet there."""
    if not events:
        return ""
    first, last = min(e[0] for e in events), max(e[0] for e in events)
    days = max((last - first).days, 1)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="timeline" viewBox="0 0 {width} 60" '
        f'width="{width}" height="60" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f'<line x1="10" y1="30" x2="{width - 10}" y2="30" class="axis"/>',
    ]
    for day, label, done in sorted(events):
        x = 10 + (width - 20) * (day - first).days / days
        css = "done" if done else "due"
        dot = f'<circle cx="{_n(x)}" cy="30" r="6" class="{css}">'
        out.append(f"{dot}<title>{escape(label)}</title></circle>")
    out.append(f'<text x="10" y="55" class="label">{first.isoformat()}</text>')
    out.append(f'<text x="{width - 10}" y="55" class="label end">{last.isoformat()}</text>')
    out.append("</svg>")
    return "".join(out)


def lines(
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
    *,
    title: str,
    width: int = 640,
    height: int = 240,
) -> str:
    """Lines over time, one per series, on a shared axis from zero; a legend below."""
    if not labels or not series:
        return ""
    top = max((max(values, default=0.0) for _, values in series), default=0.0) or 1.0
    left, right, plot_top, plot_h = 10, 10, 20, height - 90
    step = (width - left - right) / max(len(labels) - 1, 1)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart history" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{left}" y1="{plot_top + plot_h}" x2="{width - right}" '
        f'y2="{plot_top + plot_h}" class="axis"/>',
    ]
    for index, (name, values) in enumerate(series):
        points = " ".join(
            f"{_n(left + step * i)},{_n(plot_top + plot_h - plot_h * v / top)}"
            for i, v in enumerate(values)
        )
        out.append(
            f'<polyline points="{points}" class="series s{index}" fill="none">'
            f"<title>{escape(name)}</title></polyline>"
        )
        y = plot_top + plot_h + 40 + 16 * index
        out.append(f'<rect x="{left}" y="{y - 10}" width="12" height="12" class="s{index}"/>')
        out.append(f'<text x="{left + 16}" y="{y}" class="label">{escape(name)}</text>')
    out.append(
        f'<text x="{left}" y="{plot_top + plot_h + 16}" class="label">{escape(labels[0])}</text>'
    )
    out.append(
        f'<text x="{width - right}" y="{plot_top + plot_h + 16}" class="label end">'
        f"{escape(labels[-1])}</text>"
    )
    out.append("</svg>")
    return "".join(out)
