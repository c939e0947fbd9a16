"""Unit of work: one session and its transaction, rolled back unless `commit()` was called."""

from __future__ import annotations

from types import TracebackType

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession, async_sessionmaker


class UnitOfWork:
    """`async with UnitOfWork(sessions) as uow:` ... `await uow.commit()`; anything else rolls back.

    The aggregate's repositories are SQL Core over `uow.conn` (the session's connection, in its transaction)."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions
        self._session: AsyncSession | None = None
        self._connection: AsyncConnection | None = None

    @property
    def conn(self) -> AsyncConnection:
        if self._connection is None:
            raise RuntimeError("unit of work not entered")
        return self._connection

    async def __aenter__(self) -> UnitOfWork:
        session = self._session = self._sessions()
        try:
            self._connection = await session.connection()
        except BaseException:
            await session.close()
            self._session = None
            raise
        return self

    async def commit(self) -> None:
        if self._session is None:
            raise RuntimeError("unit of work not entered")
        await self._session.commit()

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        session, self._session, self._connection = self._session, None, None
        if session is not None:
            await session.close()  # rolls back what was not committed
