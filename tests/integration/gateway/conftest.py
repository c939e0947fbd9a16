"""A gateway over the literal read model, served once per module on SQLite and once on PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.support.databases import create_postgres_database, drop_postgres_database
from tests.support.gateway.literal import CATALOG, read_model
from tests.support.gateway.serving import (
    Served,
    publish_aggregates,
    publish_catalog,
    publish_values,
    ready,
    running,
    settings_for,
)
from tests.support.gateway.signing import Signing, new_signing
from tests.support.gateway.submitted import SUBMITTED
from tests.support.kafka import create_namespace


@pytest.fixture(scope="session")
def signing(tmp_path_factory: pytest.TempPathFactory) -> Signing:
    return new_signing(tmp_path_factory.mktemp("keys"))


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
async def served(
    request: pytest.FixtureRequest, kafka: str, signing: Signing, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Served]:
    """The literal catalog, read model and submissions published to fresh topics, applied by a running gateway."""
    namespace = await create_namespace(kafka)
    await publish_catalog(kafka, namespace, CATALOG)
    await publish_aggregates(kafka, namespace, read_model())
    await publish_values(kafka, namespace, SUBMITTED)
    template = None
    if request.param == "postgres":
        template = request.getfixturevalue("postgres")
        url = await create_postgres_database(template)
    else:
        url = f"sqlite+aiosqlite:///{Path(tmp_path_factory.mktemp('gw')) / 'gateway.db'}"
    async with running(settings_for(kafka, namespace, url, signing)) as (app, client):
        await ready(client)
        yield Served(app, client, signing, request.param)
    if template is not None:
        await drop_postgres_database(template, url)
