"""Envelope types per topic, with their TypeAdapters: how a consumer decodes and a producer encodes."""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter

from dantoc_contracts import topics
from dantoc_contracts.aggregates import AggregateChanged
from dantoc_contracts.catalog import CatalogPayload
from dantoc_contracts.envelope import Envelope
from dantoc_contracts.submissions import SubmissionRequested
from dantoc_contracts.values import MessageDeadLettered, SubmissionRejected, ValuesAccepted

CatalogEnvelope = Envelope[CatalogPayload]
SubmissionEnvelope = Envelope[SubmissionRequested]
ValuesAcceptedEnvelope = Envelope[ValuesAccepted]
RejectionEnvelope = Envelope[SubmissionRejected]
AggregateEnvelope = Envelope[AggregateChanged]
DeadLetterEnvelope = Envelope[MessageDeadLettered]

ENVELOPE_BY_TOPIC: dict[str, Any] = {
    topics.CATALOG.name: CatalogEnvelope,
    topics.SUBMISSIONS.name: SubmissionEnvelope,
    topics.VALUES_ACCEPTED.name: ValuesAcceptedEnvelope,
    topics.SUBMISSIONS_REJECTED.name: RejectionEnvelope,
    topics.AGGREGATES.name: AggregateEnvelope,
    topics.DEAD_LETTER.name: DeadLetterEnvelope,
}


def encode(envelope: Envelope[Any]) -> bytes:
    """Serialise an envelope to JSON bytes (decimals as strings, so values stay exact)."""
    return envelope.model_dump_json(exclude_none=False).encode()


def adapter(topic: str) -> TypeAdapter[Any]:
    return TypeAdapter(ENVELOPE_BY_TOPIC[topic])
