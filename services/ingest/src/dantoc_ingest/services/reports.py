"""The answer to a submission, stored with it so that a resend gets exactly the same answer."""

from __future__ import annotations

import hashlib
from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field

from dantoc_contracts.problems import ProblemItem
from dantoc_ingest.domain.model import Draft
from dantoc_ingest.domain.revisions import Outcome, Plan


class Status(StrEnum):
    RECEIVED = "received"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class ValueReport(BaseModel):
    value_index: int = Field(description="0-based index in the submission's values.")
    indicator: str
    disaggregation_key: str = Field(description="Canonical disaggregation key (ethnic codes in GSO 1979).")
    outcome: Outcome = Field(description="created, updated, retracted, deleted or unchanged.")
    revision: int = Field(description="The cell's revision after this submission.")


class SubmissionReport(BaseModel):
    """What ingest decided about a submission, with every problem or every value's outcome."""

    submission_id: str
    status: Status
    dry_run: bool = False
    agency: str
    unit_code: str
    period: str
    channel: str
    received_at: datetime
    decided_at: datetime | None = None
    value_count: int = 0
    changed_count: int = 0
    unchanged_count: int = 0
    problems: list[ProblemItem] = Field(default_factory=list)
    values: list[ValueReport] = Field(default_factory=list)


def fingerprint(draft: Draft) -> str:
    """A hash of the submission's content (its place in a file excluded), to tell a resend from a reuse of its id."""
    parts = [draft.submission_id, draft.agency, draft.unit_code, draft.period, draft.source, draft.comment or ""]
    for v in draft.values:
        fields = (
            v.indicator,
            v.value,
            v.no_data,
            v.no_data_reason,
            v.ethnic_code_list,
            v.ethnic_code,
            v.sex,
            v.age_group,
            v.residence,
            v.action.value,
        )
        parts.append("\x1f".join("" if f is None else str(f) for f in fields))
    return hashlib.sha256("\x1e".join(parts).encode()).hexdigest()


def value_reports(plan: Plan) -> list[ValueReport]:
    return [
        ValueReport.model_construct(
            value_index=o.index,
            indicator=o.indicator,
            disaggregation_key=o.disaggregation_key,
            outcome=o.outcome,
            revision=o.revision,
        )
        for o in plan.outcomes
    ]


def header(draft: Draft, channel: str, received_at: datetime) -> dict[str, Any]:
    return {
        "submission_id": draft.submission_id,
        "agency": draft.agency,
        "unit_code": draft.unit_code,
        "period": draft.period,
        "channel": channel,
        "received_at": received_at,
    }
