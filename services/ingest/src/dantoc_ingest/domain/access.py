"""Who may submit for which unit: a token's (or a registered agency's) scope is a subtree of the hierarchy."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from dantoc_contracts.catalog_view import CatalogView
from dantoc_contracts.codes import NATIONAL_UNIT_CODE
from dantoc_contracts.periods import Period
from dantoc_contracts.problems import Location, ProblemItem
from dantoc_ingest.domain.problems import problem


class Role(StrEnum):
    NATIONAL = "national"
    PROVINCIAL = "provincial"
    AGENCY = "agency"


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is submitting: from a verified token (HTTP) or from the registered agency (Kafka)."""

    subject: str
    agency: str
    role: Role
    scope: str  # unit code whose subtree the holder may write; `VN` for all

    def may_act_for(self, agency: str) -> bool:
        """National holders may submit on behalf of any agency; everyone else only for their own."""
        return self.role is Role.NATIONAL or agency == self.agency


def within_scope(catalog: CatalogView, unit_code: str, scope: str, period_text: str) -> bool | None:
    """True/False when the unit is known for the period; None when that cannot be told (checks report it)."""
    if scope == NATIONAL_UNIT_CODE or unit_code == scope:
        return True
    try:
        period = Period.parse(period_text)
    except ValueError:
        return None
    if catalog.unit(unit_code, period.end) is None:
        return None
    return catalog.is_within(unit_code, scope, period.end)


def registered_agency_problems(catalog: CatalogView, agency: str, unit_code: str, period: str) -> list[ProblemItem]:
    """Kafka submissions: the agency must be registered and the unit inside its registered scope."""
    registered = catalog.agencies.get(agency)
    if registered is None:
        return []  # reported as unknown_agency by the checks
    if within_scope(catalog, unit_code, registered.scope_unit_code, period) is False:
        where = Location(field="unit_code")
        return [
            problem("outside_scope", where, unit_code, agency=agency, unit=unit_code, scope=registered.scope_unit_code)
        ]
    return []
