"""Unit rows of both maps from the db rows, plus the key -> code indexes the converter JSON needs (pure).

Rows are mappings of the ``admin_units_legacy`` / ``admin_units`` columns listed in ``build_admin_units.py``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .model import DataError, Units, add_unit
from .names import check_code, split_name

Row = Mapping[str, Any]  # one db row, column name -> value (text or NULL)


@dataclass
class LegacyKeys:
    """The 63-province map's slugs, as the converter JSON spells its old units."""

    communes: dict[str, str] = field(default_factory=dict)  # "prov_dist_ward" -> commune code
    commune_less_districts: dict[str, str] = field(default_factory=dict)  # "prov_dist_" -> district code
    provinces: dict[str, str] = field(default_factory=dict)  # provinceKey -> province code


@dataclass
class CurrentKeys:
    """The 34-province map's slugs, as the converter JSON spells its new units."""

    communes: dict[tuple[str, str], str] = field(default_factory=dict)  # (provinceKey, wardKey) -> commune code
    provinces: dict[str, str] = field(default_factory=dict)  # provinceKey -> province code


def add_province(units: Units, map_: str, r: Row, keys: dict[str, str], warnings: list[str]) -> str:
    pcode = check_code(r["provinceCode"], "province", map_)
    name, type_ = split_name(r["province"], None, f"{map_} province {pcode}", warnings)
    add_unit(units, map_, "province", pcode, name, type_, "")
    if keys.setdefault(r["provinceKey"], pcode) != pcode:
        raise DataError(f"{map_} province key {r['provinceKey']} has two codes")
    return pcode


def add_commune(units: Units, map_: str, r: Row, parent: str, warnings: list[str]) -> str:
    wcode = check_code(r["wardCode"], "commune", map_)
    name, type_ = split_name(r["ward"], r["wardType"], f"{map_} commune {wcode}", warnings)
    if (map_, "commune", wcode) in units:
        raise DataError(f"{map_} commune code {wcode} occurs twice")
    add_unit(units, map_, "commune", wcode, name, type_, parent)
    return wcode


def add_legacy(rows: Iterable[Row], units: Units, warnings: list[str]) -> LegacyKeys:
    """Provinces, districts and communes of the legacy map (one row per commune, or per commune-less district)."""
    keys = LegacyKeys()
    for r in rows:
        pcode = add_province(units, "legacy", r, keys.provinces, warnings)
        dcode = check_code(r["districtCode"], "district", "legacy")
        name, type_ = split_name(r["district"], r["districtType"], f"legacy district {dcode}", warnings)
        add_unit(units, "legacy", "district", dcode, name, type_, pcode)
        if r["ward"] is None and r["wardCode"] is None:
            keys.commune_less_districts[f"{r['provinceKey']}_{r['districtKey']}_"] = dcode
            continue
        wcode = add_commune(units, "legacy", r, dcode, warnings)
        key = f"{r['provinceKey']}_{r['districtKey']}_{r['wardKey']}"
        if key in keys.communes:
            raise DataError(f"legacy key {key} is not unique")
        keys.communes[key] = wcode
    return keys


def add_current(rows: Iterable[Row], units: Units, warnings: list[str]) -> CurrentKeys:
    """Provinces and communes of the current map (no district level; one row per commune)."""
    keys = CurrentKeys()
    for r in rows:
        pcode = add_province(units, "current", r, keys.provinces, warnings)
        wcode = add_commune(units, "current", r, pcode, warnings)
        ckey = (r["provinceKey"], r["wardKey"])
        if ckey in keys.communes:
            raise DataError(f"current key {ckey} is not unique")
        keys.communes[ckey] = wcode
    return keys
