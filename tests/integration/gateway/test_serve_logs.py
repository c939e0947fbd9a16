"""`python -m dantoc_gateway serve` as a real process: its whole log is JSON lines, uvicorn's own lines included,
and the read model's batches carry the submission ids of the aggregates they applied."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path
from typing import Any

import httpx

from tests.support.gateway.literal import CATALOG, aggregate
from tests.support.gateway.serving import publish_aggregates, publish_catalog
from tests.support.gateway.signing import Signing
from tests.support.infra import free_port
from tests.support.kafka import eventually


async def _stop(process: asyncio.subprocess.Process) -> None:
    """SIGTERM (uvicorn shuts the app down and logs it); SIGKILL if it has not ended within 30 s."""
    if process.returncode is None:
        process.terminate()
    try:
        await asyncio.wait_for(process.wait(), timeout=30)
    except TimeoutError:
        process.kill()
        await process.wait()


def _lines(log: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines() if line.strip()]


async def test_the_served_gateway_logs_json_lines(kafka: str, namespace: str, tmp_path: Path, signing: Signing) -> None:
    await publish_catalog(kafka, namespace, CATALOG)
    await publish_aggregates(kafka, namespace, [aggregate("0401", "02", "2024", "40")], correlation_id="sub-77")
    port, log = free_port(), tmp_path / "gateway.log"
    env = {
        **os.environ,
        "KAFKA_BOOTSTRAP_SERVERS": kafka,
        "DANTOC_TOPIC_NAMESPACE": namespace,
        "DANTOC_JWT_PUBLIC_KEY_FILE": str(signing.public_file),
        "DANTOC_GATEWAY_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'gateway.db'}",
        "DANTOC_GATEWAY_HTTP_PORT": str(port),
        "DANTOC_GATEWAY_CONSUMER_GROUP": f"gateway-{namespace}",
        "DANTOC_GATEWAY_ACCESS_LOG": "true",
        "PYTHONUNBUFFERED": "1",
    }
    migrate = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "dantoc_gateway", "migrate", env=env, cwd=tmp_path
    )
    assert await migrate.wait() == 0  # first, as `make up`: serve refuses a schema not at head
    with log.open("wb") as out:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "dantoc_gateway", "serve", env=env, cwd=tmp_path, stdout=out, stderr=out
        )
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:

            async def is_ready() -> bool:
                assert process.returncode is None, log.read_text()
                try:
                    return (await client.get("/ready")).status_code == 200
                except httpx.TransportError:
                    return False

            await eventually(is_ready, timeout=60, interval=0.3)
            await eventually(lambda: any(r.get("event") == "aggregates.applied" for r in _lines(log)), timeout=30)
    finally:
        await _stop(process)
    lines = _lines(log)  # every line is a JSON object (json.loads would have failed otherwise)
    assert {r["service"] for r in lines} == {"gateway"}
    assert all({"time", "level", "logger", "message"} <= r.keys() for r in lines)
    startup = [r for r in lines if r["logger"].startswith("uvicorn") and "startup complete" in r["message"]]
    assert startup, lines
    assert any(r["logger"] == "uvicorn.access" and "/ready" in r["message"] for r in lines)
    applied = [r for r in lines if r.get("event") == "aggregates.applied"]
    assert applied[0]["submission_ids"] == ["sub-77"]
    assert applied[0]["topic"].endswith("dantoc.aggregates.v1")
