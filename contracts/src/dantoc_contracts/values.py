"""Accepted value changes (topic `values.accepted`) and rejections (topic `submissions.rejected`)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from dantoc_contracts.bounds import NO_DATA_REASON_WIDTH, BoundedDecimal, CodeText, IdText
from dantoc_contracts.codes import EthnicGroupRef, IndicatorCode, UnitCode
from dantoc_contracts.periods import PeriodStr
from dantoc_contracts.problems import ProblemItem
from dantoc_contracts.submissions import Disaggregation


class CellValue(BaseModel):
    """A cell's content: a number, or 'no data' with a reason."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    value: BoundedDecimal | None = Field(default=None, description="The number; null for no data.")
    no_data: bool = False
    no_data_reason: str | None = Field(default=None, max_length=NO_DATA_REASON_WIDTH)


class CellChange(BaseModel):
    """One changed cell: its new content, the previous one (null on first report) and its revision."""

    model_config = ConfigDict(extra="ignore")

    indicator: IndicatorCode
    disaggregation: Disaggregation = Field(description="Canonical breakdown (ethnic codes in GSO 1979).")
    original_ethnic_group: EthnicGroupRef | None = Field(
        default=None, description="The ethnic group as submitted, when it was in another list."
    )
    new: CellValue
    previous: CellValue | None = None
    revision: int = Field(ge=1, description="Revision number of the cell, 1 for the first report.")


class ValuesAccepted(BaseModel):
    """The cells a submission changed (unchanged cells are not sent). Key = unit code."""

    model_config = ConfigDict(extra="ignore")

    kind: Literal["ValuesAccepted"] = "ValuesAccepted"
    submission_id: IdText
    agency: CodeText
    unit_code: UnitCode
    period: PeriodStr
    accepted_at: datetime = Field(description="When ingest accepted the submission (UTC).")
    changes: list[CellChange]


class SubmissionRejected(BaseModel):
    """A rejected submission with every problem found. Key = unit code (or `unknown`)."""

    model_config = ConfigDict(extra="ignore")

    kind: Literal["SubmissionRejected"] = "SubmissionRejected"
    submission_id: str
    agency: str
    unit_code: str
    period: str
    rejected_at: datetime
    problems: list[ProblemItem] = Field(description="The first problems found (at most `MAX_PROBLEMS_IN_EVENT`).")
    problem_count: int | None = Field(
        default=None, description="How many problems were found in all (more than listed when the list was cut)."
    )
    dry_run: bool = Field(
        default=False, description="True when this is the report of a dry run (nothing was stored or accepted)."
    )


class MessageDeadLettered(BaseModel):
    """A record a consumer or relay set aside (unreadable, or failing for what it holds), with its bytes and reason."""

    model_config = ConfigDict(extra="ignore")

    kind: Literal["MessageDeadLettered"] = "MessageDeadLettered"
    source_topic: str
    partition: int
    offset: int
    key_b64: str | None = Field(default=None, description="Original key, base64.")
    value_b64: str = Field(description="Original value bytes, base64 (the first bytes only when `value_truncated`).")
    value_truncated: bool = Field(default=False, description="True when the record was too large to carry whole.")
    value_bytes: int | None = Field(default=None, description="Size of the original value in bytes.")
    reason: str = Field(description="Why it could not be read or applied.")
    consumer: str = Field(description="Consumer group that dead-lettered it.")
