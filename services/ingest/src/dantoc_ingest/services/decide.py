"""Deciding drafts received over HTTP (JSON, bulk, files): authorize every one first, then decide each on its own
(or only store it, with `Prefer: respond-async`)."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from dantoc_contracts.access import Principal
from dantoc_contracts.catalog_view import CatalogView
from dantoc_contracts.problems import Location, ProblemItem
from dantoc_ingest.domain.model import Draft
from dantoc_ingest.domain.problems import problem
from dantoc_ingest.files.readers import FileLimits
from dantoc_ingest.services import trail
from dantoc_ingest.services.authorization import Denied, submission_denials
from dantoc_ingest.services.context import IngestContext
from dantoc_ingest.services.receive import receive
from dantoc_ingest.services.reports import Status, SubmissionReport, header
from dantoc_ingest.services.submit import Decision, Intake, SubmissionConflict, submit
from dantoc_ingest.services.uploads import Upload, drafts_from_upload


class SubmissionIdConflict(Exception):
    """A single submission reused an id (HTTP answers 409 with the problem)."""

    def __init__(self, item: ProblemItem) -> None:
        super().__init__(item.message_en)
        self.item = item


def at_index(items: Sequence[ProblemItem], index: int | None) -> list[ProblemItem]:
    """The problems with their `submission_index` set (a bulk), or as they are (`index` None)."""
    if index is None:
        return list(items)
    return [i.model_copy(update={"location": i.location.model_copy(update={"submission_index": index})}) for i in items]


def _authorize(caller: Principal, drafts: Sequence[Draft], catalog: CatalogView) -> None:
    """Denied listing every denial (with its submission_index in a bulk)."""
    single = len(drafts) == 1
    denials = [
        item
        for index, draft in enumerate(drafts)
        for item in at_index(submission_denials(caller, draft, catalog), None if single else index)
    ]
    if denials:
        raise Denied(denials, detail=f"{len(denials)} submission(s) outside the token's rights")


def _conflict(ctx: IngestContext, draft: Draft, channel: str, index: int | None) -> Decision:
    """A reused submission id: SubmissionIdConflict for a single submission, a rejected result within a bulk."""
    item = problem("submission_id_conflict", Location(field="submission_id"), draft.submission_id)
    if index is None:
        raise SubmissionIdConflict(item)
    report = SubmissionReport(
        **header(draft, channel, ctx.clock()),
        status=Status.REJECTED,
        problems=at_index([item], index),
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
    """Authorize every draft first (Denied), then decide each one on its own (or only store it, with
    respond-async)."""
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


async def decide_upload(
    ctx: IngestContext,
    catalog: CatalogView,
    caller: Principal,
    upload: Upload,
    limits: FileLimits,
    *,
    dry_run: bool,
    prefer: str | None,
) -> list[Decision]:
    """An uploaded file read into drafts (UploadProblems when it cannot be), then decided as `decide_drafts`."""
    # off the event loop: ingest answers other requests while a large file is parsed
    drafts = await asyncio.to_thread(drafts_from_upload, upload, limits)
    return await decide_drafts(ctx, catalog, caller, drafts, channel="file", dry_run=dry_run, prefer=prefer)
