"""The server's copy of what an official typed in a grid: kept until ingest accepts it (one per account, unit,
period and group), with its submission id and the problems of its last check."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from dantoc_portal.db.models import DraftRow
from dantoc_portal.db.uow import UnitOfWorkFactory
from dantoc_portal.domain.grid import Draft
from dantoc_portal.domain.grid_checks import Placed


@dataclass(frozen=True, slots=True)
class Stored:
    draft: Draft
    submission_id: str
    status: str
    problems: Placed
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class Where:
    account_id: int
    unit: str
    period: str
    group: str


async def load(uow: UnitOfWorkFactory, where: Where) -> Stored | None:
    async with uow() as work:
        row = await work.drafts.get(where.account_id, where.unit, where.period, where.group)
        if row is None:
            return None
        try:
            problems = Placed.from_json(json.loads(row.problems_json or "{}"))
        except ValueError:
            problems = Placed({}, [])
        return Stored(Draft.from_json(row.values_json), row.submission_id, row.status, problems, row.updated_at)


async def store(
    uow: UnitOfWorkFactory,
    where: Where,
    draft: Draft,
    submission_id: str,
    *,
    now: datetime,
    status: str = "draft",
    problems: Placed | None = None,
) -> None:
    """Keep the draft (replacing the account's previous one for the same unit, period and group)."""
    problems_json = json.dumps((problems or Placed({}, [])).to_json(), ensure_ascii=False)
    async with uow() as work:
        row = await work.drafts.get(where.account_id, where.unit, where.period, where.group)
        if row is None:
            row = DraftRow(
                account_id=where.account_id, unit_code=where.unit, period=where.period, group_code=where.group
            )
            work.drafts.add(row)
        row.submission_id, row.values_json, row.status = submission_id, draft.to_json(), status
        row.problems_json, row.updated_at = problems_json, now
        await work.commit()


async def remove(uow: UnitOfWorkFactory, where: Where) -> None:
    async with uow() as work:
        row = await work.drafts.get(where.account_id, where.unit, where.period, where.group)
        if row is not None:
            await work.drafts.remove(row)
            await work.commit()
