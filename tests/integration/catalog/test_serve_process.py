"""`python -m dantoc_catalog serve` as a real process (after `migrate`, which seeds): refuses to start without a
token, serves, stops cleanly, restarts, logs nothing but JSON lines; and its whole API is fuzzed from its OpenAPI
document (no input gives a 5xx)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.integration.catalog.support import ADMIN_TOKEN, AUTH
from tests.support.infra import free_port

pytestmark = pytest.mark.integration
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
"""Not "schema-valid data is accepted": a valid shape can still break a business rule (an unknown agency)."""


def environment(
    database_url: str, kafka: str, namespace: str, port: int, token: str | None = ADMIN_TOKEN
) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DANTOC_CATALOG_")}
    env |= {
        "DANTOC_CATALOG_DATABASE_URL": database_url,
        "DANTOC_CATALOG_HTTP_PORT": str(port),
        "KAFKA_BOOTSTRAP_SERVERS": kafka,
        "DANTOC_TOPIC_NAMESPACE": namespace,
    }
    if token is not None:
        env["DANTOC_CATALOG_ADMIN_TOKEN"] = token
    return env


def migrate(env: dict[str, str], log: Path) -> None:
    """`python -m dantoc_catalog migrate` (upgrade and seed), as before every serve; its log lines to `log`."""
    with log.open("ab") as out:
        command = [sys.executable, "-m", "dantoc_catalog", "migrate"]
        subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=out, check=True, timeout=120)


@contextmanager
def serving(env: dict[str, str], log: Path) -> Iterator[str]:
    """The service as a process; yields its base URL once /ready answers 200; stops it with SIGTERM."""
    base = f"http://127.0.0.1:{env['DANTOC_CATALOG_HTTP_PORT']}"
    with log.open("ab") as out:
        process = subprocess.Popen([sys.executable, "-m", "dantoc_catalog", "serve"], env=env, stdout=out, stderr=out)
    try:
        deadline = time.monotonic() + 90
        while not _ready(base):
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "not ready after 90s:\n" + log.read_text()
            time.sleep(0.2)
        yield base
    finally:
        process.send_signal(signal.SIGTERM)
        # uvicorn shuts down gracefully, then re-raises the signal: -SIGTERM is a clean stop
        assert process.wait(timeout=30) in (0, -signal.SIGTERM), log.read_text()
        assert json_lines(log)[-1]["message"] == f"Finished server process [{process.pid}]"


def json_lines(log: Path) -> list[dict[str, Any]]:
    """Every line of the log, each one JSON object (uvicorn's included)."""
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]


def _ready(base: str) -> bool:
    try:
        return httpx.get(f"{base}/ready", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def test_serve_refuses_to_start_without_an_admin_token(sqlite_url: str) -> None:
    env = environment(sqlite_url, "127.0.0.1:1", "unused", free_port(), token=None)
    done = subprocess.run([sys.executable, "-m", "dantoc_catalog", "serve"], env=env, capture_output=True, timeout=60)
    assert done.returncode != 0
    assert b"DANTOC_CATALOG_ADMIN_TOKEN" in done.stderr


def test_serve_stop_and_restart(sqlite_url: str, kafka: str, namespace: str, tmp_path: Path) -> None:
    env = environment(sqlite_url, kafka, namespace, free_port())
    log = tmp_path / "serve.log"
    migrate(env, log)
    migrate(env, log)  # a second migrate finds the database seeded
    with serving(env, log) as base:
        assert len(httpx.get(f"{base}/indicators").json()) == 78
    with serving(env, log) as base:  # the second start publishes the catalog again
        assert httpx.get(f"{base}/units/VN/children?on=2025-07-01").json()[0]["name"] == "Hà Nội"
    lines = json_lines(log)
    assert {line["service"] for line in lines} == {"catalog"}
    assert [line["message"] for line in lines].count("Application shutdown complete.") == 2
    assert [line["logger"] for line in lines if line["message"] == "Application shutdown complete."] == [
        "uvicorn.error"
    ] * 2
    assert [line.get("units") for line in lines if line.get("event") == "catalog.seeded"] == [14149]
    assert [line["count"] for line in lines if line.get("event") == "catalog.published"] == [24391, 24391]
    access = [line for line in lines if line["logger"] == "uvicorn.access"]
    assert any("GET /indicators HTTP/1.1" in line["message"] for line in access)


def test_no_input_breaks_the_api(kafka: str, namespace: str, tmp_path: Path) -> None:
    """Every operation of the OpenAPI document, fed generated inputs: responses conform, none is a 5xx."""
    env = environment(f"sqlite+aiosqlite:///{tmp_path / 'catalog.db'}", kafka, namespace, free_port())
    migrate(env, tmp_path / "serve.log")
    with serving(env, tmp_path / "serve.log") as base:
        schema = schemathesis.openapi.from_url(f"{base}/openapi.json")
        operations = [result.ok() for result in schema.get_all_operations()]  # type: ignore[union-attr]
        assert len(operations) >= 20
        for operation in operations:
            for mode in GenerationMode:
                _fuzz(operation, mode)


def _fuzz(operation: Any, mode: GenerationMode) -> None:
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True, database=None)
    def check(case: schemathesis.Case[Any]) -> None:
        case.call_and_validate(headers=AUTH, timeout=30, checks=CHECKS)

    try:
        check()
    except Unsatisfiable:
        assert mode is GenerationMode.NEGATIVE  # an operation without parameters has no invalid input
