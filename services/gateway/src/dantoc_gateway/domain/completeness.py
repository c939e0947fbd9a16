"""Completeness below a unit: which reporting units reported, declared no data, or are silent."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from dantoc_contracts.catalog import AdminUnitPublished
from dantoc_contracts.catalog_view import CatalogView
from dantoc_contracts.codes import NATIONAL_UNIT_CODE, UnitLevel

STATUSES = ("reported", "no_data", "silent")
STATUS_NAMES = {
    "reported": ("Đã báo cáo", "Reported"),
    "no_data": ("Báo không có số liệu", "Declared no data"),
    "silent": ("Chưa báo cáo", "Not reported"),
}


def status_of(value: str | None, count: int, reported: int | None, no_data: int | None) -> str:
    """A reporting unit's status from its own all-totals aggregate."""
    if reported is not None or no_data is not None:
        if reported:
            return "reported"
        return "no_data" if no_data else "silent"
    return "reported" if value is not None or count > 0 else "silent"


def counts(statuses: Iterable[str]) -> dict[str, int]:
    found = dict.fromkeys(STATUSES, 0)
    for status in statuses:
        found[status] += 1
    return {"expected": sum(found.values()), **found}


def expected_units(catalog: CatalogView, unit: str, level: UnitLevel, on: date) -> list[AdminUnitPublished]:
    """Units at `level` that must report below (or at) `unit` on the map valid on `on`."""
    if unit != NATIONAL_UNIT_CODE:
        own = catalog.unit(unit, on)
        if own is None or own.level.depth > level.depth:
            return []
        if own.level == level:
            return [own]
    return catalog.descendants(unit, on, level)
