"""Submissions over HTTP: one data value set, a bulk of many, and the state of a submission."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

from fastapi import APIRouter, Header, Query
from fastapi.responses import JSONResponse

from dantoc_ingest.api.deps import Caller, Catalog, Ctx
from dantoc_ingest.api.models import BulkIn, BulkOut, SubmissionIn, SubmissionOut
from dantoc_ingest.api.problems import ProblemError, forbidden
from dantoc_ingest.domain.problems import problem
from dantoc_ingest.services.authorization import may_read, read_denial
from dantoc_ingest.services.decide import at_index, decide_drafts
from dantoc_ingest.services.queries import submission_state
from dantoc_ingest.services.reports import Status
from dantoc_ingest.services.submit import Decision

router = APIRouter(prefix="/submissions", tags=["submissions"])
REJECTED = "urn:dantoc:problem:submission-rejected"
DryRun = Annotated[bool, Query(description="Run every check and report, store nothing.")]
Prefer = Annotated[str | None, Header(description="`respond-async`: store now, decide in the background (202).")]


def single_answer(decision: Decision) -> JSONResponse:
    """200 accepted, 202 received, 422 rejected (a problem document listing every problem)."""
    report = decision.report
    headers = {"Idempotent-Replayed": "true"} if decision.replayed else None
    if report.status is Status.REJECTED:
        raise ProblemError(
            422,
            report.problems,
            type_=REJECTED,
            title="Submission rejected",
            detail=f"{len(report.problems)} problem(s); nothing was accepted",
            headers=headers,
            submission_id=report.submission_id,
            dry_run=report.dry_run,
        )
    status = 202 if report.status is Status.RECEIVED else 200
    if status == 202:
        headers = {**(headers or {}), "Location": f"/submissions/{report.submission_id}"}
    return JSONResponse(SubmissionOut.of(report).model_dump(mode="json"), status_code=status, headers=headers)


def many_answer(decisions: Sequence[Decision]) -> JSONResponse:
    """200 when none was rejected; otherwise 422 with every problem (with its submission_index) and the results."""
    results = [SubmissionOut.of(d.report) for d in decisions]
    body = BulkOut(
        accepted=sum(r.status == "accepted" for r in results),
        rejected=sum(r.status == "rejected" for r in results),
        received=sum(r.status == "received" for r in results),
        results=results,
    )
    if body.rejected:
        problems = [p for i, d in enumerate(decisions) for p in at_index(d.report.problems, i)]
        raise ProblemError(
            422,
            problems,
            type_=REJECTED,
            title="Submissions rejected",
            detail=f"{body.rejected} of {len(results)} submission(s) rejected; the others were decided on their own",
            results=body.model_dump(mode="json")["results"],
        )
    return JSONResponse(body.model_dump(mode="json"))


@router.post("", response_model=SubmissionOut, responses={202: {"model": SubmissionOut}, 422: {}, 409: {}})
async def post_submission(
    body: SubmissionIn, ctx: Ctx, catalog: Catalog, caller: Caller, dry_run: DryRun = False, prefer: Prefer = None
) -> JSONResponse:
    """Submit one data value set: accepted whole or rejected whole with every problem listed."""
    [decision] = await decide_drafts(
        ctx, catalog, caller, [body.to_draft()], channel="http", dry_run=dry_run, prefer=prefer
    )
    return single_answer(decision)


@router.post("/bulk", response_model=BulkOut, responses={422: {}})
async def post_bulk(
    body: BulkIn, ctx: Ctx, catalog: Catalog, caller: Caller, dry_run: DryRun = False, prefer: Prefer = None
) -> JSONResponse:
    """Submit many data value sets at once; each is accepted or rejected on its own, in order."""
    drafts = [s.to_draft() for s in body.submissions]
    decisions = await decide_drafts(ctx, catalog, caller, drafts, channel="http", dry_run=dry_run, prefer=prefer)
    return many_answer(decisions)


@router.get("/{submission_id}", response_model=SubmissionOut)
async def get_submission(submission_id: str, ctx: Ctx, catalog: Catalog, caller: Caller) -> JSONResponse:
    """The state of a submission: received, accepted with counts, rejected with its report, or published."""
    state = await submission_state(ctx, submission_id)
    if state is None:
        raise ProblemError(404, [problem("not_found", value=submission_id, what="báo cáo", what_en="Submission")])
    report = state.report
    if not may_read(caller, catalog, report.unit_code, report.period, report.agency):
        raise forbidden([read_denial(caller, catalog, report.unit_code)])
    return JSONResponse(SubmissionOut.of(report, state.published_at).model_dump(mode="json"))
