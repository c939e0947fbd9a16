"""Submissions over HTTP: one data value set, a bulk of many, and the state of a submission."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

from fastapi import APIRouter, Header, Query
from fastapi.responses import JSONResponse

from dantoc_contracts.access import Principal
from dantoc_contracts.catalog_view import CatalogView
from dantoc_contracts.problems import Location, ProblemItem
from dantoc_ingest.api.deps import Caller, Catalog, Ctx
from dantoc_ingest.api.models import BulkIn, BulkOut, SubmissionIn, SubmissionOut
from dantoc_ingest.api.problems import ProblemError
from dantoc_ingest.domain.model import Draft
from dantoc_ingest.domain.problems import problem
from dantoc_ingest.services import trail
from dantoc_ingest.services.authorization import may_read, read_denial, submission_denials
from dantoc_ingest.services.context import IngestContext
from dantoc_ingest.services.queries import submission_state
from dantoc_ingest.services.receive import receive
from dantoc_ingest.services.reports import Status, SubmissionReport, header
from dantoc_ingest.services.submit import Decision, Intake, SubmissionConflict, submit

router = APIRouter(prefix="/submissions", tags=["submissions"])
REJECTED = "urn:dantoc:problem:submission-rejected"
DryRun = Annotated[bool, Query(description="Run every check and report, store nothing.")]
Prefer = Annotated[str | None, Header(description="`respond-async`: store now, decide in the background (202).")]


def _at(items: Sequence[ProblemItem], index: int | None) -> list[ProblemItem]:
    if index is None:
        return list(items)
    return [i.model_copy(update={"location": i.location.model_copy(update={"submission_index": index})}) for i in items]


def _authorize(caller: Principal, drafts: Sequence[Draft], catalog: CatalogView) -> None:
    """403 listing every denial (with its submission_index in a bulk)."""
    single = len(drafts) == 1
    denials = [
        item
        for index, draft in enumerate(drafts)
        for item in _at(submission_denials(caller, draft, catalog), None if single else index)
    ]
    if denials:
        raise ProblemError(403, denials, detail=f"{len(denials)} submission(s) outside the token's rights")


def _conflict(ctx: IngestContext, draft: Draft, channel: str, index: int | None) -> Decision:
    """A reused submission id: 409 for a single submission, a rejected result within a bulk."""
    item = problem("submission_id_conflict", Location(field="submission_id"), draft.submission_id)
    if index is None:
        raise ProblemError(409, [item])
    report = SubmissionReport(
        **header(draft, channel, ctx.clock()),
        status=Status.REJECTED,
        problems=_at([item], index),
        value_count=len(draft.values),
    )
    return Decision(report)


async def decide_drafts(
    ctx: IngestContext,
    catalog: CatalogView,
    caller: Principal,
    drafts: Sequence[Draft],
    *,
    channel: str,
    dry_run: bool,
    prefer: str | None,
) -> list[Decision]:
    """Authorize every draft first, then decide each one on its own (or only store it, with respond-async)."""
    _authorize(caller, drafts, catalog)
    later = prefer is not None and "respond-async" in prefer.lower() and not dry_run
    decisions = []
    for index, draft in enumerate(drafts):
        intake = Intake(channel, caller.subject, dry_run=dry_run)
        try:
            decisions.append(await (receive if later else submit)(ctx, draft, intake))
        except SubmissionConflict:
            trail.conflict(draft, channel)
            decisions.append(_conflict(ctx, draft, channel, None if len(drafts) == 1 else index))
    return decisions


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
        problems = [p for i, d in enumerate(decisions) for p in _at(d.report.problems, i)]
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
        raise ProblemError(403, [read_denial(caller, catalog, report.unit_code)])
    return JSONResponse(SubmissionOut.of(report, state.published_at).model_dump(mode="json"))
