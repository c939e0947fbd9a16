"""Shared vocabulary of the build: row keys, validity dates, the collected result and the data error."""

from __future__ import annotations

from dataclasses import dataclass

LEGACY_VALID_TO = "2025-06-30"
CURRENT_VALID_FROM = "2025-07-01"

LEVEL_RANK = {"province": 0, "district": 1, "commune": 2}

# (map, level, code) -> row; (old_code, new_code) -> (kind, area_share)
Units = dict[tuple[str, str, str], dict[str, str]]
Pairs = dict[tuple[str, str], tuple[str, str]]


class DataError(Exception):
    pass


@dataclass
class Built:
    """Everything the build collects: the rows of the three CSVs and the commune-less island districts."""

    units: Units
    pairs: Pairs
    prov_pairs: dict[str, str]
    island_districts: list[tuple[str, str]]  # (legacy district code, current commune code)


def add_unit(units: Units, map_: str, level: str, code: str, name: str, type_: str, parent: str) -> None:
    """Add a unit row; the same unit may be added again (it repeats on every commune row) but must not differ."""
    key = (map_, level, code)
    row = {
        "code": code,
        "level": level,
        "name": name,
        "type": type_,
        "parent_code": parent,
        "valid_from": "" if map_ == "legacy" else CURRENT_VALID_FROM,
        "valid_to": LEGACY_VALID_TO if map_ == "legacy" else "",
    }
    if key in units:
        if units[key] != row:
            raise DataError(f"conflicting rows for {key}: {units[key]} vs {row}")
        return
    units[key] = row
