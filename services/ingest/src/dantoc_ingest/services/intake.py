"""Submissions from the Kafka topic: decided exactly like HTTP ones, plus the consumer's bookkeeping.

Each record is handled in one transaction that also advances the stored offset of its partition, so a record
redelivered after a crash changes nothing. A record that is not JSON or not valid against the contract cannot
become readable by trying again: it is set aside at once (parked, dead-lettered through the outbox, offset past
it, in one transaction). A readable record whose handling fails is retried by the consumer's `RecordGuard` and
set aside with `park_record` when it keeps failing for what it holds.
"""

from __future__ import annotations

import time

from pydantic import ValidationError

from dantoc_contracts import topics
from dantoc_contracts.messages import adapter
from dantoc_ingest.db.models import OutboxRow
from dantoc_ingest.domain.model import Draft
from dantoc_ingest.services import events, quarantine, trail
from dantoc_ingest.services.authorization import registered_principal, submission_denials
from dantoc_ingest.services.context import IngestContext
from dantoc_ingest.services.drafts import draft_from_contract
from dantoc_ingest.services.quarantine import Record
from dantoc_ingest.services.submit import Decision, Intake, SubmissionConflict, check, decide, record

_SUBMISSION = adapter(topics.SUBMISSIONS.name)
InboundRecord = Record


def where_of(inbound: Record) -> trail.Where:
    return {"topic": inbound.topic, "partition": inbound.partition, "offset": inbound.offset}


class Unreadable(ValueError):
    """The record is not a valid SubmissionRequested envelope."""


def read_draft(inbound: Record) -> tuple[Draft, Intake]:
    try:
        if inbound.value is None:
            raise ValueError("empty message (null value)")
        envelope = _SUBMISSION.validate_json(inbound.value)
    except (ValidationError, ValueError) as error:
        raise Unreadable(f"not a valid SubmissionRequested envelope: {error}") from error
    request = envelope.payload
    draft = draft_from_contract(request.submission)
    return draft, Intake("kafka", f"agency:{draft.agency}", dry_run=request.dry_run, publish_dry_run_rejection=True)


async def consume_submission(ctx: IngestContext, inbound: Record, *, group: str, replay: bool = False) -> str:
    """Handle one record of the submissions topic (its outcome is logged: `trail`); returns what happened.

    `replay`: a parked record applied again (`replay-parked`): no offset bookkeeping, and a failure raises.
    """
    try:
        draft, intake = read_draft(inbound)
    except Unreadable as error:
        if replay:
            raise
        return await park_record(ctx, inbound, str(error), "ingest.Unreadable", group=group)
    return await _decide_record(ctx, draft, intake, inbound, group=group, replay=replay)


async def _decide_record(
    ctx: IngestContext, draft: Draft, intake: Intake, inbound: Record, *, group: str, replay: bool
) -> str:
    """Decide a readable record in the transaction that also advances its partition's stored offset."""
    catalog = ctx.catalog.view
    principal = registered_principal(catalog, draft.agency)  # the same policy as HTTP, for the registered agency
    extra = submission_denials(principal, draft, catalog) if principal is not None else []
    checked = check(ctx, draft)
    async with ctx.locks.hold(draft.unit_code, draft.period):
        started = time.perf_counter()
        async with ctx.uow() as uow:
            if not replay and await uow.repo.seen(group, inbound.topic, inbound.partition, inbound.offset):
                trail.redelivered(draft, where_of(inbound))  # Kafka's committed offset lagged behind the database
                return "duplicate"
            decision: Decision | SubmissionConflict
            try:
                decision = await decide(ctx, draft, checked, intake, uow=uow, extra_problems=extra)
            except SubmissionConflict as conflict:
                if replay:
                    raise
                decision = conflict
                uow.repo.add_outbox(_dead_letter_row(ctx, inbound, str(conflict), group))
            if not replay:
                await uow.repo.advance_offset(group, inbound.topic, inbound.partition, inbound.offset + 1)
            await uow.commit()
        stored_in = time.perf_counter() - started
    ctx.wake_relay()
    if isinstance(decision, SubmissionConflict):
        trail.dead_lettered(str(decision), where_of(inbound), submission_id=draft.submission_id)
        ctx.metrics.dead_letters.inc()
        return "dead-lettered"
    record(ctx, decision, stored_in=stored_in, where=where_of(inbound))
    return "replayed" if decision.replayed else decision.report.status.value


def _dead_letter_row(ctx: IngestContext, inbound: Record, reason: str, group: str) -> OutboxRow:
    return events.message_dead_lettered(
        topic=inbound.topic,
        partition=inbound.partition,
        offset=inbound.offset,
        key=inbound.key,
        value=inbound.value,
        reason=reason,
        consumer=group,
        now=ctx.clock(),
    )


async def park_record(ctx: IngestContext, inbound: Record, reason: str, error_class: str, *, group: str) -> str:
    """Set the record aside: parked, dead-lettered through the outbox, and the offset past it, in one transaction."""
    async with ctx.uow() as uow:
        if await uow.repo.seen(group, inbound.topic, inbound.partition, inbound.offset):
            return "duplicate"  # set aside (and logged) the first time
        quarantine.set_aside(uow, inbound, reason=reason, error=error_class, consumer=group, now=ctx.clock())
        await uow.repo.advance_offset(group, inbound.topic, inbound.partition, inbound.offset + 1)
        await uow.commit()
    trail.dead_lettered(reason, where_of(inbound))
    ctx.metrics.dead_letters.inc()
    quarantine.count(ctx.metrics, group, inbound.topic)
    ctx.wake_relay()
    return "parked"


async def park_failed(ctx: IngestContext, inbound: Record, error: BaseException, *, group: str) -> None:
    """`RecordGuard`'s `park`: a readable record that kept failing for what it holds."""
    reason, error_class = quarantine.describe(error)
    await park_record(ctx, inbound, reason, error_class, group=group)
