"""Who sees what: the national role everything, a province its subtree, an agency its registered scope subtree."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from dantoc_contracts.catalog_view import CatalogView
from dantoc_contracts.codes import NATIONAL_UNIT_CODE

AGENCY_NOTE = (
    "Agency access is approximated as the subtree of the agency's registered scope unit (AgencyPublished on the "
    "catalog topic; the token's scope when the agency is not registered), not only the units it submitted for."
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
    """A verified caller with the unit whose subtree it may see."""

    subject: str
    role: Role
    scope: str
    note: str | None = None

    @property
    def sees_everything(self) -> bool:
        return self.scope == NATIONAL_UNIT_CODE


def caller_of(claims: Claims, catalog: CatalogView) -> Caller:
    """Resolve the scope a token grants (the agency's registered scope for the agency role)."""
    if claims.role is Role.NATIONAL:
        return Caller(claims.subject, claims.role, NATIONAL_UNIT_CODE)
    if claims.role is Role.AGENCY:
        registered = catalog.agencies.get(claims.agency)
        scope = registered.scope_unit_code if registered is not None else claims.scope
        return Caller(claims.subject, claims.role, scope, AGENCY_NOTE)
    return Caller(claims.subject, claims.role, claims.scope)


def may_see(caller: Caller, unit_code: str, on: date, catalog: CatalogView) -> bool:
    """True when the unit, read on the map valid on `on`, is the caller's scope or lies below it."""
    return caller.sees_everything or catalog.is_within(unit_code, caller.scope, on)
