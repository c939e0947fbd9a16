"""Re-publishing `values.accepted` from ingest's own stored cells (`python -m dantoc_ingest republish`), to rebuild
read models or fill a fresh topic.

Every accepted submission's cell versions (the audit trail, in the order they were written) become the event the
relay published for it: the same key (unit code), the same message id (derived from the submission id), the same
changes, previous contents and revisions, the same time. Consumers therefore drop what they already applied, and
running it twice publishes nothing new to them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any, Protocol

from sqlalchemy import func, select

from dantoc_contracts import topics
from dantoc_contracts.codes import TOTAL
from dantoc_ingest.db.models import CellVersionRow
from dantoc_ingest.db.uow import UnitOfWorkFactory
from dantoc_ingest.domain.model import CellCoordinates, CellState, CheckedCell, Content, Draft
from dantoc_ingest.domain.revisions import Outcome, PlannedChange
from dantoc_ingest.services.events import values_accepted

CellId = tuple[str, str, str, str]  # unit, period, indicator, disaggregation key


class Sender(Protocol):
    async def send_and_wait(self, topic: str, value: bytes | None = None, key: bytes | None = None) -> Any: ...


def coordinates_of(indicator: str, key: str) -> CellCoordinates:
    """The coordinates of a stored disaggregation key (`GSO1979:02|2|_T|_T`)."""
    ethnic, sex, age, residence = (None if part == TOTAL else part for part in key.split("|"))
    return CellCoordinates(indicator, ethnic.split(":", 1)[1] if ethnic else None, sex, age, residence)


def _content(row: CellVersionRow) -> Content:
    return Content(Decimal(row.value) if row.value is not None else None, row.no_data, row.no_data_reason)


def _cell_id(row: CellVersionRow) -> CellId:
    return (row.unit_code, row.period, row.indicator, row.disaggregation_key)


async def _previous(uow_factory: UnitOfWorkFactory, row: CellVersionRow) -> Content | None:
    async with uow_factory(read_only=True) as uow:
        query = select(CellVersionRow).where(
            CellVersionRow.unit_code == row.unit_code,
            CellVersionRow.period == row.period,
            CellVersionRow.indicator == row.indicator,
            CellVersionRow.disaggregation_key == row.disaggregation_key,
            CellVersionRow.revision == row.revision - 1,
        )
        found = (await uow.repo.session.scalars(query)).first()
        return _content(found) if found is not None else None


def event_of(rows: Sequence[CellVersionRow], previous: dict[CellId, Content]) -> tuple[str, bytes]:
    """The key and payload of one submission's ValuesAccepted, from its version rows."""
    first = rows[0]
    changes: list[PlannedChange] = []
    for row in rows:
        original: tuple[str, str] | None = None
        if row.original_ethnic:
            code_list, _, code = row.original_ethnic.partition(":")
            original = (code_list, code)
        cell = CheckedCell(len(changes), coordinates_of(row.indicator, row.disaggregation_key), _content(row), original)
        before = previous.get(_cell_id(row))
        state = CellState(before, row.revision - 1) if before is not None else None
        changes.append(PlannedChange(cell, state, row.revision, Outcome(row.outcome)))
    draft = Draft(first.submission_id, first.agency, first.unit_code, first.period, [])
    outbox = values_accepted(draft, changes, first.accepted_at)
    return outbox.key or first.unit_code, outbox.payload


async def republish(
    uow: UnitOfWorkFactory, producer: Sender, *, namespace: str, since: datetime | None = None, chunk: int = 200
) -> int:
    """Publish the ValuesAccepted of every submission accepted since `since` (all when None), in the order they
    were accepted; returns how many."""
    topic = topics.topic_name(topics.VALUES_ACCEPTED, namespace)
    first_id = func.min(CellVersionRow.id)
    query = select(CellVersionRow.submission_id).group_by(CellVersionRow.submission_id).order_by(first_id)
    if since is not None:
        query = query.where(CellVersionRow.accepted_at >= since)
    async with uow(read_only=True) as unit:
        submissions = list((await unit.repo.session.scalars(query)).all())
    previous: dict[CellId, Content] = {}
    for start in range(0, len(submissions), chunk):
        wanted = submissions[start : start + chunk]
        async with uow(read_only=True) as unit:
            rows = (
                await unit.repo.session.scalars(
                    select(CellVersionRow).where(CellVersionRow.submission_id.in_(wanted)).order_by(CellVersionRow.id)
                )
            ).all()
        groups: dict[str, list[CellVersionRow]] = {submission_id: [] for submission_id in wanted}
        for row in rows:
            groups[row.submission_id].append(row)
        await _send(uow, producer, topic, [group for group in groups.values() if group], previous)
    return len(submissions)


async def _send(
    uow: UnitOfWorkFactory,
    producer: Sender,
    topic: str,
    groups: list[list[CellVersionRow]],
    previous: dict[CellId, Content],
) -> int:
    for group in groups:
        for row in group:
            if row.revision > 1 and _cell_id(row) not in previous:
                found = await _previous(uow, row)
                if found is not None:
                    previous[_cell_id(row)] = found
        key, payload = event_of(group, previous)
        await producer.send_and_wait(topic, payload, key=key.encode())
        for row in group:
            previous[_cell_id(row)] = _content(row)
    return len(groups)
