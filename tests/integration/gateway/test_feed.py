"""The feeds against the real broker: replay from the beginning, updates, tombstones, restarts, unreadable records."""

from __future__ import annotations

import base64
import logging
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from dantoc_contracts import topics
from dantoc_contracts.codes import EthnicCodeList, EthnicGroupRef
from dantoc_contracts.messages import adapter
from dantoc_contracts.submissions import Disaggregation
from dantoc_contracts.topics import topic_name
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

QUERY = {"indicator": "0401", "unit": "02", "period": "2024", "ethnicGroup": "*"}


async def values(client: httpx.AsyncClient, signing: Signing) -> list[tuple[str, Any]]:
    response = await client.get("/v1/values", params=QUERY, headers=signing.headers("national", "VN"))
    assert response.status_code == 200, response.text
    return [(o["ethnic_group"], o["value"]) for o in response.json()["observations"]]


def applied(metrics: str, outcome: str) -> float:
    line = next(
        x
        for x in metrics.splitlines()
        if x.startswith(f'dantoc_gateway_aggregates_applied_total{{outcome="{outcome}"}}')
    )
    return float(line.rsplit(" ", 1)[1])


async def test_updates_and_tombstones_reach_the_answers(
    kafka: str, namespace: str, database_url: str, signing: Signing, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="dantoc_gateway")
    # the topics already hold a catalog and a figure when the gateway first starts: it reads them from the beginning
    await publish_catalog(kafka, namespace, CATALOG)
    await publish_aggregates(kafka, namespace, [aggregate("0401", "02", "2024", "40", done=(3, 1, 1, 1))])
    async with running(settings_for(kafka, namespace, database_url, signing)) as (_, client):
        state = await ready(client)
        assert (state["catalog"]["lag"], state["aggregates"]["lag"], state["values"]["lag"]) == (0, 0, 0)
        assert await values(client, signing) == [("_T", 40)]
        # a newer computation and a new breakdown arrive: the cached answer is retired
        newer = aggregate("0401", "02", "2024", "41", done=(3, 2, 1, 0), computed_at=COMPUTED + timedelta(hours=1))
        breakdown = aggregate("0401", "02", "2024", "20", ethnic="08")
        await publish_aggregates(kafka, namespace, [newer, breakdown], correlation_id="sub-41")
        await eventually(lambda: _is(client, signing, [("08", 20), ("_T", 41)]), timeout=30)
        # the batch's log line carries the submission id the aggregate service put in the envelopes
        applied_lines = [r for r in caplog.records if getattr(r, "event", None) == "aggregates.applied"]
        assert any(getattr(r, "submission_ids", None) == ["sub-41"] for r in applied_lines)
        await _faststream_counted(
            client, [topic_name(topics.AGGREGATES, namespace), topic_name(topics.CATALOG, namespace)]
        )
        # a late, older computation of the same figure does not overwrite it
        await publish_aggregates(kafka, namespace, [aggregate("0401", "02", "2024", "39", computed_at=COMPUTED)])
        await ready(client)
        assert await values(client, signing) == [("08", 20), ("_T", 41)]
        # a tombstone deletes the breakdown; the change feed tells subscribers to delete it too
        await publish(kafka, topic_name(topics.AGGREGATES, namespace), [("0401|02|2024|GSO1979:08|_T|_T|_T", None)])
        await eventually(lambda: _is(client, signing, [("_T", 41)]), timeout=30)
        feed = await client.get(
            "/v1/changes", params={"updatedAfter": "2000-01-01"}, headers=signing.headers("national", "VN")
        )
        actions = {(c["ethnic_group"], c["action"]) for c in feed.json()["changes"]}
        assert actions == {("_T", "upsert"), ("08", "delete")}


async def _is(client: httpx.AsyncClient, signing: Signing, expected: list[tuple[str, Any]]) -> bool:
    return await values(client, signing) == expected


async def _faststream_counted(client: httpx.AsyncClient, consumed: list[str]) -> None:
    """FastStream's consume series for each topic: received, and processed (acked) after the commit."""
    metrics = (await client.get("/metrics")).text
    for topic in consumed:
        labels = {"app_name": "dantoc-gateway", "broker": "kafka", "handler": topic}
        assert (sample(metrics, "faststream_received_messages_total", **labels) or 0) > 0, topic
        acked = sample(metrics, "faststream_received_processed_messages_total", status="acked", **labels)
        assert (acked or 0) > 0, topic
        assert sample(metrics, "faststream_received_messages_in_process", **labels) == 0


async def test_a_restart_resumes_from_the_stored_positions(
    kafka: str, namespace: str, tmp_path: Path, signing: Signing
) -> None:
    await publish_catalog(kafka, namespace, CATALOG)
    await publish_aggregates(
        kafka,
        namespace,
        [aggregate("0401", "02", "2024", str(n), computed_at=COMPUTED + timedelta(minutes=n)) for n in range(20)],
    )
    url = f"sqlite+aiosqlite:///{tmp_path / 'gateway.db'}"
    settings = settings_for(kafka, namespace, url, signing)
    async with running(settings) as (_, client):
        await ready(client)
        assert applied((await client.get("/metrics")).text, "upserted") == 1.0  # 20 versions of one figure, one batch
        first = (
            await client.get(
                "/v1/changes", params={"updatedAfter": "2000-01-01"}, headers=signing.headers("national", "VN")
            )
        ).json()
    # restarted on the same database: nothing is applied twice, nothing is lost
    async with running(settings) as (_, client):
        await ready(client)
        metrics = (await client.get("/metrics")).text
        assert (applied(metrics, "upserted"), applied(metrics, "skipped")) == (0.0, 0.0)
        again = (
            await client.get(
                "/v1/changes", params={"updatedAfter": "2000-01-01"}, headers=signing.headers("national", "VN")
            )
        ).json()
        assert again["changes"] == first["changes"]
        await publish_aggregates(
            kafka, namespace, [aggregate("0401", "02", "2024", "99", computed_at=COMPUTED + timedelta(days=1))]
        )
        await eventually(lambda: _is(client, signing, [("_T", 99)]), timeout=30)
    # a fresh database in the same consumer group still replays the topic from the beginning
    fresh = settings_for(kafka, namespace, f"sqlite+aiosqlite:///{tmp_path / 'fresh.db'}", signing)
    fresh = fresh.model_copy(update={"consumer_group": settings.consumer_group})
    async with running(fresh) as (_, client):
        await ready(client)
        assert await values(client, signing) == [("_T", 99)]


async def test_unreadable_records_are_dead_lettered_and_the_feed_goes_on(
    kafka: str, namespace: str, tmp_path: Path, signing: Signing
) -> None:
    await publish_catalog(kafka, namespace, CATALOG)
    aggregates_topic = topic_name(topics.AGGREGATES, namespace)
    mistyped = aggregate("0401", "02", "2024", "7")
    records = [
        ("0401|02|2024|_T|_T|_T|_T", b"{not json"),
        ("not a key", aggregate_records([mistyped])[0][1]),
        *aggregate_records([mistyped]),
    ]
    await publish(kafka, aggregates_topic, records)
    # a figure keyed in the GSO 2008 list is stored under its canonical (GSO 1979) code
    hoa = mistyped.model_copy(
        update={
            "disaggregation": Disaggregation(ethnic_group=EthnicGroupRef(code_list=EthnicCodeList.GSO_2008, code="06"))
        }
    )
    await publish(kafka, aggregates_topic, aggregate_records([hoa]))
    async with running(settings_for(kafka, namespace, f"sqlite+aiosqlite:///{tmp_path / 'g.db'}", signing)) as (
        _,
        client,
    ):
        await ready(client)
        assert await values(client, signing) == [("04", 7), ("_T", 7)]
        metrics = (await client.get("/metrics")).text
        assert f'dantoc_gateway_dead_lettered_total{{topic="{aggregates_topic}"}} 2.0' in metrics
        for partition in ("0", "1", "2"):  # the lag of every partition of the topic
            assert (
                sample(metrics, "dantoc_gateway_readmodel_lag_messages", topic=aggregates_topic, partition=partition)
                == 0
            )
        dead_letter_topic = topic_name(topics.DEAD_LETTER, namespace)
        published = {"app_name": "dantoc-gateway", "broker": "kafka", "destination": dead_letter_topic}
        assert sample(metrics, "faststream_published_messages_total", status="success", **published) == 2
    dead = await read_topic(kafka, topic_name(topics.DEAD_LETTER, namespace), until=lambda found: len(found) >= 2)
    letters = [adapter(topics.DEAD_LETTER.name).validate_json(r.value).payload for r in dead]
    reasons = sorted(d.reason.split("\n")[0] for d in letters)
    unreadable = "dantoc_gateway.UnreadableRecord: "  # the reason names the error's class first
    assert reasons == [
        f"{unreadable}1 validation error for Envelope[AggregateChanged]",
        f"{unreadable}not an aggregate key: 'not a key'",
    ]
    assert {(d.source_topic, d.consumer) for d in letters} == {(aggregates_topic, f"gateway-{namespace}")}
    assert b"{not json" in {base64.b64decode(d.value_b64) for d in letters}  # the raw bytes are kept
