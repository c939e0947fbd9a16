"""Smoke: the service starts, loads the catalog and accepts one submission."""

from __future__ import annotations

from collections.abc import Callable

from dantoc_contracts import topics
from tests.support.ingest.serving import Ingest


async def test_accepts_and_publishes(ingest: Ingest, token: Callable[..., dict[str, str]]) -> None:
    body = {
        "submission_id": "s1",
        "agency": "BDT-02",
        "unit_code": "00715",
        "period": "2024",
        "values": [{"indicator": "0101", "value": 10}],
    }
    response = await ingest.client.post("/submissions", json=body, headers=token())
    assert response.status_code == 200, response.text
    [event] = await ingest.events(topics.VALUES_ACCEPTED, 1)
    assert event.payload.changes[0].revision == 1
