"""Deciding a submission: check it, then accept it whole (new cell revisions, audit rows, an event in the outbox)
or reject it whole (every problem kept and published). A resend of the same id gets the stored answer."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError

from dantoc_contracts.bounds import AGENCY_CODE_WIDTH, SUBMITTED_BY_WIDTH
from dantoc_contracts.problems import ProblemItem
from dantoc_ingest.db.models import SubmissionRow
from dantoc_ingest.db.repository import Provenance
from dantoc_ingest.db.uow import UnitOfWork
from dantoc_ingest.domain.model import Draft
from dantoc_ingest.domain.revisions import plan_revisions
from dantoc_ingest.domain.validation import CheckResult, check_submission
from dantoc_ingest.services import events, trail
from dantoc_ingest.services.context import IngestContext
from dantoc_ingest.services.reports import Status, SubmissionReport, fingerprint, header, value_reports


class SubmissionConflict(Exception):
    """The submission id was already used for a different submission."""

    def __init__(self, submission_id: str) -> None:
        super().__init__(f"submission id {submission_id!r} was already used for a different submission")
        self.submission_id = submission_id


@dataclass(frozen=True, slots=True)
class Decision:
    report: SubmissionReport
    replayed: bool = False  # the stored answer to an earlier identical submission


@dataclass(frozen=True, slots=True)
class Intake:
    """How a submission arrived and who sent it."""

    channel: str  # http, file, kafka
    submitted_by: str
    dry_run: bool = False
    publish_dry_run_rejection: bool = False  # Kafka dry runs: the report has nowhere else to go
    received_at: datetime | None = None


def check(ctx: IngestContext, draft: Draft) -> CheckResult:
    started = time.perf_counter()
    result = check_submission(draft, ctx.catalog.view, max_values=ctx.max_values)
    ctx.metrics.check_seconds.observe(time.perf_counter() - started)
    return result


async def decide(
    ctx: IngestContext,
    draft: Draft,
    checked: CheckResult,
    intake: Intake,
    *,
    uow: UnitOfWork,
    extra_problems: Sequence[ProblemItem] = (),
) -> Decision:
    """Apply a checked submission inside `uow` (checked beforehand: the transaction stays short); the caller
    commits (with its own bookkeeping, if any)."""
    digest = fingerprint(draft)
    stored = None if intake.dry_run else await uow.repo.submission(draft.submission_id)
    if stored is not None and stored.status != Status.RECEIVED:
        if stored.fingerprint != digest:
            raise SubmissionConflict(draft.submission_id)
        return Decision(SubmissionReport.model_validate_json(stored.report or "{}"), replayed=True)
    now = ctx.clock()
    base = header(draft, intake.channel, intake.received_at or (stored.received_at if stored else now))
    problems = [*extra_problems, *checked.problems]
    if problems:
        report = SubmissionReport(
            **base,
            status=Status.REJECTED,
            dry_run=intake.dry_run,
            decided_at=now,
            value_count=len(draft.values),
            problems=problems,
        )
        if not intake.dry_run or intake.publish_dry_run_rejection:
            uow.repo.add_outbox(events.submission_rejected(draft, problems, now, dry_run=intake.dry_run))
    else:
        report = await _accept(draft, checked, intake, base, now, uow=uow)
    if not intake.dry_run:
        _store(uow, stored, draft, intake, report, digest)
    return Decision(report)


async def _accept(
    draft: Draft, checked: CheckResult, intake: Intake, base: dict[str, Any], now: datetime, *, uow: UnitOfWork
) -> SubmissionReport:
    if not intake.dry_run:
        await uow.repo.lock_cells(draft.unit_code, draft.period)
    indicators = {cell.coordinates.indicator for cell in checked.cells}
    current = await uow.repo.cell_states(draft.unit_code, draft.period, indicators)
    plan = plan_revisions(checked.cells, current)
    report = SubmissionReport(
        **base,
        status=Status.ACCEPTED,
        dry_run=intake.dry_run,
        decided_at=now,
        value_count=len(draft.values),
        changed_count=len(plan.changes),
        unchanged_count=plan.unchanged,
        values=value_reports(plan),
    )
    if intake.dry_run:
        return report
    submitted_by = clip(intake.submitted_by, SUBMITTED_BY_WIDTH)
    by = Provenance(draft.unit_code, draft.period, draft.submission_id, draft.agency, submitted_by, now)
    await uow.repo.write_changes(plan.changes, by)
    if plan.changes:
        uow.repo.add_outbox(events.values_accepted(draft, plan.changes, now))
    return report


RECEIVED_WIDTH = 20
"""Width of a submission row's unit_code and period: what was received, rejected submissions included."""


def clip(text: str, width: int) -> str:
    """A received field cut to its column (only a rejected submission can carry a longer one: its report keeps it)."""
    return text[:width]


def _store(
    uow: UnitOfWork, stored: SubmissionRow | None, draft: Draft, intake: Intake, report: SubmissionReport, digest: str
) -> None:
    row = stored or SubmissionRow(
        submission_id=draft.submission_id,
        fingerprint=digest,
        agency=clip(draft.agency, AGENCY_CODE_WIDTH),
        unit_code=clip(draft.unit_code, RECEIVED_WIDTH),
        period=clip(draft.period, RECEIVED_WIDTH),
        channel=intake.channel,
        submitted_by=clip(intake.submitted_by, SUBMITTED_BY_WIDTH),
        received_at=report.received_at,
    )
    row.status, row.decided_at, row.draft = report.status.value, report.decided_at, None
    row.value_count, row.changed_count, row.problem_count = (
        report.value_count,
        report.changed_count,
        len(report.problems),
    )
    row.report = report.model_dump_json()
    if stored is None:
        uow.repo.add_submission(row)


def record(ctx: IngestContext, decision: Decision, *, stored_in: float, where: trail.Where | None = None) -> None:
    """Log a committed decision (`where`: the Kafka record it came from), and count it with the seconds its
    storing took, transaction included (replays and dry runs are not new decisions and store nothing)."""
    report = decision.report
    trail.decided(report, replayed=decision.replayed, where=where)
    if decision.replayed or report.dry_run:
        return
    ctx.metrics.apply_seconds.observe(stored_in)
    ctx.metrics.submissions.labels(report.channel, report.status.value).inc()
    if report.status is Status.ACCEPTED:
        ctx.metrics.values.labels("changed").inc(report.changed_count)
        ctx.metrics.values.labels("unchanged").inc(report.unchanged_count)
    else:
        ctx.metrics.values.labels("rejected").inc(report.value_count)
        for item in report.problems:
            ctx.metrics.problems.labels(item.code).inc()


async def submit(ctx: IngestContext, draft: Draft, intake: Intake) -> Decision:
    """One submission in its own transaction (HTTP and files). A race on the same new id is retried once."""
    checked = check(ctx, draft)
    async with ctx.locks.hold(draft.unit_code, draft.period):
        started = time.perf_counter()
        for attempt in range(2):
            try:
                async with ctx.uow() as uow:
                    decision = await decide(ctx, draft, checked, intake, uow=uow)
                    await uow.commit()
                break
            except IntegrityError:
                if attempt == 1:
                    raise
        stored_in = time.perf_counter() - started
    record(ctx, decision, stored_in=stored_in)
    if not intake.dry_run and not decision.replayed:
        ctx.wake_relay()
    return decision
