"""The HTTP API as a client uses it: one running service (SQLite, real broker) for the whole module."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from dantoc_catalog.services.seed import package_data_dir
from dantoc_contracts.problems import ProblemDocument
from tests.support.catalog.rows import BAD, EXPECTED
from tests.support.catalog.serving import AUTH, RunningCatalog, catalog_settings, running_catalog
from tests.support.kafka import create_namespace

pytestmark = pytest.mark.integration
PROBLEM = "application/problem+json"


@pytest.fixture(scope="module")
async def catalog(kafka: str, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[RunningCatalog]:
    url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('catalog-api') / 'catalog.db'}"
    async with running_catalog(catalog_settings(url, kafka, await create_namespace(kafka))) as running:
        yield running


def problems(response: httpx.Response) -> ProblemDocument:
    assert response.headers["content-type"].startswith(PROBLEM)
    return ProblemDocument.model_validate(response.json())


@pytest.mark.parametrize(
    ("query", "codes"),
    [
        ("?group=03", ["0301", "0302", "0303"]),
        ("?q=dan%20toc%20thieu%20so&group=01", ["0101", "0103", "0104", "0105"]),
        ("?q=0101", ["0101"]),
    ],
)
async def test_list_and_search_indicators(catalog: RunningCatalog, query: str, codes: list[str]) -> None:
    response = await catalog.client.get(f"/indicators{query}")
    assert response.status_code == 200
    found = [i["code"] for i in response.json()]
    assert set(codes) <= set(found)
    assert found == sorted(found)


async def test_all_indicators_and_groups(catalog: RunningCatalog) -> None:
    assert len((await catalog.client.get("/indicators")).json()) == 78
    groups = (await catalog.client.get("/indicator-groups")).json()
    assert len(groups) == 14
    assert groups[0]["code"] == "01"


async def test_get_a_formula_indicator(catalog: RunningCatalog) -> None:
    body = (await catalog.client.get("/indicators/0103")).json()
    version = body["versions"][0]
    assert version["aggregation"] == "FORMULA"
    assert version["formula"] == {"numerator": "0101", "denominator": "0102", "factor": "100"}
    assert (version["value_type"], version["min_value"], version["max_value"]) == ("percent", "0", "100")


async def test_code_lists_ethnic_groups_and_agencies(catalog: RunningCatalog) -> None:
    lists = {c["list_id"]: c for c in (await catalog.client.get("/code-lists")).json()}
    assert [i["code"] for i in lists["sex"]["items"]] == ["1", "2"]
    assert len(lists["age_group"]["items"]) == 17
    ethnic = (await catalog.client.get("/ethnic-groups")).json()
    assert len(ethnic["groups"]) == 54
    assert [c["code"] for c in ethnic["extra_codes"]] == ["00", "99", "55"]
    by_2008 = (await catalog.client.get("/ethnic-groups?list=GSO2008")).json()["groups"]
    assert [g["code_gso_2008"] for g in by_2008] == sorted(g["code_gso_2008"] for g in by_2008)
    hoa = (await catalog.client.get("/ethnic-groups/06?list=GSO2008")).json()
    assert (hoa["code_gso_1979"], hoa["name_vi"]) == ("04", "Hoa")
    khmer = (await catalog.client.get("/ethnic-groups?q=khmer")).json()["groups"]
    assert [g["code_gso_1979"] for g in khmer] == ["05"]
    agency = (await catalog.client.get("/agencies/BDT-08")).json()
    assert (agency["agency_type"], agency["scope_unit_code"]) == ("BDT", "08")
    assert "SNV" in agency["writes_for"]
    assert "SYT" not in agency["writes_for"]


@pytest.mark.parametrize(
    ("path", "count", "first"),
    [
        ("/units/VN/children?on=2024-12-31", 63, "01"),
        ("/units/VN/children?on=2025-07-01", 34, "01"),
        ("/units/01/children?on=2024-12-31", 30, "001"),
        ("/units/01/subtree?on=2025-07-01&level=commune", 126, "00004"),
        ("/units/00007/ancestors?on=2024-12-31", 3, "001"),
        ("/units/15/versions", 2, "15"),
    ],
)
async def test_the_hierarchy_at_a_date(catalog: RunningCatalog, path: str, count: int, first: str) -> None:
    units = (await catalog.client.get(path)).json()
    assert (len(units), units[0]["code"]) == (count, first)


async def test_today_is_the_default_day(catalog: RunningCatalog) -> None:
    unit = (await catalog.client.get("/units/15")).json()
    assert (unit["name"], unit["valid_from"]) == ("Lào Cai", "2025-07-01")
    legacy = (await catalog.client.get("/units/15?on=2024-12-31")).json()
    assert legacy["name"] == "Yên Bái"


async def test_conversion_of_a_split_commune(catalog: RunningCatalog) -> None:
    body = (await catalog.client.get("/units/00007/conversion")).json()
    assert [(t["new_code"], t["kind"], t["unit"]["name"]) for t in body["targets"]] == [
        ("00008", "partial", "Ngọc Hà"),
        ("00025", "partial", "Giảng Võ"),
    ]
    assert body["old_units"][0]["name"] == "Cống Vị"


@pytest.mark.parametrize(
    ("path", "status", "field"),
    [
        ("/indicators/9999", 404, "code"),
        ("/units/00007?on=2025-07-01", 404, "code"),  # a legacy commune code not reused in the new map
        ("/units/99999/conversion", 404, "code"),
        ("/units/01/children?on=31/12/2024", 422, "query.on"),
        ("/indicators/abc", 422, "path.code"),
        ("/nowhere", 404, "path"),
    ],
)
async def test_errors_are_problem_documents(catalog: RunningCatalog, path: str, status: int, field: str) -> None:
    response = await catalog.client.get(path)
    document = problems(response)
    assert (response.status_code, document.status) == (status, status)
    assert field in [e.location.field for e in document.errors]


async def test_admin_endpoints_need_the_token(catalog: RunningCatalog) -> None:
    for headers, code in (({}, "not_authenticated"), ({"Authorization": "Bearer wrong"}, "unauthorized")):
        response = await catalog.client.post("/admin/imports", files={"file": ("x.csv", b"")}, headers=headers)
        assert response.status_code == 401
        assert problems(response).errors[0].code == code


async def test_a_new_version_lists_every_problem_at_once(catalog: RunningCatalog) -> None:
    body = {
        "effective_from": "2018-01-01",  # before version 1
        "name_vi": "Dân số",
        "unit_vi": "Người",
        "value_type": "integer",
        "aggregation": "FORMULA",
        "numerator": "0199",  # not in the catalogue
        "lowest_level": "commune",
        "period_type": "year",
        "agency": "XYZ",  # not registered
        "min_value": 5,
        "max_value": 1,
    }
    response = await catalog.client.post("/admin/indicators/0101/versions", json=body, headers=AUTH)
    assert response.status_code == 422
    found = {(e.code, e.location.field) for e in problems(response).errors}
    assert found == {
        ("formula_required", "denominator"),
        ("unknown_agency", "agency"),
        ("min_greater_than_max", "min_value"),
        ("version_order", "effective_from"),
        ("unknown_formula_indicator", "numerator"),
    }


async def test_a_malformed_body_lists_every_field(catalog: RunningCatalog) -> None:
    body = {"effective_from": "soon", "value_type": "text", "period_type": "week"}
    response = await catalog.client.post("/admin/indicators/0101/versions", json=body, headers=AUTH)
    fields = {e.location.field for e in problems(response).errors}
    assert {"body.effective_from", "body.value_type", "body.period_type", "body.name_vi", "body.agency"} <= fields


async def test_import_dry_run_of_the_export_reports_no_change(catalog: RunningCatalog) -> None:
    exported = await catalog.client.get("/exports/indicators?format=csv")
    assert exported.content == (package_data_dir() / "indicators.csv").read_bytes()
    response = await catalog.client.post(
        "/admin/imports?dry_run=true", files={"file": ("indicators.csv", exported.content)}, headers=AUTH
    )
    assert response.json() == {
        "dry_run": True,
        "file_format": "csv",
        "indicators": 78,
        "versions": 78,
        "groups": 14,
        "added": [],
        "changed": [],
        "removed": [],
    }


async def test_a_rejected_import_has_rows_and_cells(catalog: RunningCatalog) -> None:
    response = await catalog.client.post("/admin/imports", files={"file": ("bad.csv", BAD)}, headers=AUTH)
    document = problems(response)
    assert response.status_code == 422
    assert {(e.code, e.location.row, e.location.cell) for e in document.errors} == EXPECTED


async def test_xlsx_export_with_vietnamese_header(catalog: RunningCatalog) -> None:
    response = await catalog.client.get("/exports/indicators?format=xlsx&header=vi")
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    again = await catalog.client.post(
        "/admin/imports?dry_run=true", files={"file": ("catalogue.xlsx", response.content)}, headers=AUTH
    )
    assert again.json()["changed"] == []


async def test_openapi_has_examples_and_route_summaries(catalog: RunningCatalog) -> None:
    spec = (await catalog.client.get("/openapi.json")).json()
    schemas = spec["components"]["schemas"]
    assert schemas["IndicatorOut"]["examples"][0]["code"] == "0101"
    assert schemas["NewVersionIn"]["examples"]
    get_unit = spec["paths"]["/units/{code}/children"]["get"]
    assert get_unit["description"]
    assert any(p["name"] == "on" and p.get("examples") for p in get_unit["parameters"])


async def test_health_ready_and_metrics(catalog: RunningCatalog) -> None:
    assert (await catalog.client.get("/health")).json() == {"status": "ok"}
    assert (await catalog.client.get("/ready")).status_code == 200
    text = (await catalog.client.get("/metrics")).text
    assert 'dantoc_catalog_records_published_total{origin="snapshot"} 24391.0' in text
    assert "dantoc_catalog_outbox_backlog" in text
    families = {family.name: family for family in text_string_to_metric_families(text)}
    assert "dantoc_catalog_imports" in families
    prefixes = ("dantoc_catalog_", "faststream_", "dantoc_quarantined_records")  # the last one shared by services
    assert all(name.startswith(prefixes) for name in families), families
    assert 'route="/indicators/{code}"' in text
    # FastStream's Kafka series: the start-up snapshot counted on the catalog topic
    [sent] = [
        s
        for s in families["faststream_published_messages"].samples
        if s.name == "faststream_published_messages_total" and s.labels["status"] == "success"
    ]
    assert (sent.labels["app_name"], sent.labels["broker"]) == ("dantoc-catalog", "kafka")
    assert sent.labels["destination"].endswith("dantoc.catalog.v1")
    assert sent.value >= 24391


async def test_units_export_and_dry_run_import(catalog: RunningCatalog) -> None:
    exported = await catalog.client.get("/exports/units")
    assert exported.content == (package_data_dir() / "admin_units.csv").read_bytes()
    response = await catalog.client.post(
        "/admin/imports/units?dry_run=true", files={"file": ("admin_units.csv", exported.content)}, headers=AUTH
    )
    assert response.json() == {
        "dry_run": True,
        "file_format": "csv",
        "units": 14_149,
        "added": 0,
        "changed": 0,
        "removed": 0,
    }
    broken = exported.content.replace(
        b"\n001,district,Ba \xc4\x90\xc3\xacnh,Qu\xe1\xba\xadn,01,",
        b"\n001,district,Ba \xc4\x90\xc3\xacnh,Qu\xe1\xba\xadn,001,",
    )
    assert broken != exported.content
    rejected = await catalog.client.post("/admin/imports/units", files={"file": ("u.csv", broken)}, headers=AUTH)
    assert rejected.status_code == 422
    assert "hierarchy_cycle" in {e.code for e in problems(rejected).errors}
