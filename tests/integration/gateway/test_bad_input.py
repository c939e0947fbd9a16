"""Bad input: a 4xx problem document naming every faulty parameter and why; never a 500."""

from __future__ import annotations

import pytest

from tests.support.gateway.serving import Served

# (path, parameters, every (code, field) expected)
BAD = [
    (
        "/v1/values",
        {"indicater": "0401", "unit": "02", "period": "2024", "format": "pdf"},
        {("unknown_parameter", "indicater"), ("missing_parameter", "indicator"), ("unsupported_value", "format")},
    ),
    (
        "/v1/values",
        {},
        {("missing_parameter", "indicator"), ("missing_parameter", "unit"), ("missing_parameter", "period")},
    ),
    (
        "/v1/values",
        {"indicator": "0401,9999,x", "unit": "02,99,ABC", "period": "2024,2024Q5", "sex": "7", "ethnicGroup": "77"},
        {
            ("unknown_indicator", "indicator"),
            ("malformed_code", "indicator"),
            ("unknown_unit", "unit"),
            ("malformed_code", "unit"),
            ("malformed_period", "period"),
            ("unknown_code", "sex"),
            ("unknown_code", "ethnicGroup"),
        },
    ),
    ("/v1/values", {"indicator": "0502", "unit": "02", "period": "2024"}, {("period_type_mismatch", "period")}),
    (
        "/v1/values",
        {"indicator": "0401", "unit": "00720", "period": "2025"},
        {("unknown_unit", "unit")},
    ),  # not on the new map
    (
        "/v1/values",
        {"indicator": "0401", "unit": "02", "period": "2024", "pageSize": "100001"},
        {("page_size_too_large", "pageSize")},
    ),
    (
        "/v1/values",
        {"indicator": "0401", "unit": "02", "period": "2024", "pageSize": "abc"},
        {("not_a_number", "pageSize")},
    ),
    (
        "/v1/values",
        {"indicator": "0401", "unit": "02", "period": "2024", "format": "pdf"},
        {("unsupported_value", "format")},
    ),
    (
        "/v1/values",
        {"indicator": "0401", "unit": "02", "period": "2024", "ethnicCodeList": "GSO1999", "lang": "fr"},
        {("unsupported_value", "ethnicCodeList"), ("unsupported_value", "lang")},
    ),
    (
        "/v1/values",
        {"indicator": ",".join(f"{i:04d}" for i in range(600)), "unit": "02", "period": "2024"},
        {("too_many_codes", "indicator")},
    ),
    ("/v1/drilldown", {"indicator": "0401", "unit": "02,04", "period": "2024"}, {("too_many_codes", "unit")}),
    (
        "/v1/drilldown",
        {"indicator": "0401", "unit": "02", "period": "2024", "level": "hamlet"},
        {("unsupported_value", "level")},
    ),
    (
        "/v1/series",
        {"indicator": "0401", "unit": "02", "periodFrom": "2024", "periodTo": "2020"},
        {("period_range", "periodTo")},
    ),
    (
        "/v1/series",
        {"indicator": "0401", "unit": "02", "periodFrom": "1900", "periodTo": "2100"},
        {("too_many_codes", "periodTo")},
    ),
    (
        "/v1/series",
        {"indicator": "0401", "unit": "02", "periodFrom": "2024", "periodTo": "2025Q1"},
        {("period_range", "periodTo")},
    ),
    (
        "/v1/comparison",
        {"indicator": "0401", "unit": "02", "period": "2024", "by": "religion"},
        {("unsupported_value", "by")},
    ),
    ("/v1/completeness", {"unit": "02", "period": "2024,2025"}, {("too_many_codes", "period")}),
    (
        "/v1/completeness",
        {"unit": "02", "period": "2024", "status": "late", "group": "99"},
        {("unsupported_value", "status"), ("unknown_group", "group")},
    ),
    ("/v1/changes", {}, {("missing_parameter", "updatedAfter")}),
    ("/v1/changes", {"updatedAfter": "last tuesday"}, {("malformed_timestamp", "updatedAfter")}),
    ("/v1/changes", {"cursor": "%%%"}, {("malformed_cursor", "cursor")}),
    ("/v1/units", {"unit": "02"}, {("missing_parameter", "period")}),
]


@pytest.mark.parametrize(("path", "params", "expected"), BAD)
async def test_bad_input_is_a_problem_document(
    served: Served, path: str, params: dict[str, str], expected: set[tuple[str, str]]
) -> None:
    response = await served.client.get(path, params=params, headers=served.auth("national", "VN"))
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert {(e["code"], e["location"]["field"]) for e in problem["errors"]} == expected
    assert all(e["message_vi"] and e["message_en"] for e in problem["errors"])
    assert problem["instance"] == path


async def test_oversize_requests_say_how_to_page(served: Served) -> None:
    response = await served.client.get(
        "/v1/values",
        params={"indicator": "0401", "unit": "02", "period": "2024", "pageSize": "20000"},
        headers=served.auth("national", "VN"),
    )
    error = response.json()["errors"][0]
    assert "page=2" in error["message_en"]
    assert "10000" in error["message_en"]


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [("GET", "/v1/nothing", 404), ("POST", "/v1/values", 405), ("DELETE", "/health", 405)],
)
async def test_unknown_routes_and_methods(served: Served, method: str, path: str, status: int) -> None:
    response = await served.client.request(method, path, headers=served.auth("national", "VN"))
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
