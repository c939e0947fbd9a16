"""Building the template of a unit, period and indicator group, prefilled with what is already stored."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from dantoc_contracts.access import Principal
from dantoc_contracts.catalog_view import CatalogView
from dantoc_contracts.codes import TOTAL, UnitLevel
from dantoc_contracts.periods import Period
from dantoc_contracts.problems import Location, ProblemItem
from dantoc_ingest.db.models import CellRow
from dantoc_ingest.domain.model import Content
from dantoc_ingest.domain.problems import problem
from dantoc_ingest.domain.templates import TemplateSpec, applicable, template_rows
from dantoc_ingest.domain.validation import check_period, check_unit
from dantoc_ingest.files.templates import render_csv, render_xlsx
from dantoc_ingest.services.authorization import Denied, may_read, read_denial
from dantoc_ingest.services.context import IngestContext


def _ethnic_codes(keys: list[str]) -> list[str]:
    codes = {key.split("|", 1)[0].split(":", 1)[1] for key in keys if not key.startswith(TOTAL)}
    return sorted(codes)


async def reported_ethnic_groups(ctx: IngestContext, catalog: CatalogView, unit_code: str, period: Period) -> list[str]:
    """Groups the unit has reported before; else those its neighbours (same parent) have reported."""
    async with ctx.uow(read_only=True) as uow:
        codes = _ethnic_codes(await uow.repo.reported_ethnic_keys([unit_code]))
        unit = catalog.unit(unit_code, period.end)
        if codes or unit is None:
            return codes
        siblings = [u.code for u in catalog.children(unit.parent_code or "VN", period.end)]
        return _ethnic_codes(await uow.repo.reported_ethnic_keys(siblings))


async def build_template(
    ctx: IngestContext,
    catalog: CatalogView,
    *,
    unit_code: str,
    period: Period,
    group: str | None,
    agency: str,
    ethnic: list[str] | None,
    breakdown: str,
) -> TemplateSpec:
    unit = catalog.unit(unit_code, period.end)  # None only for VN: the caller checked the unit
    level = unit.level if unit else UnitLevel.NATIONAL
    indicators = applicable(catalog, period, level, group)
    codes = ethnic if ethnic is not None else await reported_ethnic_groups(ctx, catalog, unit_code, period)
    async with ctx.uow(read_only=True) as uow:
        stored = await uow.repo.current_cells(unit_code, str(period), [code for code, _ in indicators])
    current = {(row.indicator, row.disaggregation_key): _content(row) for row in stored}
    group_record = catalog.groups.get(group or "")
    return TemplateSpec(
        unit_code=unit_code,
        unit_name=f"{unit.type} {unit.name}" if unit else "",
        period=str(period),
        group=group,
        group_name=group_record.name_vi if group_record else "",
        agency=agency,
        rows=template_rows(catalog, indicators, codes, breakdown, current),
    )


def _content(row: CellRow) -> Content:
    return Content(Decimal(row.value) if row.value is not None else None, row.no_data, row.no_data_reason)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class TemplateProblems(Exception):
    """The template cannot be built: every problem of the request (unit, period, ethnic codes) listed."""

    def __init__(self, problems: list[ProblemItem]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the request")
        self.problems = problems


@dataclass(frozen=True)
class TemplateFile:
    name: str
    body: bytes
    media_type: str


async def template_file(
    ctx: IngestContext,
    catalog: CatalogView,
    caller: Principal,
    *,
    unit_code: str,
    period: str,
    group: str | None,
    format: str,
    ethnic: str | None,
    breakdown: str,
    extra_rows: int,
) -> TemplateFile:
    """The template file of a unit, period and group: TemplateProblems for a bad request, Denied when the caller
    may not read the unit."""
    problems: list[ProblemItem] = []
    parsed = check_period(period, problems)
    check_unit(unit_code, parsed, catalog, problems)
    codes = [c.strip().zfill(2) for c in ethnic.split(",") if c.strip()] if ethnic is not None else None
    known = {g.code_gso_1979 for g in catalog.ethnic.groups} if catalog.ethnic else set()
    problems += [
        problem("unknown_ethnic_code", Location(field="ethnic"), c, code_list="GSO1979")
        for c in codes or []
        if c not in known
    ]
    if problems or parsed is None:
        raise TemplateProblems(problems)
    if not may_read(caller, catalog, unit_code, period):
        raise Denied([read_denial(caller, catalog, unit_code)])
    spec = await build_template(
        ctx,
        catalog,
        unit_code=unit_code,
        period=parsed,
        group=group,
        agency=caller.agency,
        ethnic=codes,
        breakdown=breakdown,
    )
    name = f"mau-{unit_code}-{period}-{group or 'all'}.{format}"
    if format == "xlsx":
        return TemplateFile(name, render_xlsx(spec, catalog, extra_rows=extra_rows), XLSX)
    return TemplateFile(name, render_csv(spec, catalog), "text/csv; charset=utf-8")
