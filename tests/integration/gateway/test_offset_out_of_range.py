"""A stored position outside the log stops the gateway's feed for that topic; it is never reset (issue 11).

Against the real broker, on SQLite and PostgreSQL. The consumers use `auto_offset_reset="none"`: a fresh group on a
fresh topic (no committed offset) is still read from the beginning, because the feed seeks every partition itself.
A stored position above the log's end (the topic was recreated) or below its start (records deleted) stops the
aggregates feed: an ERROR log with the topic, partition, stored position and the log's range, the out-of-range gauge
at 1, `/ready` not ready naming the class only, and nothing written (no rows, the stored position unchanged). The
accepted-values feed (another topic) goes on.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from aiokafka import AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, RecordsToDelete
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType
from sqlalchemy import func, select

from dantoc_contracts import topics
from dantoc_contracts.bounds import MAX_MESSAGE_BYTES
from dantoc_contracts.topics import topic_name
from dantoc_gateway.db import repository
from dantoc_gateway.db.engine import create_engine, session_factory
from dantoc_gateway.db.migrate import upgrade_head
from dantoc_gateway.db.models import AggregateRow
from dantoc_gateway.db.uow import UnitOfWork
from dantoc_gateway.kafka import group_feed
from tests.support.gateway.literal import CATALOG, aggregate
from tests.support.gateway.scrape import sample
from tests.support.gateway.serving import (
    aggregate_records,
    publish_aggregates,
    publish_catalog,
    publish_values,
    ready,
    running,
    settings_for,
)
from tests.support.gateway.signing import Signing
from tests.support.gateway.submitted import accepted
from tests.support.kafka import eventually

GAUGE = "dantoc_offset_out_of_range"
STOPPED = "dantoc_gateway.OffsetsOutOfRange"  # what /ready names: the error class, never the offsets


class Kept(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def feed_log() -> Iterator[Kept]:
    kept, logger = Kept(), logging.getLogger(group_feed.__name__)
    logger.addHandler(kept)
    try:
        yield kept
    finally:
        logger.removeHandler(kept)


async def store_position(database_url: str, topic: str, partition: int, offset: int) -> None:
    await upgrade_head(database_url)
    engine = create_engine(database_url)
    try:
        async with UnitOfWork(session_factory(engine)) as uow:
            await repository.save_positions(uow.session, topic, {partition: offset})
            await uow.commit()
    finally:
        await engine.dispose()


async def stored_and_rows(database_url: str, topic: str) -> tuple[dict[int, int], int]:
    engine = create_engine(database_url)
    try:
        async with UnitOfWork(session_factory(engine)) as uow:
            count = await uow.session.scalar(select(func.count()).select_from(AggregateRow))
            return await repository.positions(uow.session, topic), int(count or 0)
    finally:
        await engine.dispose()


async def to_partition_zero(kafka: str, topic: str, count: int) -> None:
    """`count` decodable aggregate records on partition 0 of `topic` (offsets 0 .. count - 1)."""
    producer = AIOKafkaProducer(bootstrap_servers=kafka, acks="all")
    await producer.start()
    try:
        for i in range(count):
            [(key, value)] = aggregate_records([aggregate("0401", "02", str(2010 + i), str(i))])
            await producer.send_and_wait(topic, value, key=key.encode(), partition=0)
    finally:
        await producer.stop()


async def delete_before(kafka: str, topic: str, offset: int) -> None:
    """Records of partition 0 deleted below `offset`, as retention would (a compacted topic must allow deletion)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=kafka)
    await admin.start()
    try:
        policy = {"cleanup.policy": "compact,delete", "max.message.bytes": str(MAX_MESSAGE_BYTES)}
        await admin.alter_configs([ConfigResource(ConfigResourceType.TOPIC, topic, configs=policy)])
        await admin.delete_records({TopicPartition(topic, 0): RecordsToDelete(before_offset=offset)})
    finally:
        await admin.close()


async def test_a_fresh_group_on_fresh_topics_reads_from_the_beginning(
    kafka: str, namespace: str, database_url: str, signing: Signing
) -> None:
    # No committed offset and no stored position anywhere: "none" must never fire for these partitions.
    await publish_catalog(kafka, namespace, CATALOG)
    await publish_aggregates(
        kafka, namespace, [aggregate("0401", "02", "2024", "5"), aggregate("0401", "02", "2023", "3")]
    )
    await publish_values(kafka, namespace, [accepted("UBNDX-00715", "00715", "2024", "sub-1")])
    settings = settings_for(kafka, namespace, database_url, signing)
    async with running(settings) as (app, client):
        body = await ready(client)
        assert (body["aggregates"]["error"], body["values"]["error"]) == (None, None)
        assert app.state.runtime.state.aggregates.applied  # positions stored: read from the beginning
        metrics = (await client.get("/metrics")).text
        assert not any(sample(metrics, GAUGE, partition=str(p)) for p in range(8))
    positions, count = await stored_and_rows(database_url, topic_name(topics.AGGREGATES, namespace))
    assert (count, sum(positions.values())) == (2, 2)


@pytest.mark.parametrize(
    ("published", "deleted_before", "stored"),
    [(2, None, 1000), (3, 2, 1)],
    ids=["above-the-end-topic-recreated", "below-the-start-records-deleted"],
)
async def test_a_stored_position_outside_the_log_stops_the_feed_and_changes_nothing(
    kafka: str,
    namespace: str,
    database_url: str,
    signing: Signing,
    feed_log: Kept,
    published: int,
    deleted_before: int | None,
    stored: int,
) -> None:
    aggregates_topic = topic_name(topics.AGGREGATES, namespace)
    await publish_catalog(kafka, namespace, CATALOG)
    await to_partition_zero(kafka, aggregates_topic, published)
    if deleted_before is not None:
        await delete_before(kafka, aggregates_topic, deleted_before)
    # decodable records on the other partitions too: none of them may be applied either
    await publish_aggregates(
        kafka, namespace, [aggregate("0401", "02", "2024", "5"), aggregate("0402", "01", "2024", "7")]
    )
    await publish_values(kafka, namespace, [accepted("UBNDX-00715", "00715", "2024", "sub-1")])
    await store_position(database_url, aggregates_topic, 0, stored)
    settings = settings_for(kafka, namespace, database_url, signing)
    async with running(settings) as (_app, client):

        async def stopped() -> Any:
            answer = await client.get("/ready")
            body = answer.json()
            return answer if answer.status_code == 503 and body["aggregates"]["error"] == STOPPED else None

        answer: httpx.Response = await eventually(stopped, timeout=30, interval=0.2)
        assert f"{aggregates_topic} stopped: {STOPPED}" in answer.text
        assert "stored" not in answer.text  # the class only: not the error's text (positions, range)

        async def values_caught_up() -> bool:
            body = (await client.get("/ready")).json()
            return bool(body["values"]["caught_up"] and body["values"]["lag"] == 0)

        await eventually(values_caught_up, timeout=30, interval=0.2)  # the other topic's feed goes on
        metrics = (await client.get("/metrics")).text
        assert sample(metrics, GAUGE, topic=aggregates_topic, partition="0") == 1
    [line] = [r for r in feed_log.records if getattr(r, "event", None) == "feed.offset_out_of_range"]
    assert line.levelno == logging.ERROR
    first = deleted_before or 0
    details = (line.__dict__["topic"], line.__dict__["partition"], line.__dict__["stored_offset"])
    assert details == (aggregates_topic, 0, stored)
    assert line.__dict__["log_start"] == first
    assert line.__dict__["log_end"] >= published  # and what the other aggregates' keys sent to partition 0
    positions, count = await stored_and_rows(database_url, aggregates_topic)
    assert (positions, count) == ({0: stored}, 0)  # nothing applied, the stored position not reset
