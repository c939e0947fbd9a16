"""What a commune reports: its yearly indicators and its quarterly programme capital, drawn from its population.

Rates follow the GSO survey of the 53 ethnic minorities (2019) and the 1719 programme orders of magnitude:
4.3-5.6 people per minority household, poverty as profiled per province, 86-98 % health insurance coverage,
1.5-2.2 % births a year, 1-4 % infant deaths, 10-25 % of weighed under-fives underweight, 3-25 % of marriages
under age. Every value is checked against its indicator's type and bounds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from dantoc_contracts.submissions import DataValue
from deploy.demo.cells import Matrix, Spec, breakdown, by_group, check_value, no_data, scaled, single
from deploy.demo.population import Commune, split

NO_DATA_REASONS = {
    "0405": "Cơ quan Bảo hiểm xã hội chưa cung cấp số liệu theo dân tộc",
    "0601": "Xã chưa theo dõi được số cặp tảo hôn trong năm",
    "0805": "Chưa tổ chức cân đo trẻ em dưới 5 tuổi trong năm",
    "0909": "Chưa đo đạc khoảng cách từ các thôn mới thành lập",
    "1102": "Chưa thống kê thành phần dân tộc của cán bộ, công chức xã",
}
NO_DATA_RATE = 0.05
QUARTER_SHARES = ((0.05, 0.10), (0.15, 0.25), (0.20, 0.30), (0.30, 0.40))
"""Share of the year's capital plan disbursed in each quarter (the total stays below 100 %)."""


@dataclass
class Report:
    """A commune's cells for one period, by indicator, and the counts they came from (for corrections)."""

    cells: dict[str, list[DataValue]] = field(default_factory=dict)
    matrices: dict[str, Matrix] = field(default_factory=dict)

    def add(self, spec: Spec, matrix: Matrix, residence: str | None = None) -> None:
        self.matrices[spec.code] = matrix
        self.cells[spec.code] = breakdown(spec, matrix, residence)

    def values(self, specs: dict[str, Spec]) -> list[DataValue]:
        """Every cell, indicators in code order, after checking each number against its definition."""
        cells = [cell for code in sorted(self.cells) for cell in self.cells[code]]
        for cell in cells:
            if cell.value is not None:
                check_value(specs[cell.indicator], cell.value)
        return cells


def population_matrix(commune: Commune) -> Matrix:
    return {
        (group, sex): count
        for group, (male, female) in sorted(commune.minority.items())
        for sex, count in (("1", male), ("2", female))
    }


def _people(commune: Commune, specs: dict[str, Spec], report: Report) -> Matrix:
    """Population (0101, 0102) and minority households (0104); returns the households."""
    rng, pop = commune.rng, population_matrix(commune)
    residence = "1" if commune.urban else "2"
    kinh = commune.population - commune.minority_total
    kinh_male = round(kinh * rng.uniform(0.49, 0.51))
    males = sum(m for m, _ in commune.minority.values()) + kinh_male
    report.add(specs["0101"], pop, residence)
    by_sex: Matrix = {(None, "1"): males, (None, "2"): commune.population - males}
    report.add(specs["0102"], by_sex, residence)
    households: Matrix = {
        (group, None): max(1, round((male + female) / rng.uniform(4.3, 5.6)))
        for group, (male, female) in commune.minority.items()
    }
    report.add(specs["0104"], households, residence)
    return households


def _welfare(commune: Commune, specs: dict[str, Spec], report: Report, households: Matrix) -> None:
    rng, pop, rate = commune.rng, population_matrix(commune), commune.poverty_rate
    poor = {key: round(count * min(0.6, max(0.2, rate * rng.uniform(0.92, 1.08)))) for key, count in households.items()}
    report.add(specs["0401"], poor)
    report.add(specs["0402"], scaled(households, 0.08, 0.18, rng, cap={k: v - poor[k] for k, v in households.items()}))
    report.add(specs["0405"], scaled(pop, 0.86, 0.98, rng))
    marriages = scaled(by_group(pop), 0.006, 0.010, rng)
    report.add(specs["0602"], marriages)
    report.add(specs["0601"], scaled(marriages, 0.03, 0.25, rng, cap=marriages))
    report.add(specs["0701"], scaled(pop, 0.085, 0.10, rng))
    report.add(specs["0702"], scaled(pop, 0.06, 0.075, rng))
    births = scaled(pop, 0.015, 0.022, rng)
    report.add(specs["0801"], births)
    report.add(specs["0802"], scaled(births, 0.01, 0.04, rng, cap=births))
    under_five = scaled(pop, 0.07, 0.09, rng)
    report.add(specs["0804"], under_five)
    report.add(specs["0805"], scaled(under_five, 0.10, 0.25, rng, cap=under_five))
    report.add(specs["1304"], scaled(households, 0.005, 0.03, rng))
    report.add(specs["1305"], scaled(households, 0.01, 0.04, rng))


def _cadres(commune: Commune, specs: dict[str, Spec], report: Report) -> None:
    """Commune cadres by sex (1101, 1104) and those from minorities by group and sex (1102)."""
    rng = commune.rng
    total = rng.randint(18, 23)
    male = round(total * rng.uniform(0.6, 0.75))
    cadres: Matrix = {(None, "1"): male, (None, "2"): total - male}
    share = commune.minority_total / commune.population
    groups = sorted(commune.minority)
    weights = [float(sum(commune.minority[g])) + 1 for g in groups]
    minority: Matrix = {}
    for (_, sex), count in cadres.items():
        among = min(count, round(count * share * rng.uniform(0.8, 1.05)))
        for group, part in zip(groups, split(among, weights), strict=True):
            minority[(group, sex)] = part
    report.add(specs["1101"], cadres)
    report.add(specs["1102"], minority)
    report.add(specs["1104"], scaled(cadres, 0.85, 0.98, rng, cap=cadres))


def _places(commune: Commune, specs: dict[str, Spec], report: Report) -> None:
    """Villages, facilities, distances and the commune's classification (each reported as one number)."""
    rng, villages, town = commune.rng, commune.villages, commune.urban
    ethnic_area = commune.minority_total / commune.population >= 0.15  # the official 15 % threshold
    region_three = ethnic_area and not town and commune.poverty_rate > 0.4
    low, high = (0.3, 0.7) if region_three else (0.0, 0.15)
    disadvantaged = round(villages * rng.uniform(low, high))
    numbers: dict[str, int | Decimal] = {
        "0807": Decimal(str(round(rng.uniform(0.5, 4) if town else rng.uniform(2, 25), 1))),
        "0901": villages,
        "0902": round(villages * rng.uniform(0.8, 1.0)),
        "0904": round(villages * rng.uniform(0.55, 1.0)),
        "0906": 1 if rng.random() < 0.99 else 0,
        "0908": rng.randint(2, 6),
        "0909": Decimal(str(round(rng.uniform(0.3, 2) if town else rng.uniform(1.5, 12), 1))),
        "1401": 1,
        "1402": int(ethnic_area),
        "1404": int(region_three),
        "1405": min(villages, disadvantaged) if ethnic_area else 0,
        "1406": 3 if region_three else 2 if commune.poverty_rate > 0.3 else 1,
    }
    for code, value in numbers.items():
        report.cells[code] = single(specs[code], value)


def year_report(commune: Commune, specs: dict[str, Spec]) -> Report:
    """Everything a commune reports for a year; a few indicators declared 'no data' with their reason."""
    report = Report()
    households = _people(commune, specs, report)
    _welfare(commune, specs, report, households)
    _cadres(commune, specs, report)
    _places(commune, specs, report)
    for code, reason in NO_DATA_REASONS.items():
        if commune.rng.random() < NO_DATA_RATE:
            report.cells[code] = no_data(specs[code], reason)
    return report


def population_report(commune: Commune, specs: dict[str, Spec]) -> Report:
    """Population and households only (the first year on the new map)."""
    report = Report()
    _people(commune, specs, report)
    return report


def capital_reports(commune: Commune, specs: dict[str, Spec], quarters: list[int]) -> list[Report]:
    """Programme 1719 capital (million VND): the year's plan (1301) and what was disbursed each quarter (1302)."""
    rng = commune.rng
    plan = Decimal(str(round(rng.uniform(1_500, 9_000), 1)))
    reports = []
    for quarter in quarters:
        low, high = QUARTER_SHARES[quarter - 1]
        report = Report()
        report.cells["1301"] = single(specs["1301"], plan)
        report.cells["1302"] = single(specs["1302"], Decimal(str(round(float(plan) * rng.uniform(low, high), 1))))
        reports.append(report)
    return reports
