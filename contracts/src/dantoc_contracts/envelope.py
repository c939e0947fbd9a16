"""The envelope every Kafka message travels in: who produced what, when, in which schema version."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

PayloadT = TypeVar("PayloadT")


def utc_now() -> datetime:
    return datetime.now(UTC)


class Envelope(BaseModel, Generic[PayloadT]):
    """Message header plus payload. Consumers ignore fields they do not know (schema changes are additive)."""

    model_config = ConfigDict(extra="ignore")

    message_id: uuid.UUID = Field(default_factory=uuid.uuid4, description="Unique id of this message.")
    type: str = Field(description="Payload type, equal to the payload's `kind` (past tense for events).")
    schema_version: int = Field(default=1, ge=1, description="Version of the payload schema within the topic.")
    occurred_at: datetime = Field(default_factory=utc_now, description="When the event happened (UTC).")
    producer: str = Field(description="Service (and instance) that produced the message, e.g. `catalog`.")
    correlation_id: str | None = Field(
        default=None, description="Id carried across services for tracing, usually the submission id."
    )
    payload: PayloadT = Field(description="The message body; its shape depends on `type`.")

    @model_validator(mode="before")
    @classmethod
    def _type_from_payload(cls, data: Any) -> Any:
        if isinstance(data, dict) and "type" not in data:
            payload = data.get("payload")
            kind = getattr(payload, "kind", None) or (payload.get("kind") if isinstance(payload, dict) else None)
            if kind:
                data = {**data, "type": kind}
        return data

    @model_validator(mode="after")
    def _type_matches_payload(self) -> Envelope[PayloadT]:
        kind = getattr(self.payload, "kind", None)
        if kind is not None and kind != self.type:
            raise ValueError(f"envelope type {self.type!r} does not match payload kind {kind!r}")
        return self
