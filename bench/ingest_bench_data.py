"""Benchmark data: the real catalogue read from the catalog service's data files (as contracts records), the
current-map communes, and one commune's full catalogue of values (ethnic group × sex where allowed)."""

from __future__ import annotations

import csv
import random
from collections import defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

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
ETHNIC_GROUPS = ["02", "03", "07", "08", "09"]  # Tày, Thái, Nùng, HMông, Dao (GSO 1979)
ON = date(2025, 12, 31)


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _decimal(text: str) -> Decimal | None:
    return Decimal(text) if text.strip() else None


def _version(row: dict[str, str]) -> IndicatorVersion:
    formula = None
    if row["numerator"]:
        formula = Formula(
            numerator=row["numerator"], denominator=row["denominator"], factor=Decimal(row["factor"] or 1)
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


def _indicators() -> list[CatalogRecord]:
    versions: dict[str, list[dict[str, str]]] = defaultdict(list)
    groups: dict[str, IndicatorGroupPublished] = {}
    for row in _rows("indicators.csv"):
        versions[row["code"]].append(row)
        groups[row["group_code"]] = IndicatorGroupPublished(
            code=row["group_code"], name_vi=row["group_name_vi"], name_en=row["group_name_en"]
        )
    indicators = [
        IndicatorPublished(
            code=code,
            group_code=rows[0]["group_code"],
            versions=[_version(r) for r in sorted(rows, key=lambda r: int(r["version"]))],
        )
        for code, rows in versions.items()
    ]
    return [*groups.values(), *indicators]


def _code_lists() -> list[CatalogRecord]:
    items: dict[str, list[CodeItem]] = defaultdict(list)
    for row in _rows("code_lists.csv"):
        items[row["list_id"]].append(
            CodeItem(
                code=row["code"], name_vi=row["name_vi"], name_en=row["name_en"], sort_order=int(row["sort_order"] or 0)
            )
        )
    ethnic = EthnicGroupsPublished(
        groups=[
            EthnicGroup(
                code_gso_1979=r["code"],
                code_gso_2008=r["code_gso_2008"],
                name_vi=r["name_vi"],
                name_en=r["name_en"],
                name_vi_gso_2008=r["name_vi_gso_2008"],
                aliases=[a.strip() for a in r["other_names_vi"].split(",") if a.strip()],
            )
            for r in _rows("ethnic_groups.csv")
        ],
        extra_codes=items.pop("ethnic_extra", []),
    )
    return [ethnic, *(CodeListPublished(list_id=list_id, items=found) for list_id, found in items.items())]


def _units_and_agencies() -> list[CatalogRecord]:
    units: list[CatalogRecord] = [
        AdminUnitPublished(
            code=r["code"],
            level=r["level"],
            name=r["name"],
            type=r["type"],
            parent_code=r["parent_code"] or None,
            valid_from=date.fromisoformat(r["valid_from"]) if r["valid_from"] else None,
            valid_to=date.fromisoformat(r["valid_to"]) if r["valid_to"] else None,
        )
        for r in _rows("admin_units.csv")
    ]
    agencies: list[CatalogRecord] = [
        AgencyPublished(
            code=r["code"],
            name_vi=r["name_vi"],
            name_en=r["name_en"],
            agency_type=r["agency_type"],
            scope_unit_code=r["scope_unit_code"],
        )
        for r in _rows("agencies.csv")
    ]
    return units + agencies


def catalog_records() -> list[CatalogRecord]:
    return [*_indicators(), *_code_lists(), *_units_and_agencies()]


def communes(records: list[CatalogRecord], count: int) -> list[str]:
    """The first `count` communes of the current map (valid at the end of 2025)."""
    found = sorted(
        r.code
        for r in records
        if isinstance(r, AdminUnitPublished)
        and r.level == "commune"
        and r.valid_from is not None
        and r.valid_from <= ON
    )
    if len(found) < count:
        raise ValueError(f"only {len(found)} communes on the current map")
    return found[:count]


def _number(version: IndicatorVersion, rng: random.Random) -> str:
    low = float(version.min_value) if version.min_value is not None else 0.0
    high = float(version.max_value) if version.max_value is not None else 5000.0
    if version.value_type == "integer":
        return str(rng.randint(int(low), int(high)))
    return f"{rng.uniform(low, high):.2f}"


def full_catalogue(records: list[CatalogRecord], seed: int) -> list[dict[str, Any]]:
    """Every indicator a commune reports for a year: its total, and ethnic group × sex where allowed."""
    rng, values = random.Random(seed), []
    for record in records:
        if not isinstance(record, IndicatorPublished):
            continue
        version = next(v for v in reversed(record.versions) if v.effective_from <= ON)
        if version.lowest_level != "commune" or version.period_type != "year":
            continue
        ethnic = ETHNIC_GROUPS if "ethnic_group" in version.disaggregations else [None]
        sexes = ["1", "2"] if "sex" in version.disaggregations else [None]
        cells = [(None, None)] + [(e, s) for e in ethnic for s in sexes if (e, s) != (None, None)]
        for group, sex in cells:
            disaggregation: dict[str, Any] = {"sex": sex}
            if group:
                disaggregation["ethnic_group"] = {"code_list": "GSO1979", "code": group}
            values.append({"indicator": record.code, "disaggregation": disaggregation, "value": _number(version, rng)})
    return values
