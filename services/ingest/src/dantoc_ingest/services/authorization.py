"""May this caller submit or read this? Ingest's use of the one policy, `dantoc_contracts.access`.

- Submitting needs the SUBMIT right, the draft's agency must be the token's (national tokens act for any), the unit
  must lie in the token's scope intersected with its agency's registered scope, and every indicator must be one the
  agency is responsible for (or one the catalog lets it write for): `indicator_not_yours` per offending value.
- Reading needs the READ right: an agency sees its own submissions; a provincial token its effective scope; a
  national token everything.
- Kafka submissions carry no token: they are checked as if sent by their registered agency, with the same rules.

HTTP answers denials with 403 (every one listed); a Kafka submission with denials is rejected with them.
"""

from __future__ import annotations

from datetime import date

from dantoc_contracts.access import Principal, Right, Role, may_write_indicator, within_scope
from dantoc_contracts.catalog_view import CatalogView
from dantoc_contracts.codes import NATIONAL_UNIT_CODE
from dantoc_contracts.periods import Period
from dantoc_contracts.problems import Location, ProblemItem
from dantoc_ingest.domain.model import Draft
from dantoc_ingest.domain.problems import problem

RIGHT_VI = {Right.READ: "xem số liệu", Right.SUBMIT: "gửi báo cáo"}


def _period_end(text: str) -> date | None:
    try:
        return Period.parse(text).end
    except ValueError:
        return None


def _unit_inside(principal: Principal, catalog: CatalogView, unit_code: str, period: str) -> bool | None:
    """True/False when the unit is known for the period; None when that cannot be told (the checks report it)."""
    on = _period_end(period)
    if on is None or (unit_code != NATIONAL_UNIT_CODE and catalog.unit(unit_code, on) is None):
        return None
    return within_scope(principal, catalog, unit_code, on)


def registered_principal(catalog: CatalogView, agency: str) -> Principal | None:
    """Who a Kafka submission speaks for: its registered agency, with that agency's registered scope."""
    registered = catalog.agencies.get(agency)
    if registered is None:
        return None  # reported as unknown_agency by the checks
    return Principal(f"agency:{agency}", agency, Role.AGENCY, registered.scope_unit_code)


def right_missing(principal: Principal, right: Right) -> ProblemItem | None:
    if principal.may(right):
        return None
    return problem("right_missing", Location(), right.value, right=right.value, right_vi=RIGHT_VI[right])


def _scope(principal: Principal, catalog: CatalogView) -> str:
    registered = catalog.agencies.get(principal.agency) if principal.agency else None
    if registered is None or registered.scope_unit_code == principal.scope:
        return principal.scope
    return f"{principal.scope} ∩ {registered.scope_unit_code}"


def outside_scope(principal: Principal, catalog: CatalogView, unit_code: str) -> ProblemItem:
    scope = _scope(principal, catalog)
    where = Location(field="unit_code")
    return problem("outside_scope", where, unit_code, agency=principal.agency or "?", unit=unit_code, scope=scope)


def indicator_denials(principal: Principal, draft: Draft, catalog: CatalogView) -> list[ProblemItem]:
    """One `indicator_not_yours` per value whose indicator the principal's agency may not write."""
    on = _period_end(draft.period)
    if on is None:
        return []  # malformed_period is reported by the checks
    denials = []
    for index, value in enumerate(draft.values):
        code = (value.indicator or "").strip()
        version = catalog.indicator_version(code, on) if code in catalog.indicators else None
        if version is None or may_write_indicator(principal, catalog, version.agency):
            continue
        origin = value.origin
        where = Location(
            value_index=index,
            field=f"values[{index}].indicator",
            row=origin.row if origin else None,
            cell=origin.cells.get("indicator") if origin else None,
        )
        agency = principal.agency or "?"
        denials.append(
            problem("indicator_not_yours", where, code, indicator=code, responsible=version.agency, agency=agency)
        )
    return denials


def submission_denials(principal: Principal, draft: Draft, catalog: CatalogView) -> list[ProblemItem]:
    """Why the caller may not submit this draft (empty when allowed). Unknown units are left to the checks."""
    missing = right_missing(principal, Right.SUBMIT)
    if missing is not None:
        return [missing]
    denials = []
    if not principal.may_act_for(draft.agency):
        denials.append(
            problem("agency_mismatch", Location(field="agency"), draft.agency, token_agency=principal.agency)
        )
    if _unit_inside(principal, catalog, draft.unit_code, draft.period) is False:
        denials.append(outside_scope(principal, catalog, draft.unit_code))
    return denials + indicator_denials(principal, draft, catalog)


def may_read(
    principal: Principal, catalog: CatalogView, unit_code: str, period: str, agency: str | None = None
) -> bool:
    """The gateway's agency rule: national sees all; an agency its own submissions; provincial its effective scope.

    Without `agency` (cells, templates of a unit) an agency token reads the units inside its effective scope; what
    it is shown of them is its own agency's (see `own_rows_only`).
    """
    if not principal.may(Right.READ):
        return False
    if agency is not None and principal.agency and agency == principal.agency:
        return True
    if principal.role is Role.AGENCY and agency is not None:
        return False
    return _unit_inside(principal, catalog, unit_code, period) is True


def own_rows_only(principal: Principal) -> str | None:
    """The agency whose rows alone an agency token is shown (None: every row the scope reaches)."""
    return principal.agency if principal.role is Role.AGENCY else None


def read_denial(principal: Principal, catalog: CatalogView, unit_code: str) -> ProblemItem:
    return right_missing(principal, Right.READ) or outside_scope(principal, catalog, unit_code)


class Denied(Exception):
    """The caller may not do this: every denial listed (HTTP answers 403 with them)."""

    def __init__(self, denials: list[ProblemItem], detail: str | None = None) -> None:
        super().__init__(detail or f"{len(denials)} denial(s)")
        self.denials, self.detail = denials, detail
