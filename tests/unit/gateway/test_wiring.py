"""The app is built from Settings alone: unreachable database and broker, no connection attempted, every route."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import pytest

from dantoc_gateway.app import create_app
from dantoc_gateway.settings import Settings


def test_the_app_is_wired_without_io(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: Any, **_kwargs: Any) -> None:
        raise AssertionError("building the app attempted a connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    settings = Settings(
        database_url="postgresql+asyncpg://nobody:secret@127.0.0.1:1/none",
        kafka_bootstrap_servers="127.0.0.1:1",
        namespace="wiring",
        jwt_public_key_file=tmp_path / "missing.pem",
    )
    app = create_app(settings)
    paths = app.openapi()["paths"]  # the routes as FastAPI documents them (included routers are resolved lazily)
    routes = {(method.upper(), path) for path, operations in paths.items() for method in operations}
    assert {
        ("GET", "/v1/values"),
        ("GET", "/v1/drilldown"),
        ("GET", "/v1/series"),
        ("GET", "/v1/comparison"),
        ("GET", "/v1/completeness"),
        ("GET", "/v1/changes"),
        ("GET", "/v1/sdmx/structure"),
        ("GET", "/v1/indicators"),
        ("GET", "/v1/units"),
        ("GET", "/health"),
        ("GET", "/ready"),
        ("GET", "/metrics"),
    } <= routes
    assert app.state.settings is settings
    assert not hasattr(app.state, "runtime")  # built by the lifespan only
    assert not tmp_path.joinpath("missing.pem").exists()
