"""`python -m dantoc_catalog serve` as a real process (after `migrate`, which seeds): refuses to start without a
token, serves, stops cleanly, restarts, logs nothing but JSON lines; and its whole API is fuzzed from its OpenAPI
document (no input gives a 5xx)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
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

from tests.support.catalog.serving import ADMIN_TOKEN, AUTH
from tests.support.infra import free_port
from tests.support.stack import serve, wait_ready

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


@contextmanager
def serving(env: dict[str, str], log: Path) -> Iterator[str]:
    """`migrate` (upgrade, seed when empty) then `serve`, as `make up` does (`tests.support.stack.serve`); yields its
    base URL once /ready answers 200; stops it with SIGTERM."""
    service = serve("catalog", int(env["DANTOC_CATALOG_HTTP_PORT"]), env, log.parent, log)
    try:
        wait_ready([service], 90)
        yield service.url
    finally:
        service.process.send_signal(signal.SIGTERM)
        # uvicorn shuts down gracefully, then re-raises the signal: -SIGTERM is a clean stop
        assert service.process.wait(timeout=30) in (0, -signal.SIGTERM), log.read_text()
        assert json_lines(log)[-1]["message"] == f"Finished server process [{service.process.pid}]"


def json_lines(log: Path) -> list[dict[str, Any]]:
    """Every line of the log, each one JSON object (uvicorn's included)."""
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]


def test_serve_refuses_to_start_without_an_admin_token(sqlite_url: str) -> None:
    env = environment(sqlite_url, "127.0.0.1:1", "unused", free_port(), token=None)
    done = subprocess.run([sys.executable, "-m", "dantoc_catalog", "serve"], env=env, capture_output=True, timeout=60)
    assert done.returncode != 0
    assert b"DANTOC_CATALOG_ADMIN_TOKEN" in done.stderr


def test_serve_stop_and_restart(sqlite_url: str, kafka: str, namespace: str, tmp_path: Path) -> None:
    env = environment(sqlite_url, kafka, namespace, free_port())
    log = tmp_path / "serve.log"
    with serving(env, log) as base:
        assert len(httpx.get(f"{base}/indicators").json()) == 78
    with serving(env, log) as base:  # the second migrate finds the database seeded; the second start publishes again
        assert httpx.get(f"{base}/units/VN/children?on=2025-07-01").json()[0]["name"] == "Hà Nội"
    lines = json_lines(log)
    assert {line["service"] for line in lines} == {"catalog"}
    assert [line["message"] for line in lines].count("Application shutdown complete.") == 2
    assert [line["logger"] for line in lines if line["message"] == "Application shutdown complete."] == [
        "uvicorn.error"
    ] * 2
    migrated = [
        json.loads(line) for line in log.with_name("serve.migrate.log").read_text().splitlines() if line[:1] == "{"
    ]
    assert [line.get("units") for line in migrated if line.get("event") == "catalog.seeded"] == [14149]
    assert [line["count"] for line in lines if line.get("event") == "catalog.published"] == [24391, 24391]
    access = [line for line in lines if line["logger"] == "uvicorn.access"]
    assert any("GET /indicators HTTP/1.1" in line["message"] for line in access)


def test_no_input_breaks_the_api(kafka: str, namespace: str, tmp_path: Path) -> None:
    """Every operation of the OpenAPI document, fed generated inputs: responses conform, none is a 5xx."""
    env = environment(f"sqlite+aiosqlite:///{tmp_path / 'catalog.db'}", kafka, namespace, free_port())
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
