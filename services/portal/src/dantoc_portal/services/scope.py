"""May the signed-in person open this unit for this period? The portal asks the catalog before any page (and the
services behind it decide again with the token): a unit outside the person's scope is a 403 page."""

from __future__ import annotations

from typing import Any

from dantoc_contracts.periods import Period
from dantoc_portal.clients.catalog import CatalogClient, map_day
from dantoc_portal.domain.roles import Person


class OutOfScope(Exception):
    """The unit lies outside the person's scope (a 403 page)."""


class UnknownPlace(Exception):
    """No such unit on that period's map, or a malformed period (a 404 page naming which)."""

    def __init__(self, what: str) -> None:
        self.what = what
        super().__init__(what)


def checked_period(period: str) -> str:
    try:
        return str(Period.parse(period))
    except ValueError:
        raise UnknownPlace(period) from None


async def require_unit(catalog: CatalogClient, person: Person, unit_code: str, period: str) -> dict[str, Any]:
    """The unit (as the catalog lists it) on the period's map, when it is the person's scope or below it."""
    on = map_day(checked_period(period))
    unit = await catalog.unit(unit_code, on) if unit_code == "VN" or unit_code.isdigit() else None
    if unit_code == "VN":
        unit = {"code": "VN", "name": "Việt Nam", "level": "national", "type": "", "parent_code": None}
    if unit is None:
        raise UnknownPlace(unit_code)
    if not await catalog.is_within(unit_code, person.unit_code, on):
        raise OutOfScope(unit_code)
    return unit
