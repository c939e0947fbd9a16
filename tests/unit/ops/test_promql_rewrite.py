"""The rewriting that makes alert expressions checkable against live services (tests/integration/ops/promql.py)."""

from __future__ import annotations

import pytest

from tests.support.promql import grafana, split_top_level_or, with_bool


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        ("up == 0", "up == bool 0"),
        ("x > 5", "x > bool 5"),
        ("x >= 5", "x >= bool 5"),
        ("x <= 5 and y < 2", "x <= bool 5 and y < bool 2"),
        ("x > bool 5", "x > bool 5"),
        ('up{job!="a", env=~"p.*", x!~"y"} != 1', 'up{job!="a", env=~"p.*", x!~"y"} != bool 1'),
        ('x{le=">5"} > 1', 'x{le=">5"} > bool 1'),
        ("rate(x[5m]) > 2 * rate(y[1h])", "rate(x[5m]) > bool 2 * rate(y[1h])"),
        ("sum by (job) (x)", "sum by (job) (x)"),
    ],
)
def test_comparisons_become_bool_outside_label_matchers(expr: str, expected: str) -> None:
    assert with_bool(expr) == expected


@pytest.mark.parametrize(
    ("expr", "parts"),
    [
        ("a or b", ["a", "b"]),
        ("a > 0\nor b > 0\nor c", ["a > 0", "b > 0", "c"]),
        ("(a or b) / c", ["(a or b) / c"]),
        ("sum(errors_total) or vector(0)", ["sum(errors_total)", "vector(0)"]),
        ('x{mode="or"} or y', ['x{mode="or"}', "y"]),
        ("floor(x) or_else", ["floor(x) or_else"]),
        ("sum by (color, order) (x)", ["sum by (color, order) (x)"]),
    ],
)
def test_top_level_or_is_split_and_nothing_else(expr: str, parts: list[str]) -> None:
    assert split_top_level_or(expr) == parts


def test_dashboard_variables_are_replaced_and_unknown_ones_refused() -> None:
    assert grafana("rate(x[$__rate_interval])") == "rate(x[5m])"
    with pytest.raises(ValueError, match="unknown dashboard variable"):
        grafana('x{job="$job"}')
