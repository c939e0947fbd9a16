"""Ingest's storing time, submission id trail (logs), FastStream's Kafka series and consumer lag, observed against
the real broker and database."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from prometheus_client.parser import text_string_to_metric_families

from dantoc_contracts import topics
from dantoc_ingest.kafka.consumer_lag import ConsumerLag
from dantoc_ingest.metrics import IngestMetrics
from tests.support.ingest.requests import body, request, send, val
from tests.support.ingest.serving import Ingest
from tests.support.kafka import eventually

Headers = Callable[..., dict[str, str]]
LAG = "dantoc_ingest_consumer_lag_messages"
CSV = "indicator;ethnic_group;sex;value;no_data;no_data_reason\n0101;;;7;;\n"


def sample(metrics: IngestMetrics, name: str, **labels: str) -> float:
    value = metrics.registry.get_sample_value(name, labels)
    assert value is not None, (name, labels)
    return value


def scraped(text: str, name: str, **labels: str) -> float | None:
    """The value of one series in the text of /metrics."""
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            if s.name == name and s.labels == labels:
                return s.value
    return None


def trail(caplog: pytest.LogCaptureFixture, prefix: str) -> list[Any]:
    """The records of the submission id trail whose event starts with `prefix`."""
    return [r for r in caplog.records if getattr(r, "event", "").startswith(prefix)]


def lags(metrics: IngestMetrics, topic: str) -> dict[int, float]:
    """Partition -> lag of every series of `topic`."""
    return {
        int(s.labels["partition"]): s.value
        for family in metrics.registry.collect()
        for s in family.samples
        if s.name == LAG and s.labels["topic"] == topic
    }


async def test_every_channel_is_observed_storing_time_trail_and_kafka_series(
    ingest_pg: Ingest, token: Headers, caplog: pytest.LogCaptureFixture
) -> None:
    ingest, metrics = ingest_pg, ingest_pg.app.state.ctx.metrics
    caplog.set_level(logging.INFO, logger="dantoc_ingest")

    def stored() -> float:
        return sample(metrics, "dantoc_ingest_apply_seconds_count")

    # step 1: one HTTP submission is stored: one observation
    assert (
        await ingest.client.post("/submissions", json=body("m-1", val(value=5)), headers=token())
    ).status_code == 200
    assert stored() == 1
    # step 2: a resend and a dry run store nothing: no observation
    resend = await ingest.client.post("/submissions", json=body("m-1", val(value=5)), headers=token())
    assert resend.headers["Idempotent-Replayed"] == "true"
    dry = await ingest.client.post("/submissions?dry_run=true", json=body("m-dry", val(value=9)), headers=token())
    assert dry.status_code == 200
    assert stored() == 1
    # step 3: a bulk of two, one rejected: a rejection is stored too
    bulk = {"submissions": [body("m-2", val(value=6)), body("m-3", val(value=-1))]}
    assert (await ingest.client.post("/submissions/bulk", json=bulk, headers=token())).status_code == 422
    assert stored() == 3
    # step 4: a CSV file
    form = {"unit_code": "00715", "period": "2024", "submission_id": "m-4"}
    files = {"file": ("data.csv", CSV.encode(), "text/csv")}
    assert (await ingest.client.post("/submissions/file", files=files, data=form, headers=token())).status_code == 200
    assert stored() == 4
    # step 5: a submission from the topic
    await send(ingest, (b"00715", request("m-5", value="8")))
    await eventually(lambda: stored() == 5)
    assert sample(metrics, "dantoc_ingest_apply_seconds_sum") > 0
    decided = {
        (channel, outcome): sample(metrics, "dantoc_ingest_submissions_total", channel=channel, outcome=outcome)
        for channel in ("http", "file", "kafka")
        for outcome in ("accepted", "rejected")
    }
    assert decided == {
        ("http", "accepted"): 2,
        ("http", "rejected"): 1,
        ("file", "accepted"): 1,
        ("file", "rejected"): 0,
        ("kafka", "accepted"): 1,
        ("kafka", "rejected"): 0,
    }
    # step 6: each submission left one line with its id, whatever its channel; the Kafka one says where it was read
    lines = {(r.event, r.submission_id, r.channel) for r in trail(caplog, "submission.")}
    assert lines == {
        ("submission.accepted", "m-1", "http"),
        ("submission.duplicate", "m-1", "http"),
        ("submission.dry_run", "m-dry", "http"),
        ("submission.accepted", "m-2", "http"),
        ("submission.rejected", "m-3", "http"),
        ("submission.accepted", "m-4", "file"),
        ("submission.accepted", "m-5", "kafka"),
    }
    [rejected] = trail(caplog, "submission.rejected")
    assert (rejected.problem_count, rejected.unit_code, rejected.period, rejected.count) == (1, "00715", "2024", 1)
    [from_topic] = [r for r in trail(caplog, "submission.accepted") if r.channel == "kafka"]
    assert (from_topic.topic, from_topic.partition, from_topic.offset) == (ingest.topic(topics.SUBMISSIONS), 0, 0)
    # step 7: the relay logs where each ValuesAccepted went, with its submission id
    values_topic = ingest.topic(topics.VALUES_ACCEPTED)
    await eventually(
        lambda: {r.submission_id for r in trail(caplog, "values.published")} == {"m-1", "m-2", "m-4", "m-5"}
    )
    assert all(
        r.topic == values_topic and r.partition >= 0 and r.offset >= 0 for r in trail(caplog, "values.published")
    )
    # step 8: /metrics shows FastStream's series for what was read and published
    await _published_series(ingest, values_topic, 4)
    await _published_series(ingest, ingest.topic(topics.SUBMISSIONS_REJECTED), 1)
    text = (await ingest.client.get("/metrics")).text
    for read in (ingest.topic(topics.SUBMISSIONS), ingest.topic(topics.CATALOG)):
        series = f'faststream_received_messages_total{{app_name="dantoc-ingest",broker="kafka",handler="{read}"}}'
        assert series in text
        labels = {"app_name": "dantoc-ingest", "broker": "kafka", "handler": read}
        assert (scraped(text, "faststream_received_messages_total", **labels) or 0) > 0
        assert scraped(text, "faststream_received_processed_messages_total", status="acked", **labels) == scraped(
            text, "faststream_received_messages_total", **labels
        )


async def _published_series(ingest: Ingest, topic: str, count: int) -> None:
    """Wait until /metrics counts `count` messages published to `topic` with success."""
    labels = {"app_name": "dantoc-ingest", "broker": "kafka", "destination": topic, "status": "success"}

    async def shown() -> bool:
        text = (await ingest.client.get("/metrics")).text
        return scraped(text, "faststream_published_messages_total", **labels) == count

    await eventually(shown)


async def test_lag_is_the_high_watermark_minus_the_position(kafka: str, namespace: str) -> None:
    topic = topics.topic_name(topics.SUBMISSIONS, namespace)
    tp = TopicPartition(topic, 1)
    producer = AIOKafkaProducer(bootstrap_servers=kafka, enable_idempotence=True, acks="all")
    await producer.start()
    try:
        for n in range(5):
            await producer.send_and_wait(topic, b"%d" % n, partition=1)
    finally:
        await producer.stop()
    metrics = IngestMetrics()
    lag = ConsumerLag(metrics.consumer_lag)
    consumer = AIOKafkaConsumer(bootstrap_servers=kafka, group_id=None, auto_offset_reset="earliest")
    await consumer.start()
    try:
        consumer.assign([tp])
        # step 1: two of the five read: three left
        first = await eventually(lambda: consumer.getmany(tp, timeout_ms=500, max_records=2))
        assert len(first[tp]) == 2
        await lag.update(consumer)
        assert lags(metrics, topic) == {1: 3}
        # step 2: the rest read (an empty poll after them keeps the value): none left
        read = 2
        while read < 5:
            read += sum(len(r) for r in (await consumer.getmany(tp, timeout_ms=500)).values())
        await lag.update(consumer)
        assert lags(metrics, topic) == {1: 0}
        # step 3: the partition is no longer held: its series goes
        consumer.assign([TopicPartition(topic, 0)])
        await lag.update(consumer)
        assert 1 not in lags(metrics, topic)
    finally:
        await consumer.stop()


async def test_the_consumer_shows_the_lag_of_the_partitions_it_holds(ingest_pg: Ingest) -> None:
    ingest, metrics = ingest_pg, ingest_pg.app.state.ctx.metrics
    topic, partitions = ingest.topic(topics.SUBMISSIONS), set(range(topics.SUBMISSIONS.partitions))
    # step 1: idle, the consumer shows every partition it holds, labelled by topic and partition, at 0
    await eventually(lambda: lags(metrics, topic) == dict.fromkeys(partitions, 0.0))
    # step 2: submissions on every partition are decided: the lag is back to 0 everywhere
    producer = AIOKafkaProducer(bootstrap_servers=ingest.bootstrap, enable_idempotence=True, acks="all")
    await producer.start()
    try:
        for partition in sorted(partitions):
            for n in range(2):
                await producer.send_and_wait(topic, request(f"lag-{partition}-{n}"), key=b"00715", partition=partition)
    finally:
        await producer.stop()
    accepted = 2 * len(partitions)
    await eventually(
        lambda: sample(metrics, "dantoc_ingest_submissions_total", channel="kafka", outcome="accepted") == accepted
    )
    await eventually(lambda: lags(metrics, topic) == dict.fromkeys(partitions, 0.0))
    # step 3: another member joins the group: the partitions it takes lose their series in ingest
    other = AIOKafkaConsumer(topic, bootstrap_servers=ingest.bootstrap, group_id=f"ingest-{ingest.namespace}")
    await other.start()
    try:
        await eventually(lambda: _holds(other), timeout=60)
        taken = {tp.partition for tp in other.assignment()}
        assert 0 < len(taken) < len(partitions)
        await eventually(lambda: set(lags(metrics, topic)) == partitions - taken, timeout=60)
    finally:
        await other.stop()
    # step 4: it leaves: ingest holds every partition again, and shows them all
    await eventually(lambda: lags(metrics, topic) == dict.fromkeys(partitions, 0.0), timeout=60)


async def _holds(consumer: AIOKafkaConsumer) -> bool:
    await consumer.getmany(timeout_ms=200)  # nothing to read (ingest committed everything): drives the join
    return bool(consumer.assignment())
