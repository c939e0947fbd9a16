"""Submissions received now and decided in the background (`Prefer: respond-async`): the draft is stored first,
so once the answer 202 is given the submission cannot be lost; a worker decides received submissions in order."""

from __future__ import annotations

from dantoc_contracts.bounds import AGENCY_CODE_WIDTH, SUBMITTED_BY_WIDTH
from dantoc_ingest.db.models import SubmissionRow
from dantoc_ingest.domain.model import Draft
from dantoc_ingest.services import trail
from dantoc_ingest.services.context import IngestContext
from dantoc_ingest.services.drafts import draft_from_json, draft_to_json
from dantoc_ingest.services.reports import Status, SubmissionReport, fingerprint, header
from dantoc_ingest.services.submit import RECEIVED_WIDTH, Decision, Intake, SubmissionConflict, clip, submit


async def receive(ctx: IngestContext, draft: Draft, intake: Intake) -> Decision:
    """Store the draft as received (or return the stored answer of the same submission)."""
    digest = fingerprint(draft)
    async with ctx.uow() as uow:
        stored = await uow.repo.submission(draft.submission_id)
        if stored is not None:
            if stored.fingerprint != digest:
                raise SubmissionConflict(draft.submission_id)
            answer = SubmissionReport.model_validate_json(stored.report or "{}")
            trail.decided(answer, replayed=True)
            return Decision(answer, replayed=True)
        now = ctx.clock()
        report = SubmissionReport(
            **header(draft, intake.channel, now), status=Status.RECEIVED, value_count=len(draft.values)
        )
        uow.repo.add_submission(
            SubmissionRow(
                submission_id=draft.submission_id,
                fingerprint=digest,
                agency=clip(draft.agency, AGENCY_CODE_WIDTH),
                unit_code=clip(draft.unit_code, RECEIVED_WIDTH),
                period=clip(draft.period, RECEIVED_WIDTH),
                channel=intake.channel,
                submitted_by=clip(intake.submitted_by, SUBMITTED_BY_WIDTH),
                status=Status.RECEIVED.value,
                received_at=now,
                value_count=len(draft.values),
                changed_count=0,
                problem_count=0,
                report=report.model_dump_json(),
                draft=draft_to_json(draft),
            )
        )
        await uow.commit()
    trail.received(report)
    ctx.wake_pending()
    return Decision(report)


async def decide_received(ctx: IngestContext, *, limit: int = 20) -> int:
    """Decide up to `limit` received submissions, oldest first; returns how many were decided."""
    async with ctx.uow(read_only=True) as uow:
        rows = await uow.repo.received_submissions(limit)
        pending = [(r.draft or "", r.channel, r.submitted_by, r.received_at) for r in rows]
    for text, channel, submitted_by, received_at in pending:
        await submit(ctx, draft_from_json(text), Intake(channel, submitted_by, received_at=received_at))
    return len(pending)
