"""From accepted-value events to aggregate events, through the real service process, broker and database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

from dantoc_aggregate.db import repository as repo
from dantoc_aggregate.db.engine import create_engine
from dantoc_aggregate.services.apply import BATCH_SEQ, PUBLISHED_SEQ
from dantoc_contracts import topics
from dantoc_contracts.messages import adapter
from tests.support.aggregate.harness import ServiceProcess, producer, publish_catalog, publish_values, values_bytes
from tests.support.aggregate.literals import accepted, cell, records
from tests.support.kafka import eventually, read_topic

pytestmark = pytest.mark.integration
AGGREGATES = adapter(topics.AGGREGATES.name)


def latest(records_: list[Any]) -> dict[str, Any]:
    """The newest event per key (what a compacted topic keeps)."""
    return {r.key.decode(): AGGREGATES.validate_json(r.value).payload for r in records_}


@pytest.fixture
async def service(kafka: str, namespace: str, database_url: str, tmp_path: Path) -> AsyncIterator[ServiceProcess]:
    await publish_catalog(kafka, namespace, records())
    process = ServiceProcess(kafka, namespace, database_url, tmp_path / "service.log")
    process.start()
    try:
        process.wait_ready()
        yield process
    finally:
        process.stop()


async def test_values_become_aggregate_events(kafka: str, namespace: str, service: ServiceProcess) -> None:
    # Two communes of district 026 and one of 027 report; one commune then corrects its value.
    out = await producer(kafka)
    try:
        await publish_values(
            out,
            namespace,
            [
                accepted("00715", "2024", cell("0601", 3, ethnic="02"), cell("0601", 4, ethnic="03")),
                accepted("00718", "2024", cell("0601", None)),
                accepted("00721", "2024", cell("0601", 1, ethnic="02")),
            ],
        )
        await publish_values(out, namespace, [accepted("00715", "2024", cell("0601", 10, revision=2, ethnic="02"))])
        # A message nobody can read goes to the dead-letter topic, and the stream goes on.
        await out.send_and_wait(topics.topic_name(topics.VALUES_ACCEPTED, namespace), b"{not json", key=b"00715")
        await publish_values(out, namespace, [accepted("01000", "2024", cell("0601", 2))])
    finally:
        await out.stop()
    national = "0601|VN|2024|_T|_T|_T|_T"

    def done(found: list[Any]) -> bool:
        event = latest(found).get(national)
        return event is not None and event.value == Decimal(17)

    events = latest(await read_topic(kafka, topics.topic_name(topics.AGGREGATES, namespace), until=done, timeout=60))
    # The national total: 10 + 4 + 1 + 2, with completeness over the 4 communes of the legacy map.
    top = events[national]
    assert top.count == 4
    assert top.unit_level == "national"
    assert (top.completeness.expected, top.completeness.reported, top.completeness.no_data) == (4, 3, 1)
    assert top.completeness.silent == 0
    assert top.newest_accepted_at is not None
    assert top.newest_accepted_at <= top.computed_at
    assert events["0601|026|2024|GSO1979:02|_T|_T|_T"].value == Decimal(10)
    assert events["0601|02|2024|GSO1979:03|_T|_T|_T"].value == Decimal(4)
    dead = await read_topic(kafka, topics.topic_name(topics.DEAD_LETTER, namespace), until=lambda r: len(r) >= 1)
    assert b"not json" in dead[0].value or b"bm90IGpzb24" in dead[0].value
    async with httpx.AsyncClient(base_url=service.url) as client:
        metrics = (await client.get("/metrics")).text
        assert "dantoc_aggregate_freshness_seconds_bucket" in metrics
        assert "dantoc_aggregate_values_applied_total 6.0" in metrics
        rows = (await client.get("/aggregates/0601/VN/2024", headers=service.headers())).json()
        assert {row["disaggregation"]: row["value"] for row in rows}["_T|_T|_T|_T"] == "17"
        bad = await client.get("/aggregates/06x1/VN/2024", headers=service.headers())
        assert bad.status_code == 422
        assert bad.headers["content-type"].startswith("application/problem+json")

        # The consumer lag is exported for every partition of the accepted-values topic: 0 once all is applied.
        async def lag_is_zero() -> bool:
            text = (await client.get("/metrics")).text
            lines = [line for line in text.splitlines() if line.startswith("dantoc_aggregate_consumer_lag_messages{")]
            return len(lines) == topics.VALUES_ACCEPTED.partitions and all(line.endswith(" 0.0") for line in lines)

        await eventually(lag_is_zero, timeout=30)
    # Once idle, the last batch is recorded as published (the outbox is empty: a restart republishes nothing).
    await eventually(lambda: outbox_empty(service.env["DANTOC_AGGREGATE_DATABASE_URL"]), timeout=30)


async def outbox_empty(database_url: str) -> bool:
    engine = create_engine(database_url)
    try:
        async with engine.connect() as conn:
            published = await repo.read_counter(conn, PUBLISHED_SEQ)
            return published > 0 and published == await repo.read_counter(conn, BATCH_SEQ)
    finally:
        await engine.dispose()


def test_values_bytes_roundtrip() -> None:
    message = accepted("00715", "2024", cell("0601", 3))
    assert adapter(topics.VALUES_ACCEPTED.name).validate_json(values_bytes(message)).payload == message
