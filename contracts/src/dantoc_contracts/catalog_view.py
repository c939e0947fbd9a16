"""How to read the catalog topic: fold its records into an in-memory view with date-aware hierarchy look-ups.

Pure (no I/O): each service feeds it the records it consumes from the compacted catalog topic, in order, and
asks it questions. A record with a null payload (a tombstone) deletes what its key named.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from dantoc_contracts.catalog import (
    AdminUnitPublished,
    AgencyPublished,
    CodeItem,
    CodeListPublished,
    EthnicGroupsPublished,
    IndicatorGroupPublished,
    IndicatorPublished,
    IndicatorVersion,
    UnitConversionPublished,
)
from dantoc_contracts.codes import NATIONAL_UNIT_CODE, EthnicCodeList, EthnicGroupRef, UnitLevel

CatalogRecord = (
    IndicatorPublished
    | IndicatorGroupPublished
    | CodeListPublished
    | EthnicGroupsPublished
    | AdminUnitPublished
    | UnitConversionPublished
    | AgencyPublished
)


def _valid_on(unit: AdminUnitPublished, on: date) -> bool:
    return (unit.valid_from is None or unit.valid_from <= on) and (unit.valid_to is None or on <= unit.valid_to)


class CatalogView:
    """Everything the catalog topic says, keyed the way consumers ask."""

    def __init__(self) -> None:
        self.records: dict[str, CatalogRecord] = {}
        self.indicators: dict[str, IndicatorPublished] = {}
        self.groups: dict[str, IndicatorGroupPublished] = {}
        self.code_lists: dict[str, dict[str, CodeItem]] = {}
        self.ethnic: EthnicGroupsPublished | None = None
        self.conversions: dict[str, UnitConversionPublished] = {}
        self.agencies: dict[str, AgencyPublished] = {}
        self._units: dict[str, AdminUnitPublished] = {}  # by record key
        self._units_by_code: dict[str, list[AdminUnitPublished]] = defaultdict(list)
        self._children: dict[str, list[AdminUnitPublished]] = defaultdict(list)
        self._crosswalk: dict[tuple[EthnicCodeList, str], str] = {}

    # -- folding -------------------------------------------------------------------------------------------------

    def apply(self, key: str, record: CatalogRecord | None) -> None:
        """Fold one record of the topic (None = tombstone)."""
        old = self.records.pop(key, None)
        if old is not None:
            self._forget(key, old)
        if record is not None:
            self.records[key] = record
            self._remember(key, record)

    def _remember(self, key: str, record: CatalogRecord) -> None:
        match record:
            case IndicatorPublished():
                self.indicators[record.code] = record
            case IndicatorGroupPublished():
                self.groups[record.code] = record
            case CodeListPublished():
                self.code_lists[record.list_id] = {item.code: item for item in record.items}
            case EthnicGroupsPublished():
                self.ethnic = record
                self._crosswalk = self._build_crosswalk(record)
            case AdminUnitPublished():
                self._units[key] = record
                self._units_by_code[record.code].append(record)
                self._children[record.parent_code or NATIONAL_UNIT_CODE].append(record)
            case UnitConversionPublished():
                self.conversions[record.old_code] = record
            case AgencyPublished():
                self.agencies[record.code] = record

    def _forget(self, key: str, record: CatalogRecord) -> None:
        match record:
            case IndicatorPublished():
                self.indicators.pop(record.code, None)
            case IndicatorGroupPublished():
                self.groups.pop(record.code, None)
            case CodeListPublished():
                self.code_lists.pop(record.list_id, None)
            case EthnicGroupsPublished():
                self.ethnic, self._crosswalk = None, {}
            case AdminUnitPublished():
                self._units.pop(key, None)
                self._units_by_code[record.code].remove(record)
                self._children[record.parent_code or NATIONAL_UNIT_CODE].remove(record)
            case UnitConversionPublished():
                self.conversions.pop(record.old_code, None)
            case AgencyPublished():
                self.agencies.pop(record.code, None)

    @staticmethod
    def _build_crosswalk(record: EthnicGroupsPublished) -> dict[tuple[EthnicCodeList, str], str]:
        walk: dict[tuple[EthnicCodeList, str], str] = {}
        for group in record.groups:
            walk[(EthnicCodeList.GSO_1979, group.code_gso_1979)] = group.code_gso_1979
            walk[(EthnicCodeList.GSO_2008, group.code_gso_2008)] = group.code_gso_1979
        for extra in record.extra_codes:
            walk[(EthnicCodeList.GSO_1979, extra.code)] = extra.code
            walk[(EthnicCodeList.GSO_2008, extra.code)] = extra.code
        return walk

    # -- indicators ----------------------------------------------------------------------------------------------

    def indicator_version(self, code: str, on: date) -> IndicatorVersion | None:
        """The version of an indicator in force on `on` (use the period's end), or None."""
        indicator = self.indicators.get(code)
        if indicator is None:
            return None
        for version in reversed(indicator.versions):
            if version.effective_from <= on and (version.effective_to is None or on <= version.effective_to):
                return version
        return None

    # -- code lists and ethnic groups ----------------------------------------------------------------------------

    def has_code(self, list_id: str, code: str) -> bool:
        return code in self.code_lists.get(list_id, {})

    def canonical_ethnic(self, ref: EthnicGroupRef) -> EthnicGroupRef | None:
        """The same group in the canonical GSO 1979 list, or None when the code is not in its declared list."""
        code = self._crosswalk.get((ref.code_list, ref.code))
        return None if code is None else EthnicGroupRef(code_list=EthnicCodeList.GSO_1979, code=code)

    def ethnic_in_list(self, canonical_code: str, target: EthnicCodeList) -> str | None:
        """Translate a canonical (GSO 1979) code to `target`."""
        if target is EthnicCodeList.GSO_1979:
            return canonical_code if (EthnicCodeList.GSO_1979, canonical_code) in self._crosswalk else None
        for (code_list, code), canonical in self._crosswalk.items():
            if code_list is EthnicCodeList.GSO_2008 and canonical == canonical_code:
                return code
        return None

    # -- administrative units ------------------------------------------------------------------------------------

    def unit(self, code: str, on: date) -> AdminUnitPublished | None:
        """The unit with this code on that day (codes are unique at a given time), or None."""
        if code == NATIONAL_UNIT_CODE:
            return None
        return next((u for u in self._units_by_code.get(code, ()) if _valid_on(u, on)), None)

    def unit_versions(self, code: str) -> list[AdminUnitPublished]:
        return list(self._units_by_code.get(code, ()))

    def known_unit(self, code: str, on: date) -> bool:
        return code == NATIONAL_UNIT_CODE or self.unit(code, on) is not None

    def units(self) -> list[AdminUnitPublished]:
        return list(self._units.values())

    def children(self, code: str, on: date) -> list[AdminUnitPublished]:
        return sorted((u for u in self._children.get(code, ()) if _valid_on(u, on)), key=lambda u: u.code)

    def ancestors(self, code: str, on: date) -> list[str]:
        """Codes above the unit on that day, nearest first, ending with `VN`. Empty for `VN` or unknown units."""
        chain: list[str] = []
        unit = self.unit(code, on)
        while unit is not None:
            parent = unit.parent_code or NATIONAL_UNIT_CODE
            chain.append(parent)
            unit = self.unit(parent, on) if parent != NATIONAL_UNIT_CODE else None
        return chain

    def is_within(self, code: str, scope: str, on: date) -> bool:
        """True when `code` is `scope` or lies in its subtree on that day."""
        return code == scope or scope in self.ancestors(code, on)

    def descendants(self, code: str, on: date, level: UnitLevel | None = None) -> list[AdminUnitPublished]:
        """All units below `code` on that day (only those of `level` when given), in code order."""
        found: list[AdminUnitPublished] = []
        stack = [code]
        while stack:
            for child in self.children(stack.pop(), on):
                if level is None or child.level == level:
                    found.append(child)
                stack.append(child.code)
        return sorted(found, key=lambda u: (u.level.depth, u.code))
