"""Workload of the aggregate benchmark: the real catalogue (CSV files of the catalog service's data folder) as
catalog-topic records, and the "national year" reports of every legacy commune."""

from __future__ import annotations

import csv
import random
from collections import defaultdict
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from dantoc_contracts.catalog import (
    AdminUnitPublished,
    Formula,
    IndicatorPublished,
    IndicatorVersion,
    catalog_key,
)
from dantoc_contracts.codes import EthnicCodeList, EthnicGroupRef, UnitLevel
from dantoc_contracts.periods import PeriodType
from dantoc_contracts.submissions import Disaggregation
from dantoc_contracts.values import CellChange, CellValue, ValuesAccepted

DATA = Path(__file__).resolve().parents[1] / "services/catalog/src/dantoc_catalog/data"
LEGACY_END = date(2025, 6, 30)
YEAR = 2024


def _date(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


def admin_units() -> list[AdminUnitPublished]:
    with (DATA / "admin_units.csv").open(encoding="utf-8") as f:
        return [
            AdminUnitPublished(
                code=r["code"],
                level=UnitLevel(r["level"]),
                name=r["name"],
                type=r["type"],
                parent_code=r["parent_code"] or None,
                valid_from=_date(r["valid_from"]),
                valid_to=_date(r["valid_to"]),
            )
            for r in csv.DictReader(f)
        ]


def indicators() -> list[IndicatorPublished]:
    versions: dict[str, list[dict[str, str]]] = defaultdict(list)
    with (DATA / "indicators.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            versions[row["code"]].append(row)
    found = []
    for code, rows in sorted(versions.items()):
        made = []
        for r in sorted(rows, key=lambda r: int(r["version"])):
            formula = None
            if r["numerator"]:
                formula = Formula(
                    numerator=r["numerator"], denominator=r["denominator"], factor=Decimal(r["factor"] or "1")
                )
            made.append(
                IndicatorVersion(
                    version=int(r["version"]),
                    effective_from=date.fromisoformat(r["effective_from"]),
                    name_vi=r["name_vi"],
                    name_en=r["name_en"],
                    unit_vi=r["unit_vi"],
                    unit_en=r["unit_en"],
                    value_type=r["value_type"],
                    aggregation=r["aggregation"],
                    formula=formula,
                    disaggregations=r["disaggregations"].split(),
                    lowest_level=UnitLevel(r["lowest_level"]),
                    period_type=PeriodType(r["period_type"]),
                    agency=r["agency"],
                    min_value=Decimal(r["min_value"]) if r["min_value"] else None,
                    max_value=Decimal(r["max_value"]) if r["max_value"] else None,
                    source=r["source"],
                )
            )
        found.append(IndicatorPublished(code=code, group_code=rows[0]["group_code"], versions=made))
    return found


def ethnic_codes() -> list[str]:
    with (DATA / "ethnic_groups.csv").open(encoding="utf-8") as f:
        return [r["code"] for r in csv.DictReader(f)]


def catalog_records() -> list[tuple[str, Any]]:
    return [(catalog_key(r), r) for r in admin_units()] + [(catalog_key(r), r) for r in indicators()]


def legacy_communes(scale: float, seed: int = 1) -> list[str]:
    communes = [u.code for u in admin_units() if u.level is UnitLevel.COMMUNE and u.valid_to == LEGACY_END]
    if scale >= 1:
        return communes
    return sorted(random.Random(seed).sample(communes, max(1, round(len(communes) * scale))))


def periods_of(period_type: PeriodType) -> list[str]:
    return {
        PeriodType.YEAR: [str(YEAR)],
        PeriodType.SEMESTER: [f"{YEAR}S{i}" for i in (1, 2)],
        PeriodType.QUARTER: [f"{YEAR}Q{i}" for i in range(1, 5)],
        PeriodType.MONTH: [f"{YEAR}{i:02d}" for i in range(1, 13)],
    }[period_type]


class NationalYear:
    """Every commune reports every commune-level, non-formula indicator for one year, by ethnic group × sex
    where the indicator allows it; most communes have a few ethnic groups, some many."""

    GROUP_COUNTS = (1, 2, 3, 4, 5, 6, 8, 12)
    GROUP_WEIGHTS = (20, 25, 20, 12, 8, 6, 5, 4)

    def __init__(self, scale: float, seed: int = 1) -> None:
        self.rng = random.Random(seed)
        self.communes = legacy_communes(scale, seed)
        on = date(YEAR, 12, 31)
        self.indicators = [
            (i.code, v)
            for i in indicators()
            for v in i.versions
            if v.effective_from <= on
            and (v.effective_to is None or on <= v.effective_to)
            and v.lowest_level is UnitLevel.COMMUNE
            and v.formula is None
        ]
        codes = ethnic_codes()
        self.ethnic = [EthnicGroupRef(code_list=EthnicCodeList.GSO_1979, code=c) for c in codes]
        self.ethnic_weights = [60 if c == "01" else 3 if int(c) < 20 else 1 for c in codes]

    def _groups(self) -> list[EthnicGroupRef]:
        count = self.rng.choices(self.GROUP_COUNTS, self.GROUP_WEIGHTS)[0]
        chosen: dict[str, EthnicGroupRef] = {}
        while len(chosen) < count:
            group = self.rng.choices(self.ethnic, self.ethnic_weights)[0]
            chosen[group.code] = group
        return list(chosen.values())

    def messages(self) -> list[ValuesAccepted]:
        found = []
        for commune in self.communes:
            groups = self._groups()
            by_period: dict[str, list[CellChange]] = defaultdict(list)
            for code, version in self.indicators:
                dims = version.disaggregations
                ethnic = groups if "ethnic_group" in dims else [None]
                sexes = ["1", "2"] if "sex" in dims else [None]
                high = int(version.max_value) if version.max_value is not None else 5000
                for period in periods_of(version.period_type):
                    for group in ethnic:
                        for sex in sexes:
                            value = CellValue(value=Decimal(self.rng.randint(0, high)))
                            dis = Disaggregation(ethnic_group=group, sex=sex)
                            by_period[period].append(
                                CellChange(indicator=code, disaggregation=dis, new=value, revision=1)
                            )
            for period, changes in by_period.items():
                found.append(
                    ValuesAccepted(
                        submission_id=f"{commune}-{period}",
                        agency="CTK",
                        unit_code=commune,
                        period=period,
                        accepted_at=datetime.now(UTC),
                        changes=changes,
                    )
                )
        return found
