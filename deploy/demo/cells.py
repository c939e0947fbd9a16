"""From a commune's counts to the cells of a submission: the total and every breakdown the indicator allows.

A count is held at its finest level, a `Matrix` keyed by (ethnic group, sex) where either may be None (the
quantity has no such breakdown). `breakdown` emits the total, the margins by group and by sex, and group × sex,
each only when the indicator's `disaggregations` allow it, so the cells always add up.
"""

from __future__ import annotations

import csv
import random
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from dantoc_contracts.codes import EthnicCodeList, EthnicGroupRef
from dantoc_contracts.submissions import DataValue, Disaggregation

Matrix = dict[tuple[str | None, str | None], int]
"""(GSO 1979 ethnic group or None, sex code or None) -> count."""


@dataclass(frozen=True)
class Spec:
    """What the demo needs from an indicator's definition (indicators.csv)."""

    code: str
    value_type: str
    aggregation: str
    disaggregations: frozenset[str]
    lowest_level: str
    period_type: str
    agency: str  # type of the responsible agency (code list `agency`)
    min_value: Decimal | None
    max_value: Decimal | None


def load_specs(data_dir: Path) -> dict[str, Spec]:
    with (data_dir / "indicators.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return {
        row["code"]: Spec(
            row["code"],
            row["value_type"],
            row["aggregation"],
            frozenset(row["disaggregations"].split()),
            row["lowest_level"],
            row["period_type"],
            row["agency"],
            Decimal(row["min_value"]) if row["min_value"] else None,
            Decimal(row["max_value"]) if row["max_value"] else None,
        )
        for row in rows
    }


def _cell(indicator: str, value: int | Decimal, group: str | None = None, sex: str | None = None) -> DataValue:
    ethnic = EthnicGroupRef(code_list=EthnicCodeList.GSO_1979, code=group) if group else None
    return DataValue(
        indicator=indicator, disaggregation=Disaggregation(ethnic_group=ethnic, sex=sex), value=Decimal(value)
    )


def breakdown(spec: Spec, matrix: Matrix, residence: str | None = None) -> list[DataValue]:
    """The total, then by group, by sex, by group × sex (as allowed); plus the total by residence when given."""
    by_group: dict[str, int] = defaultdict(int)
    by_sex: dict[str, int] = defaultdict(int)
    for (group, sex), count in matrix.items():
        if group is not None:
            by_group[group] += count
        if sex is not None:
            by_sex[sex] += count
    allowed = spec.disaggregations
    cells = [_cell(spec.code, sum(matrix.values()))]
    if "ethnic_group" in allowed:
        cells += [_cell(spec.code, n, group=g) for g, n in sorted(by_group.items())]
    if "sex" in allowed:
        cells += [_cell(spec.code, n, sex=s) for s, n in sorted(by_sex.items())]
    if {"ethnic_group", "sex"} <= allowed:
        cross = sorted((key, n) for key, n in matrix.items() if key[0] is not None and key[1] is not None)
        cells += [_cell(spec.code, n, group=g, sex=s) for (g, s), n in cross]
    if residence is not None and "residence" in allowed:
        cells.append(
            DataValue(
                indicator=spec.code,
                disaggregation=Disaggregation(residence=residence),
                value=Decimal(sum(matrix.values())),
            )
        )
    return cells


def single(spec: Spec, value: int | Decimal) -> list[DataValue]:
    """An indicator without breakdown: one cell."""
    return [_cell(spec.code, value)]


def no_data(spec: Spec, reason: str) -> list[DataValue]:
    """The agency declares it has no data for the indicator (one total cell with the reason)."""
    return [DataValue(indicator=spec.code, no_data=True, no_data_reason=reason)]


def scaled(matrix: Matrix, low: float, high: float, rng: random.Random, cap: Matrix | None = None) -> Matrix:
    """Each cell times a factor drawn in [low, high], rounded; never above the matching cell of `cap`."""
    result: Matrix = {}
    for key, count in sorted(matrix.items(), key=lambda item: (item[0][0] or "", item[0][1] or "")):
        value = round(count * rng.uniform(low, high))
        result[key] = min(value, cap[key]) if cap is not None else value
    return result


def by_group(matrix: Matrix) -> Matrix:
    """Drop the sex dimension: counts by ethnic group only."""
    result: Matrix = defaultdict(int)
    for (group, _sex), count in matrix.items():
        result[(group, None)] += count
    return dict(result)


def check_value(spec: Spec, value: Decimal) -> None:
    """Raise ValueError when a value breaks its indicator's type or bounds (a generator bug, never data)."""
    if spec.value_type == "integer" and value != value.to_integral_value():
        raise ValueError(f"{spec.code}: {value} is not an integer")
    if (spec.min_value is not None and value < spec.min_value) or (
        spec.max_value is not None and value > spec.max_value
    ):
        raise ValueError(f"{spec.code}: {value} outside [{spec.min_value}; {spec.max_value}]")
