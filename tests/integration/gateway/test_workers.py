"""Two workers sharing one read model: the consumer group splits the topic, and cached answers follow the database."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx

from tests.support.gateway.literal import CATALOG, COMPUTED, aggregate
from tests.support.gateway.serving import publish_aggregates, publish_catalog, ready, running, settings_for
from tests.support.gateway.signing import Signing
from tests.support.kafka import eventually

QUERY = {"indicator": "0401", "unit": "02,04", "period": "2024"}


async def _values(client: httpx.AsyncClient, signing: Signing) -> list[tuple[str, Any]]:
    response = await client.get("/v1/values", params=QUERY, headers=signing.headers("national", "VN"))
    return [(o["unit_code"], o["value"]) for o in response.json()["observations"]]


async def test_a_change_applied_by_one_worker_retires_the_others_cached_answers(
    kafka: str, namespace: str, tmp_path: Path, signing: Signing
) -> None:
    await publish_catalog(kafka, namespace, CATALOG)
    await publish_aggregates(
        kafka, namespace, [aggregate("0401", "02", "2024", "40"), aggregate("0401", "04", "2024", "30")]
    )
    settings = settings_for(kafka, namespace, f"sqlite+aiosqlite:///{tmp_path / 'shared.db'}", signing)
    async with running(settings) as (_, first), running(settings) as (_, second):
        await ready(first)
        await ready(second)
        # both workers answer, and keep the answer in their response cache
        for client in (first, second):
            assert await _values(client, signing) == [("02", 40), ("04", 30)]
        # new figures for both provinces: each worker's consumer applies the partitions it owns
        later = COMPUTED + timedelta(hours=1)
        await publish_aggregates(
            kafka,
            namespace,
            [
                aggregate("0401", "02", "2024", "41", computed_at=later),
                aggregate("0401", "04", "2024", "31", computed_at=later),
            ],
        )
        for client in (first, second):

            async def fresh(client: httpx.AsyncClient = client) -> bool:
                return await _values(client, signing) == [("02", 41), ("04", 31)]

            await eventually(fresh, timeout=30)
