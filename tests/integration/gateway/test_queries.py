"""Queries over the literal read model, through HTTP, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import openpyxl

from dantoc_gateway.api import models
from tests.support.gateway.literal import read_model
from tests.support.gateway.serving import Served

NATIONAL = ("national", "VN")


async def get(served: Served, path: str, who: tuple[str, str] = NATIONAL, **params: Any) -> Any:
    response = await served.client.get(path, params=params, headers=served.auth(*who))
    assert response.status_code == 200, response.text
    return response


def cells(body: dict[str, Any], *fields: str) -> list[tuple[Any, ...]]:
    return [tuple(o[f] for f in fields) for o in body["observations"]]


async def test_values_by_ethnic_group_with_completeness(served: Served) -> None:
    body = (await get(served, "/v1/values", indicator="0401", unit="02,04", period="2024", ethnicGroup="*")).json()
    models.Figures.model_validate(body)
    assert cells(body, "unit_code", "ethnic_group", "value") == [
        ("02", "08", 25),
        ("02", "09", 15),
        ("02", "_T", 40),
        ("04", "02", 25),
        ("04", "06", 5),
        ("04", "_T", 30),
    ]
    assert body["observations"][0]["completeness"] == {"expected": 3, "reported": 1, "no_data": 1, "silent": 1}
    assert body["labels"]["ethnic_groups"]["08"] == {"name_vi": "HMông", "name_en": "Hmong"}
    assert body["observations"][0]["unit_name"] == "Tỉnh Hà Giang"


async def test_formula_figures_carry_numerator_and_denominator(served: Served) -> None:
    body = (await get(served, "/v1/values", indicator="0403", unit="02", period="2024")).json()
    assert cells(body, "value", "numerator", "denominator", "aggregation") == [(25, 40, 160, "FORMULA")]


async def test_ethnic_codes_in_and_out_in_the_gso_2008_list(served: Served) -> None:
    body = (
        await get(
            served, "/v1/values", indicator="0401", unit="04", period="2024", ethnicGroup="04", ethnicCodeList="GSO2008"
        )
    ).json()
    assert cells(body, "ethnic_group", "value") == [("04", 5)]  # Mường
    assert body["labels"]["ethnic_groups"]["04"]["name_vi"] == "Mường"


async def test_drilldown_national_to_provinces_and_province_to_communes(served: Served) -> None:
    body = (await get(served, "/v1/drilldown", unit="VN", indicator="0401", period="2024")).json()
    models.Drilldown.model_validate(body)
    assert cells(body, "unit_code", "value") == [("02", 40), ("04", 30)]
    assert [c["code"] for c in body["children"]] == ["02", "04"]
    body = (await get(served, "/v1/drilldown", unit="02", indicator="0401", period="2024", level="commune")).json()
    assert cells(body, "unit_code", "value") == [("00715", 40), ("00716", None)]  # 00720 sent nothing
    assert body["children"] is None
    body = (await get(served, "/v1/drilldown", unit="02", indicator="0401", period="2025")).json()
    assert cells(body, "unit_code", "value") == [("00715", 35)]  # the new map: communes straight under the province
    assert body["children"] == [{"period": "2025", "code": "00715", "name": "Xã Lũng Cú", "level": "commune"}]


async def test_series_over_five_years_and_across_the_map_change(served: Served) -> None:
    body = (await get(served, "/v1/series", indicator="0401", unit="02", periodFrom="2020", periodTo="2024")).json()
    assert cells(body, "period", "value") == [("2020", 60), ("2021", 55), ("2022", 50), ("2023", 45), ("2024", 40)]
    body = (await get(served, "/v1/series", indicator="0401", unit="02", periodFrom="2023", periodTo="2025")).json()
    assert cells(body, "period", "value") == [("2023", 45), ("2024", 40), ("2025", 35)]


async def test_comparisons_across_ethnic_groups_and_sexes(served: Served) -> None:
    body = (await get(served, "/v1/comparison", indicator="0401", unit="02", period="2024")).json()
    assert cells(body, "ethnic_group", "value") == [("08", 25), ("09", 15), ("_T", 40)]
    body = (await get(served, "/v1/comparison", indicator="0104", unit="02", period="2024", by="sex")).json()
    assert cells(body, "sex", "value") == [("1", 70), ("_T", 160)]


async def test_completeness_says_who_reported(served: Served) -> None:
    body = (await get(served, "/v1/completeness", unit="02", period="2024", group="04")).json()
    models.Completeness.model_validate(body)
    assert body["summary"] == {"expected": 3, "reported": 1, "no_data": 1, "silent": 1}
    assert [i["code"] for i in body["groups"][0]["indicators"]] == ["0401"]  # the rate 0403 is derived, not reported
    assert {u["code"]: u["indicators"]["0401"] for u in body["units"]} == {
        "00715": "reported",
        "00716": "no_data",
        "00720": "silent",
    }
    silent = (await get(served, "/v1/completeness", unit="02", period="2024", group="04", status="silent")).json()
    assert [u["code"] for u in silent["units"]] == ["00720"]
    text = (await get(served, "/v1/completeness", unit="02", period="2024", group="04", format="csv")).text
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][-1] == "Tình trạng"
    assert [r[0] for r in rows[1:] if r[-1] == "Chưa báo cáo"] == ["00720"]
    xlsx = (await get(served, "/v1/completeness", unit="02", period="2024", format="xlsx")).content
    assert openpyxl.load_workbook(io.BytesIO(xlsx)).worksheets[0]["A4"].value == "Mã đơn vị"


async def test_change_feed_pages_through_everything_once(served: Served) -> None:
    seen: list[tuple[str, str, str]] = []
    params: dict[str, Any] = {"updatedAfter": "2000-01-01T00:00:00Z", "pageSize": 7}
    while True:
        body = (await get(served, "/v1/changes", **params)).json()
        models.Changes.model_validate(body)
        seen += [(c["unit_code"], c["period"], c["ethnic_group"]) for c in body["changes"] if c["indicator"] == "0401"]
        assert all(c["action"] == "upsert" for c in body["changes"])
        if body["meta"]["next_cursor"] is None:
            break
        params = {"cursor": body["meta"]["next_cursor"], "pageSize": 7}
    expected = [m for m in read_model() if m.indicator == "0401"]
    assert len(seen) == len(set(seen)) == len(expected)
    later = (await get(served, "/v1/changes", updatedAfter=body["meta"]["last_updated"] or "2000-01-01")).json()
    assert later["changes"] == []


async def test_every_format(served: Served) -> None:
    query: dict[str, Any] = {"indicator": "0401", "unit": "02", "period": "2024", "ethnicGroup": "*"}
    text = (await get(served, "/v1/values", **query, format="csv")).text
    assert text.startswith("\ufeffMã chỉ tiêu,Tên chỉ tiêu")
    english = (await get(served, "/v1/values", **query, format="csv", lang="en")).text
    assert english.startswith("\ufeffIndicator code,Indicator")
    response = await get(served, "/v1/values", **query, format="xlsx")
    assert response.headers["content-disposition"].endswith('.xlsx"')
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert sheet["D5"].value == "Tỉnh Hà Giang"
    sdmx = list(csv.DictReader(io.StringIO((await get(served, "/v1/values", **query, format="sdmx-csv")).text)))
    assert [(r["REF_AREA"], r["ETHNIC_GROUP"], r["OBS_VALUE"]) for r in sdmx] == [
        ("02", "08", "25"),
        ("02", "09", "15"),
        ("02", "_T", "40"),
    ]
    response = await get(served, "/v1/values", **query, format="sdmx-json")
    assert response.headers["content-type"].startswith("application/vnd.sdmx.data+json")
    assert len(response.json()["data"]["dataSets"][0]["observations"]) == 3
    negotiated = await served.client.get(
        "/v1/values", params=query, headers={**served.auth(*NATIONAL), "Accept": "text/csv"}
    )
    assert negotiated.headers["content-type"].startswith("text/csv")


async def test_sdmx_structure_and_catalog_lookups(served: Served) -> None:
    structure = json.loads((await get(served, "/v1/sdmx/structure")).content)
    assert [d["id"] for d in structure["data"]["dataflows"]] == ["DF_DANTOC", "DF_DANTOC_GSO2008"]
    xml = (await get(served, "/v1/sdmx/structure", format="sdmx-ml")).content
    assert xml.startswith(b"<?xml")
    assert b"CL_ETHNIC_GROUP_GSO2008" in xml
    indicators = (await get(served, "/v1/indicators", group="04")).json()
    assert [(i["code"], i["group_name_vi"]) for i in indicators] == [
        ("0401", "Đói nghèo và an sinh xã hội"),
        ("0403", "Đói nghèo và an sinh xã hội"),
    ]
    units = (await get(served, "/v1/units", unit="02", period="2025")).json()
    assert units == [{"code": "00715", "name": "Xã Lũng Cú", "level": "commune", "parent_code": "02"}]


async def test_paging(served: Served) -> None:
    response = await get(
        served, "/v1/values", indicator="0401", unit="02,04", period="2024", ethnicGroup="*", pageSize=4
    )
    body = response.json()
    assert (body["meta"]["total"], body["meta"]["pages"], len(body["observations"])) == (6, 2, 4)
    assert response.headers["x-total-count"] == "6"
    assert 'rel="next"' in response.headers["link"]
    second = (await served.client.get(body["meta"]["next"], headers=served.auth(*NATIONAL))).json()
    assert len(second["observations"]) == 2
    assert second["meta"]["next"] is None
