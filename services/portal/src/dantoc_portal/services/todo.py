"""Việc cần làm: per period the person's unit reports, what is entered, missing and rejected; for a reviewer, an
administrator or a national user, the units below the scope that are silent or partly reported.

One render makes few upstream calls, all at once: the catalog's (cached), ingest's cells of each recent period, the
gateway's completeness of the latest two years (cached by the gateway), and one query of the person's drafts."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from dantoc_portal.clients.services import Services
from dantoc_portal.clients.upstream import UpstreamForbidden
from dantoc_portal.db.uow import UnitOfWorkFactory
from dantoc_portal.domain.indicators import agency_types
from dantoc_portal.domain.roles import Person
from dantoc_portal.domain.views import GroupTodo, UnitRow, entry_todo, unit_periods, unit_rows, years_of

ENTRY_PERIODS = 6  # the recent periods shown first; all of them on asking
REVIEW_PERIODS = 2
REVIEW_UNITS = 20


@dataclass(frozen=True, slots=True)
class PeriodTodo:
    period: str
    groups: list[GroupTodo]

    @property
    def missing(self) -> int:
        return sum(len(g.missing) for g in self.groups)


@dataclass(frozen=True, slots=True)
class Rejected:
    unit_code: str
    period: str
    group_code: str
    updated_at: datetime


@dataclass
class ReviewTodo:
    period: str
    summary: dict[str, int] = field(default_factory=dict)
    units: list[UnitRow] = field(default_factory=list)
    total: int = 0
    forbidden: bool = False


@dataclass
class Todo:
    person: Person
    unit: dict[str, Any] | None = None
    entry: list[PeriodTodo] = field(default_factory=list)
    more_periods: int = 0
    rejected: list[Rejected] = field(default_factory=list)
    review: list[ReviewTodo] = field(default_factory=list)

    @property
    def items(self) -> list[object]:
        return [*self.entry, *self.rejected, *self.review]


async def todo_of(
    services: Services,
    uow: UnitOfWorkFactory,
    person: Person,
    account_id: int,
    token: str,
    *,
    today: date,
    lang: str,
    every_period: bool = False,
) -> Todo:
    todo = Todo(person)
    versions = [] if person.unit_code == "VN" else await services.catalog.versions(person.unit_code)
    todo.unit = versions[-1] if versions else None
    entry_periods: list[tuple[str, list[Any]]] = []
    if person.enters_data and todo.unit is not None:
        entry_periods = await _entry_periods(services, person, versions, today)
        if not every_period and len(entry_periods) > ENTRY_PERIODS:
            todo.more_periods = len(entry_periods) - ENTRY_PERIODS
            entry_periods = entry_periods[:ENTRY_PERIODS]
    review_periods = years_of(unit_periods(versions, today))[:REVIEW_PERIODS] if person.reviews else []
    cells, reviews, rejected = await asyncio.gather(
        asyncio.gather(*(_cells(services, token, person.unit_code, p) for p, _ in entry_periods)),
        asyncio.gather(*(_review(services, token, person.unit_code, p) for p in review_periods)),
        _rejected(uow, account_id),
    )
    todo.rejected = rejected
    for (period, definitions), found in zip(entry_periods, cells, strict=True):
        groups = {r.group_code for r in rejected if r.unit_code == person.unit_code and r.period == period}
        todo.entry.append(PeriodTodo(period, entry_todo(definitions, found, groups, lang)))
    todo.review = list(reviews)
    return todo


async def _entry_periods(
    services: Services, person: Person, versions: list[dict[str, Any]], today: date
) -> list[tuple[str, list[Any]]]:
    agencies = await services.catalog.agencies()
    agency = next((a for a in agencies if a.get("code") == person.agency), None)
    types = agency_types(agency) if person.agency else None
    level = str(versions[-1]["level"])
    found = []
    for period in unit_periods(versions, today, quarterly=True):
        definitions = await services.catalog.reported_by(level, period, types)
        if definitions:
            found.append((period, definitions))
    return found


async def _cells(services: Services, token: str, unit: str, period: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = await services.ingest.get(
        "/cells", token=token, params={"unit_code": unit, "period": period}
    )
    return found


async def _review(services: Services, token: str, unit: str, period: str) -> ReviewTodo:
    params = {"unit": unit, "period": period, "status": "silent", "pageSize": str(REVIEW_UNITS)}
    try:
        found = await services.gateway.get("/v1/completeness", token=token, params=params)
    except UpstreamForbidden:
        return ReviewTodo(period, forbidden=True)
    units = unit_rows(found.get("units", []))
    units.sort(key=lambda u: (u.state != "silent", u.share, u.code))
    total = int(found.get("meta", {}).get("total", len(units)))
    return ReviewTodo(period, found.get("summary", {}), units, total)


async def _rejected(uow: UnitOfWorkFactory, account_id: int) -> list[Rejected]:
    async with uow() as work:
        rows = await work.drafts.of_account(account_id, status="rejected", limit=50)
        return [Rejected(r.unit_code, r.period, r.group_code, r.updated_at) for r in rows]  # before the rollback
