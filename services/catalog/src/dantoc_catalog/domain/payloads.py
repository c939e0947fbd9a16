"""Catalog records to publish, built from domain rows: the payload and its compaction key."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal

from dantoc_catalog.domain.indicators import IndicatorDefinition, IndicatorGroup
from dantoc_catalog.domain.reference import ETHNIC_EXTRA_LIST, Agency, CodeListItem, Conversion, EthnicGroupRow
from dantoc_catalog.domain.units import AdminUnit
from dantoc_catalog.domain.versions import closed_versions
from dantoc_contracts.catalog import (
    AdminUnitPublished,
    AgencyPublished,
    CodeItem,
    CodeListPublished,
    ConversionTarget,
    EthnicGroup,
    EthnicGroupsPublished,
    Formula,
    IndicatorGroupPublished,
    IndicatorPublished,
    IndicatorVersion,
    UnitConversionPublished,
    catalog_key,
)
from dantoc_contracts.catalog_view import CatalogRecord

Records = dict[str, CatalogRecord]
"""Catalog records by key: what the compacted topic holds once every change is published."""


def keyed(payloads: Iterable[CatalogRecord]) -> Records:
    return {catalog_key(payload): payload for payload in payloads}


def indicator_payloads(definitions: Sequence[IndicatorDefinition]) -> list[CatalogRecord]:
    """One IndicatorPublished per code (all its versions) and one IndicatorGroupPublished per group."""
    by_code: dict[str, list[IndicatorDefinition]] = defaultdict(list)
    for definition in definitions:
        by_code[definition.code].append(definition)
    payloads: list[CatalogRecord] = []
    groups: dict[str, IndicatorGroup] = {}
    for code in sorted(by_code):
        versions = closed_versions(by_code[code])
        group = versions[0][0].group
        groups[group.code] = group
        payloads.append(
            IndicatorPublished(code=code, group_code=group.code, versions=[_version(d, to) for d, to in versions])
        )
    payloads += [IndicatorGroupPublished(code=g.code, name_vi=g.name_vi, name_en=g.name_en) for g in groups.values()]
    return payloads


def _version(d: IndicatorDefinition, effective_to: date | None) -> IndicatorVersion:
    formula = None
    if d.numerator and d.denominator:
        factor = d.factor if d.factor is not None else Decimal(1)
        formula = Formula(numerator=d.numerator, denominator=d.denominator, factor=factor)
    return IndicatorVersion(
        version=d.version,
        effective_from=d.effective_from,
        effective_to=effective_to,
        name_vi=d.name_vi,
        name_en=d.name_en,
        unit_vi=d.unit_vi,
        unit_en=d.unit_en,
        value_type=d.value_type,
        aggregation=d.aggregation,
        formula=formula,
        disaggregations=list(d.disaggregations),
        lowest_level=d.lowest_level,
        period_type=d.period_type,
        agency=d.agency,
        min_value=d.min_value,
        max_value=d.max_value,
        source=d.source,
    )


def code_list_payloads(items: Sequence[CodeListItem], ethnic: Sequence[EthnicGroupRow]) -> list[CatalogRecord]:
    """One CodeListPublished per list, and the ethnic groups with the extra codes (unknown, foreigner)."""
    by_list: dict[str, list[CodeItem]] = defaultdict(list)
    for item in sorted(items, key=lambda i: (i.list_id, i.sort_order, i.code)):
        by_list[item.list_id].append(
            CodeItem(code=item.code, name_vi=item.name_vi, name_en=item.name_en, sort_order=item.sort_order)
        )
    payloads: list[CatalogRecord] = [
        CodeListPublished(list_id=list_id, items=found) for list_id, found in sorted(by_list.items())
    ]
    if ethnic:
        groups = [
            EthnicGroup(
                code_gso_1979=g.code,
                code_gso_2008=g.code_gso_2008,
                name_vi=g.name_vi,
                name_en=g.name_en,
                name_vi_gso_2008=g.name_vi_gso_2008,
                aliases=g.aliases(),
            )
            for g in sorted(ethnic, key=lambda g: g.code)
        ]
        payloads.append(EthnicGroupsPublished(groups=groups, extra_codes=by_list.get(ETHNIC_EXTRA_LIST, [])))
    return payloads


def agency_payloads(agencies: Sequence[Agency]) -> list[CatalogRecord]:
    return [
        AgencyPublished(
            code=a.code,
            name_vi=a.name_vi,
            name_en=a.name_en,
            agency_type=a.agency_type,
            scope_unit_code=a.scope_unit_code,
            writes_for=list(a.writes_for),
        )
        for a in sorted(agencies, key=lambda a: a.code)
    ]


def unit_payloads(units: Sequence[AdminUnit]) -> list[CatalogRecord]:
    return [
        AdminUnitPublished(
            code=u.code,
            level=u.level,
            name=u.name,
            type=u.type,
            parent_code=u.parent_code,
            valid_from=u.valid_from,
            valid_to=u.valid_to,
        )
        for u in units
    ]


def conversion_payloads(conversions: Sequence[Conversion]) -> list[CatalogRecord]:
    """One UnitConversionPublished per (old unit, day), its targets ordered by new code."""
    grouped: dict[tuple[str, date], list[Conversion]] = defaultdict(list)
    for row in conversions:
        grouped[(row.old_code, row.effective)].append(row)
    payloads: list[CatalogRecord] = []
    for (old_code, _), rows in sorted(grouped.items()):
        targets = [
            ConversionTarget(new_code=r.new_code, kind=r.kind, area_share=r.area_share)
            for r in sorted(rows, key=lambda r: r.new_code)
        ]
        payloads.append(UnitConversionPublished(old_code=old_code, effective=rows[0].effective, targets=targets))
    return payloads


def changes(before: Records, after: Records) -> list[tuple[str, CatalogRecord | None]]:
    """What to publish to go from `before` to `after`: changed or new records, and a tombstone for each removed key."""
    updated: list[tuple[str, CatalogRecord | None]] = [(k, v) for k, v in after.items() if before.get(k) != v]
    return updated + [(key, None) for key in before if key not in after]
