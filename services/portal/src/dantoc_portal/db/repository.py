"""Repositories of the portal's tables, each over the unit of work's session."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from dantoc_portal.db.models import AccountEventRow, AccountRow, DraftRow, LoginAuditRow, SessionRow


class Accounts:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def by_username(self, username: str) -> AccountRow | None:
        found = await self._session.execute(select(AccountRow).where(AccountRow.username == username))
        return found.scalar_one_or_none()

    async def get(self, account_id: int) -> AccountRow | None:
        return await self._session.get(AccountRow, account_id)

    async def existing(self, usernames: Sequence[str]) -> set[str]:
        if not usernames:
            return set()
        found = await self._session.execute(select(AccountRow.username).where(AccountRow.username.in_(usernames)))
        return set(found.scalars())

    def add(self, row: AccountRow) -> None:
        self._session.add(row)

    async def flush(self) -> None:
        await self._session.flush()

    async def listed(self, province: str | None, *, limit: int = 1000) -> list[AccountRow]:
        """The accounts of a province's units (None: every account), by username."""
        query = select(AccountRow).order_by(AccountRow.username).limit(limit)
        if province is not None:
            query = query.where(AccountRow.province_code == province)
        return list((await self._session.execute(query)).scalars())

    async def count(self) -> int:
        return int((await self._session.execute(select(func.count()).select_from(AccountRow))).scalar_one())


class Sessions:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    def add(self, row: SessionRow) -> None:
        self._session.add(row)

    async def get(self, id_hash: str) -> SessionRow | None:
        return await self._session.get(SessionRow, id_hash)

    async def end_all(self, account_id: int, now: datetime, *, keep: str | None = None) -> None:
        """End every open session of an account (disabled, password reset or changed), but `keep`."""
        query = update(SessionRow).where(SessionRow.account_id == account_id, SessionRow.ended_at.is_(None))
        if keep is not None:
            query = query.where(SessionRow.id_hash != keep)
        await self._session.execute(query.values(ended_at=now))

    async def purge_before(self, cutoff: datetime) -> None:
        await self._session.execute(delete(SessionRow).where(SessionRow.expires_at < cutoff))


class LoginAudit:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    def add(self, row: LoginAuditRow) -> None:
        self._session.add(row)

    async def recent(self, *, account_ids: Sequence[int] | None = None, limit: int = 100) -> list[LoginAuditRow]:
        query = select(LoginAuditRow).order_by(LoginAuditRow.id.desc()).limit(limit)
        if account_ids is not None:
            query = query.where(LoginAuditRow.account_id.in_(account_ids))
        return list((await self._session.execute(query)).scalars())


class AccountEvents:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    def add(self, row: AccountEventRow) -> None:
        self._session.add(row)

    async def of(self, account_id: int) -> list[AccountEventRow]:
        query = select(AccountEventRow).where(AccountEventRow.account_id == account_id).order_by(AccountEventRow.id)
        return list((await self._session.execute(query)).scalars())


class Drafts:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, account_id: int, unit_code: str, period: str, group_code: str) -> DraftRow | None:
        query = select(DraftRow).where(
            DraftRow.account_id == account_id,
            DraftRow.unit_code == unit_code,
            DraftRow.period == period,
            DraftRow.group_code == group_code,
        )
        return (await self._session.execute(query)).scalar_one_or_none()

    def add(self, row: DraftRow) -> None:
        self._session.add(row)

    async def remove(self, row: DraftRow) -> None:
        await self._session.delete(row)

    async def of_account(self, account_id: int, *, status: str | None = None, limit: int = 200) -> list[DraftRow]:
        """An account's drafts (only those of `status` when given), the latest first."""
        query = select(DraftRow).where(DraftRow.account_id == account_id)
        if status is not None:
            query = query.where(DraftRow.status == status)
        query = query.order_by(DraftRow.updated_at.desc()).limit(limit)
        return list((await self._session.execute(query)).scalars())
