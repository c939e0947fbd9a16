"""The demo dataset that `make up` loads: deterministic, valid against the catalog, realistic, and varied.

Checked against the catalog's reference files directly (not through the generator's own helpers): every unit is
valid for its period's map, every indicator fits its period type, breakdowns, type and bounds, every agency is
registered. Only the deliberate mistakes (ids with `-eN-`) break a rule, each exactly one.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter, defaultdict
from decimal import Decimal
from functools import cache
from typing import Any

import pytest

from dantoc_contracts.periods import Period
from dantoc_contracts.submissions import DataValueSet
from deploy.demo.generate_demo import Options, write
from tests.support.promql import REPO

DATA = REPO / "services/catalog/src/dantoc_catalog/data"
MISTAKE = re.compile(r"-e\d+-[0-9a-f]{8}$")


def rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@cache
def catalog() -> dict[str, Any]:
    units = rows("admin_units.csv")
    legacy = {u["code"]: u for u in units if u["valid_to"] == "2025-06-30"}
    return {
        "legacy": legacy,
        "new": {u["code"]: u for u in units if u["valid_from"] == "2025-07-01"},
        "indicators": {i["code"]: i for i in rows("indicators.csv")},
        "agencies": {a["code"] for a in rows("agencies.csv")},
        "codes": {(c["list_id"], c["code"]) for c in rows("code_lists.csv")},
        "ethnic": {e["code"] for e in rows("ethnic_groups.csv")},
    }


def legacy_province(code: str) -> str:
    legacy = catalog()["legacy"]
    return str(legacy[legacy[code]["parent_code"]]["parent_code"])


@cache
def generated(seed: int = 2024) -> str:
    out = io.StringIO()
    write(Options(seed=seed), out)
    return out.getvalue()


@cache
def submissions() -> list[DataValueSet]:
    return [DataValueSet.model_validate_json(line) for line in generated().splitlines()]


def problems(submission: DataValueSet) -> list[str]:
    """Every rule of the catalog the submission breaks (an independent re-implementation of ingest's checks)."""
    found: list[str] = []
    known = catalog()
    period = Period.parse(submission.period)
    units = known["new" if period.end.isoformat() >= "2025-07-01" else "legacy"]
    if units.get(submission.unit_code, {}).get("level") != "commune":
        found.append("unit not a commune of the period's map")
    if submission.agency not in known["agencies"]:
        found.append("unknown agency")
    for value in submission.values:
        spec, breakdown = known["indicators"][value.indicator], value.disaggregation
        where = f"{value.indicator} {breakdown.key()}"
        if spec["aggregation"] == "FORMULA" or spec["period_type"] != period.type.value:
            found.append(f"{where}: derived indicator or wrong period type")
        dims = {d for d in ("ethnic_group", "sex", "age_group", "residence") if getattr(breakdown, d)}
        if not dims <= set(spec["disaggregations"].split()):
            found.append(f"{where}: breakdown not allowed")
        if breakdown.ethnic_group and breakdown.ethnic_group.code not in known["ethnic"]:
            found.append(f"{where}: unknown ethnic group")
        for dim, code in (("sex", breakdown.sex), ("residence", breakdown.residence)):
            if code and (dim, code) not in known["codes"]:
                found.append(f"{where}: unknown {dim} code")
        found += value_problems(where, spec, value.value, value.no_data, value.no_data_reason)
    return found


def value_problems(
    where: str, spec: dict[str, str], value: Decimal | None, no_data: bool, reason: str | None
) -> list[str]:
    if no_data:
        return [] if value is None and reason else [f"{where}: 'no data' needs a reason and no value"]
    if value is None:
        return [f"{where}: missing value"]
    found = []
    if spec["value_type"] == "integer" and value != value.to_integral_value():
        found.append(f"{where}: not an integer")
    if (spec["min_value"] and value < Decimal(spec["min_value"])) or (
        spec["max_value"] and value > Decimal(spec["max_value"])
    ):
        found.append(f"{where}: out of range")
    return found


def test_same_seed_same_bytes_other_seed_other_data() -> None:
    assert generated(2024) == generated(2024)
    small = io.StringIO()
    write(Options(seed=7, provinces=("12",), max_communes=5), small)
    again = io.StringIO()
    write(Options(seed=7, provinces=("12",), max_communes=5), again)
    assert small.getvalue() == again.getvalue()
    other = io.StringIO()
    write(Options(seed=8, provinces=("12",), max_communes=5), other)
    assert other.getvalue() != small.getvalue()


def test_every_submission_is_valid_except_the_deliberate_mistakes_which_break_one_rule_each() -> None:
    checked = {s.submission_id: problems(s) for s in submissions()}
    invalid = {submission_id: found for submission_id, found in checked.items() if found}
    mistakes = {s.submission_id for s in submissions() if MISTAKE.search(s.submission_id)}
    assert set(invalid) <= mistakes, {k: v[:3] for k, v in invalid.items() if k not in mistakes}
    assert set(invalid) == mistakes
    assert len(mistakes) >= 5
    assert all(len(found) == 1 for found in invalid.values()), invalid
    assert len({found[0].split(": ")[-1] for found in invalid.values()}) == 5, "five kinds of mistake"


def test_ids_are_unique_and_the_last_one_is_loadable() -> None:
    ids = [s.submission_id for s in submissions()]
    assert len(ids) == len(set(ids))
    assert not MISTAKE.search(ids[-1]), "load_demo --skip-if-loaded asks ingest about the last id"


def totals(period: str) -> dict[str, dict[str, Decimal]]:
    """Unit -> indicator -> the total cell (no breakdown), for the original (not corrected) submissions."""
    found: dict[str, dict[str, Decimal]] = defaultdict(dict)
    for s in submissions():
        if s.period == period and not re.search(r"-(e\d+|r1)-[0-9a-f]{8}$", s.submission_id):
            for v in s.values:
                if v.disaggregation.key() == "_T|_T|_T|_T" and v.value is not None:
                    found[s.unit_code][v.indicator] = v.value
    return found


def test_communes_are_realistic() -> None:
    year = totals("2024")
    assert len(year) > 1000, "communes of eight provinces"
    by_province: dict[str, list[dict[str, Decimal]]] = defaultdict(list)
    ratios = []
    for unit, cells in year.items():
        assert 2000 <= cells["0102"] <= 20000, unit
        assert cells["0101"] <= cells["0102"], unit
        if cells.get("0104", 0) >= 20 and "0401" in cells:
            ratios.append((unit, cells["0401"] / cells["0104"]))
        by_province[legacy_province(unit)].append(cells)
    assert len(ratios) > len(year) // 2, "most communes report both 0104 and 0401: the ratio is checked, not skipped"
    outside = [unit for unit, ratio in ratios if not Decimal("0.15") <= ratio <= Decimal("0.65")]
    assert not outside, outside[:5]
    assert set(by_province) == {"02", "04", "10", "11", "12", "14", "64", "66"}
    for province, communes in by_province.items():
        share = sum(c["0101"] for c in communes) / sum(c["0102"] for c in communes)
        assert share >= (Decimal("0.7") if province in {"02", "04", "11", "12", "14"} else Decimal("0.25")), province


def test_breakdowns_add_up_to_their_totals() -> None:
    checked = Counter[str]()
    for s in submissions()[:400]:
        cells: dict[str, dict[str, Decimal]] = defaultdict(dict)
        for v in s.values:
            if v.value is not None:
                cells[v.indicator][v.disaggregation.key()] = v.value
        for indicator, by_key in cells.items():
            total = by_key.get("_T|_T|_T|_T")
            by_sex = [n for k, n in by_key.items() if re.fullmatch(r"_T\|[12]\|_T\|_T", k)]
            by_group = [n for k, n in by_key.items() if re.fullmatch(r"GSO1979:\d\d\|_T\|_T\|_T", k)]
            for name, parts in (("sex", by_sex), ("ethnic group", by_group)):
                if parts and total is not None:
                    assert sum(parts) == total, (s.submission_id, indicator, name)
                    checked[name] += 1
    assert checked["sex"] > 100, f"too few breakdowns by sex were checked: {checked}"
    assert checked["ethnic group"] > 100, f"too few breakdowns by ethnic group were checked: {checked}"


def test_the_year_has_no_data_declarations_silent_communes_corrections_and_the_new_map() -> None:
    reasons = Counter(v.no_data_reason for s in submissions() for v in s.values if v.no_data and v.no_data_reason)
    assert len(reasons) >= 4
    assert sum(reasons.values()) > 100
    legacy = catalog()["legacy"]
    communes = {c for c in legacy if legacy[c]["level"] == "commune" and legacy_province(c) in {"04", "12"}}
    reporting = {s.unit_code for s in submissions() if s.period == "2024"}
    silent = communes - reporting
    assert 0.02 < len(silent) / len(communes) < 0.12, "a few communes send nothing"
    corrections = [s for s in submissions() if re.search(r"-r1-[0-9a-f]{8}$", s.submission_id)]
    assert 10 < len(corrections) < 150
    periods = Counter(s.period for s in submissions())
    assert {"2024", "2024Q1", "2024Q4", "2025", "2025Q3", "2025Q4"} <= set(periods)
    assert all(s.unit_code in catalog()["new"] for s in submissions() if s.period.startswith("2025"))


@pytest.mark.parametrize("indicator", ["0101", "0405", "0701", "0801", "1102"])
def test_ethnic_group_by_sex_where_the_indicator_allows_it(indicator: str) -> None:
    keys = {v.disaggregation.key() for s in submissions()[:200] for v in s.values if v.indicator == indicator}
    assert any(re.fullmatch(r"GSO1979:\d\d\|[12]\|_T\|_T", k) for k in keys)


def test_a_smaller_load_never_conflicts_with_the_full_one() -> None:
    """Loading a subset first (--provinces, --max-communes) and then everything must not resend an id with other
    content (ingest would reject it as a conflict)."""
    full = {s.submission_id: s for s in submissions()}
    out = io.StringIO()
    write(Options(provinces=("12", "04"), max_communes=30), out)
    for line in out.getvalue().splitlines():
        subset = DataValueSet.model_validate_json(line)
        if subset.submission_id in full:
            assert subset == full[subset.submission_id], subset.submission_id
