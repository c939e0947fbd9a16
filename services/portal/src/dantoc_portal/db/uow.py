"""Unit of work: one session and transaction, its repositories, rolled back unless committed."""

from __future__ import annotations

from types import TracebackType

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from dantoc_portal.db.repository import AccountEvents, Accounts, Drafts, LoginAudit, Sessions


class UnitOfWork:
    """`async with uow:` opens a transaction; leaving the block without `commit()` rolls it back."""

    accounts: Accounts
    sessions: Sessions
    logins: LoginAudit
    events: AccountEvents
    drafts: Drafts

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions
        self._session: AsyncSession | None = None

    async def __aenter__(self) -> UnitOfWork:
        self._session = session = self._sessions()
        self.accounts, self.sessions, self.logins = Accounts(session), Sessions(session), LoginAudit(session)
        self.events, self.drafts = AccountEvents(session), Drafts(session)
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

    async def commit(self) -> None:
        await self._require().commit()

    def _require(self) -> AsyncSession:
        if self._session is None:
            raise RuntimeError("the unit of work is not open")
        return self._session


class UnitOfWorkFactory:
    """Makes a fresh unit of work per use; what the use cases are given."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions

    def __call__(self) -> UnitOfWork:
        return UnitOfWork(self.sessions)
