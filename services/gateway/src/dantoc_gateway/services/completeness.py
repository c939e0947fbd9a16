"""Completeness for a unit and period: per indicator group and indicator, and per reporting unit below it."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from dantoc_contracts.catalog import AdminUnitPublished, Aggregation
from dantoc_contracts.catalog_view import CatalogView
from dantoc_contracts.codes import UnitLevel
from dantoc_contracts.periods import Period
from dantoc_gateway.db import queries
from dantoc_gateway.db.queries import Reader
from dantoc_gateway.domain.access import Caller, may_see
from dantoc_gateway.domain.completeness import STATUSES, counts, expected_units, status_of
from dantoc_gateway.domain.params import ParamReader
from dantoc_gateway.domain.problems import Problems
from dantoc_gateway.domain.selection import Page
from dantoc_gateway.services.access import check_units
from dantoc_gateway.services.observations import Output, read_output

_IN_LIST_LIMIT = 900


@dataclass(frozen=True)
class CompletenessQuery:
    unit: str
    period: Period
    indicators: dict[str, UnitLevel]  # indicator → level it is reported at, in force for the period
    status: str | None
    output: Output
    caller: Caller  # the units listed are those it may see


@dataclass
class UnitStatus:
    unit: AdminUnitPublished
    statuses: dict[str, str]  # indicator → status (only indicators reported at the unit's level)


@dataclass
class CompletenessReport:
    query: CompletenessQuery
    by_indicator: dict[str, dict[str, int]]
    units: list[UnitStatus]
    page: Page


def parse_completeness(
    catalog: CatalogView, caller: Caller, raw: dict[str, str | None], limits: tuple[int, int, int], problems: Problems
) -> CompletenessQuery:
    """Read and check a completeness request: 400 with every fault, then 403 outside the caller's scope."""
    reader = ParamReader(catalog, problems, limits[2])
    output = read_output(reader, raw, limits[0], limits[1])
    unit = reader.unit("unit", raw.get("unit"))
    period = reader.period("period", raw.get("period"))
    chosen = reader.indicators(raw.get("indicator"), raw.get("group"), required=False) or sorted(catalog.indicators)
    status = reader.choice("status", raw.get("status"), STATUSES, "") or None
    problems.raise_if_any()
    assert unit is not None
    assert period is not None
    check_units(caller, catalog, "unit", [unit], [period], problems)
    indicators = {}
    for code in chosen:
        version = catalog.indicator_version(code, period.end)
        # rates are computed from their reported components, never reported themselves
        if (
            version is not None
            and version.period_type is period.type
            and version.aggregation is not Aggregation.FORMULA
        ):
            indicators[code] = version.lowest_level
    return CompletenessQuery(unit, period, indicators, status, output, caller)


async def report(session: Reader, catalog: CatalogView, query: CompletenessQuery) -> CompletenessReport:
    """Every expected (unit, indicator) with its status; units paged, filtered by `status` when asked."""
    by_level: dict[UnitLevel, list[str]] = defaultdict(list)
    for code, level in query.indicators.items():
        by_level[level].append(code)
    units: list[UnitStatus] = []
    for level, indicators in sorted(by_level.items(), key=lambda item: item[0].depth):
        on = query.period.end
        expected = [
            u for u in expected_units(catalog, query.unit, level, on) if may_see(query.caller, u.code, on, catalog)
        ]
        if expected:
            units.extend(await _statuses(session, expected, indicators, level, str(query.period)))
    by_indicator = {code: counts(u.statuses[code] for u in units if code in u.statuses) for code in query.indicators}
    if query.status is not None:
        units = [u for u in units if query.status in u.statuses.values()]
    page = Page(query.output.page, query.output.page_size, len(units))
    return CompletenessReport(query, by_indicator, units[page.offset : page.offset + page.size], page)


async def _statuses(
    session: Reader, expected: list[AdminUnitPublished], indicators: list[str], level: UnitLevel, period: str
) -> list[UnitStatus]:
    codes = [u.code for u in expected]
    rows = await queries.reporting_rows(
        session,
        indicators=indicators,
        period=period,
        level=level.value,
        units=codes if len(codes) <= _IN_LIST_LIMIT else None,
    )
    found = {
        (unit, indicator): status_of(value, count, reported, no_data)
        for unit, indicator, value, count, reported, no_data in rows
    }
    return [UnitStatus(u, {i: found.get((u.code, i), "silent") for i in indicators}) for u in expected]
