"""`python -m dantoc_ingest serve` as a real process: its whole log is JSON lines, uvicorn's own lines included, and
one submission leaves its trail (`submission.accepted`, then `values.published` with where it went)."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from dantoc_contracts import topics
from tests.support.infra import free_port
from tests.support.ingest.catalog import publish_catalog
from tests.support.ingest.requests import body, val
from tests.support.kafka import eventually


def json_lines(log: Path) -> list[dict[str, Any]]:
    """Every line of the log, each one JSON object (a line that is not JSON fails the test)."""
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines() if line.strip()]


async def stop(process: asyncio.subprocess.Process) -> int:
    """SIGTERM (uvicorn shuts the app down and logs it); SIGKILL if it has not ended within 30 s."""
    if process.returncode is None:
        process.terminate()
    try:
        return await asyncio.wait_for(process.wait(), timeout=30)
    except TimeoutError:
        process.kill()
        return await process.wait()


async def test_the_served_ingest_logs_json_lines_with_the_submission_trail(
    kafka: str, namespace: str, tmp_path: Path, keys: tuple[Path, Path], token: Callable[..., dict[str, str]]
) -> None:
    await publish_catalog(kafka, namespace)
    port, log = free_port(), tmp_path / "ingest.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith("DANTOC_INGEST_")}  # default log settings
    env |= {
        "KAFKA_BOOTSTRAP_SERVERS": kafka,
        "DANTOC_TOPIC_NAMESPACE": namespace,
        "DANTOC_JWT_PUBLIC_KEY_FILE": str(keys[1]),
        "DANTOC_INGEST_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'ingest.db'}",
        "DANTOC_INGEST_HTTP_PORT": str(port),
        "DANTOC_INGEST_CONSUMER_GROUP": f"ingest-{namespace}",
        "PYTHONUNBUFFERED": "1",
    }
    migrate = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "dantoc_ingest", "migrate", env=env, cwd=tmp_path, stdout=asyncio.subprocess.DEVNULL
    )
    assert await migrate.wait() == 0
    with log.open("wb") as out:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "dantoc_ingest", "serve", env=env, cwd=tmp_path, stdout=out, stderr=out
        )
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:

            async def ready() -> bool:
                assert process.returncode is None, log.read_text()
                try:
                    return (await client.get("/ready")).status_code == 200
                except httpx.TransportError:
                    return False

            await eventually(ready, timeout=60, interval=0.2)
            sent = await client.post("/submissions", json=body("serve-1", val(value=7)), headers=token())
            assert sent.status_code == 200, sent.text

            def published() -> list[dict[str, Any]]:
                return [line for line in json_lines(log) if line.get("event") == "values.published"]

            [where] = await eventually(published, timeout=30)
    finally:
        await stop(process)
    lines = json_lines(log)
    assert {line["service"] for line in lines} == {"ingest"}
    assert all({"time", "level", "logger", "message"} <= line.keys() for line in lines)
    [accepted] = [line for line in lines if line.get("event") == "submission.accepted"]
    assert (accepted["submission_id"], accepted["channel"], accepted["unit_code"], accepted["count"]) == (
        "serve-1",
        "http",
        "00715",
        1,
    )
    assert (where["submission_id"], where["topic"]) == ("serve-1", topics.topic_name(topics.VALUES_ACCEPTED, namespace))
    assert isinstance(where["partition"], int)
    assert isinstance(where["offset"], int)
    assert any(line["logger"] == "uvicorn.access" and "POST /submissions" in line["message"] for line in lines)
    assert lines[-1]["logger"] == "uvicorn.error"
    assert lines[-1]["message"] == f"Finished server process [{process.pid}]"
