"""Indicators, groups, code lists, ethnic groups and agencies: domain rows in and out of their tables."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy import delete, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from dantoc_catalog.db.models import (
    AgencyRow,
    CodeListItemRow,
    EthnicGroupDbRow,
    IndicatorGroupRow,
    IndicatorRow,
    IndicatorVersionRow,
)
from dantoc_catalog.domain.indicators import IndicatorDefinition, IndicatorGroup, decimal_text
from dantoc_catalog.domain.reference import Agency, CodeListItem, EthnicGroupRow
from dantoc_catalog.domain.versions import closed_versions
from dantoc_contracts.catalog import Aggregation, ValueType
from dantoc_contracts.codes import Dimension, UnitLevel
from dantoc_contracts.periods import PeriodType


def _decimal(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def _definition(row: IndicatorVersionRow, group: IndicatorGroupRow) -> IndicatorDefinition:
    return IndicatorDefinition(
        code=row.code,
        group=IndicatorGroup(group.code, group.name_vi, group.name_en),
        name_vi=row.name_vi,
        name_en=row.name_en,
        unit_vi=row.unit_vi,
        unit_en=row.unit_en,
        value_type=ValueType(row.value_type),
        aggregation=Aggregation(row.aggregation),
        numerator=row.numerator,
        denominator=row.denominator,
        factor=_decimal(row.factor),
        disaggregations=tuple(_dimension(d) for d in row.disaggregations.split()),
        lowest_level=UnitLevel(row.lowest_level),
        period_type=PeriodType(row.period_type),
        agency=row.agency,
        min_value=_decimal(row.min_value),
        max_value=_decimal(row.max_value),
        version=row.version,
        effective_from=row.effective_from,
        source=row.source,
    )


def _dimension(text: str) -> Dimension:
    match text:
        case "ethnic_group" | "sex" | "age_group" | "residence":
            return text
    raise ValueError(f"stored disaggregation is not a dimension: {text!r}")


def _version_values(d: IndicatorDefinition, effective_to: object) -> dict[str, object]:
    return {
        "code": d.code,
        "version": d.version,
        "effective_from": d.effective_from,
        "effective_to": effective_to,
        "name_vi": d.name_vi,
        "name_en": d.name_en,
        "unit_vi": d.unit_vi,
        "unit_en": d.unit_en,
        "value_type": d.value_type.value,
        "aggregation": d.aggregation.value,
        "numerator": d.numerator,
        "denominator": d.denominator,
        "factor": decimal_text(d.factor) or None,
        "disaggregations": " ".join(d.disaggregations),
        "lowest_level": d.lowest_level.value,
        "period_type": d.period_type.value,
        "agency": d.agency,
        "min_value": decimal_text(d.min_value) or None,
        "max_value": decimal_text(d.max_value) or None,
        "source": d.source,
    }


class CatalogRepository:
    """The catalogue proper. Functions take the session they run in; nothing here commits."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def definitions(self, code: str | None = None) -> list[IndicatorDefinition]:
        query = (
            select(IndicatorVersionRow, IndicatorGroupRow)
            .select_from(IndicatorVersionRow)
            .join(IndicatorRow, IndicatorRow.code == IndicatorVersionRow.code)
            .join(IndicatorGroupRow, IndicatorGroupRow.code == IndicatorRow.group_code)
        )
        if code is not None:
            query = query.where(IndicatorVersionRow.code == code)
        rows = await self.session.execute(query.order_by(IndicatorVersionRow.code, IndicatorVersionRow.version))
        return [_definition(version, group) for version, group in rows]

    async def replace_definitions(self, definitions: Sequence[IndicatorDefinition]) -> None:
        """Make the catalogue exactly `definitions` (all versions of all indicators), closing versions."""
        for table in (IndicatorVersionRow, IndicatorRow, IndicatorGroupRow):
            await self.session.execute(delete(table))
        groups = {d.group.code: d.group for d in definitions}
        by_code: dict[str, list[IndicatorDefinition]] = {}
        for definition in definitions:
            by_code.setdefault(definition.code, []).append(definition)
        if not by_code:
            return
        await self.session.execute(insert(IndicatorGroupRow), [vars(g) for g in groups.values()])
        indicator_rows = [{"code": code, "group_code": versions[0].group.code} for code, versions in by_code.items()]
        await self.session.execute(insert(IndicatorRow), indicator_rows)
        version_rows = [_version_values(d, to) for versions in by_code.values() for d, to in closed_versions(versions)]
        await self.session.execute(insert(IndicatorVersionRow), version_rows)

    async def code_list_items(self) -> list[CodeListItem]:
        rows = await self.session.scalars(
            select(CodeListItemRow).order_by(CodeListItemRow.list_id, CodeListItemRow.sort_order, CodeListItemRow.code)
        )
        return [CodeListItem(r.list_id, r.code, r.name_vi, r.name_en, r.sort_order) for r in rows]

    async def ethnic_groups(self) -> list[EthnicGroupRow]:
        rows = await self.session.scalars(select(EthnicGroupDbRow).order_by(EthnicGroupDbRow.code))
        return [
            EthnicGroupRow(r.code, r.name_vi, r.name_en, r.code_gso_2008, r.name_vi_gso_2008, r.other_names_vi)
            for r in rows
        ]

    async def agencies(self) -> list[Agency]:
        rows = await self.session.scalars(select(AgencyRow).order_by(AgencyRow.code))
        return [
            Agency(r.code, r.name_vi, r.name_en, r.agency_type, r.scope_unit_code, tuple(r.writes_for.split()))
            for r in rows
        ]

    async def add_reference(
        self, items: Sequence[CodeListItem], groups: Sequence[EthnicGroupRow], agencies: Sequence[Agency]
    ) -> None:
        for table, rows in ((CodeListItemRow, items), (EthnicGroupDbRow, groups)):
            if rows:
                await self.session.execute(insert(table), [vars(row) for row in rows])
        if agencies:
            values = [vars(a) | {"writes_for": " ".join(a.writes_for)} for a in agencies]
            await self.session.execute(insert(AgencyRow), values)

    async def is_empty(self) -> bool:
        """True before the first seeding: no code list, no indicator."""
        lists = await self.session.scalar(select(func.count()).select_from(CodeListItemRow))
        indicators = await self.session.scalar(select(func.count()).select_from(IndicatorRow))
        return not lists and not indicators
