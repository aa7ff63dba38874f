"""A timeline chart as plain SVG: claims per month, stacked by series (a speaker or a country), for any result rows
with a date. No script, no inline style (the Content-Security-Policy forbids both): SVG presentation attributes
only, and a ``<title>`` on each bar so that hovering shows its month, series and count.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from markupsafe import Markup, escape

PALETTE = ("#0b5cad", "#d1495b", "#edae49", "#00798c", "#66a182", "#8d6a9f", "#9aa5b1")
"""Series colours; the last is for "others"."""
TOP_SERIES = 6


@dataclass(frozen=True)
class Timeline:
    """Months in order, the series shown (top ones, then "others"), and counts[(month, series)]."""

    months: list[str]
    series: list[str]
    counts: dict[tuple[str, str], int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def colour(self, series: str) -> str:
        return PALETTE[min(self.series.index(series), len(PALETTE) - 1)]


def _month_range(first: str, last: str) -> list[str]:
    y, m = int(first[:4]), int(first[5:7])
    out: list[str] = []
    while f"{y:04d}-{m:02d}" <= last and len(out) < 600:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def timeline(points: Iterable[tuple[str | None, str | None]], *, top: int = TOP_SERIES) -> Timeline | None:
    """The Timeline of (date, series) pairs: dates as ``YYYY-MM...`` (others are skipped), series None as "unknown".

    The ``top`` series with most claims keep their name, the rest are "others". None when nothing is dated.
    """
    dated = [(d[:7], s or "unknown") for d, s in points if d and len(d) >= 7 and d[4] == "-"]
    if not dated:
        return None
    by_series = Counter(s for _, s in dated)
    kept = [s for s, _ in sorted(by_series.items(), key=lambda kv: (-kv[1], kv[0]))[:top]]
    counts: Counter[tuple[str, str]] = Counter()
    for month, s in dated:
        counts[(month, s if s in kept else "others")] += 1
    series = kept + (["others"] if len(by_series) > top else [])
    months = _month_range(min(m for m, _ in dated), max(m for m, _ in dated))
    return Timeline(months, series, dict(counts))


def svg(t: Timeline, *, width: int = 960, height: int = 220, label: str = "claims per month") -> Markup:
    """The stacked bar chart of ``t``, with month ticks (every year, or every month when few) and a y axis."""
    left, bottom, top_pad = 36, 28, 10
    plot_w, plot_h = width - left - 8, height - bottom - top_pad
    per_month = [sum(t.counts.get((m, s), 0) for s in t.series) for m in t.months]
    peak = max(per_month) or 1
    step = plot_w / len(t.months)
    bar_w = max(step * 0.8, 1.0)
    parts = [f'<svg class="chart timeline-chart" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg">',
             f"<title>{escape(label)}</title>"]
    for frac in (0, 0.5, 1):
        y = top_pad + plot_h * (1 - frac)
        parts.append(f'<line x1="{left}" x2="{width - 8}" y1="{y:.1f}" y2="{y:.1f}" stroke="#d9dee3"/>')
        parts.append(f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end">{round(peak * frac)}</text>')
    for i, month in enumerate(t.months):
        x = left + i * step + (step - bar_w) / 2
        base: float = top_pad + plot_h
        for s in t.series:
            n = t.counts.get((month, s), 0)
            if not n:
                continue
            h = plot_h * n / peak
            base -= h
            parts.append(f'<rect class="chart-bar" x="{x:.1f}" y="{base:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                         f'fill="{t.colour(s)}" data-month="{month}" data-count="{n}">'
                         f"<title>{month}: {escape(s)}, {n} claim{'s' if n != 1 else ''}</title></rect>")
        if len(t.months) <= 18 or month.endswith("-01") or i == 0:
            text = month if len(t.months) <= 18 else month[:4]
            parts.append(f'<text x="{left + i * step + step / 2:.1f}" y="{height - 10}" '
                         f'text-anchor="middle">{text}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
