"""Building blocks of the dashboards: panels and rows as data, and their Grafana JSON."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

DATASOURCE = {"type": "prometheus", "uid": "prometheus"}
RI = "$__rate_interval"


@dataclass(frozen=True)
class Panel:
    kind: str  # timeseries, stat, bargauge, table
    title: str
    description: str
    targets: tuple[tuple[str, str], ...]  # (PromQL, legend)
    width: int = 8
    height: int = 8
    unit: str = "short"
    options: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Row:
    title: str
    panels: tuple[Panel, ...]


def ts(title: str, description: str, *targets: tuple[str, str], unit: str = "short", width: int = 8) -> Panel:
    return Panel("timeseries", title, description, targets, width=width, unit=unit)


def stat(title: str, description: str, expr: str, unit: str = "short", legend: str = "") -> Panel:
    return Panel("stat", title, description, ((expr, legend),), width=4, height=5, unit=unit)


def quantile(q: float, metric: str, by: str = "") -> str:
    labels = f"{by}, le" if by else "le"
    return f"histogram_quantile({q}, sum by ({labels}) (rate({metric}_bucket[{RI}])))"


def or_zero(selected: str, everything: str, by: str) -> str:
    """A rate that is absent while nothing matches (no server error yet) shown as 0 instead of 'No data'."""
    return f"sum by ({by}) (rate({selected}[{RI}])) or sum by ({by}) (rate({everything}[{RI}])) * 0"


def _panel_json(panel: Panel, panel_id: int, x: int, y: int) -> dict[str, Any]:
    targets: list[dict[str, Any]] = [
        {"refId": chr(ord("A") + i), "datasource": DATASOURCE, "expr": expr, "legendFormat": legend}
        for i, (expr, legend) in enumerate(panel.targets)
    ]
    if panel.kind == "table":
        targets[0].update({"format": "table", "instant": True})
    return {
        "id": panel_id,
        "type": panel.kind,
        "title": panel.title,
        "description": panel.description,
        "datasource": DATASOURCE,
        "gridPos": {"x": x, "y": y, "w": panel.width, "h": panel.height},
        "targets": targets,
        "fieldConfig": {"defaults": {"unit": panel.unit}, "overrides": []},
        "options": panel.options,
    }


def dashboard(uid: str, title: str, rows: tuple[Row, ...]) -> dict[str, Any]:
    """A dashboard: each row a collapsible row panel, its panels laid out left to right, wrapping at 24."""
    panels: list[dict[str, Any]] = []
    y = 0
    for row in rows:
        panels.append({"id": len(panels) + 1, "type": "row", "title": row.title, "collapsed": False,
                       "gridPos": {"x": 0, "y": y, "w": 24, "h": 1}, "panels": []})  # fmt: skip
        x, y, line_height = 0, y + 1, 0
        for panel in row.panels:
            if x + panel.width > 24:
                x, y, line_height = 0, y + line_height, 0
            panels.append(_panel_json(panel, len(panels) + 1, x, y))
            x, line_height = x + panel.width, max(line_height, panel.height)
        y += line_height
    return {
        "uid": uid,
        "title": title,
        "tags": ["dantoc"],
        "timezone": "browser",
        "schemaVersion": 39,
        "version": 1,
        "editable": False,
        "refresh": "10s",
        "time": {"from": "now-3h", "to": "now"},
        "annotations": {"list": []},
        "templating": {"list": []},
        "panels": panels,
    }
