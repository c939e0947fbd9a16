"""The app is built from Settings alone: unreachable database and broker, no connection attempted, no file
written, every route."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from dantoc_catalog.app import create_app
from dantoc_catalog.settings import Settings

ROUTES = {
    ("GET", "/indicators"),
    ("GET", "/indicators/{code}"),
    ("GET", "/indicator-groups"),
    ("GET", "/code-lists"),
    ("GET", "/code-lists/{list_id}"),
    ("GET", "/ethnic-groups"),
    ("GET", "/ethnic-groups/{code}"),
    ("GET", "/agencies"),
    ("GET", "/agencies/{code}"),
    ("GET", "/units/{code}"),
    ("GET", "/units/{code}/versions"),
    ("GET", "/units/{code}/children"),
    ("GET", "/units/{code}/ancestors"),
    ("GET", "/units/{code}/subtree"),
    ("GET", "/units/{code}/conversion"),
    ("GET", "/exports/indicators"),
    ("GET", "/exports/units"),
    ("POST", "/admin/indicators/{code}/versions"),
    ("POST", "/admin/imports"),
    ("POST", "/admin/imports/units"),
    ("GET", "/health"),
    ("GET", "/ready"),
    ("GET", "/metrics"),
}


@pytest.fixture(autouse=True)
def _no_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: Any, **_kwargs: Any) -> None:
        raise AssertionError("building the app attempted a connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def _routes(settings: Settings) -> set[tuple[str, str]]:
    paths = create_app(settings).openapi()["paths"]  # the routes as FastAPI documents them
    return {(method.upper(), path) for path, operations in paths.items() for method in operations}


def test_the_app_is_wired_without_io() -> None:
    settings = Settings(
        database_url="postgresql+asyncpg://nobody:secret@127.0.0.1:1/none",
        kafka_bootstrap_servers="127.0.0.1:1",
        namespace="wiring",
        admin_token=SecretStr("wiring-token-0123456789abcdef"),
    )
    assert _routes(settings) == ROUTES


def test_building_the_app_on_sqlite_creates_no_database(tmp_path: Path) -> None:
    database = tmp_path / "missing" / "catalog.db"
    settings = Settings(
        database_url=f"sqlite+aiosqlite:///{database}",
        kafka_bootstrap_servers="127.0.0.1:1",
        admin_token=SecretStr("wiring-token-0123456789abcdef"),
    )
    assert _routes(settings) == ROUTES
    assert not database.parent.exists()
