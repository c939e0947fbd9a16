"""Unit of work: one session and transaction, its repositories, rolled back unless committed."""

from __future__ import annotations

from types import TracebackType

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from dantoc_catalog.db.outbox import Outbox
from dantoc_catalog.db.parked import ParkedRecords
from dantoc_catalog.db.repository import CatalogRepository
from dantoc_catalog.db.units import UnitRepository

CATALOGUE_LOCK = 0x0CA7A106  # advisory lock id of the catalogue writers


class UnitOfWork:
    """`async with uow:` opens a transaction; leaving the block without `commit()` rolls it back."""

    catalog: CatalogRepository
    units: UnitRepository
    outbox: Outbox
    parked: ParkedRecords

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions
        self._session: AsyncSession | None = None

    async def __aenter__(self) -> UnitOfWork:
        self._session = self._sessions()
        self.catalog = CatalogRepository(self._session)
        self.units = UnitRepository(self._session)
        self.outbox = Outbox(self._session)
        self.parked = ParkedRecords(self._session)
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        session = self._require()
        try:
            await session.rollback()
        finally:
            await session.close()
            self._session = None

    async def lock_catalogue(self) -> None:
        """Serialise catalogue writers: held until this transaction ends, so a change is always computed
        against the state the previous change committed (and outbox ids follow commit order)."""
        session = self._require()
        if session.get_bind().dialect.name == "postgresql":
            await session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CATALOGUE_LOCK})
        else:  # SQLite: a write statement takes the database's write lock for the rest of the transaction
            await session.execute(text("UPDATE indicator_groups SET code = code WHERE 0 = 1"))

    async def commit(self) -> None:
        await self._require().commit()

    def _require(self) -> AsyncSession:
        if self._session is None:
            raise RuntimeError("the unit of work is not open")
        return self._session


class UnitOfWorkFactory:
    """Makes a fresh unit of work per use; what the use cases and the relay are given."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions

    def __call__(self) -> UnitOfWork:
        return UnitOfWork(self.sessions)
