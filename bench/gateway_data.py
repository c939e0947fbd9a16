"""A realistic national year of aggregates for the starter catalogue, as the aggregate service would publish them.

2024 on the legacy map (63 provinces, 696 districts, 10,035 communes): every indicator reported yearly gets a
total for every unit from its lowest level up to the nation, with completeness (about 5% of reporting units
silent, 3% declaring no data); ethnic breakdowns (the minority groups living in each commune) at every level;
sex breakdowns from district level up; rates as numerator/denominator after aggregation. 2020-2023 add the
province and national figures (totals and ethnic breakdowns) that five-year series read.
"""

from __future__ import annotations

import json
import random
import uuid
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from dantoc_contracts.catalog import Aggregation, IndicatorVersion
from dantoc_contracts.catalog_view import CatalogView
from dantoc_contracts.codes import UnitLevel

YEAR, HISTORY = 2024, (2020, 2021, 2022, 2023)
ON = date(YEAR, 12, 31)
T = "_T"
ADDITIVE = {Aggregation.SUM, Aggregation.LAST}
BIG_GROUPS = {"02": 9, "03": 9, "05": 7, "06": 7, "07": 5, "08": 6, "09": 4, "10": 2, "12": 2, "13": 1.5}
COUNTS = {"villages": (1, 12), "schools": (1, 6), "works": (0, 8), "cases": (0, 15), "couples": (0, 15)}
RANGES = {"km": (1, 35), "thousand VND": (1200, 4500), "million VND": (20, 800), "years": (62, 74), "times": (1.5, 3)}
Cell = tuple[str, str]  # (ethnic code or _T, sex or _T)


@dataclass
class Place:
    people: float  # minority population
    groups: list[tuple[str, float]]  # minority groups present, with their shares


class YearGenerator:
    """Figures of every unit for the year, then the messages carrying them."""

    def __init__(self, view: CatalogView, *, seed: int = 2024) -> None:
        self.view, self.rng = view, random.Random(seed)
        self.computed_at = datetime.now(UTC).isoformat()
        self.versions = {
            c: v
            for c in sorted(view.indicators)
            if (v := view.indicator_version(c, ON)) and v.period_type.value == "year"
        }
        self.parent = {u.code: u.parent_code or "VN" for u in view.descendants("VN", ON)}
        self.level = {u.code: u.level for u in view.descendants("VN", ON)} | {"VN": UnitLevel.NATIONAL}
        self.places = self._places()
        self.share_of = {v.formula.numerator: v.formula.denominator for v in self.versions.values() if v.formula}
        self.values: dict[str, dict[str, dict[Cell, float]]] = {}  # indicator → unit → cell → value
        self.done: dict[str, dict[str, list[int]]] = {}  # indicator → unit → [expected, reported, no_data, silent]
        self.rates: dict[str, dict[str, dict[Cell, tuple[float, float, float]]]] = {}
        self.trend = 0.04  # earlier years had 4% more per year back

    def _places(self) -> dict[str, Place]:
        minorities = (
            [g.code_gso_1979 for g in self.view.ethnic.groups if g.code_gso_1979 != "01"] if self.view.ethnic else []
        )
        places = {}
        for province in self.view.children("VN", ON):
            share = self.rng.choice(
                [self.rng.uniform(0.5, 0.95), self.rng.uniform(0.1, 0.5), self.rng.uniform(0.005, 0.1)]
            )
            pool = self.rng.choices(
                minorities, weights=[BIG_GROUPS.get(m, 0.3) for m in minorities], k=self.rng.randint(3, 12)
            )
            for commune in self.view.descendants(province.code, ON, UnitLevel.COMMUNE):
                people = self.rng.lognormvariate(8.7, 0.45) * min(1.0, share * self.rng.lognormvariate(0, 0.5))
                present = sorted(set(self.rng.sample(pool, k=min(len(pool), self.rng.randint(1, 3)))))
                weights = [self.rng.random() + 0.2 for _ in present]
                places[commune.code] = Place(
                    people, [(g, w / sum(weights)) for g, w in zip(present, weights, strict=True)]
                )
        return places

    def _lowest(self, version: IndicatorVersion) -> list[str]:
        return [u.code for u in self.view.descendants("VN", ON, version.lowest_level)]

    def _people(self, unit: str) -> Place:
        if unit in self.places:
            return self.places[unit]
        below = [self.places[c.code] for c in self.view.descendants(unit, ON, UnitLevel.COMMUNE)]
        groups: dict[str, float] = defaultdict(float)
        total = sum(p.people for p in below) or 1.0
        for place in below:
            for group, share in place.groups:
                groups[group] += share * place.people / total
        return Place(total, sorted(groups.items()))

    def _total(self, code: str, version: IndicatorVersion, unit: str, place: Place, factor: float) -> float:
        den = self.share_of.get(code)
        if den in self.values and unit in self.values[den]:
            return self.values[den][unit].get((T, T), 0.0) * factor
        kind = version.unit_en
        if kind in ("households",):
            return place.people / 4.3 * factor
        if kind == "communes":
            return float(self.rng.random() < 0.5)
        if kind in COUNTS:
            return float(self.rng.randint(*COUNTS[kind]))
        if kind in RANGES:
            return self.rng.uniform(*RANGES[kind])
        if version.max_value is not None:
            return self.rng.uniform(float(version.min_value or 0), float(version.max_value))
        return place.people * factor

    def generate(self) -> None:
        """Figures at each indicator's lowest level, then rolled up; rates last, from their rolled-up parts."""
        order = sorted(self.versions, key=lambda c: (c in self.share_of, self.versions[c].formula is not None, c))
        for code in order:
            version = self.versions[code]
            if version.formula is None:
                self._report(code, version)
                self._roll_up(code, version)
        for code in order:
            if self.versions[code].formula is not None:
                self._rate(code, self.versions[code])

    def _report(self, code: str, version: IndicatorVersion) -> None:
        factor = self.rng.uniform(0.05, 0.7) if code in self.share_of else self.rng.uniform(0.2, 1.0)
        values: dict[str, dict[Cell, float]] = {}
        done: dict[str, list[int]] = {}
        integer = version.value_type.value == "integer"
        for unit in self._lowest(version):
            draw = self.rng.random()
            if draw < 0.05:
                done[unit] = [1, 0, 0, 1]
                continue
            done[unit] = [1, 0, 1, 0] if draw < 0.08 else [1, 1, 0, 0]
            if draw < 0.08:
                values[unit] = {}
                continue
            place = self._people(unit)
            total = self._total(code, version, unit, place, factor * self.rng.uniform(0.85, 1.15))
            cells: dict[Cell, float] = {}
            if "ethnic_group" in version.disaggregations and version.aggregation in ADDITIVE:
                for group, share in place.groups:
                    cells[(group, T)] = round(total * share) if integer else round(total * share, 2)
                total = sum(cells.values())
            cells[(T, T)] = round(total) if integer else round(total, 2)
            values[unit] = cells
        self.values[code], self.done[code] = values, done

    def _roll_up(self, code: str, version: IndicatorVersion) -> None:
        if version.aggregation is Aggregation.NONE:
            return
        values, done = self.values[code], self.done[code]
        sums: dict[str, dict[Cell, list[float]]] = defaultdict(lambda: defaultdict(list))
        for unit in list(done):  # the reporting units, silent ones included
            chain, parent = [], self.parent.get(unit)
            while parent is not None:
                chain.append(parent)
                parent = self.parent.get(parent) if parent != "VN" else None
            for above in chain:
                counts = done.setdefault(above, [0, 0, 0, 0])
                for i, n in enumerate(done[unit]):
                    counts[i] += n
                for cell, value in values.get(unit, {}).items():
                    sums[above][cell].append(value)
        for unit, cells in sums.items():
            values[unit] = {cell: _combine(version.aggregation, found) for cell, found in cells.items()}
        if "sex" in version.disaggregations and version.aggregation in ADDITIVE:
            self._split_by_sex(values, version)

    def _split_by_sex(self, values: dict[str, dict[Cell, float]], version: IndicatorVersion) -> None:
        first = UnitLevel.DISTRICT if version.lowest_level is UnitLevel.COMMUNE else version.lowest_level
        for unit, cells in values.items():
            if self.level[unit] is first and (T, T) in cells:
                male = round(cells[(T, T)] * self.rng.uniform(0.47, 0.53))
                cells[(T, "1")], cells[(T, "2")] = male, cells[(T, T)] - male
        for unit in sorted(values, key=lambda u: -self.level[u].depth):
            if self.level[unit].depth < first.depth:
                below = [values[c.code] for c in self.view.children(unit, ON) if c.code in values]
                for sex in ("1", "2"):
                    values[unit][(T, sex)] = sum(v.get((T, sex), 0) for v in below)

    def _rate(self, code: str, version: IndicatorVersion) -> None:
        assert version.formula is not None
        num, den, factor = version.formula.numerator, version.formula.denominator, float(version.formula.factor)
        dims = version.disaggregations
        rates: dict[str, dict[Cell, tuple[float, float, float]]] = {}
        for unit, cells in self.values.get(num, {}).items():
            below = self.values.get(den, {}).get(unit, {})
            rates[unit] = {
                c: (round(v / below[c] * factor, 4), v, below[c])
                for c, v in cells.items()
                if below.get(c) and (c[0] == T or "ethnic_group" in dims) and (c[1] == T or "sex" in dims)
            }
        self.rates[code] = rates
        self.done[code] = self.done.get(num, {})

    def messages(
        self, year: int = YEAR, scale: float = 1.0, units: set[str] | None = None
    ) -> Iterator[tuple[str, bytes]]:
        """(key, envelope bytes) of every figure; `scale` and `units` derive an earlier year's province figures."""
        for code, version in self.versions.items():
            done = self.done.get(code, {})
            found = self.rates.get(code) if version.formula else self.values.get(code)
            for unit, cells in (found or {}).items():
                if units is not None and unit not in units:
                    continue
                counts = done.get(unit) if units is None else [done.get(unit, [1])[0]] * 2 + [0, 0]
                for (ethnic, sex), figure in cells.items():
                    if units is not None and sex != T:
                        continue
                    yield self._message(code, version, unit, str(year), ethnic, sex, figure, counts, scale)
                if not cells and counts:  # declared no data
                    yield self._message(code, version, unit, str(year), T, T, None, counts, scale)

    def _message(
        self,
        code: str,
        version: IndicatorVersion,
        unit: str,
        period: str,
        ethnic: str,
        sex: str,
        figure: Any,
        counts: list[int] | None,
        scale: float,
    ) -> tuple[str, bytes]:
        value = numerator = denominator = None
        if isinstance(figure, tuple):
            value, numerator, denominator = figure[0], _text(figure[1] * scale), _text(figure[2] * scale)
            value = _text(figure[0])
        elif figure is not None:
            value = _text(figure * scale, integer=version.value_type.value == "integer")
        totals = ethnic == T and sex == T
        ethnic_key = T if ethnic == T else f"GSO1979:{ethnic}"
        payload = {
            "kind": "AggregateChanged",
            "indicator": code,
            "unit_code": unit,
            "unit_level": self.level[unit].value,
            "period": period,
            "disaggregation": {
                "ethnic_group": None if ethnic == T else {"code_list": "GSO1979", "code": ethnic},
                "sex": None if sex == T else sex,
                "age_group": None,
                "residence": None,
            },
            "aggregation": version.aggregation.value,
            "value": value,
            "numerator": numerator,
            "denominator": denominator,
            "count": counts[1] if counts else 0,
            "completeness": dict(zip(("expected", "reported", "no_data", "silent"), counts, strict=True))
            if totals and counts
            else None,
            "newest_accepted_at": self.computed_at if value is not None else None,
            "computed_at": self.computed_at,
        }
        envelope = {
            "message_id": str(uuid.uuid4()),
            "type": "AggregateChanged",
            "schema_version": 1,
            "occurred_at": self.computed_at,
            "producer": "bench",
            "correlation_id": None,
            "payload": payload,
        }
        return f"{code}|{unit}|{period}|{ethnic_key}|{sex}|_T|_T", json.dumps(envelope, ensure_ascii=False).encode()

    def history(self) -> Iterator[tuple[str, bytes]]:
        """Province and national figures of the four earlier years (a steady trend), for five-year series."""
        provinces = {u.code for u in self.view.children("VN", ON)} | {"VN"}
        for back, year in enumerate(reversed(HISTORY), start=1):
            yield from self.messages(year, scale=(1 + self.trend) ** back, units=provinces)


def _text(number: float, integer: bool = False) -> str:
    return str(round(number)) if integer else f"{number:.4f}".rstrip("0").rstrip(".")


def _combine(aggregation: Aggregation, found: list[float]) -> float:
    if aggregation is Aggregation.AVERAGE:
        return round(sum(found) / len(found), 2)
    if aggregation is Aggregation.MAX:
        return max(found)
    return round(sum(found), 2)
