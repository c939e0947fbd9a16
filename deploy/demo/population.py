"""The demo's communes and who lives there, drawn from the provincial profiles in `provinces.csv`.

Each commune has its own random stream, seeded by (seed, commune code): its figures do not depend on which other
provinces, or how many communes, are generated. Units come from the catalog's reference data (read as files; no
service code is imported).
"""

from __future__ import annotations

import csv
import math
import random
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CATALOG_DATA = REPO / "services/catalog/src/dantoc_catalog/data"
PROFILES = Path(__file__).with_name("provinces.csv")
KINH = "01"
LEGACY_LAST_DAY = "2025-06-30"
NEW_MAP_FIRST_DAY = "2025-07-01"
TOWN_TYPES = frozenset({"Phường", "Thị trấn"})


@dataclass(frozen=True)
class Profile:
    """A province: its ethnic composition (percent of the population, Kinh included) and poverty range."""

    code: str
    name: str
    groups: dict[str, float]
    poverty: tuple[float, float]
    median_population: int

    @property
    def minority_share(self) -> float:
        return 1 - self.groups.get(KINH, 0.0) / sum(self.groups.values())


@dataclass(frozen=True)
class Unit:
    code: str
    name: str
    type: str
    province: str  # the province code in the unit's own map


@dataclass
class Commune:
    """One commune in one year: total population, minority population by group and sex, poverty, villages."""

    unit: Unit
    population: int
    minority: dict[str, tuple[int, int]]  # GSO 1979 group code -> (male, female)
    poverty_rate: float  # share of minority households that are poor
    villages: int
    rng: random.Random

    @property
    def urban(self) -> bool:
        return self.unit.type in TOWN_TYPES

    @property
    def minority_total(self) -> int:
        return sum(m + f for m, f in self.minority.values())


def load_profiles(path: Path = PROFILES) -> dict[str, Profile]:
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return {
        row["code"]: Profile(
            row["code"],
            row["name"],
            {code: float(share) for code, share in (item.split(":") for item in row["groups"].split())},
            (float(row["poverty_low"]) / 100, float(row["poverty_high"]) / 100),
            int(row["median_population"]),
        )
        for row in rows
    }


def _read_units(data_dir: Path) -> list[dict[str, str]]:
    with (data_dir / "admin_units.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def province_names(data_dir: Path) -> tuple[dict[str, str], dict[str, str]]:
    """Province names by code: (legacy map, new map). A code names the same province in both when names agree."""
    rows = [row for row in _read_units(data_dir) if row["level"] == "province"]
    legacy = {row["code"]: row["name"] for row in rows if row["valid_to"] == LEGACY_LAST_DAY}
    new = {row["code"]: row["name"] for row in rows if row["valid_from"] == NEW_MAP_FIRST_DAY}
    return legacy, new


def legacy_communes(data_dir: Path, provinces: list[str]) -> list[Unit]:
    """Communes of the legacy map (valid until 2025-06-30) in the given provinces, by code."""
    rows = [row for row in _read_units(data_dir) if row["valid_to"] == LEGACY_LAST_DAY]
    district_province = {row["code"]: row["parent_code"] for row in rows if row["level"] == "district"}
    wanted = set(provinces)
    units = [
        Unit(row["code"], row["name"], row["type"], district_province[row["parent_code"]])
        for row in rows
        if row["level"] == "commune" and district_province.get(row["parent_code"]) in wanted
    ]
    return sorted(units, key=lambda unit: unit.code)


def new_map_communes(data_dir: Path, legacy: list[Unit]) -> dict[Unit, list[tuple[str, float]]]:
    """New-map communes formed (wholly or partly) from the given legacy communes, with (old code, share) parts.

    A split old commune is shared equally between its targets (the package gives no split weights)."""
    current = {row["code"]: row for row in _read_units(data_dir) if row["valid_from"] == NEW_MAP_FIRST_DAY}
    targets: dict[str, list[str]] = defaultdict(list)
    with (data_dir / "commune_conversion_2025.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            targets[row["old_code"]].append(row["new_code"])
    parts: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for unit in legacy:
        for new_code in targets.get(unit.code, []):
            parts[new_code].append((unit.code, 1 / len(targets[unit.code])))
    result: dict[Unit, list[tuple[str, float]]] = {}
    for code in sorted(parts):
        row = current[code]
        result[Unit(code, row["name"], row["type"], row["parent_code"])] = parts[code]
    return result


def split(total: int, weights: list[float]) -> list[int]:
    """Split an integer in proportion to weights (largest remainder): the parts always add up to the total."""
    raw = [total * w / sum(weights) for w in weights]
    parts = [math.floor(x) for x in raw]
    by_remainder = sorted(range(len(raw)), key=lambda i: raw[i] - parts[i], reverse=True)
    for i in by_remainder[: total - sum(parts)]:
        parts[i] += 1
    return parts


def _minority_groups(profile: Profile, rng: random.Random) -> list[str]:
    """One to three minority groups, drawn by weight; the first is the commune's largest."""
    pool = {code: share for code, share in profile.groups.items() if code != KINH}
    count = rng.choices((1, 2, 3), weights=(3, 5, 2))[0]
    chosen: list[str] = []
    while pool and len(chosen) < count:
        code = rng.choices(list(pool), weights=list(pool.values()))[0]
        chosen.append(code)
        del pool[code]
    return chosen


def draw_commune(unit: Unit, profile: Profile, seed: int) -> Commune:
    """A commune of 2,000-20,000 people; towns are larger, with fewer minority residents and less poverty."""
    rng = random.Random(f"{seed}:{unit.code}")
    town = unit.type in TOWN_TYPES
    median = profile.median_population * (1.6 if town else 1.0)
    population = int(min(20_000, max(2_000, rng.lognormvariate(math.log(median), 0.45))))
    mean = min(0.95, max(0.05, profile.minority_share * (0.45 if town else 1.08)))
    share = min(0.995, max(0.03, rng.betavariate(mean * 8, (1 - mean) * 8)))
    groups = _minority_groups(profile, rng)
    weights = [rng.uniform(0.55, 0.9)] + [rng.uniform(0.05, 0.3) for _ in groups[1:]]
    minority: dict[str, tuple[int, int]] = {}
    for code, people in zip(groups, split(round(population * share), weights), strict=True):
        male = round(people * rng.uniform(0.49, 0.515))
        minority[code] = (male, people - male)
    low, high = profile.poverty
    poverty = rng.uniform(low, (low + high) / 2) if town else rng.uniform(low, high)
    villages = rng.randint(4, 12) if town else rng.randint(6, 25)
    return Commune(unit, population, minority, poverty, villages, rng)


def merge_communes(unit: Unit, parts: list[tuple[Commune, float]], seed: int, growth: float = 1.012) -> Commune:
    """A new-map commune one year later: the sum of its legacy parts (shares of split communes), grown a little."""
    rng = random.Random(f"{seed}:new:{unit.code}")
    minority: dict[str, tuple[int, int]] = {}
    for commune, share in parts:
        for code, (male, female) in commune.minority.items():
            m, f = minority.get(code, (0, 0))
            minority[code] = (m + round(male * share * growth), f + round(female * share * growth))
    population = max(
        sum(round(c.population * share * growth) for c, share in parts), sum(m + f for m, f in minority.values())
    )
    weight = sum(c.population * share for c, share in parts) or 1
    poverty = sum(c.poverty_rate * c.population * share for c, share in parts) / weight * 0.93
    villages = sum(round(c.villages * share) for c, share in parts) or 1
    return Commune(unit, population, minority, poverty, villages, rng)
