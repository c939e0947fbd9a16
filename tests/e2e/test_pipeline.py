"""The whole system as processes: a submission to ingest becomes exact aggregates the gateway serves.

catalog (real reference data) → ingest (HTTP) → values.accepted → aggregate → aggregates → gateway (HTTP).
Checks the rollup at district, province and national level, a formula computed after aggregation, a correction
applying new − old, a retraction to 'no data' counted in completeness, a provincial token refused elsewhere, and
the structured (JSON) logs of ingest, aggregate and gateway following one submission id through the pipeline.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.kafka import create_namespace, eventually
from tests.support.stack import Stack, start_stack

pytestmark = pytest.mark.timeout(600)

COMMUNES = ("00712", "00715", "00718")  # Phố Bảng, Lũng Cú, Má Lé in Đồng Văn district (026), Hà Giang (02)
HOUSEHOLDS, POOR, POVERTY_RATE = "0104", "0401", "0403"  # 0403 = 0401 / 0104 × 100


@pytest.fixture(scope="module")
async def system(kafka: str, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Stack]:
    stack = start_stack(tmp_path_factory.mktemp("e2e"), kafka, await create_namespace(kafka))
    yield stack
    stack.stop()


def submission(submission_id: str, unit: str, households: int, poor: int | None) -> dict[str, Any]:
    values: list[dict[str, Any]] = [{"indicator": HOUSEHOLDS, "value": households}]
    if poor is None:
        values.append({"indicator": POOR, "no_data": True, "no_data_reason": "Chưa rà soát hộ nghèo năm nay"})
    else:
        values.append({"indicator": POOR, "value": poor})
    return {"submission_id": submission_id, "agency": "BDTTG", "unit_code": unit, "period": "2024", "values": values}


async def submit(stack: Stack, token: str, body: dict[str, Any]) -> None:
    async with httpx.AsyncClient(base_url=stack.services["ingest"].url, timeout=30) as client:
        response = await client.post("/submissions", json=body, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.text


async def figures(stack: Stack, token: str, unit: str) -> dict[str, dict[str, Any]]:
    async with httpx.AsyncClient(base_url=stack.services["gateway"].url, timeout=30) as client:
        response = await client.get(
            "/v1/values",
            params={"indicator": f"{HOUSEHOLDS},{POOR},{POVERTY_RATE}", "unit": unit, "period": "2024"},
            headers={"Authorization": f"Bearer {token}"},
        )
    assert response.status_code == 200, response.text
    return {o["indicator"]: o for o in response.json()["observations"]}


async def settled(stack: Stack, token: str, unit: str, poor: float, households: float) -> dict[str, dict[str, Any]]:
    """Wait (with a deadline) until the gateway shows these totals for `unit`; return its figures."""

    async def check() -> dict[str, dict[str, Any]] | None:
        found = await figures(stack, token, unit)
        ok = (found.get(POOR) or {}).get("value") == poor and (found.get(HOUSEHOLDS) or {}).get("value") == households
        return found if ok else None

    result: dict[str, dict[str, Any]] = await eventually(check, timeout=90, interval=0.3)
    return result


async def test_submissions_roll_up_to_every_level_exactly(system: Stack, tmp_path: Path) -> None:
    token = system.token()
    # step 1: three communes report households and poor households
    for unit, households, poor in zip(COMMUNES, (1200, 800, 500), (300, 400, 100), strict=True):
        await submit(system, token, submission(f"e2e-{unit}-1", unit, households, poor))
    # step 2: the district, the province and the nation show the sums; the rate is computed after summing
    for unit in ("026", "02", "VN"):
        found = await settled(system, token, unit, poor=800, households=2500)
        rate = found[POVERTY_RATE]
        assert (rate["numerator"], rate["denominator"], rate["value"]) == (800, 2500, 32)
    # step 3: a correction applies new − old everywhere above the commune
    await submit(system, token, submission("e2e-00715-2", "00715", 800, 250))
    await settled(system, token, "02", poor=650, households=2500)
    # step 4: a retraction to 'no data' removes the old number and is counted in completeness
    await submit(system, token, submission("e2e-00718-2", "00718", 500, None))
    found = await settled(system, token, "026", poor=550, households=2500)
    completeness = found[POOR]["completeness"]
    assert (completeness["reported"], completeness["no_data"]) == (2, 1)
    assert completeness["silent"] == completeness["expected"] - 3


async def test_a_provincial_token_sees_its_province_only(system: Stack) -> None:
    national = system.token()
    await submit(system, national, submission("e2e-scope-1", "00712", 1200, 300))
    await settled(system, national, "00712", poor=300, households=1200)
    provincial = system.token(role="provincial", scope="04", agency="BDT-04")  # Cao Bằng
    async with httpx.AsyncClient(base_url=system.services["gateway"].url, timeout=30) as client:
        response = await client.get(
            "/v1/values",
            params={"indicator": POOR, "unit": "02", "period": "2024"},
            headers={"Authorization": f"Bearer {provincial}"},
        )
    assert response.status_code == 403
    assert response.headers["content-type"].startswith("application/problem+json")


def json_log(stack: Stack, service: str) -> list[dict[str, Any]]:
    """Every line the service logged, each parsed as one JSON object (a line that is not JSON fails the test)."""
    lines = stack.services[service].log.read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines if line.strip()]
    assert all(isinstance(r, dict) and {"time", "level", "service", "message"} <= r.keys() for r in records)
    return records


async def test_the_logs_follow_one_submission_through_every_service(system: Stack) -> None:
    national = system.token()
    await submit(system, national, submission("e2e-trail-1", "00715", 900, 450))
    await settled(system, national, "00715", poor=450, households=900)

    def events(service: str) -> set[str]:
        found = set()
        for record in json_log(system, service):
            ids = {record.get("submission_id"), record.get("correlation_id"), *record.get("submission_ids", [])}
            if "e2e-trail-1" in ids:
                found.add(record.get("event", ""))
        return found

    async def trail() -> dict[str, set[str]] | None:
        seen = {service: events(service) for service in ("ingest", "aggregate", "gateway")}
        return seen if all(seen.values()) else None

    seen = await eventually(trail, timeout=30, interval=0.5)
    assert {"submission.accepted", "values.published"} <= seen["ingest"]
    assert "values.applied" in seen["aggregate"]
    assert "aggregates.applied" in seen["gateway"]
    json_log(system, "catalog")
