"""Charts as SVG text, rendered by the server (no script): a line for a series over periods, horizontal bars for
comparisons (child units, ethnic groups), stacked horizontal bars for completeness (reported / no data / silent).

Every chart is `role="img"` with an `aria-label`, a `<title>` and a `<desc>`; it scales to its container (`viewBox`,
width 100%); its axis labels are numbers in the page's language (`1.234,5`); its colours have a contrast of at least
4.5:1 on white. The table beside each chart is its accessible equivalent. Pure: text in, text out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape

from dantoc_portal.domain.i18n import format_number

WIDTH = 400
FONT = 12
LINE = "#0b5394"
BAR = "#0b5394"
GRID = "#767676"
INK = "#1a1a1a"
STATUS_COLOURS = ("#1d6b2f", "#6b4e00", "#a31515")  # reported, no data, silent: each ≥ 4.5:1 on white

Number = Decimal | int | float


@dataclass(frozen=True, slots=True)
class Chart:
    title: str
    desc: str
    lang: str = "vi"


def _esc(text: str) -> str:
    return escape(text, quote=True)


def _clip(label: str, size: int = 56) -> str:
    """A label cut to fit the chart's width (the full text stays in the segment's `<title>` and the table)."""
    return label if len(label) <= size else label[: size - 1].rstrip() + "…"


def _fmt(value: Number, lang: str) -> str:
    return format_number(Decimal(str(value)), lang)


def nice_max(value: Decimal) -> Decimal:
    """The smallest of 1, 2, 2.5, 5, 10 × 10^k at or above `value` (1 for nothing above zero)."""
    if value <= 0:
        return Decimal(1)
    exponent = value.adjusted()
    for _ in range(2):
        for step in (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10)):
            candidate = step.scaleb(exponent)
            if candidate >= value:
                return candidate.normalize() if candidate == candidate.to_integral() else candidate
        exponent += 1
    return value  # pragma: no cover - unreachable: 10 × 10^k ≥ value


def ticks(top: Decimal, count: int = 4) -> list[Decimal]:
    """`count + 1` evenly spaced ticks from 0 to `top`."""
    step = top / count
    return [(step * i).normalize() for i in range(count + 1)]


def _frame(chart: Chart, height: int, body: list[str]) -> str:
    label = _esc(chart.title)
    return "".join(
        [
            f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {height}" width="100%" '
            f'role="img" aria-label="{label}" font-size="{FONT}" font-family="system-ui, sans-serif">',
            f"<title>{label}</title><desc>{_esc(chart.desc)}</desc>",
            *body,
            "</svg>",
        ]
    )


def _empty(chart: Chart, message: str) -> str:
    body = [f'<text x="{WIDTH // 2}" y="40" text-anchor="middle" fill="{INK}">{_esc(message)}</text>']
    return _frame(chart, 70, body)


def line_chart(points: Sequence[tuple[str, Number | None]], chart: Chart, *, empty: str) -> str:
    """A line over labelled points (periods, oldest first); a missing value breaks the line."""
    known = [Decimal(str(v)) for _, v in points if v is not None]
    if not known:
        return _empty(chart, empty)
    low = min(Decimal(0), min(known))
    span = nice_max(max(known) - low)
    left, right, up, bottom = 64, 24, 14, 40
    height = 240
    plot_w, plot_h = WIDTH - left - right, height - up - bottom

    def y_of(value: Decimal) -> float:
        return up + plot_h - float((value - low) / span) * plot_h

    def x_of(index: int) -> float:
        return left + (plot_w * index / (len(points) - 1) if len(points) > 1 else plot_w / 2)

    body: list[str] = []
    for tick in ticks(span):
        y = y_of(tick + low)
        body.append(
            f'<line x1="{left}" x2="{WIDTH - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}" stroke-width="0.5"/>'
        )
        body.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="{INK}">{_fmt(tick + low, chart.lang)}</text>'
        )
    step = max(1, -(-len(points) // 6))
    for index, (label, _) in enumerate(points):
        if index % step == 0 or index == len(points) - 1:
            body.append(
                f'<text x="{x_of(index):.1f}" y="{height - bottom + 18}" text-anchor="middle" fill="{INK}">'
                f"{_esc(label)}</text>"
            )
    segments: list[list[str]] = [[]]
    for index, (_, value) in enumerate(points):
        if value is None:
            segments.append([])
            continue
        segments[-1].append(f"{x_of(index):.1f},{y_of(Decimal(str(value))):.1f}")
    for segment in segments:
        if len(segment) > 1:
            body.append(f'<polyline points="{" ".join(segment)}" fill="none" stroke="{LINE}" stroke-width="2.5"/>')
    for index, (label, value) in enumerate(points):
        if value is not None:
            text = f"{label}: {_fmt(value, chart.lang)}"
            body.append(
                f'<circle cx="{x_of(index):.1f}" cy="{y_of(Decimal(str(value))):.1f}" r="4" fill="{LINE}">'
                f"<title>{_esc(text)}</title></circle>"
            )
    return _frame(chart, height, body)


def bar_chart(bars: Sequence[tuple[str, Number | None]], chart: Chart, *, empty: str) -> str:
    """Horizontal bars, one per label (its name above the bar, its value at the end); lengths ∝ values (≥ 0)."""
    known = [Decimal(str(v)) for _, v in bars if v is not None]
    if not known:
        return _empty(chart, empty)
    top = nice_max(max(max(known), Decimal(0)))
    left, right, row = 4, 80, 36
    plot_w = WIDTH - left - right
    body: list[str] = []
    for index, (label, value) in enumerate(bars):
        y = 6 + index * row
        body.append(f'<text x="{left}" y="{y + 11}" fill="{INK}">{_esc(_clip(label))}</text>')
        if value is None:
            body.append(f'<text x="{left}" y="{y + 27}" fill="{INK}">—</text>')
            continue
        number = max(Decimal(str(value)), Decimal(0))
        length = float(number / top) * plot_w
        text = _fmt(value, chart.lang)
        body.append(
            f'<rect x="{left}" y="{y + 16}" width="{length:.1f}" height="14" fill="{BAR}" data-value="{_esc(text)}">'
            f"<title>{_esc(label)}: {_esc(text)}</title></rect>"
        )
        body.append(f'<text x="{left + length + 4:.1f}" y="{y + 27}" fill="{INK}">{_esc(text)}</text>')
    return _frame(chart, 12 + len(bars) * row, body)


def stacked_bars(rows: Sequence[tuple[str, Sequence[int]]], series: Sequence[str], chart: Chart, *, empty: str) -> str:
    """Horizontal bars of the same full length, split into the shares of `series` (reported, no data, silent), each
    segment's count written in it when it fits; a legend first. Rows with no count are left out."""
    shown = [(label, counts) for label, counts in rows if sum(counts) > 0]
    if not shown:
        return _empty(chart, empty)
    left, row, legend = 4, 38, 26
    plot_w = WIDTH - 2 * left
    body: list[str] = []
    x = left
    for name, colour in zip(series, STATUS_COLOURS, strict=False):
        body.append(f'<rect x="{x}" y="6" width="12" height="12" fill="{colour}"/>')
        body.append(f'<text x="{x + 16}" y="16" fill="{INK}">{_esc(name)}</text>')
        x += 24 + int(len(name) * FONT * 0.55)
    for index, (label, counts) in enumerate(shown):
        y = legend + index * row
        total = sum(counts)
        body.append(f'<text x="{left}" y="{y + 12}" fill="{INK}">{_esc(_clip(label, 60))}</text>')
        start = float(left)
        for name, colour, count in zip(series, STATUS_COLOURS, counts, strict=False):
            if count <= 0:
                continue
            length = count / total * plot_w
            text = _fmt(count, chart.lang)
            body.append(
                f'<rect x="{start:.1f}" y="{y + 16}" width="{length:.1f}" height="16" fill="{colour}" '
                f'data-count="{count}"><title>{_esc(label)}: {_esc(name)} {_esc(text)}</title></rect>'
            )
            if length >= 8 + len(text) * FONT * 0.6:
                body.append(f'<text x="{start + 4:.1f}" y="{y + 28}" fill="#ffffff">{_esc(text)}</text>')
            start += length
    return _frame(chart, legend + 6 + len(shown) * row, body)
