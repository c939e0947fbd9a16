"""The quarantine rule of the gateway's feeds against the real broker, on SQLite and PostgreSQL.

A record that decodes but cannot be applied (a count wider than its column) is tried, parked with the position past
it, dead-lettered and counted; the next record of its partition is applied within seconds, and nothing applied
before changes. `replay-parked` applies a parked record that now applies, and keeps one that still fails.
"""

from __future__ import annotations

import base64
from datetime import timedelta
from typing import Any

import httpx
from fastapi import FastAPI

from dantoc_contracts import topics
from dantoc_contracts.messages import adapter
from dantoc_contracts.topics import topic_name
from dantoc_gateway.db import parked
from dantoc_gateway.db.parked import Parked
from dantoc_gateway.db.uow import UnitOfWork
from dantoc_gateway.services.replay import replay_parked
from tests.support.gateway.literal import CATALOG, COMPUTED, aggregate
from tests.support.gateway.scrape import sample
from tests.support.gateway.serving import (
    aggregate_records,
    publish,
    publish_aggregates,
    publish_catalog,
    ready,
    running,
    settings_for,
)
from tests.support.gateway.signing import Signing
from tests.support.kafka import eventually, read_topic

CELL = {"indicator": "0401", "unit": "02", "period": "2024"}
OTHER = {"indicator": "0401", "unit": "02", "period": "2023"}


async def value(client: httpx.AsyncClient, signing: Signing, query: dict[str, str]) -> Any:
    response = await client.get("/v1/values", params=query, headers=signing.headers("national", "VN"))
    assert response.status_code == 200, response.text
    return [o["value"] for o in response.json()["observations"]]


async def rows(app: FastAPI) -> list[Parked]:
    async with UnitOfWork(app.state.runtime.sessions) as uow:
        return await parked.parked(uow.session)


async def test_a_record_that_cannot_be_applied_is_parked_and_the_next_one_is_applied(
    kafka: str, namespace: str, database_url: str, signing: Signing
) -> None:
    aggregates_topic = topic_name(topics.AGGREGATES, namespace)
    await publish_catalog(kafka, namespace, CATALOG)
    await publish_aggregates(
        kafka, namespace, [aggregate("0401", "02", "2024", "5"), aggregate("0401", "02", "2023", "3")]
    )
    settings = settings_for(kafka, namespace, database_url, signing)
    async with running(settings) as (app, client):
        await ready(client)
        assert (await value(client, signing, CELL), await value(client, signing, OTHER)) == ([5], [3])
        # decodes, but its count does not fit an INTEGER column on either backend; then a good record, same key
        # (the poison one is the newer: a replay would write it over the good one if it could be applied)
        poison = aggregate("0401", "02", "2024", "6", computed_at=COMPUTED + timedelta(days=3)).model_copy(
            update={"count": 10**20}
        )
        good = aggregate("0401", "02", "2024", "9", computed_at=COMPUTED + timedelta(days=2))
        await publish(kafka, aggregates_topic, aggregate_records([poison]))
        await publish(kafka, aggregates_topic, aggregate_records([good]))

        async def applied() -> bool:
            return bool(await value(client, signing, CELL) == [9])

        await eventually(applied, timeout=15, interval=0.2)
        assert await value(client, signing, OTHER) == [3]  # nothing applied before changes
        [row] = await rows(app)
        assert (row.topic, row.consumer) == (aggregates_topic, settings.consumer_group)
        assert row.error_class
        assert row.value is not None
        assert b"100000000000000000000" in row.value
        metrics = (await client.get("/metrics")).text
        quarantined = {"service": "gateway", "consumer": settings.consumer_group, "topic": aggregates_topic}
        assert sample(metrics, "dantoc_quarantined_records_total", **quarantined) == 1
        ready_body = (await client.get("/ready")).json()
        assert ready_body["aggregates"]["lag"] == 0
        # a replay of the record that still fails keeps it parked; the figures do not change
        outcome = await replay_parked(app.state.runtime.sessions, settings)
        assert (outcome.applied, list(outcome.failing)) == ([], [row.id])
        assert len(await rows(app)) == 1
        assert await value(client, signing, CELL) == [9]
    dead = await read_topic(kafka, topic_name(topics.DEAD_LETTER, namespace), until=lambda found: len(found) >= 1)
    [letter] = [adapter(topics.DEAD_LETTER.name).validate_json(r.value).payload for r in dead]
    assert (letter.source_topic, letter.partition, letter.offset) == (aggregates_topic, row.partition, row.offset)
    assert base64.b64decode(letter.value_b64) == row.value
    # a restart reads on from the stored position past the parked record: nothing is parked or dead-lettered twice
    async with running(settings) as (app, client):
        await ready(client)
        assert await value(client, signing, CELL) == [9]
        assert len(await rows(app)) == 1


async def test_replay_applies_a_parked_record_that_now_applies(
    kafka: str, namespace: str, database_url: str, signing: Signing
) -> None:
    aggregates_topic = topic_name(topics.AGGREGATES, namespace)
    await publish_catalog(kafka, namespace, CATALOG)
    await publish_aggregates(kafka, namespace, [aggregate("0401", "02", "2024", "5")])
    settings = settings_for(kafka, namespace, database_url, signing)
    async with running(settings) as (app, client):
        await ready(client)
        # as if parked by an older gateway that could not apply it: a newer figure for the same cell
        key, body = aggregate_records([aggregate("0401", "02", "2024", "8", computed_at=COMPUTED + timedelta(days=1))])[
            0
        ]
        older_key, older = aggregate_records(
            [aggregate("0401", "02", "2024", "1", computed_at=COMPUTED - timedelta(days=1))]
        )[0]
        async with UnitOfWork(app.state.runtime.sessions) as uow:
            for offset, (k, v) in enumerate([(key, body), (older_key, older)], start=1000):
                entry = Parked(aggregates_topic, 0, offset, k.encode(), v, "x", "x.Error", settings.consumer_group)
                assert await parked.park(uow.session, entry)
            await uow.commit()
        [first, second] = await rows(app)
        assert first.id is not None
        assert second.id is not None
        outcome = await replay_parked(app.state.runtime.sessions, settings, first.id)
        assert (outcome.applied, outcome.failing) == ([first.id], {})

        async def applied() -> bool:
            return bool(await value(client, signing, CELL) == [8])

        await eventually(applied, timeout=15, interval=0.2)
        # an older figure replayed applies (and leaves the table) but never replaces the newer one
        outcome = await replay_parked(app.state.runtime.sessions, settings)
        assert (outcome.applied, outcome.failing) == ([second.id], {})
        assert await rows(app) == []
        assert await value(client, signing, CELL) == [8]
