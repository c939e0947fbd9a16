"""May this caller submit or read this? Scope problems are answered with 403, every one listed."""

from __future__ import annotations

from dantoc_contracts.catalog_view import CatalogView
from dantoc_contracts.problems import Location, ProblemItem
from dantoc_ingest.domain.access import Principal, within_scope
from dantoc_ingest.domain.model import Draft
from dantoc_ingest.domain.problems import problem


def submission_denials(principal: Principal, draft: Draft, catalog: CatalogView) -> list[ProblemItem]:
    """Why the caller may not submit this draft (empty when allowed). Unknown units are left to the checks."""
    denials = []
    if not principal.may_act_for(draft.agency):
        denials.append(
            problem("agency_mismatch", Location(field="agency"), draft.agency, token_agency=principal.agency)
        )
    if within_scope(catalog, draft.unit_code, principal.scope, draft.period) is False:
        denials.append(
            problem(
                "outside_scope",
                Location(field="unit_code"),
                draft.unit_code,
                agency=principal.agency,
                unit=draft.unit_code,
                scope=principal.scope,
            )
        )
    return denials


def may_read(
    principal: Principal, catalog: CatalogView, unit_code: str, period: str, agency: str | None = None
) -> bool:
    """Readers see their own agency's submissions and everything inside their scope."""
    if agency is not None and agency == principal.agency:
        return True
    return within_scope(catalog, unit_code, principal.scope, period) is True
