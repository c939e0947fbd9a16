"""Query parameters of the routes, documented in OpenAPI; their values are read together by `ParamReader`.

They are not FastAPI parameters on purpose: one reader checks them all and reports every fault at once.
"""

from __future__ import annotations

from typing import Any


def _text(description: str, example: str) -> dict[str, Any]:
    return {"schema": {"type": "string"}, "description": description, "example": example}


def _choice(description: str, values: tuple[str, ...]) -> dict[str, Any]:
    return {"schema": {"type": "string", "enum": list(values)}, "description": description, "example": values[0]}


def _number(description: str, example: int) -> dict[str, Any]:
    return {"schema": {"type": "integer", "minimum": 1}, "description": description, "example": example}


PARAMETERS: dict[str, dict[str, Any]] = {
    "indicator": _text("Indicator code(s), comma-separated.", "0401"),
    "group": _text("Indicator group code(s): every indicator of the group.", "04"),
    "unit": _text("Unit code(s): `VN`, province (2 digits), district (3), commune (5); one for drill-downs.", "02"),
    "period": _text("Period(s): `2024`, `2024S1`, `2024Q3`, `202407`.", "2024"),
    "periodFrom": _text("First period of a range.", "2020"),
    "periodTo": _text("Last period of a range (same type as periodFrom).", "2024"),
    "ethnicGroup": _text("Ethnic codes in `ethnicCodeList`; `_T` total (default), `*` every group.", "*"),
    "sex": _text("Sex codes (1 male, 2 female); `_T` total (default), `*` all.", "_T"),
    "ageGroup": _text("Age group codes (`Y0T4`…); `_T` total (default), `*` all.", "_T"),
    "residence": _text("Residence codes (1 urban, 2 rural); `_T` total (default), `*` all.", "_T"),
    "ethnicCodeList": _choice("Ethnic code list of input and output (default GSO1979).", ("GSO1979", "GSO2008")),
    "lang": _choice("Language of CSV and XLSX headers and names (default vi).", ("vi", "en")),
    "page": _number("Page number, from 1.", 1),
    "pageSize": _number("Figures per page, at most the server's limit (10,000 by default).", 1000),
    "level": _choice("Drill to every unit of this level instead of the direct children.", ("commune", "district")),
    "by": _choice("Dimension compared (default ethnic_group).", ("ethnic_group", "sex", "age_group", "residence")),
    "status": _choice("Only units with at least one indicator in this status.", ("silent", "no_data", "reported")),
    "updatedAfter": _text("ISO 8601 time: the changes strictly after it.", "2025-01-01T00:00:00Z"),
    "cursor": _text("Opaque cursor from `meta.next_cursor` (continues the same feed; replaces updatedAfter).", ""),
}

CELLS = ("ethnicGroup", "sex", "ageGroup", "residence", "ethnicCodeList", "lang", "format", "page", "pageSize")
VALUES = ("indicator", "group", "unit", "period", *CELLS)
DRILLDOWN = ("unit", "indicator", "group", "period", "level", *CELLS)
SERIES = ("indicator", "group", "unit", "periodFrom", "periodTo", "period", *CELLS)
COMPARISON = ("indicator", "group", "unit", "period", "by", *CELLS)
COMPLETENESS = ("unit", "period", "group", "indicator", "status", "lang", "format", "page", "pageSize")
CHANGES = ("updatedAfter", "cursor", "indicator", "group", "ethnicCodeList", "lang", "format", "pageSize")
STRUCTURE = ("format",)
INDICATORS = ("group",)
UNITS = ("unit", "period")


def documented(names: tuple[str, ...], formats: tuple[str, ...] = ()) -> dict[str, Any]:
    """`openapi_extra` listing the query parameters `names` (`format` with the formats the route serves)."""
    listed = [{"name": n, "in": "query", "required": False, **PARAMETERS[n]} for n in names if n != "format"]
    if formats:
        answer = _choice("Answer format (or use the Accept header).", formats)
        listed.append({"name": "format", "in": "query", "required": False, **answer})
    return {"parameters": listed}
