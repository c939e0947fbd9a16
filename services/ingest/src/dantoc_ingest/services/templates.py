"""Building the template of a unit, period and indicator group, prefilled with what is already stored."""

from __future__ import annotations

from decimal import Decimal

from dantoc_contracts.catalog_view import CatalogView
from dantoc_contracts.codes import TOTAL, UnitLevel
from dantoc_contracts.periods import Period
from dantoc_ingest.db.models import CellRow
from dantoc_ingest.domain.model import Content
from dantoc_ingest.domain.templates import TemplateSpec, applicable, template_rows
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
