"""Benchmark data: the real catalogue read from the catalog service's data files (as contracts records), the
current-map communes, and one commune's full catalogue of values (ethnic group × sex where allowed)."""

from __future__ import annotations

import random
from datetime import date
from typing import Any

from bench.catalogue_files import catalog_with_agencies
from dantoc_contracts.catalog import AdminUnitPublished, IndicatorPublished, IndicatorVersion
from dantoc_contracts.catalog_view import CatalogRecord

ETHNIC_GROUPS = ["02", "03", "07", "08", "09"]  # Tày, Thái, Nùng, HMông, Dao (GSO 1979)
ON = date(2025, 12, 31)


def catalog_records() -> list[CatalogRecord]:
    """The whole starter catalogue, agencies included."""
    return catalog_with_agencies()


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
