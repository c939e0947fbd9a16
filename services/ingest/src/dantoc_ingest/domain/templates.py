"""Which rows a template offers for a unit, period and indicator group: one per cell an official would fill.

`standard` breakdown: the total; each dimension alone (sex, each ethnic group, age groups, urban/rural); and
ethnic group × sex where both are allowed (the cross officials actually report). `full`: every combination.
Ethnic groups offered are those given (or those the unit and its neighbours have reported); more can be added
in the blank rows at the bottom of the template.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import product

from dantoc_contracts.catalog import IndicatorVersion
from dantoc_contracts.catalog_view import CatalogView
from dantoc_contracts.codes import UnitLevel
from dantoc_contracts.periods import Period
from dantoc_ingest.domain.model import CellCoordinates, Content

Combination = dict[str, str | None]


@dataclass(frozen=True, slots=True)
class TemplateRow:
    indicator: str
    indicator_name: str
    unit_of_measure: str
    coordinates: CellCoordinates
    current: Content | None = None  # the value already stored, prefilled so that officials correct rather than retype


@dataclass(slots=True)
class TemplateSpec:
    unit_code: str
    unit_name: str
    period: str
    group: str | None
    group_name: str
    agency: str
    rows: list[TemplateRow] = field(default_factory=list)


def applicable(
    catalog: CatalogView, period: Period, level: UnitLevel, group: str | None
) -> list[tuple[str, IndicatorVersion]]:
    """Indicators of the group in force for the period, of its period type, reportable at the unit's level."""
    found = []
    for code in sorted(catalog.indicators):
        indicator = catalog.indicators[code]
        version = catalog.indicator_version(code, period.end)
        if (group and indicator.group_code != group) or version is None:
            continue
        if version.period_type == period.type and level.depth <= version.lowest_level.depth:
            found.append((code, version))
    return found


def combinations(dimensions: list[str], categories: dict[str, list[str]], breakdown: str) -> list[Combination]:
    dims = [d for d in ("ethnic_group", "sex", "age_group", "residence") if d in dimensions]
    if breakdown == "full":
        choices = [[None, *categories.get(d, [])] for d in dims]
        return [dict(zip(dims, combo, strict=True)) for combo in product(*choices)]
    rows: list[Combination] = [{}]
    if "sex" in dims:
        rows += [{"sex": s} for s in categories.get("sex", [])]
    for ethnic in categories.get("ethnic_group", []) if "ethnic_group" in dims else []:
        rows.append({"ethnic_group": ethnic})
        if "sex" in dims:
            rows += [{"ethnic_group": ethnic, "sex": s} for s in categories.get("sex", [])]
    for dim in ("age_group", "residence"):
        if dim in dims:
            rows += [{dim: c} for c in categories.get(dim, [])]
    return rows


def _codes_in_order(catalog: CatalogView, list_id: str) -> list[str]:
    items = catalog.code_lists.get(list_id, {})
    return sorted(items, key=lambda code: items[code].sort_order)


def template_rows(
    catalog: CatalogView,
    indicators: list[tuple[str, IndicatorVersion]],
    ethnic_codes: list[str],
    breakdown: str,
    current: dict[tuple[str, str], Content],
) -> list[TemplateRow]:
    categories = {dim: _codes_in_order(catalog, dim) for dim in ("sex", "age_group", "residence")}
    categories["ethnic_group"] = ethnic_codes
    rows = []
    for code, version in indicators:
        for combo in combinations(list(version.disaggregations), categories, breakdown):
            coordinates = CellCoordinates(
                code, combo.get("ethnic_group"), combo.get("sex"), combo.get("age_group"), combo.get("residence")
            )
            stored = current.get((code, coordinates.disaggregation_key))
            rows.append(TemplateRow(code, version.name_vi, version.unit_vi, coordinates, stored))
    return rows
