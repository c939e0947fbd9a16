"""Storage operations of ingest, in bulk per submission: one read of the cells, one write of each kind."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import bindparam, delete, func, insert, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from dantoc_ingest.db.models import (
    Base,
    CellRow,
    CellVersionRow,
    ConsumerOffsetRow,
    OutboxRow,
    ParkedRow,
    SubmissionRow,
)
from dantoc_ingest.domain.model import CellState, Content
from dantoc_ingest.domain.revisions import CellKey, PlannedChange

_CELLS, _VERSIONS = Base.metadata.tables["cells"], Base.metadata.tables["cell_versions"]  # Core: no ORM bookkeeping
_KEY = ("unit_code", "period", "indicator", "disaggregation_key")
_CONTENT = ("value", "no_data", "no_data_reason", "revision", "submission_id", "agency", "accepted_at")
_UPDATE_CELL = (
    update(_CELLS)
    .where(*(_CELLS.c[k] == bindparam(f"k_{k}") for k in _KEY))
    .values({k: bindparam(k) for k in _CONTENT})
)


@dataclass(frozen=True, slots=True)
class Provenance:
    """Who changed cells, from which submission, when."""

    unit_code: str
    period: str
    submission_id: str
    agency: str
    submitted_by: str
    accepted_at: datetime


@dataclass(frozen=True, slots=True)
class OutboxMessage:
    """An outbox row as the relay reads it (plain values, usable after the transaction)."""

    id: int
    topic: str
    key: str | None
    payload: bytes
    submission_id: str | None


def _content(row: CellRow | CellVersionRow) -> Content:
    return Content(Decimal(row.value) if row.value is not None else None, row.no_data, row.no_data_reason)


class Repository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    @property
    def dialect(self) -> str:
        return self.session.get_bind().dialect.name

    # -- submissions -----------------------------------------------------------------------------------------------

    async def submission(self, submission_id: str) -> SubmissionRow | None:
        return await self.session.get(SubmissionRow, submission_id)

    def add_submission(self, row: SubmissionRow) -> None:
        self.session.add(row)

    async def received_submissions(self, limit: int) -> Sequence[SubmissionRow]:
        query = select(SubmissionRow).where(SubmissionRow.status == "received")
        return (await self.session.scalars(query.order_by(SubmissionRow.received_at).limit(limit))).all()

    # -- cells -----------------------------------------------------------------------------------------------------

    async def lock_cells(self, unit_code: str, period: str) -> None:
        """Serialise writers of one unit and period across processes (PostgreSQL; SQLite has one writer)."""
        if self.dialect == "postgresql":
            await self.session.execute(
                text("SELECT pg_advisory_xact_lock(hashtext(:k))"), {"k": f"{unit_code}|{period}"}
            )

    async def cell_states(self, unit_code: str, period: str, indicators: Iterable[str]) -> dict[CellKey, CellState]:
        query = select(CellRow).where(
            CellRow.unit_code == unit_code, CellRow.period == period, CellRow.indicator.in_(sorted(set(indicators)))
        )
        rows = (await self.session.scalars(query)).all()
        return {(r.indicator, r.disaggregation_key): CellState(_content(r), r.revision) for r in rows}

    async def write_changes(self, changes: Sequence[PlannedChange], by: Provenance) -> None:
        """Insert new cells, update changed ones, and add one version row per change (the audit trail)."""
        if not changes:
            return
        cells = [self._cell_params(change, by) for change in changes]
        new = [params for params, change in zip(cells, changes, strict=True) if change.previous is None]
        old = [
            {**{f"k_{k}": params[k] for k in _KEY}, **{k: params[k] for k in _CONTENT}}
            for params, change in zip(cells, changes, strict=True)
            if change.previous is not None
        ]
        if new:
            await self.session.execute(insert(_CELLS), new)
        if old:
            await self.session.execute(_UPDATE_CELL, old)
        versions = [
            {
                **params,
                "outcome": change.outcome.value,
                "submitted_by": by.submitted_by,
                "original_ethnic": ":".join(change.cell.original_ethnic) if change.cell.original_ethnic else None,
            }
            for params, change in zip(cells, changes, strict=True)
        ]
        await self.session.execute(insert(_VERSIONS), versions)

    @staticmethod
    def _cell_params(change: PlannedChange, by: Provenance) -> dict[str, object]:
        coordinates, content = change.cell.coordinates, change.cell.content
        return {
            "unit_code": by.unit_code,
            "period": by.period,
            "indicator": coordinates.indicator,
            "disaggregation_key": coordinates.disaggregation_key,
            "value": str(content.value) if content.value is not None else None,
            "no_data": content.no_data,
            "no_data_reason": content.no_data_reason,
            "revision": change.revision,
            "submission_id": by.submission_id,
            "agency": by.agency,
            "accepted_at": by.accepted_at,
        }

    async def current_cells(self, unit_code: str, period: str, indicators: Sequence[str] = ()) -> Sequence[CellRow]:
        query = select(CellRow).where(CellRow.unit_code == unit_code, CellRow.period == period)
        if indicators:
            query = query.where(CellRow.indicator.in_(indicators))
        order = (CellRow.indicator, CellRow.disaggregation_key)
        return (await self.session.scalars(query.order_by(*order))).all()

    async def cell_versions(
        self, unit_code: str, period: str, indicator: str | None = None, disaggregation_key: str | None = None
    ) -> Sequence[CellVersionRow]:
        query = select(CellVersionRow).where(CellVersionRow.unit_code == unit_code, CellVersionRow.period == period)
        if indicator:
            query = query.where(CellVersionRow.indicator == indicator)
        if disaggregation_key:
            query = query.where(CellVersionRow.disaggregation_key == disaggregation_key)
        order = (CellVersionRow.indicator, CellVersionRow.disaggregation_key, CellVersionRow.revision)
        return (await self.session.scalars(query.order_by(*order))).all()

    async def reported_ethnic_keys(self, unit_codes: Sequence[str]) -> list[str]:
        """Distinct disaggregation keys ever stored for these units (the ethnic groups they have reported)."""
        query = select(func.distinct(CellRow.disaggregation_key)).where(CellRow.unit_code.in_(unit_codes))
        return list((await self.session.scalars(query)).all())

    # -- outbox ----------------------------------------------------------------------------------------------------

    def add_outbox(self, row: OutboxRow) -> None:
        self.session.add(row)

    async def unsent(self, limit: int, *, lock: bool = False) -> list[OutboxMessage]:
        columns = (OutboxRow.id, OutboxRow.topic, OutboxRow.key, OutboxRow.payload, OutboxRow.submission_id)
        query = select(*columns).where(OutboxRow.sent_at.is_(None)).order_by(OutboxRow.id).limit(limit)
        result = await self.session.execute(query.with_for_update() if lock else query)
        return [OutboxMessage(*row) for row in result.all()]

    async def mark_sent(self, rows: Sequence[OutboxMessage], now: datetime) -> None:
        ids = [row.id for row in rows]
        await self.session.execute(update(OutboxRow).where(OutboxRow.id.in_(ids)).values(sent_at=now))
        submissions = sorted({row.submission_id for row in rows if row.submission_id})
        if submissions:
            stmt = update(SubmissionRow).where(SubmissionRow.submission_id.in_(submissions))
            await self.session.execute(stmt.values(published_at=now))

    async def set_aside(self, outbox_id: int, now: datetime) -> None:
        """An outbox row the relay parked: no longer pending (its submission is not marked published)."""
        await self.session.execute(update(OutboxRow).where(OutboxRow.id == outbox_id).values(sent_at=now))

    async def unsent_count(self) -> int:
        query = select(func.count()).select_from(OutboxRow).where(OutboxRow.sent_at.is_(None))
        return int((await self.session.scalar(query)) or 0)

    # -- consumer offsets ------------------------------------------------------------------------------------------

    async def next_offsets(self, group: str, topic: str) -> dict[int, int]:
        query = select(ConsumerOffsetRow).where(
            ConsumerOffsetRow.consumer_group == group, ConsumerOffsetRow.topic == topic
        )
        return {row.partition: row.next_offset for row in (await self.session.scalars(query)).all()}

    async def seen(self, group: str, topic: str, partition: int, offset: int) -> bool:
        """True when this record was already applied (its offset is below the stored next offset)."""
        row = await self.session.get(ConsumerOffsetRow, (group, topic, partition))
        return row is not None and offset < row.next_offset

    async def advance_offset(self, group: str, topic: str, partition: int, next_offset: int) -> None:
        row = await self.session.get(ConsumerOffsetRow, (group, topic, partition))
        if row is None:
            self.session.add(
                ConsumerOffsetRow(consumer_group=group, topic=topic, partition=partition, next_offset=next_offset)
            )
        else:
            row.next_offset = max(row.next_offset, next_offset)

    # -- parked records --------------------------------------------------------------------------------------------

    def park(self, row: ParkedRow) -> None:
        self.session.add(row)

    async def parked(self, parked_id: int | None = None) -> Sequence[ParkedRow]:
        query = select(ParkedRow).order_by(ParkedRow.id)
        if parked_id is not None:
            query = query.where(ParkedRow.id == parked_id)
        return (await self.session.scalars(query)).all()

    async def unpark(self, parked_id: int) -> None:
        await self.session.execute(delete(ParkedRow).where(ParkedRow.id == parked_id))
