"""Who sees what.

- national role: everything;
- provincial role: its scope unit's subtree on each period's map, plus what the scope reaches across a map change
  through the catalog's conversion records (`territory.Reach`);
- agency role: exactly the units the agency has submitted values for (every period and indicator at those units),
  nothing above or beside them; nothing at all before its first accepted submission.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from dantoc_contracts.catalog_view import CatalogView
from dantoc_contracts.codes import NATIONAL_UNIT_CODE
from dantoc_gateway.domain.territory import NO_REACH, Reach

AGENCY_NOTE = (
    "An agency sees exactly the units it has submitted values for (listed in `units`, from the accepted-values "
    "topic), at every period and indicator; not the units above or beside them."
)


class Role(StrEnum):
    NATIONAL = "national"
    PROVINCIAL = "provincial"
    AGENCY = "agency"


@dataclass(frozen=True)
class Claims:
    """The verified claims of a bearer token."""

    subject: str
    agency: str
    role: Role
    scope: str
    expires: float


@dataclass(frozen=True)
class Caller:
    """A verified caller with what it may see: a scope subtree (and its reach), or an agency's units."""

    subject: str
    role: Role
    scope: str
    note: str | None = None
    agency: str | None = None
    units: frozenset[str] | None = None  # the agency role: exactly these units
    reach: Reach = NO_REACH

    @property
    def sees_everything(self) -> bool:
        return self.units is None and self.scope == NATIONAL_UNIT_CODE

    @property
    def cache_key(self) -> tuple[object, ...]:
        """What answers depend on besides the request (the reach follows the catalog's version, keyed apart)."""
        return (self.role, self.scope, self.units)


def caller_of(claims: Claims, *, reach: Reach = NO_REACH, submitted: Iterable[str] = ()) -> Caller:
    """The caller a token makes: `reach` of its scope (provincial), `submitted` units of its agency (agency)."""
    if claims.role is Role.NATIONAL:
        return Caller(claims.subject, claims.role, NATIONAL_UNIT_CODE)
    if claims.role is Role.AGENCY:
        units = frozenset(submitted)
        return Caller(claims.subject, claims.role, claims.scope, AGENCY_NOTE, claims.agency, units)
    return Caller(claims.subject, claims.role, claims.scope, reach=reach)


def may_see(caller: Caller, unit_code: str, on: date, catalog: CatalogView) -> bool:
    """True when the caller may see the unit, read on the map valid on `on`."""
    if caller.sees_everything:
        return True
    if caller.units is not None:
        return unit_code in caller.units
    return catalog.is_within(unit_code, caller.scope, on) or caller.reach.reaches(unit_code, on)
