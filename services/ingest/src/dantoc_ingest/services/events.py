"""The messages ingest publishes, built from decided submissions, ready for the outbox.

Message ids are derived from what they describe, so a message published twice (a relay crash between publishing
and recording it) carries the same id and consumers can drop the copy.
"""

from __future__ import annotations

import functools
import uuid
from datetime import datetime
from typing import Any

from dantoc_contracts import topics
from dantoc_contracts.bounds import MAX_PROBLEMS_IN_EVENT
from dantoc_contracts.codes import EthnicCodeList, EthnicGroupRef
from dantoc_contracts.envelope import Envelope
from dantoc_contracts.messages import encode
from dantoc_contracts.problems import ProblemItem
from dantoc_contracts.quarantine import dead_letter
from dantoc_contracts.submissions import Disaggregation
from dantoc_contracts.values import CellChange, CellValue, MessageDeadLettered, SubmissionRejected, ValuesAccepted
from dantoc_ingest.db.models import OutboxRow
from dantoc_ingest.domain.model import CellCoordinates, Content, Draft
from dantoc_ingest.domain.revisions import PlannedChange

_IDS = uuid.UUID("6f0b1d64-3c36-4a53-9a52-0c7f4f1e2b8a")
PRODUCER = "ingest"


# The cells were checked already: the models below are built without validating them again (model_construct),
# which is most of the cost of an event of a few hundred cells.


def _value(content: Content) -> CellValue:
    return CellValue.model_construct(
        value=content.value, no_data=content.no_data, no_data_reason=content.no_data_reason
    )


def _ethnic(code_list: str, code: str) -> EthnicGroupRef:
    return EthnicGroupRef.model_construct(code_list=EthnicCodeList(code_list), code=code)


@functools.lru_cache(maxsize=8192)  # a catalogue has a few thousand distinct breakdowns; the models are frozen
def _disaggregation(coordinates: CellCoordinates) -> Disaggregation:
    ethnic = _ethnic(EthnicCodeList.GSO_1979.value, coordinates.ethnic_code) if coordinates.ethnic_code else None
    return Disaggregation.model_construct(
        ethnic_group=ethnic, sex=coordinates.sex, age_group=coordinates.age_group, residence=coordinates.residence
    )


def _change(change: PlannedChange) -> CellChange:
    original = change.cell.original_ethnic
    return CellChange.model_construct(
        indicator=change.cell.coordinates.indicator,
        disaggregation=_disaggregation(change.cell.coordinates),
        original_ethnic_group=_ethnic(*original) if original else None,
        new=_value(change.cell.content),
        previous=_value(change.previous.content) if change.previous else None,
        revision=change.revision,
    )


def _outbox(topic: str, key: str, envelope: Envelope[Any], submission_id: str | None, now: datetime) -> OutboxRow:
    return OutboxRow(topic=topic, key=key, payload=encode(envelope), submission_id=submission_id, created_at=now)


def values_accepted(draft: Draft, changes: list[PlannedChange], accepted_at: datetime) -> OutboxRow:
    payload = ValuesAccepted(
        submission_id=draft.submission_id,
        agency=draft.agency,
        unit_code=draft.unit_code,
        period=draft.period,
        accepted_at=accepted_at,
        changes=[_change(change) for change in changes],
    )
    envelope = Envelope[ValuesAccepted](
        message_id=uuid.uuid5(_IDS, f"ValuesAccepted|{draft.submission_id}"),
        type=payload.kind,
        occurred_at=accepted_at,
        producer=PRODUCER,
        correlation_id=draft.submission_id,
        payload=payload,
    )
    return _outbox(topics.VALUES_ACCEPTED.name, draft.unit_code, envelope, draft.submission_id, accepted_at)


def submission_rejected(
    draft: Draft, problems: list[ProblemItem], rejected_at: datetime, *, dry_run: bool = False
) -> OutboxRow:
    payload = SubmissionRejected(
        submission_id=draft.submission_id,
        agency=draft.agency,
        unit_code=draft.unit_code,
        period=draft.period,
        rejected_at=rejected_at,
        problems=problems[:MAX_PROBLEMS_IN_EVENT],  # the first ones and the count: the event stays within bounds
        problem_count=len(problems),
        dry_run=dry_run,
    )
    name = f"SubmissionRejected|{draft.submission_id}" + (f"|dry-run|{rejected_at.isoformat()}" if dry_run else "")
    envelope = Envelope[SubmissionRejected](
        message_id=uuid.uuid5(_IDS, name),
        type=payload.kind,
        occurred_at=rejected_at,
        producer=PRODUCER,
        correlation_id=draft.submission_id,
        payload=payload,
    )
    key = draft.unit_code or "unknown"
    return _outbox(
        topics.SUBMISSIONS_REJECTED.name, key, envelope, None if dry_run else draft.submission_id, rejected_at
    )


def message_dead_lettered(
    *,
    topic: str,
    partition: int,
    offset: int,
    key: bytes | None,
    value: bytes | None,
    reason: str,
    consumer: str,
    now: datetime,
) -> OutboxRow:
    """The dead-letter event of a record set aside (`dantoc_contracts.quarantine.dead_letter`: bytes cut to fit)."""
    payload = dead_letter(
        topic=topic, partition=partition, offset=offset, key=key, value=value, reason=reason, consumer=consumer
    )
    envelope = Envelope[MessageDeadLettered](
        message_id=uuid.uuid5(_IDS, f"MessageDeadLettered|{topic}|{partition}|{offset}"),
        type=payload.kind,
        occurred_at=now,
        producer=PRODUCER,
        payload=payload,
    )
    return _outbox(topics.DEAD_LETTER.name, f"{topic}|{partition}|{offset}", envelope, None, now)
