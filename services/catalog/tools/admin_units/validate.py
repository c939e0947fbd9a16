"""Cross-checks of the collected rows and the summary report the tool prints (pure)."""

from __future__ import annotations

import collections
from collections import defaultdict

from .model import LEVEL_RANK, Built, DataError, Pairs, Units

ByMap = defaultdict[str, defaultdict[str, set[str]]]  # map -> level -> codes


def index_codes(units: Units) -> ByMap:
    by_map: ByMap = defaultdict(lambda: defaultdict(set))
    for map_, level, code in units:
        by_map[map_][level].add(code)
    return by_map


def check_parents(units: Units, by_map: ByMap) -> None:
    """Provinces have no parent; other units' parents exist in the same map; the current map has no districts."""
    for (map_, level, code), row in units.items():
        parent = row["parent_code"]
        if level == "province":
            if parent:
                raise DataError(f"{map_} province {code} has a parent")
            continue
        parent_level = "province" if (level == "district" or map_ == "current") else "district"
        if parent not in by_map[map_][parent_level]:
            raise DataError(f"{map_} {level} {code}: parent {parent_level} {parent!r} missing")
    if by_map["current"].get("district"):
        raise DataError("current map has districts")


def check_conversion_codes(built: Built, by_map: ByMap) -> None:
    """Every conversion code is a unit of the right map and level."""
    for old_code, new_code in built.pairs:
        if old_code not in by_map["legacy"]["commune"]:
            raise DataError(f"conversion old_code {old_code} is not a legacy commune")
        if new_code not in by_map["current"]["commune"]:
            raise DataError(f"conversion new_code {new_code} is not a current commune")
    for old_code, new_code in built.prov_pairs.items():
        if old_code not in by_map["legacy"]["province"] or new_code not in by_map["current"]["province"]:
            raise DataError(f"province conversion {old_code}->{new_code} has an unknown code")


def unit_report(units: Units, by_map: ByMap) -> list[str]:
    report: list[str] = []
    for map_ in ("legacy", "current"):
        counts = {lvl: len(by_map[map_].get(lvl, ())) for lvl in LEVEL_RANK if by_map[map_].get(lvl)}
        report.append(f"{map_}: " + ", ".join(f"{lvl}={n}" for lvl, n in counts.items()))
        types = collections.Counter((row["level"], row["type"]) for (m, _, _), row in units.items() if m == map_)
        report.append("  types: " + ", ".join(f"{lv}/{t}={n}" for (lv, t), n in sorted(types.items())))
    return report


def partial_lines(per_old: dict[str, list[tuple[str, str, str]]]) -> list[str]:
    """Whole vs partial counts, and whether the area shares of each split commune sum to 1."""
    partial_groups = {o: v for o, v in per_old.items() if v[0][1] == "partial"}
    with_area = {o: v for o, v in partial_groups.items() if all(s for _, _, s in v)}
    bad_sums = [o for o, v in with_area.items() if abs(sum(float(s) for _, _, s in v) - 1) > 1e-3]
    return [
        f"  whole: {len(per_old) - len(partial_groups)} communes; partial: {len(partial_groups)} communes "
        f"-> {sum(len(v) for v in partial_groups.values())} rows "
        f"(split into n parts: {dict(sorted(collections.Counter(len(v) for v in partial_groups.values()).items()))})",
        f"  partial groups with areas: {len(with_area)}; of those with shares not summing to 1: {len(bad_sums)}",
    ]


def conversion_report(built: Built, by_map: ByMap) -> list[str]:
    legacy_communes = by_map["legacy"]["commune"]
    per_old: dict[str, list[tuple[str, str, str]]] = collections.defaultdict(list)
    for (old_code, new_code), (kind, share) in built.pairs.items():
        per_old[old_code].append((new_code, kind, share))
    unmapped = sorted(legacy_communes - set(per_old))
    sources = {n for _, n in built.pairs} | {n for _, n in built.island_districts}
    new_without_source = sorted(by_map["current"]["commune"] - sources)
    return [
        f"commune conversion: {len(built.pairs)} rows; {len(per_old)} of {len(legacy_communes)} legacy communes "
        f"mapped; {len(unmapped)} without a row{(' ' + ','.join(unmapped[:20])) if unmapped else ''}",
        *partial_lines(per_old),
        f"  current communes with no legacy source commune: {len(new_without_source)} {new_without_source}",
        "  commune-less legacy districts mapped to a current commune (no row, not a commune): "
        + ", ".join(f"{d}->{n}" for d, n in sorted(built.island_districts)),
        f"province conversion: {len(built.prov_pairs)} old provinces -> {len(set(built.prov_pairs.values()))} new",
    ]


def code_reuse_line(pairs: Pairs, by_map: ByMap) -> str:
    """Codes are reused between the maps, so a code alone does not identify a unit."""
    current_communes = by_map["current"]["commune"]
    reused = by_map["legacy"]["commune"] & current_communes
    own_source = sum(1 for c in current_communes if (c, c) in pairs)
    return (
        f"code reuse: {len(reused)} of {len(current_communes)} current commune codes are also legacy commune codes "
        f"({own_source} of them map from the legacy commune with the same code); "
        f"current province codes reused from legacy: "
        f"{len(by_map['current']['province'] & by_map['legacy']['province'])}/{len(by_map['current']['province'])}"
    )


def validate(built: Built) -> list[str]:
    """Raise ``DataError`` on an inconsistency; otherwise return the report lines."""
    by_map = index_codes(built.units)
    check_parents(built.units, by_map)
    check_conversion_codes(built, by_map)
    return [*unit_report(built.units, by_map), *conversion_report(built, by_map), code_reuse_line(built.pairs, by_map)]
