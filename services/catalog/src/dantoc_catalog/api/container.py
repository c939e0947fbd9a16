"""What the routes need, assembled once by the composition root and kept on `app.state`."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine

from dantoc_catalog.db.uow import UnitOfWorkFactory
from dantoc_catalog.kafka.relay import CatalogPublisher
from dantoc_catalog.metrics import CatalogMetrics
from dantoc_catalog.services.queries import CatalogQueries
from dantoc_contracts.uploads import UploadLimits


@dataclass
class Container:
    engine: AsyncEngine
    uow_factory: UnitOfWorkFactory
    queries: CatalogQueries
    publisher: CatalogPublisher
    metrics: CatalogMetrics
    admin_token: str
    import_limits: UploadLimits
    max_import_bytes: int
