"""Fixtures of the catalog's integration tests."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from dantoc_catalog.db.migrate import upgrade_head
from dantoc_catalog.db.uow import UnitOfWorkFactory
from dantoc_catalog.services.seed import SeedData, load_seed_data, package_data_dir, seed_if_empty
from tests.support.catalog.serving import unit_of_work_factory


@pytest.fixture(scope="session")
def seed_data() -> SeedData:
    return load_seed_data(package_data_dir())


@pytest.fixture
async def seeded(database_url: str) -> AsyncIterator[UnitOfWorkFactory]:
    """A migrated database (each backend in turn) seeded from the package data."""
    await upgrade_head(database_url)
    async with unit_of_work_factory(database_url) as uow_factory:
        await seed_if_empty(uow=uow_factory(), directory=package_data_dir())
        yield uow_factory
