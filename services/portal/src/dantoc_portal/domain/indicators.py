"""Which indicators a unit reports for a period, from the catalog's definitions (as its HTTP API lists them).

A unit reports the indicators whose version in force at the period's end has its level as the lowest level, the
period's type, and is not a formula (formulas are computed after aggregation); an official writes those whose
responsible agency type is his agency's or one it writes for (`AgencyPublished.writes_for`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from dantoc_contracts.periods import Period


@dataclass(frozen=True, slots=True)
class Definition:
    code: str
    group_code: str
    group_vi: str
    group_en: str
    name_vi: str
    name_en: str
    unit_vi: str
    unit_en: str
    value_type: str
    aggregation: str
    disaggregations: tuple[str, ...]
    lowest_level: str
    period_type: str
    agency: str  # the responsible agency type (BDT, CTK, SYT…)
    min_value: str | None
    max_value: str | None

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" and self.name_en else self.name_vi

    def unit(self, lang: str) -> str:
        return self.unit_en if lang == "en" and self.unit_en else self.unit_vi

    def group(self, lang: str) -> str:
        return self.group_en if lang == "en" and self.group_en else self.group_vi

    @property
    def whole(self) -> bool:
        return self.value_type == "integer"


def definition_on(indicator: Mapping[str, Any], day: date) -> Definition | None:
    """The version of a catalog indicator in force on `day`, or None."""
    group = indicator.get("group") or {}
    for version in reversed(indicator.get("versions") or []):
        starts = date.fromisoformat(version["effective_from"])
        ends = version.get("effective_to")
        if starts <= day and (ends is None or day <= date.fromisoformat(ends)):
            return Definition(
                code=str(indicator["code"]),
                group_code=str(group.get("code", "")),
                group_vi=str(group.get("name_vi", "")),
                group_en=str(group.get("name_en", "")),
                name_vi=version["name_vi"],
                name_en=version.get("name_en") or "",
                unit_vi=version.get("unit_vi") or "",
                unit_en=version.get("unit_en") or "",
                value_type=version["value_type"],
                aggregation=version["aggregation"],
                disaggregations=tuple(version.get("disaggregations") or ()),
                lowest_level=version["lowest_level"],
                period_type=version["period_type"],
                agency=version["agency"],
                min_value=None if version.get("min_value") is None else str(version["min_value"]),
                max_value=None if version.get("max_value") is None else str(version["max_value"]),
            )
    return None


def reported_by(
    indicators: Iterable[Mapping[str, Any]],
    level: str,
    period: str,
    agency_types: frozenset[str] | None = None,
) -> list[Definition]:
    """The definitions a unit of `level` reports for `period` (those `agency_types` may write, when given), by code."""
    parsed = Period.parse(period)
    found = []
    for indicator in indicators:
        definition = definition_on(indicator, parsed.end)
        if definition is None or definition.aggregation == "FORMULA":
            continue
        if definition.lowest_level != level or definition.period_type != parsed.type.value:
            continue
        if agency_types is not None and definition.agency not in agency_types:
            continue
        found.append(definition)
    return sorted(found, key=lambda d: d.code)


def agency_types(agency: Mapping[str, Any] | None) -> frozenset[str]:
    """The agency types a registered agency writes for: its own and its `writes_for` (empty when unregistered)."""
    if agency is None:
        return frozenset()
    return frozenset([str(agency.get("agency_type", "")), *(agency.get("writes_for") or [])]) - {""}
