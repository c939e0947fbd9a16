"""An accepted HTTP submission survives a Kafka outage: committed with its outbox row while the broker is down,
published exactly once when it is back. Runs its own broker (deploy/kafka/kafka.sh on test-only ports and
directory) because it stops and restarts it."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from dantoc_contracts import topics
from tests.support.infra import LOCAL, REPO, free_port
from tests.support.ingest.catalog import publish_catalog
from tests.support.ingest.serving import running, settings_for
from tests.support.kafka import create_namespace, eventually, read_topic

Headers = Callable[..., dict[str, str]]


PORT, CONTROLLER_PORT = os.environ.get("DANTOC_INGEST_OUTAGE_PORT") or str(free_port()), str(free_port())
ENV = {"KAFKA_DIR": str(LOCAL / "kafka-ingest-outage"), "KAFKA_PORT": PORT, "KAFKA_CONTROLLER_PORT": CONTROLLER_PORT}


def kafka_sh(command: str) -> None:
    done = subprocess.run(
        ["bash", str(REPO / "deploy/kafka/kafka.sh"), command],
        env={**os.environ, **ENV},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, f"kafka.sh {command}: {done.stdout}\n{done.stderr}"


@pytest.fixture(scope="module")
def own_broker() -> Iterator[str]:
    """A broker of this test module only: started clean, stopped at the end."""
    kafka_sh("reset")
    kafka_sh("start")
    try:
        yield f"127.0.0.1:{PORT}"
    finally:
        kafka_sh("stop")


def body(submission_id: str, value: int) -> dict[str, object]:
    return {
        "submission_id": submission_id,
        "agency": "BDT-02",
        "unit_code": "00715",
        "period": "2024",
        "values": [{"indicator": "0101", "value": value}],
    }


@pytest.mark.timeout(400)
async def test_submission_accepted_during_outage_is_published_exactly_once(
    own_broker: str, database_url: str, keys: tuple[Path, Path], token: Headers
) -> None:
    namespace = await create_namespace(own_broker)
    await publish_catalog(own_broker, namespace)
    async with running(settings_for(own_broker, namespace, database_url, keys[1])) as ingest:
        # step 1: the service publishes normally
        assert (await ingest.client.post("/submissions", json=body("before", 1), headers=token())).status_code == 200
        await ingest.state("before", token(), "published")
        # step 2: the broker goes away; a submission is still accepted, and reported as not yet published
        kafka_sh("stop")
        try:
            response = await ingest.client.post("/submissions", json=body("during", 2), headers=token())
            assert response.status_code == 200
            assert response.json()["status"] == "accepted"
            state = (await ingest.client.get("/submissions/during", headers=token())).json()
            assert state["status"] == "accepted"
            assert state["published_at"] is None
            assert (await ingest.client.get("/ready")).status_code == 503
        finally:
            # step 3: the broker comes back; the relay publishes what was committed meanwhile
            kafka_sh("start")
        await ingest.state("during", token(), "published", timeout=120)
        assert (await ingest.client.post("/submissions", json=body("after", 3), headers=token())).status_code == 200
        topic = ingest.topic(topics.VALUES_ACCEPTED)

        def has_after(records: list[Any]) -> bool:
            return any(b'"after"' in r.value for r in records)

        records = await read_topic(own_broker, topic, until=has_after, timeout=120)
        ids = sorted(sub for r in records for sub in ("before", "during", "after") if f'"{sub}"'.encode() in r.value)
        assert ids == ["after", "before", "during"]  # each exactly once

        async def ready() -> bool:
            return (await ingest.client.get("/ready")).status_code == 200

        await eventually(ready, timeout=60)
