"""A submission: a data value set for one unit and period (HTTP body and `submissions` topic payload)."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from dantoc_contracts.bounds import (
    AGENCY_CODE_WIDTH,
    COMMENT_WIDTH,
    MAX_VALUES_PER_SUBMISSION,
    NO_DATA_REASON_WIDTH,
    BoundedDecimal,
    CodeText,
    IdText,
)
from dantoc_contracts.codes import TOTAL, EthnicGroupRef, IndicatorCode, NfcStr, UnitCode
from dantoc_contracts.periods import PeriodStr


class SubmissionSource(StrEnum):
    ENTRY = "entry"
    FILE = "file"
    SURVEY = "survey"
    SYSTEM = "system"


class Disaggregation(BaseModel):
    """The breakdown of a value; a dimension left null is not broken down (the total)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    ethnic_group: EthnicGroupRef | None = Field(default=None, description="Ethnic group (list and code).")
    sex: CodeText | None = Field(default=None, description="Code from the `sex` list (1 male, 2 female).")
    age_group: CodeText | None = Field(default=None, description="Code from the `age_group` list.")
    residence: CodeText | None = Field(default=None, description="Code from the `residence` list (1 urban, 2 rural).")

    def key(self) -> str:
        """Stable key: the four dimensions in order, `_T` for a total, joined by `|`."""
        ethnic = self.ethnic_group.key() if self.ethnic_group else TOTAL
        return "|".join((ethnic, self.sex or TOTAL, self.age_group or TOTAL, self.residence or TOTAL))


class DataValue(BaseModel):
    """One cell: an indicator with its disaggregation and either a number or an explicit 'no data'."""

    model_config = ConfigDict(extra="forbid")

    indicator: IndicatorCode
    disaggregation: Disaggregation = Field(default_factory=Disaggregation)
    value: BoundedDecimal | None = Field(default=None, description="The number; null when `no_data` is true.")
    no_data: bool = Field(default=False, description="True when the agency declares it has no data.")
    no_data_reason: NfcStr | None = Field(
        default=None, max_length=NO_DATA_REASON_WIDTH, description="Why there is no data (required with no_data)."
    )


class DataValueSet(BaseModel):
    """A submission. `submission_id` is chosen by the client: sending the same id again changes nothing."""

    model_config = ConfigDict(extra="forbid")

    submission_id: IdText = Field(description="Client-chosen id, for idempotency (no spaces, at most 100 characters).")
    agency: CodeText = Field(max_length=AGENCY_CODE_WIDTH, description="Code of the reporting agency.")
    unit_code: UnitCode
    period: PeriodStr
    source: SubmissionSource = SubmissionSource.ENTRY
    comment: NfcStr | None = Field(default=None, max_length=COMMENT_WIDTH)
    values: list[DataValue] = Field(max_length=MAX_VALUES_PER_SUBMISSION, description="The cells reported.")


class SubmissionRequested(BaseModel):
    """Payload on the submissions topic: an agency system asks for a data value set to be accepted."""

    model_config = ConfigDict(extra="ignore")

    kind: Literal["SubmissionRequested"] = "SubmissionRequested"
    submission: DataValueSet
    dry_run: bool = Field(default=False, description="Run every check, accept nothing.")
