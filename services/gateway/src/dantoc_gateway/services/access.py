"""Access checks: every unit asked for must exist on its period's map and be one the caller may see."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from dantoc_contracts.catalog_view import CatalogView
from dantoc_contracts.codes import NATIONAL_UNIT_CODE
from dantoc_contracts.periods import Period
from dantoc_gateway.domain.access import Caller, may_see
from dantoc_gateway.domain.problems import Problems


def check_units(
    caller: Caller, catalog: CatalogView, field: str, units: Iterable[str], periods: list[Period], problems: Problems
) -> None:
    """Unknown units on every requested map → 400 (in `problems`); any unit outside scope → 403 raised here."""
    denied = Problems()
    for unit in units:
        valid = [p for p in periods if catalog.known_unit(unit, p.end)]
        if not valid:
            shown = ", ".join(str(p) for p in periods)
            problems.add("unknown_unit", field, unit, when=f" trong kỳ {shown}", when_en=f" in period(s) {shown}")
        elif not all(may_see(caller, unit, p.end, catalog) for p in valid):
            deny(caller, denied, field, unit)
    problems.raise_if_any()
    denied.raise_outside_scope()


def deny(caller: Caller, denied: Problems, field: str, unit: str) -> None:
    """An `outside_scope` problem, worded for the caller's kind of access."""
    if caller.units is not None:
        denied.add("outside_scope", field, unit, template="outside_agency_units", agency=caller.agency)
    else:
        denied.add("outside_scope", field, unit, scope=caller.scope)


def visible_codes(caller: Caller, catalog: CatalogView) -> set[str] | None:
    """Every unit code the caller may see on some map (None = everything), for SQL pre-filters."""
    if caller.sees_everything:
        return None
    if caller.units is not None:
        return set(caller.units)
    days: set[date] = {date(1900, 1, 1)}
    for unit in catalog.units():
        if unit.valid_from is not None:
            days.add(unit.valid_from)
        if unit.valid_to is not None:
            days.add(unit.valid_to)
    codes = {caller.scope, *caller.reach.codes()}
    for day in days:
        if caller.scope == NATIONAL_UNIT_CODE or catalog.known_unit(caller.scope, day):
            codes.update(u.code for u in catalog.descendants(caller.scope, day))
    return codes
