"""The admin's changes through the HTTP API: apply one, count an import's outcome, wake the relay.

The command line applies the same changes (`services.catalogue`, `services.units`) without these: the running
service's relay finds them in the outbox at its next poll, and the import metric counts the API's imports only.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Protocol, TypeVar

from dantoc_catalog.db.uow import UnitOfWorkFactory
from dantoc_catalog.domain.indicators import IndicatorDefinition
from dantoc_catalog.domain.problems import ProblemsFound
from dantoc_catalog.metrics import CatalogMetrics
from dantoc_catalog.services.catalogue import ImportReport, add_version, import_catalogue
from dantoc_catalog.services.queries import CatalogQueries
from dantoc_catalog.services.units import UnitsImportReport, import_units
from dantoc_contracts.uploads import UploadLimits

R = TypeVar("R")


class Relay(Protocol):
    def notify(self) -> None:
        """A change was committed: publish it now rather than at the next poll."""


async def create_version(
    *, uow_factory: UnitOfWorkFactory, queries: CatalogQueries, relay: Relay, code: str, cells: Mapping[str, str]
) -> list[IndicatorDefinition]:
    """Add the next version of an indicator, have it published; every version of the indicator after it."""
    await add_version(uow=uow_factory(), code=code, draft=cells)
    relay.notify()
    return await queries.indicator(code)


async def import_catalogue_file(
    *,
    uow_factory: UnitOfWorkFactory,
    relay: Relay,
    metrics: CatalogMetrics,
    data: bytes,
    dry_run: bool,
    limits: UploadLimits,
) -> ImportReport:
    """Import a whole catalogue file (all or nothing: raises ProblemsFound), counted, and have it published."""
    return await _counted(
        metrics, relay, dry_run, lambda: import_catalogue(uow=uow_factory(), data=data, dry_run=dry_run, limits=limits)
    )


async def import_units_file(
    *,
    uow_factory: UnitOfWorkFactory,
    relay: Relay,
    metrics: CatalogMetrics,
    data: bytes,
    dry_run: bool,
    limits: UploadLimits,
) -> UnitsImportReport:
    """Import the whole units file (all or nothing: raises ProblemsFound), counted, and have it published."""
    return await _counted(
        metrics, relay, dry_run, lambda: import_units(uow=uow_factory(), data=data, dry_run=dry_run, limits=limits)
    )


async def _counted(metrics: CatalogMetrics, relay: Relay, dry_run: bool, run: Callable[[], Awaitable[R]]) -> R:
    try:
        report = await run()
    except ProblemsFound:
        metrics.imports.labels("rejected").inc()
        raise
    metrics.imports.labels("dry_run" if dry_run else "accepted").inc()
    if not dry_run:
        relay.notify()
    return report
