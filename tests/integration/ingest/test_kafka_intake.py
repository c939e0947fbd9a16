"""Submissions from agency systems through the submissions topic: decided like HTTP ones, scope-checked against
the registered agency, poison messages dead-lettered, and never decided twice after a restart."""

from __future__ import annotations

import base64
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition

from dantoc_contracts import topics
from tests.support.ingest.catalog import publish_catalog
from tests.support.ingest.requests import request, send
from tests.support.ingest.serving import Ingest, running, settings_for
from tests.support.kafka import eventually

Headers = Callable[..., dict[str, str]]
LogCapture = pytest.LogCaptureFixture


async def test_kafka_submission_is_accepted_and_published(ingest: Ingest, token: Headers) -> None:
    await send(ingest, (b"00715", request("k-1")))
    [event] = await ingest.events(topics.VALUES_ACCEPTED, 1)
    assert event.payload.submission_id == "k-1"
    assert len(event.payload.changes) == 2
    state = await ingest.state("k-1", token(), "published")
    assert state["channel"] == "kafka"
    history = await ingest.client.get("/cells/history?unit_code=00715&period=2024", headers=token())
    assert {v["submitted_by"] for v in history.json()} == {"agency:BDT-02"}


async def test_registered_scope_is_enforced_and_dry_runs_report(ingest_pg: Ingest) -> None:
    ingest = ingest_pg
    await send(
        ingest,
        (b"00715", request("k-out", agency="BDT-04")),  # BDT-04 is registered for province 04 only
        (b"00715", request("k-unknown", agency="NOBODY")),
        (b"00715", request("k-dry", value="-1", dry_run=True)),
        (b"00715", request("k-dry-ok", dry_run=True)),
    )
    rejections = await ingest.events(topics.SUBMISSIONS_REJECTED, 3)
    by_id = {r.payload.submission_id: r.payload for r in rejections}
    assert [p.code for p in by_id["k-out"].problems] == ["outside_scope"]
    assert [p.code for p in by_id["k-unknown"].problems] == ["unknown_agency"]
    assert by_id["k-dry"].dry_run
    assert [p.code for p in by_id["k-dry"].problems] == ["out_of_range"]
    assert not by_id["k-out"].dry_run


async def test_poison_messages_are_dead_lettered_and_the_consumer_goes_on(
    kafka: str, namespace: str, postgres_url: str, keys: tuple[Path, Path], token: Headers, caplog: LogCapture
) -> None:
    caplog.set_level(logging.INFO, logger="dantoc_ingest")
    await publish_catalog(kafka, namespace)
    settings = settings_for(kafka, namespace, postgres_url, keys[1])
    not_json, wrong_contract = b"\xff{not json", b'{"type": "SubmissionRequested", "payload": {"x": 1}}'
    # step 1: two poison messages, then a good one
    async with running(settings) as ingest:
        await send(ingest, (b"00715", not_json), (b"00715", wrong_contract), (b"00715", request("after-poison")))
        [event] = await ingest.events(topics.VALUES_ACCEPTED, 1)
        assert event.payload.submission_id == "after-poison"
        letters = await ingest.events(topics.DEAD_LETTER, 2)
        assert [base64.b64decode(d.payload.value_b64) for d in letters] == [not_json, wrong_contract]
        assert all(d.payload.reason and d.payload.source_topic == ingest.topic(topics.SUBMISSIONS) for d in letters)
        assert [d.payload.offset for d in letters] == [0, 1]
        await ingest.state("after-poison", token(), "published")
        await eventually(lambda: _committed(ingest), timeout=10)
        # each poison message was logged with where it was read and why it was set aside, and published
        source = ingest.topic(topics.SUBMISSIONS)
        logged: list[Any] = [r for r in caplog.records if getattr(r, "event", None) == "message.dead_lettered"]
        assert [(r.topic, r.partition, r.offset) for r in logged] == [(source, 0, 0), (source, 0, 1)]
        assert all("not a valid SubmissionRequested envelope" in r.reason for r in logged)
        published = {
            "app_name": "dantoc-ingest",
            "broker": "kafka",
            "destination": ingest.topic(topics.DEAD_LETTER),
            "status": "success",
        }
        registry = ingest.app.state.ctx.metrics.registry
        await eventually(lambda: registry.get_sample_value("faststream_published_messages_total", published) == 2)
    # step 2: the group's Kafka offsets are rewound (as if the Kafka commit had been lost after the database one)
    await _rewind(kafka, namespace)
    # step 3: a restarted ingest seeks to the offsets kept in its database: nothing is decided again
    async with running(settings) as again:
        await send(again, (b"00715", request("marker", value="9")))
        events = await again.events(topics.VALUES_ACCEPTED, 2)
        assert [e.payload.submission_id for e in events] == ["after-poison", "marker"]
        metrics = again.app.state.ctx.metrics
        await eventually(lambda: metrics.submissions.labels("kafka", "accepted")._value.get() == 1)
        assert metrics.dead_letters._value.get() == 0
        assert len(await again.events(topics.DEAD_LETTER, 2)) == 2


async def _committed(ingest: Ingest) -> bool:
    consumer = AIOKafkaConsumer(bootstrap_servers=ingest.bootstrap, group_id=f"ingest-{ingest.namespace}")
    await consumer.start()
    try:
        committed = await consumer.committed(TopicPartition(ingest.topic(topics.SUBMISSIONS), 0))
        return bool(committed == 3)
    finally:
        await consumer.stop()


async def _rewind(bootstrap: str, namespace: str) -> None:
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=f"ingest-{namespace}", enable_auto_commit=False)
    await consumer.start()
    try:
        tp = TopicPartition(topics.topic_name(topics.SUBMISSIONS, namespace), 0)
        consumer.assign([tp])
        await consumer.commit({tp: 0})
    finally:
        await consumer.stop()
