"""An agency sees exactly the units it has submitted for, through every route and format (SQLite and PostgreSQL).

The literal submissions: UBNDX-00715 (Lũng Cú's people's committee) submitted for commune 00715 in 2024; SYT-02 has
submitted nothing. Neither sees the district (026) or province (02) above, nor the neighbouring commune 00716.
"""

from __future__ import annotations

import pytest

from tests.support.gateway.exports import units_in
from tests.support.gateway.serving import Served

FIGURE_FORMATS = ["json", "csv", "xlsx", "sdmx-csv", "sdmx-json"]
TABLE_FORMATS = ["json", "csv", "xlsx"]
CHANGE_FORMATS = ["json", "csv", "sdmx-csv", "sdmx-json"]
LUNG_CU = "UBNDX-00715"

OWN = [  # every period and indicator at the unit it submitted for (2025: the code on the new map)
    ("/v1/values", {"indicator": "0401", "unit": "00715", "period": "2024", "ethnicGroup": "*"}, FIGURE_FORMATS),
    ("/v1/values", {"indicator": "0401", "unit": "00715", "period": "2025"}, FIGURE_FORMATS),
    ("/v1/series", {"indicator": "0401", "unit": "00715", "periodFrom": "2023", "periodTo": "2025"}, FIGURE_FORMATS),
    ("/v1/comparison", {"indicator": "0401", "unit": "00715", "period": "2024"}, FIGURE_FORMATS),
    ("/v1/completeness", {"unit": "00715", "period": "2024"}, TABLE_FORMATS),
]
OTHERS = [  # the neighbouring commune, the district and province above, the nation
    ("/v1/values", {"indicator": "0401", "unit": "00716", "period": "2024"}, FIGURE_FORMATS),
    ("/v1/values", {"indicator": "0401", "unit": "026", "period": "2024"}, FIGURE_FORMATS),
    ("/v1/values", {"indicator": "0401", "unit": "02", "period": "2025"}, FIGURE_FORMATS),
    ("/v1/drilldown", {"indicator": "0401", "unit": "026", "period": "2024"}, FIGURE_FORMATS),
    ("/v1/drilldown", {"indicator": "0401", "unit": "02", "period": "2024", "level": "commune"}, FIGURE_FORMATS),
    ("/v1/drilldown", {"indicator": "0401", "unit": "VN", "period": "2024"}, FIGURE_FORMATS),
    ("/v1/series", {"indicator": "0401", "unit": "02", "periodFrom": "2020", "periodTo": "2025"}, FIGURE_FORMATS),
    ("/v1/comparison", {"indicator": "0401", "unit": "00716", "period": "2024"}, FIGURE_FORMATS),
    ("/v1/completeness", {"unit": "026", "period": "2024"}, TABLE_FORMATS),
    ("/v1/completeness", {"unit": "VN", "period": "2024"}, TABLE_FORMATS),
]


def _cases(table: list[tuple[str, dict[str, str], list[str]]]) -> list[tuple[str, dict[str, str], str]]:
    return [(path, params, fmt) for path, params, formats in table for fmt in formats]


@pytest.mark.parametrize(("path", "params", "fmt"), _cases(OWN))
async def test_an_agency_sees_the_units_it_submitted_for(
    served: Served, path: str, params: dict[str, str], fmt: str
) -> None:
    headers = served.auth("agency", "02", agency=LUNG_CU)  # the token's scope (02) does not widen what it sees
    response = await served.client.get(path, params={**params, "format": fmt}, headers=headers)
    assert response.status_code == 200, response.text
    assert units_in(response, fmt) == {"00715"}


@pytest.mark.parametrize(("path", "params", "fmt"), _cases(OTHERS))
@pytest.mark.parametrize("agency", [LUNG_CU, "SYT-02"])
async def test_everything_else_is_refused(
    served: Served, path: str, params: dict[str, str], fmt: str, agency: str
) -> None:
    response = await served.client.get(
        path, params={**params, "format": fmt}, headers=served.auth("agency", "02", agency=agency)
    )
    assert response.status_code == 403, response.text
    assert response.headers["content-type"] == "application/problem+json"
    (problem,) = response.json()["errors"]
    assert (problem["code"], problem["location"]["field"], problem["value"]) == (
        "outside_scope",
        "unit",
        params["unit"],
    )
    assert agency in problem["message_vi"]
    assert agency in problem["message_en"]
    assert "chưa nộp số liệu" in problem["message_vi"]


async def test_a_list_naming_one_unit_too_many_is_refused_for_that_unit_only(served: Served) -> None:
    params = {"indicator": "0401", "unit": "00715,00716", "period": "2024"}
    response = await served.client.get("/v1/values", params=params, headers=served.auth("agency", "02", agency=LUNG_CU))
    assert response.status_code == 403
    assert [e["value"] for e in response.json()["errors"]] == ["00716"]


async def test_a_drill_down_lists_only_the_units_submitted_for(served: Served) -> None:
    headers = served.auth("agency", "00715", agency=LUNG_CU)
    params = {"indicator": "0401", "unit": "00715", "period": "2024"}
    body = (await served.client.get("/v1/drilldown", params=params, headers=headers)).json()
    assert (body["observations"], body["children"]) == ([], [])  # a commune has nothing below it
    access = body["meta"]["access"]
    assert (access["role"], access["agency"], access["units"]) == ("agency", LUNG_CU, ["00715"])


@pytest.mark.parametrize("fmt", CHANGE_FORMATS)
async def test_the_change_feed_carries_only_the_units_submitted_for(served: Served, fmt: str) -> None:
    params = {"updatedAfter": "2000-01-01T00:00:00Z", "format": fmt}
    own = await served.client.get("/v1/changes", params=params, headers=served.auth("agency", "02", agency=LUNG_CU))
    assert own.status_code == 200
    assert units_in(own, fmt) == {"00715"}
    nothing = await served.client.get(
        "/v1/changes", params=params, headers=served.auth("agency", "02", agency="SYT-02")
    )
    assert nothing.status_code == 200
    assert units_in(nothing, fmt) == set()  # nothing submitted, nothing seen
