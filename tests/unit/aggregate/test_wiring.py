"""The composition root builds without I/O, and the settings read the shared and prefixed variables."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from dantoc_aggregate.app import create_app
from dantoc_aggregate.settings import Settings


def test_app_builds_without_io() -> None:
    app = create_app(Settings())
    paths = app.openapi()["paths"]
    assert set(paths) == {"/health", "/ready", "/metrics", "/aggregates/{indicator}/{unit}/{period}"}
    assert all(operation.get("description") for path in paths.values() for operation in path.values())


def test_settings_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", "broker:1")
    monkeypatch.setenv("DANTOC_TOPIC_NAMESPACE", "ns")
    monkeypatch.setenv("DANTOC_AGGREGATE_DATABASE_URL", "sqlite+aiosqlite:///x.db")
    settings = Settings()
    assert (settings.kafka_bootstrap_servers, settings.namespace) == ("broker:1", "ns")
    assert settings.database_url == "sqlite+aiosqlite:///x.db"
    assert settings.http_port == 8003


async def test_a_large_body_is_refused_before_it_is_read() -> None:
    sent = 0

    async def body() -> AsyncIterator[bytes]:
        nonlocal sent
        for _ in range(1000):
            sent += 1
            yield b"x" * 65536

    transport = httpx.ASGITransport(app=create_app(Settings()))  # no lifespan: nothing behind it is reached
    async with httpx.AsyncClient(transport=transport, base_url="http://aggregate") as client:
        declared = {"content-length": str(60 * 1024 * 1024)}
        response = await client.post("/aggregates/0101/VN/2024", content=body(), headers=declared)
    assert response.status_code == 413
    assert response.json()["errors"][0]["code"] == "body_too_large"
    assert sent == 0
