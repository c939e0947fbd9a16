"""What the use cases need, assembled once by the composition root."""

from __future__ import annotations

import asyncio
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from dantoc_contracts.catalog_view import CatalogView
from dantoc_contracts.envelope import utc_now
from dantoc_ingest.db.uow import UnitOfWorkFactory
from dantoc_ingest.metrics import IngestMetrics


class CatalogSource(Protocol):
    """The catalog follower as the use cases see it."""

    @property
    def view(self) -> CatalogView: ...

    @property
    def ready(self) -> bool: ...


class UnitLocks:
    """In-process locks striped by (unit, period): one writer per cell set at a time (PostgreSQL adds a
    transaction-level advisory lock for writers in other processes)."""

    def __init__(self, stripes: int = 64) -> None:
        self._locks = [asyncio.Lock() for _ in range(stripes)]

    def hold(self, unit_code: str, period: str) -> asyncio.Lock:
        return self._locks[zlib.crc32(f"{unit_code}|{period}".encode()) % len(self._locks)]


def _nothing() -> None:
    return None


@dataclass
class IngestContext:
    catalog: CatalogSource
    uow: UnitOfWorkFactory
    metrics: IngestMetrics
    max_values: int = 10_000
    locks: UnitLocks = field(default_factory=UnitLocks)
    wake_relay: Callable[[], None] = _nothing
    wake_pending: Callable[[], None] = _nothing
    clock: Callable[[], datetime] = utc_now
