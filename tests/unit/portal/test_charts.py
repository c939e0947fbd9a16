"""The server-rendered SVG charts: valid XML, accessible names, Vietnamese numbers, proportional lengths, empty data."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from decimal import Decimal

import pytest

from dantoc_portal.domain.charts import Chart, bar_chart, line_chart, nice_max, stacked_bars, ticks

SVG = "{http://www.w3.org/2000/svg}"
STATUSES = ("Đã báo cáo", "Không có số liệu", "Chưa báo cáo")


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def texts(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iter(f"{SVG}text")]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal(0), Decimal(1)),
        (Decimal(-5), Decimal(1)),
        (Decimal(1), Decimal(1)),
        (Decimal("1.2"), Decimal(2)),
        (Decimal(7), Decimal(10)),
        (Decimal(23), Decimal(25)),
        (Decimal(1234567), Decimal(2000000)),
        (Decimal("0.37"), Decimal("0.5")),
    ],
)
def test_nice_max(value: Decimal, expected: Decimal) -> None:
    assert nice_max(value) == expected


def test_ticks_are_even_from_zero() -> None:
    assert ticks(Decimal(2000000)) == [0, 500000, 1000000, 1500000, 2000000]


CHARTS: list[tuple[str, Callable[[Chart], str]]] = [
    ("line", lambda c: line_chart([("2022", 1200), ("2023", None), ("2024", 1234567.5)], c, empty="Trống")),
    ("bars", lambda c: bar_chart([("Xã A & B", 10), ("Xã <C>", 2500), ("Xã D", None)], c, empty="Trống")),
    ("stacked", lambda c: stacked_bars([("Xã A", (3, 1, 2)), ("Xã B", (0, 0, 0))], STATUSES, c, empty="Trống")),
]


@pytest.mark.parametrize(("kind", "draw"), CHARTS, ids=[c[0] for c in CHARTS])
def test_every_chart_is_valid_accessible_responsive_svg(kind: str, draw: Callable[[Chart], str]) -> None:
    svg = draw(Chart("Dân số <tổng> & hộ", "Mô tả biểu đồ", "vi"))
    root = parse(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-label") == "Dân số <tổng> & hộ"
    assert root.get("width") == "100%"
    assert root.get("viewBox", "").startswith("0 0 ")
    assert [t.text for t in root.findall(f"{SVG}title")] == ["Dân số <tổng> & hộ"]
    assert root.find(f"{SVG}desc") is not None


@pytest.mark.parametrize(
    ("lang", "axis", "point"),
    [
        ("vi", ["0", "500.000", "1.000.000", "1.500.000", "2.000.000"], "2024: 1.234.567,5"),
        ("en", ["0", "500,000", "1,000,000", "1,500,000", "2,000,000"], "2024: 1,234,567.5"),
    ],
)
def test_line_chart_labels_are_formatted_in_the_pages_language(lang: str, axis: list[str], point: str) -> None:
    svg = line_chart([("2022", 1200), ("2023", None), ("2024", Decimal("1234567.5"))], Chart("t", "d", lang), empty="")
    root = parse(svg)
    assert texts(root) == [*axis, "2022", "2023", "2024"]
    assert point in [t.text for t in root.iter(f"{SVG}title")]


def test_line_chart_breaks_at_a_missing_value() -> None:
    root = parse(line_chart([("a", 1), ("b", None), ("c", 2), ("d", 3)], Chart("t", "d"), empty=""))
    lines = list(root.iter(f"{SVG}polyline"))
    assert len(lines) == 1  # "a" alone draws no segment; "c"–"d" does
    assert len(lines[0].get("points", "").split()) == 2
    assert len(list(root.iter(f"{SVG}circle"))) == 3


def test_bar_lengths_are_proportional_to_the_values() -> None:
    root = parse(bar_chart([("A", 10), ("B", 20), ("C", 5), ("D", None)], Chart("t", "d"), empty=""))
    widths = [float(r.get("width", "0")) for r in root.iter(f"{SVG}rect")]
    assert len(widths) == 3
    assert widths[1] == pytest.approx(2 * widths[0])
    assert widths[2] == pytest.approx(widths[0] / 2)
    assert "—" in texts(root)  # the missing value is said, not drawn


def test_bar_labels_are_escaped_and_numbers_vietnamese() -> None:
    svg = bar_chart([("Xã <C> & D", 2500.5)], Chart("t", "d"), empty="")
    assert "&lt;C&gt; &amp; D" in svg
    assert "2.500,5" in texts(parse(svg))


def test_stacked_segments_share_the_full_length_by_count() -> None:
    root = parse(stacked_bars([("Xã A", (3, 1, 0)), ("Xã B", (0, 0, 4))], STATUSES, Chart("t", "d"), empty=""))
    segments = [r for r in root.iter(f"{SVG}rect") if r.get("data-count")]
    assert [int(r.get("data-count", "0")) for r in segments] == [3, 1, 4]
    a_reported, a_no_data, b_silent = (float(r.get("width", "0")) for r in segments)
    assert a_reported == pytest.approx(3 * a_no_data)
    assert a_reported + a_no_data == pytest.approx(b_silent)
    assert set(STATUSES) <= set(texts(root))  # the legend


@pytest.mark.parametrize(
    "svg",
    [
        line_chart([], Chart("t", "d"), empty="Chưa có số liệu"),
        line_chart([("2024", None)], Chart("t", "d"), empty="Chưa có số liệu"),
        bar_chart([], Chart("t", "d"), empty="Chưa có số liệu"),
        stacked_bars([("Xã A", (0, 0, 0))], STATUSES, Chart("t", "d"), empty="Chưa có số liệu"),
    ],
)
def test_empty_data_gives_a_chart_that_says_so(svg: str) -> None:
    root = parse(svg)
    assert texts(root) == ["Chưa có số liệu"]
    assert root.get("role") == "img"
