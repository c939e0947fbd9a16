"""Examples shown in the OpenAPI document (real rows of the starter catalogue)."""

from __future__ import annotations

from typing import Any

GROUP: dict[str, Any] = {"code": "01", "name_vi": "Người dân tộc thiểu số", "name_en": "Ethnic minority population"}

VERSION: dict[str, Any] = {
    "version": 1,
    "effective_from": "2019-01-01",
    "effective_to": None,
    "name_vi": "Dân số người dân tộc thiểu số",
    "name_en": "Ethnic minority population",
    "unit_vi": "Người",
    "unit_en": "persons",
    "value_type": "integer",
    "aggregation": "LAST",
    "formula": None,
    "disaggregations": ["ethnic_group", "sex", "age_group", "residence"],
    "lowest_level": "commune",
    "period_type": "year",
    "agency": "CTK",
    "min_value": "0",
    "max_value": None,
    "source": "TT 06/2014/TT-UBDT mục A.I (0101)",
}

INDICATOR: dict[str, Any] = {"code": "0101", "group": GROUP, "versions": [VERSION]}

NEW_VERSION: dict[str, Any] = {
    "effective_from": "2026-01-01",
    "name_vi": "Dân số người dân tộc thiểu số",
    "name_en": "Ethnic minority population",
    "unit_vi": "Người",
    "unit_en": "persons",
    "value_type": "integer",
    "aggregation": "LAST",
    "disaggregations": ["ethnic_group", "sex"],
    "lowest_level": "commune",
    "period_type": "year",
    "agency": "CTK",
    "min_value": "0",
    "source": "TT 03/2019/TT-UBDT",
}

IMPORT_REPORT: dict[str, Any] = {
    "dry_run": True,
    "file_format": "csv",
    "indicators": 78,
    "versions": 79,
    "groups": 14,
    "added": [],
    "changed": ["0101"],
    "removed": [],
}

UNITS_IMPORT_REPORT: dict[str, Any] = {
    "dry_run": True,
    "file_format": "csv",
    "units": 14150,
    "added": 1,
    "changed": 1,
    "removed": 0,
}

CODE_LIST: dict[str, Any] = {
    "list_id": "sex",
    "items": [{"code": "1", "name_vi": "Nam", "name_en": "Male", "sort_order": 1}],
}

ETHNIC_GROUP: dict[str, Any] = {
    "code_gso_1979": "04",
    "code_gso_2008": "06",
    "name_vi": "Hoa",
    "name_en": "Hoa (ethnic Chinese)",
    "name_vi_gso_2008": "Hoa (Hán)",
    "aliases": ["Hán", "Triều Châu", "Phúc Kiến"],
}

AGENCY: dict[str, Any] = {
    "code": "BDT-08",
    "name_vi": "Cơ quan công tác dân tộc tỉnh Tuyên Quang",
    "name_en": "Ethnic affairs agency of Tuyên Quang province",
    "agency_type": "BDT",
    "scope_unit_code": "08",
}

UNIT: dict[str, Any] = {
    "code": "08",
    "level": "province",
    "name": "Tuyên Quang",
    "type": "Tỉnh",
    "parent_code": None,
    "valid_from": "2025-07-01",
    "valid_to": None,
}

CONVERSION: dict[str, Any] = {
    "old_code": "00007",
    "effective": "2025-07-01",
    "old_units": [],
    "targets": [{"new_code": "00008", "kind": "partial", "area_share": None, "unit": None}],
}


def examples(*values: dict[str, Any]) -> dict[str, Any]:
    """`json_schema_extra` of a model with these examples."""
    return {"examples": list(values)}
