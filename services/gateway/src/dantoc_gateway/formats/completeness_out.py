"""Completeness answers: JSON summary per group, indicator and unit; a flat table for CSV and XLSX."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from dantoc_gateway.domain.completeness import STATUS_NAMES, counts
from dantoc_gateway.formats.table import Column
from dantoc_gateway.services.completeness import CompletenessReport
from dantoc_gateway.services.labels import Labels

COMPLETENESS_COLUMNS = (
    Column("unit_code", "Mã đơn vị", "Unit code", 10),
    Column("unit_name", "Đơn vị hành chính", "Administrative unit", 30),
    Column("level", "Cấp", "Level", 10),
    Column("group", "Nhóm chỉ tiêu", "Indicator group", 30),
    Column("indicator", "Mã chỉ tiêu", "Indicator code", 10),
    Column("indicator_name", "Tên chỉ tiêu", "Indicator", 48),
    Column("status", "Tình trạng", "Status", 18),
)


def _add(total: dict[str, int], part: dict[str, int]) -> None:
    for key, value in part.items():
        total[key] = total.get(key, 0) + value


def groups_json(report: CompletenessReport, labels: Labels) -> list[dict[str, Any]]:
    period = str(report.query.period)
    groups: dict[str, dict[str, Any]] = {}
    for code, tally in report.by_indicator.items():
        indicator = labels.indicator(code, period)
        group = groups.setdefault(indicator.group_code, {"code": indicator.group_code, "indicators": [], **counts(())})
        name_vi, name_en = labels.group(indicator.group_code)
        group.update(name_vi=name_vi, name_en=name_en)
        level = report.query.indicators[code].value
        group["indicators"].append(
            {"code": code, "name_vi": indicator.name_vi, "name_en": indicator.name_en, "lowest_level": level, **tally}
        )
        _add(group, tally)
    return [groups[g] for g in sorted(groups)]


def units_json(report: CompletenessReport, labels: Labels) -> list[dict[str, Any]]:
    found = []
    for status in report.units:
        unit = status.unit
        by_group: dict[str, list[str]] = {}
        for indicator, value in status.statuses.items():
            by_group.setdefault(indicator[:2], []).append(value)
        tally = counts(status.statuses.values())
        found.append(
            {
                "code": unit.code,
                "name": f"{unit.type} {unit.name}",
                "level": unit.level.value,
                "parent_code": unit.parent_code,
                "reported": tally["reported"],
                "no_data": tally["no_data"],
                "silent": tally["silent"],
                "groups": {g: counts(values) for g, values in sorted(by_group.items())},
                "indicators": dict(status.statuses),
            }
        )
    return found


def summary_json(report: CompletenessReport) -> dict[str, int]:
    total = counts(())
    for tally in report.by_indicator.values():
        _add(total, tally)
    return total


def completeness_rows(report: CompletenessReport, labels: Labels, lang: str) -> Iterator[list[Any]]:
    pick = 0 if lang == "vi" else 1
    period = str(report.query.period)
    for status in report.units:
        unit = status.unit
        for code, value in status.statuses.items():
            indicator = labels.indicator(code, period)
            group = labels.group(indicator.group_code)[pick]
            name = indicator.name_vi if pick == 0 else indicator.name_en
            yield [
                unit.code,
                f"{unit.type} {unit.name}",
                unit.level.value,
                group,
                code,
                name,
                STATUS_NAMES[value][pick],
            ]
