"""Who sees what, by the one authorization policy (`dantoc_contracts.access`).

A token needs the read right. Its scope is the token's scope intersected with its agency's registered scope
(`effective_scopes`; a national operator's token naming no agency keeps its own); then, within that scope:
- national role: everything (its scope `VN`);
- provincial role: its scope unit's subtree on each period's map, plus what the scope reaches across a map change
  through the catalog's conversion records (`territory.Reach`);
- agency role: exactly the units the agency has submitted values for (every period and indicator at those units)
  that lie within that scope, nothing above or beside them; nothing at all before its first accepted submission.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from dantoc_contracts.access import Principal, Right, Role, effective_scopes, registered_agency, within_scope
from dantoc_contracts.catalog_view import CatalogView
from dantoc_contracts.codes import NATIONAL_UNIT_CODE
from dantoc_gateway.domain.problems import outside_scope, single
from dantoc_gateway.domain.territory import NO_REACH, Reach

AGENCY_NOTE = (
    "An agency sees exactly the units it has submitted values for (listed in `units`, from the accepted-values "
    "topic), at every period and indicator; not the units above or beside them."
)


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


def _no_reach(_scope: str) -> Reach:
    return NO_REACH


def effective_scope(principal: Principal, catalog: CatalogView) -> str:
    """The one scope the token reads in (token ∩ registered); 403 without the read right or when nothing is left."""
    if not principal.may(Right.READ):
        raise single(403, "Forbidden", "read_right_required")
    scopes = effective_scopes(principal, catalog)
    if scopes:
        return scopes[0]
    agency = registered_agency(principal, catalog)
    if agency is None:
        raise outside_scope("agency_not_registered", agency=principal.agency or "-")
    raise outside_scope("outside_scope", "scope", principal.scope, scope=agency.scope_unit_code)


def caller_of(
    principal: Principal,
    catalog: CatalogView,
    *,
    reach: Callable[[str], Reach] = _no_reach,
    submitted: Iterable[str] = (),
) -> Caller:
    """The caller a token makes: `reach` of its effective scope, `submitted` units of its agency (agency role)."""
    scope = effective_scope(principal, catalog)
    if principal.role is Role.AGENCY:
        units = frozenset(u for u in submitted if _inside(principal, catalog, u))
        return Caller(principal.subject, principal.role, scope, AGENCY_NOTE, principal.agency, units)
    if scope == NATIONAL_UNIT_CODE:
        return Caller(principal.subject, principal.role, NATIONAL_UNIT_CODE)
    return Caller(principal.subject, principal.role, scope, reach=reach(scope))


def _inside(principal: Principal, catalog: CatalogView, unit_code: str) -> bool:
    """Within the token's and its agency's scopes on some map the unit was on."""
    days = [v.valid_from or date(1900, 1, 1) for v in catalog.unit_versions(unit_code)]
    return any(within_scope(principal, catalog, unit_code, day) for day in days)


def may_see(caller: Caller, unit_code: str, on: date, catalog: CatalogView) -> bool:
    """True when the caller may see the unit, read on the map valid on `on`."""
    if caller.sees_everything:
        return True
    if caller.units is not None:
        return unit_code in caller.units
    return catalog.is_within(unit_code, caller.scope, on) or caller.reach.reaches(unit_code, on)
