"""Generate the demo dataset: a reporting year of communes in provinces with large ethnic-minority populations.

    .venv/bin/python deploy/demo/generate_demo.py --seed 2024 [--provinces 02,04] [--max-communes 20] > demo.jsonl

Prints JSON lines, one submission per line (the body of ingest's `POST /submissions`), in the order they are to be
sent. The same options give byte-identical output. What it contains and why is in deploy/demo/README.md.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import math
import random
import sys
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TextIO

if __package__ in (None, ""):  # run as a script: make `deploy.demo` importable from the repository root
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from dantoc_contracts.periods import Period
from dantoc_contracts.submissions import DataValue, DataValueSet, Disaggregation, SubmissionSource
from deploy.demo.cells import Spec, breakdown, load_specs, no_data
from deploy.demo.population import (
    CATALOG_DATA,
    Commune,
    Unit,
    draw_commune,
    legacy_communes,
    load_profiles,
    merge_communes,
    new_map_communes,
    province_names,
)
from deploy.demo.recipes import Report, capital_reports, population_report, year_report

YEAR = "2024"
SILENT_RATE = 0.06  # communes that send nothing for a period
CORRECTION_RATE = 0.03  # reporting communes that correct their year later
NEW_MAP = date(2025, 7, 1)


def submission_id(seed: int, period: str, unit: Unit, agency: str, suffix: str, values: list[DataValue]) -> str:
    """Deterministic, and different whenever the content differs (another subset of communes changes the new
    map's merged communes): sending the same submission again is harmless, and never a conflicting resend."""
    content = json.dumps([value.model_dump(mode="json") for value in values], sort_keys=True)
    digest = hashlib.sha256(content.encode()).hexdigest()[:8]
    return f"demo{seed}-{period}-{unit.code}-{agency}{suffix}-{digest}"


@dataclass(frozen=True)
class Options:
    seed: int = 2024
    provinces: tuple[str, ...] = ()  # empty: every province of provinces.csv
    max_communes: int = 0  # per province; 0: all
    new_map: bool = True
    data_dir: Path = CATALOG_DATA


@dataclass(frozen=True)
class Context:
    options: Options
    specs: dict[str, Spec]
    agency_scopes: dict[str, str]
    same_province: frozenset[str]  # province codes that name the same province on both maps

    def agency(self, spec: Spec, unit: Unit, period: str) -> str:
        """Statistics from the statistics office; the rest from the provincial ethnic-affairs agency (or the
        ministry where the province has no registered agency valid for the period's map)."""
        if spec.agency == "CTK":
            return "CTK"
        code = f"BDT-{unit.province}"
        on_new_map = Period.parse(period).end >= NEW_MAP
        valid = on_new_map or unit.province in self.same_province
        return code if valid and self.agency_scopes.get(code) == unit.province else "BDTTG"

    def submissions(self, unit: Unit, period: str, report: Report, suffix: str = "") -> list[DataValueSet]:
        """One submission per reporting agency; ids are deterministic, so sending again changes nothing."""
        by_agency: dict[str, list[DataValue]] = defaultdict(list)
        for value in report.values(self.specs):
            by_agency[self.agency(self.specs[value.indicator], unit, period)].append(value)
        comment = "Điều chỉnh sau rà soát cuối năm" if suffix else None
        return [
            DataValueSet(
                submission_id=submission_id(self.options.seed, period, unit, agency, suffix, values),
                agency=agency,
                unit_code=unit.code,
                period=period,
                source=SubmissionSource.SYSTEM if agency == "CTK" else SubmissionSource.ENTRY,
                comment=comment,
                values=values,
            )
            for agency, values in sorted(by_agency.items())
        ]


def _context(options: Options) -> Context:
    with (options.data_dir / "agencies.csv").open(encoding="utf-8") as handle:
        scopes = {row["code"]: row["scope_unit_code"] for row in csv.DictReader(handle)}
    legacy, new = province_names(options.data_dir)
    same = frozenset(code for code, name in legacy.items() if new.get(code) == name)
    return Context(options, load_specs(options.data_dir), scopes, same)


def _chance(seed: int, what: str, code: str, rate: float) -> bool:
    return random.Random(f"{seed}:{what}:{code}").random() < rate


def _correction(commune: Commune, report: Report, ctx: Context) -> Report:
    """A later revision: residents who moved away recounted, poor households reviewed (a few left poverty, the
    rate staying at 20 % or more), and sometimes a distance withdrawn ('no data' replaces the number)."""
    rng = random.Random(f"{ctx.options.seed}:fix:{commune.unit.code}")
    population = dict(report.matrices["0101"])
    key = rng.choice(sorted(population))
    population[key] = max(0, population[key] - max(1, round(population[key] * 0.02)))
    households = report.matrices["0104"]
    poor = {
        k: max(math.ceil(households[k] * 0.2), round(n * rng.uniform(0.9, 1.0)))
        for k, n in report.matrices["0401"].items()
    }
    fixed = Report()
    fixed.add(ctx.specs["0101"], population, "1" if commune.urban else "2")
    fixed.add(ctx.specs["0401"], poor)
    if rng.random() < 1 / 3:
        fixed.cells["0909"] = no_data(ctx.specs["0909"], "Số liệu khoảng cách chưa chính xác, đang đo đạc lại")
    return fixed


def _mistake(unit: Unit, ctx: Context, kind: int) -> DataValueSet:
    """A submission ingest must reject, as part-time officials make them (sent before the right one): a value out
    of range, a decimal for an integer, a breakdown the indicator does not allow (households by sex), 'no data'
    without its reason, a quarterly indicator reported for a year."""
    specs = ctx.specs
    values, period = {
        0: ([DataValue(indicator="0901", value=Decimal(-3))], YEAR),  # out of range
        1: ([DataValue(indicator="0101", value=Decimal("1520.5"))], YEAR),  # not an integer
        2: ([DataValue(indicator="0104", disaggregation=Disaggregation(sex="1"), value=Decimal(310))], YEAR),
        3: ([DataValue(indicator="0805", no_data=True)], YEAR),  # 'no data' without its reason
        4: (breakdown(specs["1302"], {(None, None): 500}), YEAR),  # a quarterly indicator for a year
    }[kind % 5]
    agency = ctx.agency(specs[values[0].indicator], unit, period)
    return DataValueSet(
        submission_id=submission_id(ctx.options.seed, period, unit, agency, f"-e{kind}", values),
        agency=agency,
        unit_code=unit.code,
        period=period,
        values=values,
    )


def _legacy_year(ctx: Context, communes: list[Commune]) -> Iterator[DataValueSet]:
    seed, mistaken = ctx.options.seed, set[str]()
    corrections: list[tuple[Commune, Report]] = []
    for commune in communes:
        unit = commune.unit
        if _chance(seed, "silent", unit.code, SILENT_RATE):
            continue
        if unit.province not in mistaken:  # the first reporting commune of each province makes a mistake first
            mistaken.add(unit.province)
            yield _mistake(unit, ctx, len(mistaken) - 1)
        report = year_report(commune, ctx.specs)
        yield from ctx.submissions(unit, YEAR, report)
        for quarter, capital in enumerate(capital_reports(commune, ctx.specs, [1, 2, 3, 4]), start=1):
            if not _chance(seed, f"silent{quarter}", unit.code, SILENT_RATE):
                yield from ctx.submissions(unit, f"{YEAR}Q{quarter}", capital)
        if _chance(seed, "fix", unit.code, CORRECTION_RATE):
            corrections.append((commune, report))
    for commune, report in corrections:
        yield from ctx.submissions(commune.unit, YEAR, _correction(commune, report, ctx), suffix="-r1")


def _new_map(ctx: Context, communes: list[Commune]) -> Iterator[DataValueSet]:
    """The first periods on the two-tier map: 2025 population and households, programme capital 2025Q3-Q4."""
    seed, legacy = ctx.options.seed, {c.unit.code: c for c in communes}
    for unit, parts in new_map_communes(ctx.options.data_dir, [c.unit for c in communes]).items():
        if _chance(seed, "silent-new", unit.code, SILENT_RATE):
            continue
        commune = merge_communes(unit, [(legacy[code], share) for code, share in parts], seed)
        yield from ctx.submissions(unit, "2025", population_report(commune, ctx.specs))
        for quarter, capital in zip((3, 4), capital_reports(commune, ctx.specs, [3, 4]), strict=True):
            yield from ctx.submissions(unit, f"2025Q{quarter}", capital)


def generate(options: Options) -> Iterator[DataValueSet]:
    """Every submission of the demo, in sending order (mistakes before the right data, corrections last)."""
    ctx = _context(options)
    profiles = load_profiles()
    provinces = list(options.provinces or profiles)
    units = legacy_communes(options.data_dir, provinces)
    if options.max_communes:
        per_province: dict[str, list[Unit]] = defaultdict(list)
        for unit in units:
            per_province[unit.province].append(unit)
        units = [unit for code in provinces for unit in per_province[code][: options.max_communes]]
    communes = [draw_commune(unit, profiles[unit.province], options.seed) for unit in units]
    yield from _legacy_year(ctx, communes)
    if options.new_map:
        yield from _new_map(ctx, communes)


def write(options: Options, out: TextIO) -> tuple[int, int]:
    """Write the JSON lines; return (submissions, values)."""
    submissions = values = 0
    for submission in generate(options):
        out.write(submission.model_dump_json(exclude_defaults=True) + "\n")
        submissions, values = submissions + 1, values + len(submission.values)
    return submissions, values


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--seed", type=int, default=2024, help="random seed (default 2024)")
    parser.add_argument("--provinces", default="", help="legacy province codes, comma-separated (default: all)")
    parser.add_argument("--max-communes", type=int, default=0, help="communes per province (default 0: all)")
    parser.add_argument("--no-new-map", action="store_true", help="only 2024, on the legacy map")
    parser.add_argument("--data-dir", type=Path, default=CATALOG_DATA, help="the catalog's reference data")
    args = parser.parse_args(argv)
    provinces = tuple(code for code in args.provinces.split(",") if code)
    options = Options(args.seed, provinces, args.max_communes, not args.no_new_map, args.data_dir)
    submissions, values = write(options, sys.stdout)
    print(f"[demo] {submissions} submissions, {values} values (seed {args.seed})", file=sys.stderr)


if __name__ == "__main__":
    main()
