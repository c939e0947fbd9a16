"""HTTP request and response bodies. Requests are lenient on purpose (codes as text, the value as sent) so that
every fault is reported by the checks with its place and a bilingual message, not by the first parse error."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from dantoc_contracts.bounds import (
    AGENCY_CODE_WIDTH,
    CODE_WIDTH,
    COMMENT_WIDTH,
    DECIMAL_TEXT_WIDTH,
    NO_DATA_REASON_WIDTH,
    SUBMISSION_ID_WIDTH,
)
from dantoc_contracts.problems import ProblemItem
from dantoc_contracts.submissions import SubmissionSource
from dantoc_ingest.domain.model import Draft, DraftValue
from dantoc_ingest.services.reports import SubmissionReport, ValueReport

_IN = ConfigDict(extra="forbid", coerce_numbers_to_str=True)
EXAMPLE: dict[str, Any] = {
    "submission_id": "BDT-02-00715-2024-001",
    "agency": "BDT-02",
    "unit_code": "00715",
    "period": "2024",
    "source": "entry",
    "comment": "Số liệu rà soát cuối năm",
    "values": [
        {
            "indicator": "0101",
            "disaggregation": {"ethnic_group": {"code_list": "GSO1979", "code": "02"}, "sex": "2"},
            "value": "1520",
        },
        {"indicator": "0604", "no_data": True, "no_data_reason": "Chưa tổ chức điều tra"},
    ],
}


class EthnicGroupIn(BaseModel):
    model_config = _IN
    code_list: str | None = Field(default=None, description="GSO1979 or GSO2008.", examples=["GSO1979"])
    code: str | None = Field(default=None, description="Two-digit code in that list.", examples=["02"])


class DisaggregationIn(BaseModel):
    model_config = _IN
    ethnic_group: EthnicGroupIn | None = None
    sex: str | None = Field(default=None, description="Code of the `sex` list (1 male, 2 female).")
    age_group: str | None = Field(default=None, description="Code of the `age_group` list, e.g. Y15T19.")
    residence: str | None = Field(default=None, description="Code of the `residence` list (1 urban, 2 rural).")


class DataValueIn(BaseModel):
    model_config = _IN
    indicator: str = Field(max_length=CODE_WIDTH, description="Indicator code, e.g. 0101.")
    disaggregation: DisaggregationIn = Field(default_factory=DisaggregationIn, description="Null dimensions: total.")
    value: Annotated[str, StringConstraints(max_length=DECIMAL_TEXT_WIDTH)] | Decimal | None = Field(
        default=None,
        description="The number: a JSON number or a decimal string (no exponent notation), below 10^15 with at "
        "most 6 decimals.",
    )
    no_data: bool = Field(default=False, description="True to declare 'no data' (with a reason) instead.")
    no_data_reason: str | None = Field(default=None, max_length=NO_DATA_REASON_WIDTH * 2)  # checked: 500 after NFC

    def to_draft(self) -> DraftValue:
        d, ethnic = self.disaggregation, self.disaggregation.ethnic_group
        return DraftValue(
            indicator=self.indicator,
            value=self.value,
            no_data=self.no_data,
            no_data_reason=self.no_data_reason,
            ethnic_code_list=ethnic.code_list if ethnic else None,
            ethnic_code=ethnic.code if ethnic else None,
            sex=d.sex,
            age_group=d.age_group,
            residence=d.residence,
        )


class SubmissionIn(BaseModel):
    """A data value set: one unit, one period, its values. The same `submission_id` sent again changes nothing."""

    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True, json_schema_extra={"examples": [EXAMPLE]})
    submission_id: str = Field(
        min_length=1,
        max_length=SUBMISSION_ID_WIDTH,
        pattern=r"^[^\x00-\x20\x7f]+$",
        description="Client-chosen id, for idempotency (no spaces or control characters).",
    )
    agency: str = Field(min_length=1, max_length=AGENCY_CODE_WIDTH, description="Code of the reporting agency.")
    unit_code: str = Field(max_length=20, description="Administrative unit code (2, 3 or 5 digits, or VN).")
    period: str = Field(max_length=20, description="2024, 2024S1, 2024Q3 or 202407.")
    source: SubmissionSource = SubmissionSource.ENTRY
    comment: str | None = Field(default=None, max_length=COMMENT_WIDTH)
    values: list[DataValueIn]

    def to_draft(self) -> Draft:
        return Draft(
            submission_id=self.submission_id,
            agency=self.agency,
            unit_code=self.unit_code,
            period=self.period,
            values=[v.to_draft() for v in self.values],
            source=self.source.value,
            comment=self.comment,
        )


class BulkIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"submissions": [EXAMPLE]}]})
    submissions: list[SubmissionIn] = Field(min_length=1, description="Each is accepted or rejected on its own.")


class SubmissionOut(BaseModel):
    """What ingest decided: every value's outcome when accepted, every problem when rejected."""

    submission_id: str
    status: Literal["received", "accepted", "rejected", "published"] = Field(
        description="received (queued), accepted (stored, event not yet published), rejected, published."
    )
    dry_run: bool = Field(description="True when nothing was stored (a dry run).")
    agency: str
    unit_code: str
    period: str
    channel: str
    received_at: datetime
    decided_at: datetime | None = None
    published_at: datetime | None = Field(default=None, description="When its event reached Kafka.")
    value_count: int
    changed_count: int
    unchanged_count: int
    problems: list[ProblemItem]
    values: list[ValueReport]

    @classmethod
    def of(cls, report: SubmissionReport, published_at: datetime | None = None) -> SubmissionOut:
        status = "published" if published_at is not None and report.status == "accepted" else report.status.value
        fields = {name: getattr(report, name) for name in SubmissionReport.model_fields}
        return cls.model_construct(**{**fields, "status": status, "published_at": published_at})  # already valid


class BulkOut(BaseModel):
    accepted: int
    rejected: int
    received: int = 0
    results: list[SubmissionOut]
