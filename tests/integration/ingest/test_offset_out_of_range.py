"""A stored offset outside the log stops ingest's submissions consumer; it is never reset (issue 11).

Against the real broker, on SQLite and PostgreSQL. The consumer uses `auto_offset_reset="none"`: a fresh group on a
fresh topic (no committed offset, nothing stored) still reads from the beginning, because the consumer seeks every
partition itself. A stored offset above the log's end (the topic was recreated) or below its start (records deleted)
stops it: an ERROR log with the topic, partition, stored offset and the log's range, the out-of-range gauge at 1,
`/ready` not ready naming the class only, and nothing decided (no submission, the stored offset unchanged).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from aiokafka import AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, RecordsToDelete
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import func, insert, select

from dantoc_contracts import topics
from dantoc_ingest.db.engine import create_engine
from dantoc_ingest.db.migrate import upgrade_head
from dantoc_ingest.db.models import ConsumerOffsetRow, SubmissionRow
from dantoc_ingest.kafka import submissions_consumer
from tests.support.ingest.catalog import publish_catalog
from tests.support.ingest.requests import request, send
from tests.support.ingest.serving import Ingest, running, settings_for
from tests.support.kafka import eventually

GAUGE = "dantoc_offset_out_of_range"
STOPPED = "dantoc_ingest.OffsetsOutOfRange"  # what /ready names: the error class, never the offsets
Headers = Callable[..., dict[str, str]]


class Kept(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def consumer_log() -> Iterator[Kept]:
    kept, logger = Kept(), logging.getLogger(submissions_consumer.__name__)
    logger.addHandler(kept)
    try:
        yield kept
    finally:
        logger.removeHandler(kept)


def gauge(metrics: str, topic: str, partition: int) -> float | None:
    for family in text_string_to_metric_families(metrics):
        for found in family.samples:
            if found.name == GAUGE and found.labels == {"topic": topic, "partition": str(partition)}:
                return float(found.value)
    return None


async def stored_and_submissions(database_url: str, group: str, topic: str) -> tuple[dict[int, int], int]:
    engine = create_engine(database_url)
    try:
        async with engine.connect() as conn:
            rows = await conn.execute(
                select(ConsumerOffsetRow.partition, ConsumerOffsetRow.next_offset).where(
                    ConsumerOffsetRow.consumer_group == group, ConsumerOffsetRow.topic == topic
                )
            )
            offsets = {int(partition): int(offset) for partition, offset in rows}
            count = await conn.scalar(select(func.count()).select_from(SubmissionRow))
            return offsets, int(count or 0)
    finally:
        await engine.dispose()


async def store_offset(database_url: str, group: str, topic: str, partition: int, offset: int) -> None:
    await upgrade_head(database_url)
    engine = create_engine(database_url)
    try:
        async with engine.begin() as conn:
            row = {"consumer_group": group, "topic": topic, "partition": partition, "next_offset": offset}
            await conn.execute(insert(ConsumerOffsetRow).values(**row))
    finally:
        await engine.dispose()


async def to_partition_zero(kafka: str, topic: str, count: int) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=kafka, acks="all")
    await producer.start()
    try:
        for i in range(count):
            await producer.send_and_wait(topic, request(f"oor-{i}"), key=b"00715", partition=0)
    finally:
        await producer.stop()


async def delete_before(kafka: str, topic: str, offset: int) -> None:
    """Records of partition 0 deleted below `offset`, as retention would."""
    admin = AIOKafkaAdminClient(bootstrap_servers=kafka)
    await admin.start()
    try:
        await admin.delete_records({TopicPartition(topic, 0): RecordsToDelete(before_offset=offset)})
    finally:
        await admin.close()


async def test_a_fresh_group_on_a_fresh_topic_reads_from_the_beginning(ingest: Ingest) -> None:
    # Records were sent before the first start of this group: no committed offset, nothing stored.
    await send(ingest, (b"00715", request("fresh-1")))
    [event] = await ingest.events(topics.VALUES_ACCEPTED, 1)
    assert event.payload.submission_id == "fresh-1"
    consumer = ingest.app.state.consumer
    assert consumer.stopped is None
    topic, group = ingest.topic(topics.SUBMISSIONS), consumer._group

    async def stored() -> Any:
        offsets, count = await stored_and_submissions(ingest.database_url, group, topic)
        return (offsets, count) if offsets.get(0) == 1 else None

    assert (await eventually(stored, timeout=30))[1] == 1
    answer = await ingest.client.get("/ready")
    assert answer.status_code == 200, answer.text
    assert gauge((await ingest.client.get("/metrics")).text, topic, 0) in {None, 0.0}


@pytest.mark.parametrize(
    ("published", "deleted_before", "stored"),
    [(2, None, 1000), (3, 2, 1)],
    ids=["above-the-end-topic-recreated", "below-the-start-records-deleted"],
)
async def test_a_stored_offset_outside_the_log_stops_the_consumer_and_changes_nothing(
    kafka: str,
    namespace: str,
    database_url: str,
    keys: tuple[Path, Path],
    consumer_log: Kept,
    published: int,
    deleted_before: int | None,
    stored: int,
) -> None:
    settings = settings_for(kafka, namespace, database_url, keys[1])
    topic = topics.topic_name(topics.SUBMISSIONS, namespace)
    await publish_catalog(kafka, namespace)
    await to_partition_zero(kafka, topic, published)
    if deleted_before is not None:
        await delete_before(kafka, topic, deleted_before)
    await store_offset(database_url, settings.consumer_group, topic, 0, stored)
    async with running(settings) as ingest:

        async def stopped() -> Any:
            answer = await ingest.client.get("/ready")
            done = answer.status_code == 503 and STOPPED in answer.text and not ingest.app.state.consumer.running
            return answer if done else None

        answer = await eventually(stopped, timeout=30, interval=0.2)
        body = answer.json()
        assert body["checks"]["consumer"] is False
        assert body["errors_by"]["consumer"] == STOPPED
        assert "stored" not in answer.text  # the class only: not the error's text (offsets, range)
        assert gauge((await ingest.client.get("/metrics")).text, topic, 0) == 1
    [line] = [r for r in consumer_log.records if getattr(r, "event", None) == "consumer.offset_out_of_range"]
    assert line.levelno == logging.ERROR
    fields = line.__dict__
    assert (fields["topic"], fields["partition"], fields["stored_offset"]) == (topic, 0, stored)
    assert (fields["log_start"], fields["log_end"]) == (deleted_before or 0, published)
    offsets, count = await stored_and_submissions(database_url, settings.consumer_group, topic)
    assert (offsets, count) == ({0: stored}, 0)  # nothing decided, the stored offset not reset
