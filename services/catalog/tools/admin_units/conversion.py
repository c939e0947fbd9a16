"""Old -> new pairs from ``converter_2025.json`` (pure).

``DICT_PROVINCE`` gives the province pairs, ``DICT_PROVINCE_WARD_NO_DIVIDED`` the old communes that went whole
into one new commune (and the commune-less island districts), ``DICT_PROVINCE_WARD_DIVIDED`` the old communes
split between several new ones. See ``build_admin_units.py`` for why ``area_share`` stays empty.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .model import DataError, Pairs
from .units import CurrentKeys, LegacyKeys

CONVERTER_KEYS = {"DICT_PROVINCE", "DICT_PROVINCE_WARD_NO_DIVIDED", "DICT_PROVINCE_WARD_DIVIDED"}


def check_converter_keys(conv: Mapping[str, Any]) -> None:
    if set(conv) != CONVERTER_KEYS:
        raise DataError(f"converter_2025.json keys {sorted(conv)} != {sorted(CONVERTER_KEYS)}")


def province_pairs(dict_province: Mapping[str, list[str]], legacy: LegacyKeys, current: CurrentKeys) -> dict[str, str]:
    """Old province code -> new province code; each old province must go to exactly one new one."""
    prov_pairs: dict[str, str] = {}
    for new_pkey, old_pkeys in dict_province.items():
        new_code = current.provinces[new_pkey]
        for old_pkey in old_pkeys:
            old_code = legacy.provinces[old_pkey]
            if prov_pairs.setdefault(old_code, new_code) != new_code:
                raise DataError(f"old province {old_code} maps to two new provinces")
    return prov_pairs


@dataclass
class CommuneConversion:
    """Collects commune pairs, checking that every old key is listed once across the two dicts."""

    legacy: LegacyKeys
    current: CurrentKeys
    pairs: Pairs = field(default_factory=dict)
    island_districts: list[tuple[str, str]] = field(default_factory=list)
    seen_old: dict[str, str] = field(default_factory=dict)

    def old_code_of(self, old_key: str) -> str | None:
        """The legacy commune code of an old key; None for a commune-less district."""
        if old_key in self.legacy.communes:
            return self.legacy.communes[old_key]
        if old_key in self.legacy.commune_less_districts:
            return None
        raise DataError(f"unknown old key {old_key}")

    def new_code_of(self, pkey: str, wkey: str) -> str:
        try:
            return self.current.communes[(pkey, wkey)]
        except KeyError:
            raise DataError(f"unknown new commune {pkey}/{wkey}") from None

    def mark_seen(self, old_key: str, kind: str) -> None:
        if old_key in self.seen_old:
            raise DataError(f"old key {old_key} listed twice")
        self.seen_old[old_key] = kind

    def add_whole(self, new_pkey: str, new_wkey: str, old_keys: list[str]) -> None:
        new_code = self.new_code_of(new_pkey, new_wkey)
        for old_key in old_keys:
            self.mark_seen(old_key, "whole")
            whole_old = self.old_code_of(old_key)
            if whole_old is None:
                self.island_districts.append((self.legacy.commune_less_districts[old_key], new_code))
                continue
            self.pairs[(whole_old, new_code)] = ("whole", "1")

    def add_partial(self, new_pkey: str, old_key: str, parts: list[dict[str, Any]]) -> None:
        self.mark_seen(old_key, "partial")
        split_old = self.old_code_of(old_key)
        if split_old is None:
            raise DataError(f"commune-less district {old_key} is divided")
        new_codes = {self.new_code_of(new_pkey, p["newWardKey"]) for p in parts}
        if len(new_codes) != len(parts) or len(parts) < 2:
            raise DataError(f"{old_key}: odd division {parts}")
        # newWardAreaKm2 is the area of the whole new commune, not of the
        # part cut from the old commune -> no share can be computed.
        for new_code in new_codes:
            self.pairs[(split_old, new_code)] = ("partial", "")


def commune_pairs(conv: Mapping[str, Any], legacy: LegacyKeys, current: CurrentKeys) -> CommuneConversion:
    """Whole moves first, then divisions, in the JSON's order."""
    result = CommuneConversion(legacy, current)
    for new_pkey, wards in conv["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_wkey, old_keys in wards.items():
            result.add_whole(new_pkey, new_wkey, old_keys)
    for new_pkey, olds in conv["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old_key, parts in olds.items():
            result.add_partial(new_pkey, old_key, parts)
    return result
