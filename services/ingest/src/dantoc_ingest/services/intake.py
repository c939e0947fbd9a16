"""Submissions from the Kafka topic: decided exactly like HTTP ones, plus the consumer's bookkeeping.

Each record is handled in one transaction that also advances the stored offset of its partition, so a record
redelivered after a crash changes nothing. A record that is not JSON or not valid against the contract is
dead-lettered (through the outbox, in that same transaction) and the consumer moves on.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from pydantic import ValidationError

from dantoc_contracts import topics
from dantoc_contracts.messages import adapter
from dantoc_ingest.db.models import OutboxRow
from dantoc_ingest.domain.model import Draft
from dantoc_ingest.services import events, trail
from dantoc_ingest.services.authorization import registered_principal, submission_denials
from dantoc_ingest.services.context import IngestContext
from dantoc_ingest.services.drafts import draft_from_contract
from dantoc_ingest.services.submit import Decision, Intake, SubmissionConflict, check, decide, record

_SUBMISSION = adapter(topics.SUBMISSIONS.name)


@dataclass(frozen=True, slots=True)
class InboundRecord:
    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None

    def where(self) -> trail.Where:
        return {"topic": self.topic, "partition": self.partition, "offset": self.offset}


async def consume_submission(ctx: IngestContext, inbound: InboundRecord, *, group: str) -> str:
    """Handle one record of the submissions topic (its outcome is logged: `trail`); returns what happened."""
    try:
        if inbound.value is None:
            raise ValueError("empty message (null value)")
        envelope = _SUBMISSION.validate_json(inbound.value)
    except (ValidationError, ValueError) as error:
        return await _dead_letter(ctx, inbound, f"not a valid SubmissionRequested envelope: {error}", group=group)
    request = envelope.payload
    draft = draft_from_contract(request.submission)
    intake = Intake("kafka", f"agency:{draft.agency}", dry_run=request.dry_run, publish_dry_run_rejection=True)
    return await _decide_record(ctx, draft, intake, inbound, group=group)


async def _decide_record(
    ctx: IngestContext, draft: Draft, intake: Intake, inbound: InboundRecord, *, group: str
) -> str:
    """Decide a readable record in the transaction that also advances its partition's stored offset."""
    catalog = ctx.catalog.view
    principal = registered_principal(catalog, draft.agency)  # the same policy as HTTP, for the registered agency
    extra = submission_denials(principal, draft, catalog) if principal is not None else []
    checked = check(ctx, draft)
    async with ctx.locks.hold(draft.unit_code, draft.period):
        started = time.perf_counter()
        async with ctx.uow() as uow:
            if await uow.repo.seen(group, inbound.topic, inbound.partition, inbound.offset):
                trail.redelivered(draft, inbound.where())  # Kafka's committed offset lagged behind the database
                return "duplicate"
            decision: Decision | SubmissionConflict
            try:
                decision = await decide(ctx, draft, checked, intake, uow=uow, extra_problems=extra)
            except SubmissionConflict as conflict:
                decision = conflict
                uow.repo.add_outbox(_dead_letter_row(ctx, inbound, str(conflict), group))
            await uow.repo.advance_offset(group, inbound.topic, inbound.partition, inbound.offset + 1)
            await uow.commit()
        stored_in = time.perf_counter() - started
    ctx.wake_relay()
    if isinstance(decision, SubmissionConflict):
        trail.dead_lettered(str(decision), inbound.where(), submission_id=draft.submission_id)
        ctx.metrics.dead_letters.inc()
        return "dead-lettered"
    record(ctx, decision, stored_in=stored_in, where=inbound.where())
    return "replayed" if decision.replayed else decision.report.status.value


def _dead_letter_row(ctx: IngestContext, inbound: InboundRecord, reason: str, group: str) -> OutboxRow:
    return events.message_dead_lettered(
        topic=inbound.topic,
        partition=inbound.partition,
        offset=inbound.offset,
        key=inbound.key,
        value=inbound.value or b"",
        reason=reason,
        consumer=group,
        now=ctx.clock(),
    )


async def _dead_letter(ctx: IngestContext, inbound: InboundRecord, reason: str, *, group: str) -> str:
    async with ctx.uow() as uow:
        if await uow.repo.seen(group, inbound.topic, inbound.partition, inbound.offset):
            return "duplicate"  # an unreadable record redelivered: dead-lettered (and logged) the first time
        uow.repo.add_outbox(_dead_letter_row(ctx, inbound, reason, group))
        await uow.repo.advance_offset(group, inbound.topic, inbound.partition, inbound.offset + 1)
        await uow.commit()
    trail.dead_lettered(reason, inbound.where())
    ctx.metrics.dead_letters.inc()
    ctx.wake_relay()
    return "dead-lettered"
