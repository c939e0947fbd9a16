"""`/ready` names the failing check and its error class, never data, SQL or a connection string."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dantoc_catalog.db.engine import create_engine
from tests.support.catalog.serving import catalog_settings, running_catalog

pytestmark = pytest.mark.integration


async def test_a_failing_database_is_reported_by_its_error_class_only(
    kafka: str, namespace: str, tmp_path: Path
) -> None:
    settings = catalog_settings(f"sqlite+aiosqlite:///{tmp_path / 'catalog.db'}", kafka, namespace)
    async with running_catalog(settings) as catalog:
        working = catalog.container.engine
        unreachable = "postgresql+asyncpg://secret-user:secret-password@127.0.0.1:1/secret-database"
        catalog.container.engine = create_engine(unreachable)
        try:
            response = await catalog.client.get("/ready")
        finally:
            await catalog.container.engine.dispose()
            catalog.container.engine = working
        assert response.status_code == 503
        [error] = response.json()["errors"]
        assert (error["code"], error["location"]["field"]) == ("not_ready", "database")
        assert re.search(r"\(\w+\.\w+\)$", error["message_en"]), error["message_en"]  # e.g. (builtins.OSError)
        assert "secret" not in response.text
        assert "127.0.0.1" not in response.text
        assert (await catalog.client.get("/ready")).status_code == 200
