"""`republish` on the real broker and both databases: the stored cells become the very events the relay published
(same keys, same message ids, same bytes), so rebuilding a read model from them changes nothing it has."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import Callable
from typing import Any

from dantoc_contracts import topics
from tests.support.ingest.serving import Ingest
from tests.support.kafka import read_topic

Headers = Callable[..., dict[str, str]]


def body(submission_id: str, *values: dict[str, Any]) -> dict[str, Any]:
    return {
        "submission_id": submission_id,
        "agency": "BDT-02",
        "unit_code": "00715",
        "period": "2024",
        "values": values,
    }


async def test_republish_publishes_what_the_relay_did(ingest: Ingest, token: Headers) -> None:
    first = body(
        "rp-1",
        {"indicator": "0101", "value": 10},
        {"indicator": "0101", "value": 4, "disaggregation": {"ethnic_group": {"code_list": "GSO2008", "code": "06"}}},
        {"indicator": "0104", "no_data": True, "no_data_reason": "Chưa điều tra"},
    )
    second = body("rp-2", {"indicator": "0101", "value": 12}, {"indicator": "0104", "value": 3})
    for submission in (first, second):
        assert (await ingest.client.post("/submissions", json=submission, headers=token())).status_code == 200
    topic = ingest.topic(topics.VALUES_ACCEPTED)
    original = await read_topic(ingest.bootstrap, topic, until=lambda r: len(r) >= 2)
    env = {
        **os.environ,
        "DANTOC_INGEST_DATABASE_URL": ingest.database_url,
        "KAFKA_BOOTSTRAP_SERVERS": ingest.bootstrap,
        "DANTOC_TOPIC_NAMESPACE": ingest.namespace,
    }
    command = [sys.executable, "-m", "dantoc_ingest", "republish"]
    done = await asyncio.to_thread(subprocess.run, command, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "republished 2" in done.stdout
    records = await read_topic(ingest.bootstrap, topic, until=lambda r: len(r) >= 4)
    assert [(r.key, r.value) for r in records[2:]] == [(r.key, r.value) for r in original]
