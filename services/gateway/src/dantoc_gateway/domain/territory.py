"""What a scope reaches on the other side of a map change, from the catalog's conversion records.

A unit code names a unit on one map only, so a scope read literally loses its history at a map change (1 July
2025: 63 provinces became 34, districts went, communes merged or split). The conversion records
(`UnitConversionPublished`: legacy commune → current communes, wholly or partly) connect the two maps:

- a scope that names a unit of the map in force after the change (a current province P, or one of its communes)
  also reaches, for the days before it, every legacy commune that went wholly or partly into its subtree, every
  legacy unit whose own conversion record puts it wholly inside (the province conversions: a legacy province merged
  into P), and the legacy districts and provinces above those communes whose every commune went wholly inside
  (a legacy unit part of which went elsewhere holds figures of other territory, so it is not shown);
- a scope that names a unit of the old map only (a legacy province L) also reaches, from the day of the change,
  the current communes any of its legacy communes went into, but not the current province above them, whose
  figures hold other territory too.

Pure: the catalog view in, plain code sets out, so it is computed once per scope and catalog version.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from dantoc_contracts.catalog import UnitConversionPublished
from dantoc_contracts.catalog_view import CatalogView
from dantoc_contracts.codes import NATIONAL_UNIT_CODE, UnitLevel, unit_level_of


@dataclass(frozen=True)
class Window:
    """Across the map change of `effective`: codes reached before that day, and from that day on."""

    effective: date
    before: frozenset[str]
    after: frozenset[str]


@dataclass(frozen=True)
class Reach:
    """Everything a scope reaches across map changes, besides its literal subtree."""

    windows: tuple[Window, ...] = ()

    def reaches(self, code: str, on: date) -> bool:
        return any(code in (w.before if on < w.effective else w.after) for w in self.windows)

    def codes(self) -> set[str]:
        return {code for w in self.windows for code in (*w.before, *w.after)}


NO_REACH = Reach()


def reach_of(scope: str, catalog: CatalogView) -> Reach:
    """The scope's reach across every map change the catalog's conversion records describe."""
    if scope == NATIONAL_UNIT_CODE:
        return NO_REACH  # the nation is the same on every map, and sees everything anyway
    by_day: dict[date, list[UnitConversionPublished]] = defaultdict(list)
    for conversion in catalog.conversions.values():
        by_day[conversion.effective].append(conversion)
    windows = []
    for effective, conversions in sorted(by_day.items()):
        legacy_day = effective - timedelta(days=1)
        before: set[str] = set()
        after: set[str] = set()
        if catalog.known_unit(scope, effective):
            before = absorbed(_subtree(catalog, scope, effective), conversions, catalog, legacy_day)
        elif catalog.known_unit(scope, legacy_day):
            after = went_into(_subtree(catalog, scope, legacy_day), conversions)
        if before or after:
            windows.append(Window(effective, frozenset(before), frozenset(after)))
    return Reach(tuple(windows))


def _subtree(catalog: CatalogView, scope: str, on: date) -> set[str]:
    return {scope, *(unit.code for unit in catalog.descendants(scope, on))}


def absorbed(
    inside: set[str], conversions: Iterable[UnitConversionPublished], catalog: CatalogView, legacy_day: date
) -> set[str]:
    """Legacy units that went into `inside`: communes wholly or partly, larger units only wholly (never `VN`)."""
    conversions = list(conversions)
    found = {c.old_code for c in conversions if any(t.new_code in inside for t in c.targets)}
    whole = {c.old_code for c in conversions if c.targets and all(t.new_code in inside for t in c.targets)}
    above = {a for code in found for a in catalog.ancestors(code, legacy_day)} - found - {NATIONAL_UNIT_CODE}
    found.update(a for a in above if _wholly_within(a, whole, catalog, legacy_day))
    found.discard(NATIONAL_UNIT_CODE)
    return found


def _wholly_within(code: str, whole: set[str], catalog: CatalogView, legacy_day: date) -> bool:
    communes = catalog.descendants(code, legacy_day, UnitLevel.COMMUNE)
    return bool(communes) and all(unit.code in whole for unit in communes)


def went_into(inside: set[str], conversions: Iterable[UnitConversionPublished]) -> set[str]:
    """Current communes that any legacy commune of `inside` went into, wholly or partly (not merged provinces)."""
    return {
        target.new_code
        for c in conversions
        if c.old_code in inside and unit_level_of(c.old_code) is UnitLevel.COMMUNE
        for target in c.targets
    }
