"""Read side: a submission's state, current cells, and each cell's versions (the audit trail)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from dantoc_ingest.db.models import CellRow, CellVersionRow
from dantoc_ingest.services.context import IngestContext
from dantoc_ingest.services.reports import SubmissionReport


@dataclass(frozen=True, slots=True)
class SubmissionState:
    report: SubmissionReport
    published_at: datetime | None


async def submission_state(ctx: IngestContext, submission_id: str) -> SubmissionState | None:
    async with ctx.uow(read_only=True) as uow:
        row = await uow.repo.submission(submission_id)
        if row is None:
            return None
        return SubmissionState(SubmissionReport.model_validate_json(row.report or "{}"), row.published_at)


async def current_cells(
    ctx: IngestContext, unit_code: str, period: str, indicators: Sequence[str]
) -> Sequence[CellRow]:
    async with ctx.uow(read_only=True) as uow:
        return await uow.repo.current_cells(unit_code, period, indicators)


async def cell_history(
    ctx: IngestContext, unit_code: str, period: str, indicator: str | None, disaggregation_key: str | None
) -> Sequence[CellVersionRow]:
    async with ctx.uow(read_only=True) as uow:
        return await uow.repo.cell_versions(unit_code, period, indicator, disaggregation_key)
