"""Names shown beside codes: indicators, units, ethnic groups and code-list items, in Vietnamese and English."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from dantoc_contracts.catalog_view import CatalogView
from dantoc_contracts.codes import NATIONAL_UNIT_CODE, TOTAL, EthnicCodeList
from dantoc_contracts.periods import Period

TOTAL_VI, TOTAL_EN = "Tổng số", "Total"
NATION_VI, NATION_EN = "Toàn quốc", "Viet Nam"


@dataclass(frozen=True)
class IndicatorLabel:
    name_vi: str
    name_en: str
    unit_vi: str
    unit_en: str
    group_code: str


@cache
def _period_end(period: str) -> object:
    return Period.parse(period).end


class Labels:
    """Look-ups over the catalog view for one response (memoised)."""

    def __init__(self, catalog: CatalogView, ethnic_list: EthnicCodeList = EthnicCodeList.GSO_1979) -> None:
        self.catalog = catalog
        self.ethnic_list = ethnic_list
        self._units: dict[tuple[str, str], str] = {}
        self._indicators: dict[tuple[str, str], IndicatorLabel] = {}
        self._ethnic = self._ethnic_names()

    def indicator(self, code: str, period: str) -> IndicatorLabel:
        found = self._indicators.get((code, period))
        if found is None:
            found = self._indicator(code, period)
            self._indicators[(code, period)] = found
        return found

    def _indicator(self, code: str, period: str) -> IndicatorLabel:
        indicator = self.catalog.indicators.get(code)
        if indicator is None:
            return IndicatorLabel(code, code, "", "", code[:2])
        version = self.catalog.indicator_version(code, _period_end(period)) or indicator.versions[-1]  # type: ignore[arg-type]
        return IndicatorLabel(version.name_vi, version.name_en, version.unit_vi, version.unit_en, indicator.group_code)

    def unit(self, code: str, period: str) -> str:
        """`Tỉnh Hà Giang`, read on the map of the period (the code alone when unknown then)."""
        found = self._units.get((code, period))
        if found is None:
            if code == NATIONAL_UNIT_CODE:
                found = NATION_VI
            else:
                unit = self.catalog.unit(code, _period_end(period))  # type: ignore[arg-type]
                found = f"{unit.type} {unit.name}" if unit is not None else code
            self._units[(code, period)] = found
        return found

    def ethnic_code(self, canonical: str) -> str:
        """The code in the caller's list (`_T` stays; an untranslatable code is returned as stored)."""
        if canonical == TOTAL or self.ethnic_list is EthnicCodeList.GSO_1979:
            return canonical
        return self.catalog.ethnic_in_list(canonical, self.ethnic_list) or canonical

    def ethnic(self, canonical: str) -> tuple[str, str]:
        return self._ethnic.get(canonical, (canonical, canonical))

    def _ethnic_names(self) -> dict[str, tuple[str, str]]:
        names = {TOTAL: (TOTAL_VI, TOTAL_EN)}
        ethnic = self.catalog.ethnic
        if ethnic is not None:
            for group in ethnic.groups:
                name_vi = group.name_vi_gso_2008 if self.ethnic_list is EthnicCodeList.GSO_2008 else group.name_vi
                names[group.code_gso_1979] = (name_vi, group.name_en)
            for extra in ethnic.extra_codes:
                names[extra.code] = (extra.name_vi, extra.name_en)
        return names

    def code(self, list_id: str, code: str) -> tuple[str, str]:
        if code == TOTAL:
            return TOTAL_VI, TOTAL_EN
        item = self.catalog.code_lists.get(list_id, {}).get(code)
        return (item.name_vi, item.name_en) if item is not None else (code, code)

    def group(self, code: str) -> tuple[str, str]:
        group = self.catalog.groups.get(code)
        return (group.name_vi, group.name_en) if group is not None else (code, code)
