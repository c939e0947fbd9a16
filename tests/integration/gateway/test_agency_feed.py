"""The accepted-values feed against the real broker, on SQLite and PostgreSQL: an agency's access follows its
accepted submissions, is applied once, survives restarts and is rebuilt from the topic on a fresh database."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import httpx
import pytest

from dantoc_contracts import topics
from dantoc_contracts.topics import topic_name
from tests.support.gateway.literal import CATALOG, read_model
from tests.support.gateway.scrape import sample
from tests.support.gateway.serving import (
    publish,
    publish_aggregates,
    publish_catalog,
    publish_values,
    ready,
    running,
    settings_for,
)
from tests.support.gateway.signing import Signing
from tests.support.gateway.submitted import accepted, values_records
from tests.support.kafka import eventually

AGENCY = "SYT-02"  # Hà Giang's health department: nothing submitted when the gateway starts


async def status(client: httpx.AsyncClient, signing: Signing, unit: str, period: str = "2024") -> int:
    params = {"indicator": "0401", "unit": unit, "period": period}
    response = await client.get("/v1/values", params=params, headers=signing.headers("agency", "02", agency=AGENCY))
    return response.status_code


async def metric(client: httpx.AsyncClient, name: str, **labels: str) -> float | None:
    return sample((await client.get("/metrics")).text, name, **labels)


def applied_submissions(caplog: pytest.LogCaptureFixture) -> list[Any]:
    return [
        getattr(r, "submission_ids", None)
        for r in caplog.records
        if getattr(r, "event", None) == "agency_units.applied"
    ]


async def test_an_agency_sees_a_unit_once_it_has_submitted_for_it(
    kafka: str, namespace: str, database_url: str, signing: Signing, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="dantoc_gateway")
    values_topic = topic_name(topics.VALUES_ACCEPTED, namespace)
    await publish_catalog(kafka, namespace, CATALOG)
    await publish_aggregates(kafka, namespace, read_model())
    async with running(settings_for(kafka, namespace, database_url, signing)) as (_, client):
        await ready(client)
        # before it has submitted anything, the agency sees nothing
        assert await status(client, signing, "00716") == 403
        # its first submission is accepted (and delivered twice, as at-least-once delivery may), beside an unreadable
        # record; another agency's submission for 00715 gives it nothing
        first = accepted(AGENCY, "00716", "2024", "sub-1")
        await publish_values(kafka, namespace, [first, first, accepted("UBNDX-00715", "00715", "2024", "sub-2")])
        await publish(kafka, values_topic, [("00716", b"{not json")])
        await eventually(lambda: _is(client, signing, "00716", 200), timeout=30)
        await ready(client)
        # the unit at every period, nothing above or beside it
        assert await status(client, signing, "00716", "2023") == 200
        for unit in ("00715", "026", "02"):
            assert await status(client, signing, unit) == 403
        # each applied batch logs the submission ids it carried; two (agency, unit) pairs were new
        assert {i for ids in applied_submissions(caplog) for i in ids} == {"sub-1", "sub-2"}
        assert await metric(client, "dantoc_gateway_agency_units_added_total") == 2.0
        # the unreadable record is parked and dead-lettered (after its attempts), and counted once
        await eventually(lambda: _dead_lettered(client, values_topic), timeout=30)
        for partition in ("0", "1", "2"):
            assert (
                await metric(client, "dantoc_gateway_readmodel_lag_messages", topic=values_topic, partition=partition)
                == 0
            )
        labels = {"app_name": "dantoc-gateway", "broker": "kafka", "handler": values_topic}
        assert await metric(client, "faststream_received_messages_total", **labels) == 4.0
        assert (await metric(client, "faststream_received_processed_messages_total", status="acked", **labels) or 0) > 0


async def _dead_lettered(client: httpx.AsyncClient, topic: str) -> bool:
    return await metric(client, "dantoc_gateway_dead_lettered_total", topic=topic) == 1.0


async def _is(client: httpx.AsyncClient, signing: Signing, unit: str, expected: int) -> bool:
    return await status(client, signing, unit) == expected


async def test_a_restart_applies_nothing_twice_and_a_fresh_database_replays_everything(
    kafka: str, namespace: str, tmp_path: Path, signing: Signing
) -> None:
    await publish_catalog(kafka, namespace, CATALOG)
    await publish(
        kafka, topic_name(topics.VALUES_ACCEPTED, namespace), values_records([accepted(AGENCY, "00716", "2024", "s")])
    )
    settings = settings_for(kafka, namespace, f"sqlite+aiosqlite:///{tmp_path / 'gateway.db'}", signing)
    async with running(settings) as (_, client):
        await ready(client)
        assert await status(client, signing, "00716") == 200
        assert await metric(client, "dantoc_gateway_agency_units_added_total") == 1.0
    # restarted on the same database: the stored positions say everything is applied already
    async with running(settings) as (_, client):
        await ready(client)
        assert await status(client, signing, "00716") == 200
        assert await metric(client, "dantoc_gateway_agency_units_added_total") == 0.0
        labels = {
            "app_name": "dantoc-gateway",
            "broker": "kafka",
            "handler": topic_name(topics.VALUES_ACCEPTED, namespace),
        }
        assert await metric(client, "faststream_received_messages_total", **labels) is None  # nothing read again
    # a fresh database in the same consumer group replays the topic from the beginning
    fresh = settings.model_copy(update={"database_url": f"sqlite+aiosqlite:///{tmp_path / 'fresh.db'}"})
    async with running(fresh) as (_, client):
        await ready(client)
        assert await status(client, signing, "00716") == 200
