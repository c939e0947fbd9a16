"""Operations through the real service process and broker: FastStream's Kafka series on /metrics, JSON log lines
with the submission id trail, and the submission id as the `correlation_id` of the aggregate events."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from dantoc_contracts import topics
from dantoc_contracts.messages import adapter
from dantoc_contracts.values import ValuesAccepted
from tests.support.aggregate.harness import ServiceProcess, producer, publish_catalog, publish_values
from tests.support.aggregate.literals import accepted, cell, records
from tests.support.kafka import eventually, read_topic

pytestmark = pytest.mark.integration
AGGREGATES = adapter(topics.AGGREGATES.name)
NATIONAL = "0601|VN|2024|_T|_T|_T|_T"


def submission(name: str, seconds_ago: int, message: ValuesAccepted) -> ValuesAccepted:
    moment = datetime.now(UTC) - timedelta(seconds=seconds_ago)
    return message.model_copy(update={"submission_id": name, "accepted_at": moment})


def series_value(text: str, series: str) -> float:
    """The value of one exact series in Prometheus text (0 when absent)."""
    found = [line for line in text.splitlines() if line.startswith(series + " ")]
    return float(found[0].rsplit(" ", 1)[1]) if found else 0.0


def faststream_series(namespace: str) -> list[str]:
    app = 'app_name="dantoc-aggregate",broker="kafka"'
    values = topics.topic_name(topics.VALUES_ACCEPTED, namespace)
    catalog = topics.topic_name(topics.CATALOG, namespace)
    aggregates = topics.topic_name(topics.AGGREGATES, namespace)
    return [
        f'faststream_received_messages_total{{{app},handler="{values}"}}',
        f'faststream_received_messages_total{{{app},handler="{catalog}"}}',
        f'faststream_received_processed_messages_total{{{app},handler="{values}",status="acked"}}',
        f'faststream_published_messages_total{{{app},destination="{aggregates}",status="success"}}',
    ]


async def test_metrics_logs_and_correlation_ids(kafka: str, namespace: str, sqlite_url: str, tmp_path: Path) -> None:
    await publish_catalog(kafka, namespace, records())
    service = ServiceProcess(kafka, namespace, sqlite_url, tmp_path / "service.log")
    service.start()
    try:
        await asyncio.to_thread(service.wait_ready)
        # Commune 00715 reports twice: "first", then "second" (accepted a second later, same partition).
        out = await producer(kafka)
        try:
            await publish_values(
                out,
                namespace,
                [
                    submission("first", 2, accepted("00715", "2024", cell("0601", 3, ethnic="02"))),
                    submission(
                        "second",
                        1,
                        accepted("00715", "2024", cell("0601", 4, ethnic="03"), cell("0601", 2, ethnic="06")),
                    ),
                ],
            )
        finally:
            await out.stop()
        events = await read_topic(
            kafka, topics.topic_name(topics.AGGREGATES, namespace), until=_national_total(9), timeout=60
        )
        # Every event names a submission; the national total's last event names the newest one.
        envelopes = [AGGREGATES.validate_json(r.value) for r in events]
        assert {e.correlation_id for e in envelopes} <= {"first", "second"}
        assert [e.correlation_id for e in envelopes if _key(e.payload) == NATIONAL][-1] == "second"
        # FastStream's Kafka series count the consumed topics and the published aggregates.
        async with httpx.AsyncClient(base_url=service.url) as client:

            async def counted() -> bool:
                text = (await client.get("/metrics")).text
                return all(series_value(text, series) > 0 for series in faststream_series(namespace))

            await eventually(counted, timeout=30)
    finally:
        service.stop()
    # The whole log is JSON lines (uvicorn's included); one `values.applied` line per message with its place.
    lines = [json.loads(line) for line in service.log.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert all(line["service"] == "aggregate" and line["time"].endswith("Z") for line in lines)
    assert any(line["logger"].startswith("uvicorn") for line in lines)
    assert not any("color_message" in line for line in lines)
    applied = {line["submission_id"]: line for line in lines if line.get("event") == "values.applied"}
    assert set(applied) == {"first", "second"}
    assert (applied["second"]["unit_code"], applied["second"]["period"], applied["second"]["count"]) == (
        "00715",
        "2024",
        2,
    )
    assert applied["second"]["topic"] == topics.topic_name(topics.VALUES_ACCEPTED, namespace)
    assert applied["second"]["partition"] == applied["first"]["partition"]
    assert applied["second"]["offset"] == applied["first"]["offset"] + 1
    assert any(line.get("event") == "batch.applied" and line["count"] >= 1 for line in lines)


def _key(payload: Any) -> str:
    return f"{payload.indicator}|{payload.unit_code}|{payload.period}|{payload.disaggregation.key()}"


def _national_total(value: int) -> Any:
    def done(found: list[Any]) -> bool:
        latest = {r.key.decode(): r.value for r in found}
        event = latest.get(NATIONAL)
        return event is not None and AGGREGATES.validate_json(event).payload.value == value

    return done
