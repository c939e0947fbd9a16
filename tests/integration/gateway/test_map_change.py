"""Provincial scopes across the 1 July 2025 map change, through the API (SQLite and PostgreSQL).

The tiny literal merger of `tests/unit/gateway/merger.py` (the new 56 absorbed the old 58, one commune of which went
partly to 68) with its conversion records, published to the namespace's catalog topic with one figure per unit.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from dantoc_contracts.aggregates import AggregateChanged
from dantoc_contracts.catalog import AdminUnitPublished, AgencyPublished
from tests.support.databases import create_postgres_database, drop_postgres_database
from tests.support.gateway.exports import units_in
from tests.support.gateway.literal import CATALOG, aggregate
from tests.support.gateway.merger import CURRENT_UNITS, LEGACY_UNITS, RECORDS
from tests.support.gateway.serving import Served, publish_aggregates, publish_catalog, ready, running, settings_for
from tests.support.gateway.signing import Signing
from tests.support.kafka import create_namespace

FORMATS = ["json", "csv", "xlsx", "sdmx-csv", "sdmx-json"]
DEFINITIONS = [  # the agencies of the national and provincial tokens stay registered (scope VN)
    r
    for r in CATALOG
    if not isinstance(r, AdminUnitPublished) and not (isinstance(r, AgencyPublished) and r.scope_unit_code != "VN")
]


def figures() -> list[AggregateChanged]:
    found = [aggregate("0401", u.code, "2024", "1", done=(1, 1, 0, 0)) for u in LEGACY_UNITS]
    return found + [aggregate("0401", u.code, "2025", "2", done=(1, 1, 0, 0)) for u in CURRENT_UNITS]


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
async def merged(
    request: pytest.FixtureRequest, kafka: str, signing: Signing, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Served]:
    namespace = await create_namespace(kafka)
    await publish_catalog(kafka, namespace, [*DEFINITIONS, *RECORDS])
    await publish_aggregates(kafka, namespace, figures())
    template = None
    if request.param == "postgres":
        template = request.getfixturevalue("postgres")
        url = await create_postgres_database(template)
    else:
        url = f"sqlite+aiosqlite:///{Path(tmp_path_factory.mktemp('merged')) / 'gateway.db'}"
    async with running(settings_for(kafka, namespace, url, signing)) as (app, client):
        await ready(client)
        yield Served(app, client, signing, request.param)
    if template is not None:
        await drop_postgres_database(template, url)


# (scope of the provincial token, route, parameters, unit codes the answer holds; None = 403)
CASES = [
    ("56", "/v1/values", {"unit": "58,582,22830", "period": "2024"}, {"58", "582", "22830"}),
    ("56", "/v1/values", {"unit": "584", "period": "2024"}, None),  # its only commune went partly to 68
    ("56", "/v1/values", {"unit": "56,22510,22810", "period": "2025"}, {"56", "22510", "22810"}),
    ("56", "/v1/values", {"unit": "68", "period": "2024"}, None),
    ("56", "/v1/values", {"unit": "24900", "period": "2025"}, None),
    ("56", "/v1/drilldown", {"unit": "58", "period": "2024"}, {"582"}),
    ("56", "/v1/series", {"unit": "22810", "periodFrom": "2024", "periodTo": "2025"}, {"22810"}),
    ("68", "/v1/values", {"unit": "22830", "period": "2024"}, {"22830"}),  # the commune part of which it received
    ("68", "/v1/values", {"unit": "58", "period": "2024"}, None),  # but not the old province, mostly elsewhere
    ("68", "/v1/values", {"unit": "584", "period": "2024"}, None),
    ("68", "/v1/values", {"unit": "582", "period": "2024"}, None),
    ("58", "/v1/values", {"unit": "22810,24900", "period": "2025"}, {"22810", "24900"}),
    ("58", "/v1/series", {"unit": "22810", "periodFrom": "2024", "periodTo": "2025"}, {"22810"}),
    ("58", "/v1/values", {"unit": "56", "period": "2025"}, None),  # the merged province holds other territory
    ("58", "/v1/drilldown", {"unit": "56", "period": "2025"}, None),
    ("58", "/v1/values", {"unit": "22510", "period": "2025"}, None),
]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(("scope", "path", "params", "units"), CASES)
async def test_a_scope_across_the_map_change(
    merged: Served, scope: str, path: str, params: dict[str, str], units: set[str] | None, fmt: str
) -> None:
    query = {"indicator": "0401", **params, "format": fmt}
    response = await merged.client.get(path, params=query, headers=merged.auth("provincial", scope))
    if units is None:
        assert response.status_code == 403, response.text
        assert {e["code"] for e in response.json()["errors"]} == {"outside_scope"}
    else:
        assert response.status_code == 200, response.text
        assert units_in(response, fmt) == units


@pytest.mark.parametrize(("scope", "units"), [("56", {"22810", "22813", "22830"}), ("58", {"22810", "22813", "22830"})])
async def test_completeness_lists_the_communes_the_scope_reaches(merged: Served, scope: str, units: set[str]) -> None:
    params = {"unit": "58", "period": "2024"}
    response = await merged.client.get("/v1/completeness", params=params, headers=merged.auth("provincial", scope))
    assert response.status_code == 200, response.text
    assert {u["code"] for u in response.json()["units"]} == units


async def test_completeness_of_a_legacy_province_mostly_elsewhere_is_refused(merged: Served) -> None:
    params = {"unit": "58", "period": "2024"}
    response = await merged.client.get("/v1/completeness", params=params, headers=merged.auth("provincial", "68"))
    assert response.status_code == 403, response.text


@pytest.mark.parametrize(
    ("scope", "seen"),
    [
        (
            "58",
            {("58", "2024"), ("582", "2024"), ("584", "2024"), ("22810", "2024"), ("22813", "2024")}
            | {("22830", "2024"), ("22810", "2025"), ("24900", "2025")},
        ),
        (
            "68",
            {("68", "2024"), ("672", "2024"), ("24900", "2024")}
            | {("22830", "2024"), ("68", "2025"), ("24900", "2025")},
        ),
    ],
)
async def test_the_change_feed_follows_the_reach(merged: Served, scope: str, seen: set[tuple[str, str]]) -> None:
    params = {"updatedAfter": "2000-01-01T00:00:00Z"}
    body = (await merged.client.get("/v1/changes", params=params, headers=merged.auth("provincial", scope))).json()
    assert {(c["unit_code"], c["period"]) for c in body["changes"]} == seen
