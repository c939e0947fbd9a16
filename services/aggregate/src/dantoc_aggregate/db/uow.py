"""Unit of work: one database transaction that rolls back unless `commit()` was called."""

from __future__ import annotations

from types import TracebackType

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncTransaction


class UnitOfWork:
    """`async with UnitOfWork(engine) as uow:` ... `await uow.commit()`; anything else rolls back."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._connection: AsyncConnection | None = None
        self._transaction: AsyncTransaction | None = None

    @property
    def conn(self) -> AsyncConnection:
        if self._connection is None:
            raise RuntimeError("unit of work not entered")
        return self._connection

    async def __aenter__(self) -> UnitOfWork:
        self._connection = await self._engine.connect()
        self._transaction = await self._connection.begin()
        return self

    async def commit(self) -> None:
        assert self._transaction is not None
        await self._transaction.commit()

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        try:
            if self._transaction is not None and self._transaction.is_active:
                await self._transaction.rollback()
        finally:
            if self._connection is not None:
                await self._connection.close()
            self._connection = self._transaction = None
