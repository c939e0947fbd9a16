"""Unit of work: one transaction; rolls back unless committed."""

from __future__ import annotations

from types import TracebackType

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from dantoc_ingest.db.engine import session_factory
from dantoc_ingest.db.repository import Repository


class UnitOfWork:
    """`async with uow_factory() as uow: ...; await uow.commit()`: nothing is kept without the commit."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions
        self._session: AsyncSession | None = None
        self._repo: Repository | None = None

    @property
    def repo(self) -> Repository:
        if self._repo is None:
            raise RuntimeError("unit of work used outside `async with`")
        return self._repo

    async def __aenter__(self) -> UnitOfWork:
        self._session = self._sessions()
        self._repo = Repository(self._session)
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        session, self._session, self._repo = self._session, None, None
        if session is not None:
            await session.close()  # rolls back what was not committed; loaded rows stay readable (not expired)

    async def rollback(self) -> None:
        """End the transaction now (e.g. before waiting on something slow); the unit of work stays usable."""
        if self._session is not None:
            await self._session.rollback()

    async def commit(self) -> None:
        if self._session is None:
            raise RuntimeError("unit of work used outside `async with`")
        await self._session.commit()


class UnitOfWorkFactory:
    """Creates units of work; read-only ones may use a reader engine (SQLite: no write lock taken)."""

    def __init__(self, engine: AsyncEngine, reader: AsyncEngine | None = None) -> None:
        self.engine, self.reader = engine, reader or engine
        self._sessions = session_factory(engine)
        self._reads = session_factory(self.reader)

    def __call__(self, *, read_only: bool = False) -> UnitOfWork:
        return UnitOfWork(self._reads if read_only else self._sessions)

    async def dispose(self) -> None:
        await self.engine.dispose()
        if self.reader is not self.engine:
            await self.reader.dispose()
