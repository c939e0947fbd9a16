"""Who sees what, through every route and format: a province never reads another province's figures."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from tests.support.gateway.serving import Served

FIGURE_FORMATS = ["json", "csv", "xlsx", "sdmx-csv", "sdmx-json"]
HA_GIANG = {"02", "026", "027", "00715", "00716", "00720"}

# (route, parameters asking for Cao Bằng (04) or the nation, formats the route serves)
CROSS_PROVINCE = [
    ("/v1/values", {"indicator": "0401", "unit": "04", "period": "2024"}, FIGURE_FORMATS),
    ("/v1/values", {"indicator": "0401", "unit": "02,04", "period": "2024"}, FIGURE_FORMATS),
    ("/v1/values", {"indicator": "0401", "unit": "01279", "period": "2025"}, FIGURE_FORMATS),
    ("/v1/values", {"indicator": "0401", "unit": "VN", "period": "2024"}, FIGURE_FORMATS),
    ("/v1/drilldown", {"indicator": "0401", "unit": "04", "period": "2024"}, FIGURE_FORMATS),
    ("/v1/drilldown", {"indicator": "0401", "unit": "VN", "period": "2024"}, FIGURE_FORMATS),
    ("/v1/drilldown", {"indicator": "0401", "unit": "VN", "period": "2024", "level": "commune"}, FIGURE_FORMATS),
    ("/v1/series", {"indicator": "0401", "unit": "04", "periodFrom": "2020", "periodTo": "2025"}, FIGURE_FORMATS),
    ("/v1/comparison", {"indicator": "0401", "unit": "04", "period": "2024"}, FIGURE_FORMATS),
    ("/v1/completeness", {"unit": "04", "period": "2024"}, ["json", "csv", "xlsx"]),
    ("/v1/completeness", {"unit": "VN", "period": "2024"}, ["json", "csv", "xlsx"]),
]
CASES = [(path, params, fmt) for path, params, formats in CROSS_PROVINCE for fmt in formats]


@pytest.mark.parametrize(("path", "params", "fmt"), CASES)
async def test_a_province_cannot_read_another(served: Served, path: str, params: dict[str, str], fmt: str) -> None:
    response = await served.client.get(path, params={**params, "format": fmt}, headers=served.auth("provincial", "02"))
    assert response.status_code == 403, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 403
    assert {e["code"] for e in problem["errors"]} == {"outside_scope"}
    assert "02" not in {e["value"] for e in problem["errors"]}  # only the units outside are named
    assert all(e["location"]["field"] == "unit" for e in problem["errors"])


@pytest.mark.parametrize("fmt", ["json", "csv", "sdmx-csv", "sdmx-json"])
async def test_the_change_feed_only_carries_the_callers_subtree(served: Served, fmt: str) -> None:
    params = {"updatedAfter": "2000-01-01T00:00:00Z", "format": fmt}
    response = await served.client.get("/v1/changes", params=params, headers=served.auth("provincial", "02"))
    assert response.status_code == 200
    if fmt == "json":
        units = {c["unit_code"] for c in response.json()["changes"]}
    elif fmt == "sdmx-json":
        structure = response.json()["data"]["structures"][0]
        units = {v["id"] for v in structure["dimensions"]["observation"][1]["values"]}
    else:
        column = "REF_AREA" if fmt == "sdmx-csv" else "Mã đơn vị"
        units = {row[column] for row in csv.DictReader(io.StringIO(response.text.lstrip("\ufeff")))}
    assert units
    assert units <= HA_GIANG


async def test_own_province_and_the_new_map(served: Served) -> None:
    ha_giang = served.auth("provincial", "02")
    for params in (
        {"indicator": "0401", "unit": "02,00715", "period": "2024"},
        {"indicator": "0401", "unit": "00715", "period": "2025"},  # the reused code under 02 on the new map
    ):
        assert (await served.client.get("/v1/values", params=params, headers=ha_giang)).status_code == 200
    response = await served.client.get(
        "/v1/values",
        params={"indicator": "0401", "unit": "00715", "period": "2025"},
        headers=served.auth("provincial", "04"),
    )
    assert response.status_code == 403


PROTECTED = [
    "/v1/values?indicator=0401&unit=02&period=2024",
    "/v1/drilldown?indicator=0401&unit=02&period=2024",
    "/v1/series?indicator=0401&unit=02&periodFrom=2020&periodTo=2024",
    "/v1/comparison?indicator=0401&unit=02&period=2024",
    "/v1/completeness?unit=02&period=2024",
    "/v1/changes?updatedAfter=2000-01-01",
    "/v1/sdmx/structure",
    "/v1/indicators",
    "/v1/units",
]


@pytest.mark.parametrize("path", PROTECTED)
@pytest.mark.parametrize("token", ["none", "garbage", "expired", "basic"])
async def test_without_a_valid_token_only_health_and_readiness(served: Served, path: str, token: str) -> None:
    headers: dict[str, Any] = {
        "none": {},
        "garbage": {"Authorization": "Bearer not.a.token"},
        "expired": served.auth("national", "VN", ttl=-600),
        "basic": {"Authorization": "Basic dXNlcjpwdw=="},
    }[token]
    response = await served.client.get(path, headers=headers)
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert response.json()["errors"][0]["code"] in {"missing_token", "invalid_token"}
    for open_path in ("/health", "/ready"):
        assert (await served.client.get(open_path)).status_code == 200


@pytest.mark.parametrize(
    ("role", "scope", "claims", "code"),
    [
        ("national", "VN", {"rights": ["submit"]}, "read_right_required"),  # submitting is not reading
        ("provincial", "02", {"rights": "submit"}, "read_right_required"),
        ("provincial", "02", {"agency": "SO-KHONG-CO"}, "agency_not_registered"),
        ("national", "VN", {"agency": "SO-KHONG-CO"}, "agency_not_registered"),
        ("provincial", "04", {"agency": "SYT-02"}, "outside_scope"),  # beside its agency's registered scope
    ],
)
async def test_a_token_reads_only_with_the_read_right_within_its_agencys_scope(
    served: Served, role: str, scope: str, claims: dict[str, Any], code: str
) -> None:
    params = {"indicator": "0401", "unit": "04", "period": "2024"}
    response = await served.client.get("/v1/values", params=params, headers=served.auth(role, scope, **claims))
    assert response.status_code == 403, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert [e["code"] for e in response.json()["errors"]] == [code]


async def test_a_token_is_narrowed_to_its_agencys_registered_scope(served: Served) -> None:
    # SYT-02 is registered for Hà Giang (02): a token of it scoped VN reads 02, and not Cao Bằng (04)
    headers = served.auth("provincial", "VN", agency="SYT-02")
    own = await served.client.get(
        "/v1/values", params={"indicator": "0401", "unit": "02", "period": "2024"}, headers=headers
    )
    assert own.status_code == 200, own.text
    other = await served.client.get(
        "/v1/values", params={"indicator": "0401", "unit": "04", "period": "2024"}, headers=headers
    )
    assert other.status_code == 403
    assert [e["code"] for e in other.json()["errors"]] == ["outside_scope"]
