"""Reading the catalog: indicators (with search), code lists, ethnic groups, agencies, units at a date."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from dantoc_catalog.db.uow import UnitOfWorkFactory
from dantoc_catalog.domain.indicators import IndicatorDefinition, IndicatorGroup
from dantoc_catalog.domain.reference import Agency, CodeListItem, Conversion, EthnicGroupRow
from dantoc_catalog.domain.search import matches
from dantoc_catalog.domain.units import AdminUnit
from dantoc_contracts.codes import NATIONAL_UNIT_CODE, EthnicCodeList, UnitLevel

NATION = AdminUnit(NATIONAL_UNIT_CODE, UnitLevel.NATIONAL, "Việt Nam", "Quốc gia", None, None, None)


@dataclass(frozen=True)
class UnitConversion:
    old: list[AdminUnit]  # the legacy unit(s) that carried the code
    targets: list[tuple[Conversion, AdminUnit | None]]


class CatalogQueries:
    def __init__(self, uow_factory: UnitOfWorkFactory) -> None:
        self._uow = uow_factory

    async def indicators(
        self, *, q: str | None = None, group: str | None = None
    ) -> dict[str, list[IndicatorDefinition]]:
        """Indicators with all their versions, by code; `q` matches code or any name, without diacritics."""
        async with self._uow() as uow:
            definitions = await uow.catalog.definitions()
        found: dict[str, list[IndicatorDefinition]] = defaultdict(list)
        for d in definitions:
            found[d.code].append(d)
        return {
            code: versions
            for code, versions in found.items()
            if (group is None or versions[0].group.code == group)
            and (not q or matches(q, [code, *(t for v in versions for t in (v.name_vi, v.name_en, v.group.name_vi))]))
        }

    async def indicator(self, code: str) -> list[IndicatorDefinition]:
        async with self._uow() as uow:
            return await uow.catalog.definitions(code)

    async def groups(self) -> list[IndicatorGroup]:
        async with self._uow() as uow:
            definitions = await uow.catalog.definitions()
        return sorted({d.group.code: d.group for d in definitions}.values(), key=lambda g: g.code)

    async def code_lists(self) -> dict[str, list[CodeListItem]]:
        async with self._uow() as uow:
            items = await uow.catalog.code_list_items()
        lists: dict[str, list[CodeListItem]] = defaultdict(list)
        for item in items:
            lists[item.list_id].append(item)
        return dict(lists)

    async def ethnic_groups(
        self, *, q: str | None = None, code_list: EthnicCodeList = EthnicCodeList.GSO_1979
    ) -> list[EthnicGroupRow]:
        """The 54 groups in the order of `code_list`; `q` also matches other names and spellings."""
        async with self._uow() as uow:
            groups = await uow.catalog.ethnic_groups()
        if q:
            groups = [g for g in groups if matches(q, [g.name_vi, g.name_en, g.name_vi_gso_2008, *g.aliases()])]
        by_2008 = code_list is EthnicCodeList.GSO_2008
        return sorted(groups, key=lambda g: g.code_gso_2008 if by_2008 else g.code)

    async def ethnic_group(self, code: str, code_list: EthnicCodeList) -> EthnicGroupRow | None:
        groups = await self.ethnic_groups()
        by_2008 = code_list is EthnicCodeList.GSO_2008
        return next((g for g in groups if (g.code_gso_2008 if by_2008 else g.code) == code), None)

    async def agencies(self) -> list[Agency]:
        async with self._uow() as uow:
            return await uow.catalog.agencies()

    async def unit(self, code: str, on: date) -> AdminUnit | None:
        if code == NATIONAL_UNIT_CODE:
            return NATION
        async with self._uow() as uow:
            return await uow.units.unit(code, on)

    async def unit_versions(self, code: str) -> list[AdminUnit]:
        async with self._uow() as uow:
            return await uow.units.versions(code)

    async def children(self, code: str, on: date) -> list[AdminUnit]:
        async with self._uow() as uow:
            return await uow.units.children([code], on)

    async def ancestors(self, code: str, on: date) -> list[AdminUnit]:
        """The units above `code` on that day, nearest first, ending with the nation."""
        chain: list[AdminUnit] = []
        async with self._uow() as uow:
            unit = await uow.units.unit(code, on)
            for _ in range(UnitLevel.COMMUNE.depth):  # bounded: a chain is never deeper than the levels
                if unit is None or not unit.parent_code:
                    break
                unit = await uow.units.unit(unit.parent_code, on)
                if unit is not None:
                    chain.append(unit)
        return [*chain, NATION]

    async def subtree(self, code: str, on: date, level: UnitLevel | None = None) -> list[AdminUnit]:
        """Every unit below `code` on that day (only `level` when given), by level then code."""
        found: list[AdminUnit] = []
        async with self._uow() as uow:
            frontier = [code]
            while frontier:
                children = await uow.units.children(frontier, on)
                found += children
                frontier = [child.code for child in children]
        chosen = [u for u in found if level is None or u.level is level]
        return sorted(chosen, key=lambda u: (u.level.depth, u.code))

    async def conversion(self, old_code: str) -> UnitConversion | None:
        """Where a legacy unit went on 2025-07-01, with the new units it went into."""
        async with self._uow() as uow:
            rows = await uow.units.conversion(old_code)
            if not rows:
                return None
            old = [
                u
                for u in await uow.units.versions(old_code)
                if u.valid_to is not None and u.valid_to < rows[0].effective
            ]
            targets = [(row, await uow.units.unit(row.new_code, row.effective)) for row in rows]
        return UnitConversion(old, targets)
