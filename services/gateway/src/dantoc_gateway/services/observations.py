"""Queries over figures: values, drill-down, time series and comparisons, all as one paged selection."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from dantoc_contracts.catalog import AdminUnitPublished
from dantoc_contracts.catalog_view import CatalogView
from dantoc_contracts.codes import NATIONAL_UNIT_CODE, EthnicCodeList, UnitLevel
from dantoc_contracts.periods import Period
from dantoc_gateway.db.figures import figures_page
from dantoc_gateway.db.queries import Reader
from dantoc_gateway.domain.access import Caller, may_see
from dantoc_gateway.domain.params import DimensionFilter, ParamReader
from dantoc_gateway.domain.problems import Problems
from dantoc_gateway.domain.selection import Block, Observation, Page, Selection
from dantoc_gateway.services.access import check_units

UNIT_LEVELS = tuple(level.value for level in UnitLevel if level is not UnitLevel.NATIONAL)


@dataclass(frozen=True)
class Output:
    """How the caller wants the answer: ethnic code list, header language, page."""

    ethnic_list: EthnicCodeList
    lang: str
    page: int
    page_size: int


@dataclass(frozen=True)
class FiguresQuery:
    selection: Selection
    output: Output
    periods: tuple[str, ...]
    parent: str | None = None  # the unit of a drill-down
    level: str = ""  # a drill-down to every unit of this level instead of the direct children


@dataclass
class Figures:
    """A page of figures with what is needed to print them."""

    observations: list[Observation]
    page: Page
    output: Output
    periods: tuple[str, ...]
    parent: str | None
    level: str


def read_output(reader: ParamReader, raw: dict[str, str | None], default_size: int, max_size: int) -> Output:
    ethnic_list = reader.choice("ethnicCodeList", raw.get("ethnicCodeList"), ("GSO1979", "GSO2008"), "GSO1979")
    return Output(
        ethnic_list=EthnicCodeList(ethnic_list),
        lang=reader.choice("lang", raw.get("lang"), ("vi", "en"), "vi"),
        page=reader.positive_int("page", raw.get("page"), 1),
        page_size=reader.positive_int("pageSize", raw.get("pageSize"), default_size, max_size),
    )


def _cells(reader: ParamReader, raw: dict[str, str | None], output: Output) -> tuple[DimensionFilter, ...]:
    return (
        reader.ethnic("ethnicGroup", raw.get("ethnicGroup"), output.ethnic_list),
        reader.dimension("sex", raw.get("sex"), "sex"),
        reader.dimension("ageGroup", raw.get("ageGroup"), "age_group"),
        reader.dimension("residence", raw.get("residence"), "residence"),
    )


def _periods(reader: ParamReader, raw: dict[str, str | None]) -> list[Period]:
    if raw.get("periodFrom") is not None or raw.get("periodTo") is not None:
        ranged = reader.period_range(raw.get("periodFrom"), raw.get("periodTo"))
        return sorted(set(ranged) | set(reader.periods("period", raw.get("period"), required=False)))
    return reader.periods("period", raw.get("period"))


def parse_figures(
    catalog: CatalogView,
    caller: Caller,
    raw: dict[str, str | None],
    *,
    drill: bool,
    limits: tuple[int, int, int],
    problems: Problems,
) -> FiguresQuery:
    """Read and check a figures request: 400 with every fault (those already in `problems` too), then 403."""
    default_size, max_size, max_codes = limits
    reader = ParamReader(catalog, problems, max_codes)
    output = read_output(reader, raw, default_size, max_size)
    indicators = reader.indicators(raw.get("indicator"), raw.get("group"))
    periods = _periods(reader, raw)
    cells = _cells(reader, raw, output)
    units = [reader.unit("unit", raw.get("unit"))] if drill else reader.units("unit", raw.get("unit"))
    level = reader.choice("level", raw.get("level"), UNIT_LEVELS, "") if drill else ""
    reader.check_period_types(indicators, periods)
    problems.raise_if_any()
    check_units(caller, catalog, "unit", [u for u in units if u], periods, problems)
    parent = units[0] if drill else None
    shown = tuple(map(str, periods))
    if parent is not None:
        blocks = _drill_blocks(catalog, caller, parent, level, periods)
    else:
        blocks = (Block(shown, tuple(u for u in units if u)),)
    return FiguresQuery(Selection(tuple(indicators), blocks, *cells), output, shown, parent, level)


def children_of(
    catalog: CatalogView, caller: Caller, parent: str, level: str, period: Period
) -> list[AdminUnitPublished]:
    """The parent's children (or its units of `level`) on the period's map, those the caller may see."""
    on = period.end
    found = catalog.descendants(parent, on, UnitLevel(level)) if level else catalog.children(parent, on)
    return [unit for unit in found if may_see(caller, unit.code, on, catalog)]


def _drill_blocks(
    catalog: CatalogView, caller: Caller, parent: str, level: str, periods: list[Period]
) -> tuple[Block, ...]:
    """Periods grouped by the visible children they have (the map changes), one block per group."""
    if parent == NATIONAL_UNIT_CODE and level and caller.sees_everything:
        return (Block(tuple(map(str, periods)), None, level),)
    grouped: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for period in periods:
        codes = tuple(u.code for u in children_of(catalog, caller, parent, level, period))
        if codes:
            grouped[codes].append(str(period))
    return tuple(Block(tuple(ps), codes) for codes, ps in grouped.items())


async def read_figures(reader: Reader, query: FiguresQuery) -> Figures:
    """The page of figures asked for, with the total over all pages."""
    size = query.output.page_size
    rows, total = await figures_page(reader, query.selection, offset=(query.output.page - 1) * size, limit=size)
    page = Page(query.output.page, size, total)
    return Figures(rows, page, query.output, query.periods, query.parent, query.level)


def drill_children(
    catalog: CatalogView, caller: Caller, parent: str, periods: tuple[str, ...]
) -> list[tuple[str, AdminUnitPublished]]:
    """The direct children of a drill-down's unit for each period that the caller may see, with or without figures."""
    return [(p, child) for p in periods for child in children_of(catalog, caller, parent, "", Period.parse(p))]


COMPARE_BY = {"ethnic_group": "ethnicGroup", "sex": "sex", "age_group": "ageGroup", "residence": "residence"}


def comparison_params(raw: dict[str, str | None], problems: Problems) -> dict[str, str | None]:
    """A comparison is a figures query with every code of the `by` dimension (unless some are named)."""
    by = raw.get("by")
    by = "ethnic_group" if by is None else by
    if by not in COMPARE_BY:
        problems.add("unsupported_value", "by", by, allowed=", ".join(COMPARE_BY))
        return raw
    param = COMPARE_BY[by]
    return raw if raw.get(param) else {**raw, param: "*"}
