"""The starter catalogue (the catalog service's CSV files) as catalog-topic records, for the benchmarks.

Read directly from the files: the benchmarks publish them as the catalog service would, without its code.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

from dantoc_contracts.catalog import (
    AdminUnitPublished,
    AgencyPublished,
    CodeItem,
    CodeListPublished,
    EthnicGroup,
    EthnicGroupsPublished,
    Formula,
    IndicatorGroupPublished,
    IndicatorPublished,
    IndicatorVersion,
)
from dantoc_contracts.catalog_view import CatalogRecord

DATA = Path(__file__).resolve().parents[1] / "services/catalog/src/dantoc_catalog/data"


def _rows(name: str) -> Iterator[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def _day(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


def _decimal(text: str) -> Decimal | None:
    return Decimal(text) if text else None


def _version(row: dict[str, str]) -> IndicatorVersion:
    formula = None
    if row["aggregation"] == "FORMULA":
        formula = Formula(
            numerator=row["numerator"], denominator=row["denominator"], factor=Decimal(row["factor"] or "1")
        )
    return IndicatorVersion(
        version=int(row["version"]),
        effective_from=date.fromisoformat(row["effective_from"]),
        name_vi=row["name_vi"],
        name_en=row["name_en"],
        unit_vi=row["unit_vi"],
        unit_en=row["unit_en"],
        value_type=row["value_type"],
        aggregation=row["aggregation"],
        formula=formula,
        disaggregations=row["disaggregations"].split(),
        lowest_level=row["lowest_level"],
        period_type=row["period_type"],
        agency=row["agency"],
        min_value=_decimal(row["min_value"]),
        max_value=_decimal(row["max_value"]),
        source=row["source"],
    )


def indicators() -> list[CatalogRecord]:
    versions: dict[str, list[IndicatorVersion]] = {}
    groups: dict[str, IndicatorGroupPublished] = {}
    group_of: dict[str, str] = {}
    for row in _rows("indicators.csv"):
        versions.setdefault(row["code"], []).append(_version(row))
        group_of[row["code"]] = row["group_code"]
        groups[row["group_code"]] = IndicatorGroupPublished(
            code=row["group_code"], name_vi=row["group_name_vi"], name_en=row["group_name_en"]
        )
    published = [
        IndicatorPublished(code=code, group_code=group_of[code], versions=sorted(vs, key=lambda v: v.version))
        for code, vs in versions.items()
    ]
    return [*groups.values(), *published]


def code_lists() -> list[CatalogRecord]:
    lists: dict[str, list[CodeItem]] = {}
    for row in _rows("code_lists.csv"):
        item = CodeItem(
            code=row["code"], name_vi=row["name_vi"], name_en=row["name_en"], sort_order=int(row["sort_order"])
        )
        lists.setdefault(row["list_id"], []).append(item)
    extra = lists.pop("ethnic_extra", [])
    groups = [
        EthnicGroup(
            code_gso_1979=row["code"],
            code_gso_2008=row["code_gso_2008"],
            name_vi=row["name_vi"],
            name_en=row["name_en"],
            name_vi_gso_2008=row["name_vi_gso_2008"],
            aliases=[a.strip() for a in row["other_names_vi"].split(",") if a.strip()],
        )
        for row in _rows("ethnic_groups.csv")
    ]
    ethnic: CatalogRecord = EthnicGroupsPublished(groups=groups, extra_codes=extra)
    return [*(CodeListPublished(list_id=k, items=v) for k, v in lists.items()), ethnic]


def units() -> list[CatalogRecord]:
    return [
        AdminUnitPublished(
            code=row["code"],
            level=row["level"],
            name=row["name"],
            type=row["type"],
            parent_code=row["parent_code"] or None,
            valid_from=_day(row["valid_from"]),
            valid_to=_day(row["valid_to"]),
        )
        for row in _rows("admin_units.csv")
    ]


def agencies() -> list[CatalogRecord]:
    return [
        AgencyPublished(
            code=row["code"],
            name_vi=row["name_vi"],
            name_en=row["name_en"],
            agency_type=row["agency_type"],
            scope_unit_code=row["scope_unit_code"],
        )
        for row in _rows("agencies.csv")
    ]


def catalog() -> list[CatalogRecord]:
    """Everything but the agencies (the gateway benchmark does not need them)."""
    return [*indicators(), *code_lists(), *units()]


def catalog_with_agencies() -> list[CatalogRecord]:
    return [*catalog(), *agencies()]
