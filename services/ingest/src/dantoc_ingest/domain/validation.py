"""Check a draft submission against the catalog: every problem at once, each with its place.

Pure and fast: dictionary look-ups into the `CatalogView` and small per-call memos, no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dantoc_contracts.catalog_view import CatalogView
from dantoc_contracts.codes import NATIONAL_UNIT_CODE, UnitLevel, unit_level_of
from dantoc_contracts.periods import Period
from dantoc_contracts.problems import Location, ProblemItem
from dantoc_ingest.domain.model import CheckedCell, Draft
from dantoc_ingest.domain.problems import problem
from dantoc_ingest.domain.value_checks import ValueChecker


@dataclass(slots=True)
class CheckResult:
    """The checked cells (in submission order) and every problem found; accepted only when there is none."""

    cells: list[CheckedCell] = field(default_factory=list)
    problems: list[ProblemItem] = field(default_factory=list)
    period: Period | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


def check_submission(draft: Draft, catalog: CatalogView, *, max_values: int = 10_000) -> CheckResult:
    """Run every check of a submission; see `domain/problems.py` for the codes."""
    result = CheckResult()
    result.period = check_period(draft.period, result.problems)
    level = check_unit(draft.unit_code, result.period, catalog, result.problems)
    if draft.agency not in catalog.agencies:
        result.problems.append(problem("unknown_agency", Location(field="agency"), draft.agency))
    if not draft.values:
        result.problems.append(problem("empty_submission", Location(field="values")))
        return result
    if len(draft.values) > max_values:
        result.problems.append(
            problem("too_many_values", Location(field="values"), count=len(draft.values), limit=max_values)
        )
        return result
    checker = ValueChecker(catalog, result.period, draft.unit_code, level, result.problems)
    seen: dict[tuple[str, str], int] = {}
    for index, value in enumerate(draft.values):
        cell = checker.check(index, value)
        if cell is None:
            continue
        key = (cell.coordinates.indicator, cell.coordinates.disaggregation_key)
        first = seen.setdefault(key, index)
        if first != index:
            location = checker.location(index, value, "indicator")
            result.problems.append(problem("duplicate_cell", location, value.indicator, indicator=key[0], first=first))
            continue
        result.cells.append(cell)
    return result


def check_period(text: str, problems: list[ProblemItem]) -> Period | None:
    try:
        return Period.parse(text)
    except ValueError:
        problems.append(problem("malformed_period", Location(field="period"), text))
        return None


def check_unit(code: str, period: Period | None, catalog: CatalogView, problems: list[ProblemItem]) -> UnitLevel | None:
    """The unit's level when the unit is valid for the period; a problem otherwise."""
    where = Location(field="unit_code")
    try:
        level = unit_level_of(code)
    except ValueError:
        problems.append(problem("malformed_unit_code", where, code))
        return None
    if code == NATIONAL_UNIT_CODE:
        return level
    versions = catalog.unit_versions(code)
    if not versions:
        problems.append(problem("unknown_unit", where, code))
        return None
    if period is None:
        return None
    if catalog.unit(code, period.end) is None:
        validity = ", ".join(f"{u.valid_from or '…'} – {u.valid_to or '…'}" for u in versions)
        problems.append(problem("unit_not_valid_for_period", where, code, period=str(period), validity=validity))
        return None
    return level
