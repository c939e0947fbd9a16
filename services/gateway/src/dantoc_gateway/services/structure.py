"""The published SDMX structure, built from the catalog: codelists, concepts, two DSDs and their dataflows.

Two data structure definitions differ only in the ethnic-group codelist (GSO 1979, the canonical list, or
GSO 2008), so a receiver validates data exported in the list it asked for.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dantoc_contracts.catalog_view import CatalogView
from dantoc_contracts.codes import NATIONAL_UNIT_CODE, TOTAL, EthnicCodeList
from dantoc_gateway.formats.sdmx_ids import OBS_STATUS, ethnic_codelist
from dantoc_gateway.services.labels import NATION_EN, NATION_VI, TOTAL_EN, TOTAL_VI


@dataclass(frozen=True)
class Code:
    id: str
    name_vi: str
    name_en: str
    parent: str | None = None
    annotation: str | None = None


@dataclass
class Codelist:
    id: str
    name_vi: str
    name_en: str
    codes: list[Code] = field(default_factory=list)


def _total() -> Code:
    return Code(TOTAL, TOTAL_VI, TOTAL_EN)


def _simple(catalog: CatalogView, list_id: str, ident: str, vi: str, en: str) -> Codelist:
    items = sorted(catalog.code_lists.get(list_id, {}).values(), key=lambda i: (i.sort_order, i.code))
    return Codelist(ident, vi, en, [_total(), *(Code(i.code, i.name_vi, i.name_en) for i in items)])


def _indicators(catalog: CatalogView) -> Codelist:
    codes = []
    for code, indicator in sorted(catalog.indicators.items()):
        latest = indicator.versions[-1]
        codes.append(Code(code, latest.name_vi, latest.name_en, annotation=f"{latest.unit_vi} | {latest.unit_en}"))
    return Codelist("CL_INDICATOR", "Chỉ tiêu thống kê công tác dân tộc", "Ethnic affairs indicators", codes)


def _areas(catalog: CatalogView) -> Codelist:
    """Every unit code once (codes are reused across maps): the newest name, all versions in the annotation."""
    versions: dict[str, list[str]] = {}
    newest: dict[str, Code] = {}
    for unit in sorted(catalog.units(), key=lambda u: (u.code, u.valid_from is not None, u.valid_from)):
        since = unit.valid_from.isoformat() if unit.valid_from else ""
        until = unit.valid_to.isoformat() if unit.valid_to else ""
        versions.setdefault(unit.code, []).append(f"{since}/{until} {unit.type} {unit.name}")
        parent = unit.parent_code or NATIONAL_UNIT_CODE
        newest[unit.code] = Code(unit.code, f"{unit.type} {unit.name}", f"{unit.name} ({unit.level.value})", parent)
    codes = [Code(NATIONAL_UNIT_CODE, NATION_VI, NATION_EN)]
    for code, found in newest.items():
        codes.append(Code(found.id, found.name_vi, found.name_en, found.parent, "; ".join(versions[code])))
    return Codelist("CL_AREA", "Đơn vị hành chính", "Administrative units", codes)


def _ethnic(catalog: CatalogView, code_list: EthnicCodeList) -> Codelist:
    codes = [_total()]
    if catalog.ethnic is not None:
        for group in catalog.ethnic.groups:
            if code_list is EthnicCodeList.GSO_1979:
                codes.append(Code(group.code_gso_1979, group.name_vi, group.name_en))
            else:
                codes.append(Code(group.code_gso_2008, group.name_vi_gso_2008, group.name_en))
        codes.extend(Code(e.code, e.name_vi, e.name_en) for e in catalog.ethnic.extra_codes)
    codes = [codes[0], *sorted(codes[1:], key=lambda c: c.id)]
    source = "QĐ 121-TCTK/PPCĐ (1979)" if code_list is EthnicCodeList.GSO_1979 else "QĐ 1019/QĐ-TCTK (2008)"
    return Codelist(ethnic_codelist(code_list), f"Danh mục dân tộc {source}", f"Ethnic groups, {source}", codes)


def codelists(catalog: CatalogView) -> list[Codelist]:
    return [
        _indicators(catalog),
        _areas(catalog),
        _ethnic(catalog, EthnicCodeList.GSO_1979),
        _ethnic(catalog, EthnicCodeList.GSO_2008),
        _simple(catalog, "sex", "CL_SEX", "Giới tính", "Sex"),
        _simple(catalog, "age_group", "CL_AGE", "Nhóm tuổi", "Age group"),
        _simple(catalog, "residence", "CL_RESIDENCE", "Thành thị/nông thôn", "Urban/rural"),
        Codelist(
            "CL_OBS_STATUS", "Tình trạng số liệu", "Observation status", [Code(k, *v) for k, v in OBS_STATUS.items()]
        ),
    ]


DIMENSION_CODELISTS = {
    "INDICATOR": "CL_INDICATOR",
    "REF_AREA": "CL_AREA",
    "SEX": "CL_SEX",
    "AGE": "CL_AGE",
    "RESIDENCE": "CL_RESIDENCE",
}
