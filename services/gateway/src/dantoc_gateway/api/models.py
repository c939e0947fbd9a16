"""API models: the JSON the routes answer with (documentation and schema; rendering is in `formats`)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Status = Literal["reported", "no_data", "silent"]


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Counts(_Out):
    expected: int = Field(description="Reporting units expected (from the catalog).", examples=[12])
    reported: int = Field(description="Units that reported a value.", examples=[9])
    no_data: int = Field(description="Units that declared 'no data'.", examples=[1])
    silent: int = Field(description="Units that sent nothing.", examples=[2])


class Observation(_Out):
    """One figure of the read model."""

    indicator: str = Field(examples=["0401"])
    unit_code: str = Field(examples=["02"])
    unit_name: str = Field(description="Unit name on the period's map, with its type.", examples=["Tỉnh Hà Giang"])
    unit_level: str | None = Field(examples=["province"])
    period: str = Field(examples=["2024"])
    ethnic_group: str = Field(description="Code in the requested list; `_T` total.", examples=["08"])
    sex: str = Field(examples=["_T"])
    age_group: str = Field(examples=["_T"])
    residence: str = Field(examples=["_T"])
    value: float | None = Field(description="The figure; null when nothing contributes.", examples=[15234])
    numerator: float | None = Field(description="Aggregated numerator (formula indicators).", examples=[None])
    denominator: float | None = Field(description="Aggregated denominator (formula indicators).", examples=[None])
    aggregation: str | None = Field(examples=["LAST"])
    count: int | None = Field(description="Contributing reporting cells.", examples=[185])
    completeness: Counts | None = Field(description="Completeness of the figure (its all-totals subset).")
    computed_at: datetime | None = Field(description="When the aggregate service computed it.")
    updated_at: datetime = Field(description="When the gateway's read model received it (change-feed time).")


class Names(_Out):
    name_vi: str = Field(examples=["Nam"])
    name_en: str = Field(examples=["Male"])


class IndicatorNames(Names):
    unit_vi: str = Field(examples=["Hộ"])
    unit_en: str = Field(examples=["households"])
    group_code: str = Field(examples=["04"])


class Labels(_Out):
    """Names of the codes used in the answer, in Vietnamese and English."""

    indicators: dict[str, IndicatorNames]
    ethnic_groups: dict[str, Names]
    sex: dict[str, Names]
    age_group: dict[str, Names]
    residence: dict[str, Names]


class Access(_Out):
    role: str = Field(examples=["provincial"])
    scope: str = Field(
        description="National and provincial roles: the unit whose subtree the caller may see on each period's map "
        "(plus what the catalog's 2025 conversion connects it to). The agency role: the token's scope, not used "
        "for reading (see `units`).",
        examples=["02"],
    )
    note: str | None = Field(description="How access was derived, for the agency role.")
    agency: str | None = Field(default=None, description="The agency role: the agency code.", examples=[None])
    units: list[str] | None = Field(
        default=None,
        description="The agency role: exactly the units the agency has submitted values for (what it may see).",
        examples=[None],
    )


class Meta(_Out):
    page: int = Field(examples=[1])
    page_size: int = Field(examples=[1000])
    total: int = Field(description="Figures matching the query (all pages).", examples=[63])
    pages: int = Field(examples=[1])
    next: str | None = Field(description="URL of the next page, if any.")
    ethnic_code_list: str = Field(examples=["GSO1979"])
    generated_at: datetime
    access: Access


class UnitRef(_Out):
    code: str = Field(examples=["02"])
    name: str = Field(examples=["Tỉnh Hà Giang"])


class Child(_Out):
    period: str = Field(examples=["2024"])
    code: str = Field(examples=["026"])
    name: str = Field(examples=["Huyện Đồng Văn"])
    level: str = Field(examples=["district"])


class Figures(_Out):
    meta: Meta
    labels: Labels
    observations: list[Observation]


class Drilldown(Figures):
    parent: UnitRef
    children: list[Child] | None = Field(description="Direct children per period, with or without figures.")


class Change(Observation):
    action: Literal["upsert", "delete"] = Field(description="Replace the figure, or delete it.")


class ChangesMeta(_Out):
    page_size: int
    next: str | None = Field(description="URL of the next page (same feed, after the last change shown).")
    next_cursor: str | None
    last_updated: datetime | None = Field(description="Change time of the last change scanned: the next updatedAfter.")
    ethnic_code_list: str
    generated_at: datetime
    access: Access


class Changes(_Out):
    meta: ChangesMeta
    labels: Labels
    changes: list[Change]


class IndicatorCompleteness(Counts):
    code: str = Field(examples=["0401"])
    name_vi: str
    name_en: str
    lowest_level: str = Field(examples=["commune"])


class GroupCompleteness(Counts):
    code: str = Field(examples=["04"])
    name_vi: str
    name_en: str
    indicators: list[IndicatorCompleteness]


class UnitCompleteness(_Out):
    code: str = Field(examples=["00715"])
    name: str = Field(examples=["Xã Lũng Cú"])
    level: str = Field(examples=["commune"])
    parent_code: str | None
    reported: int
    no_data: int
    silent: int
    groups: dict[str, Counts] = Field(description="Status counts of the unit per indicator group.")
    indicators: dict[str, Status] = Field(description="Status per indicator reported at the unit's level.")


class Completeness(_Out):
    meta: Meta
    unit: UnitRef
    period: str
    summary: Counts = Field(description="All (unit, indicator) pairs expected below the unit.")
    groups: list[GroupCompleteness]
    units: list[UnitCompleteness]


class Health(_Out):
    status: Literal["ok"]


class FeedState(_Out):
    topic: str
    caught_up: bool
    lag: int = Field(description="Messages on the topic not yet applied.")
    error: str | None


class Ready(_Out):
    status: Literal["ready"]
    database: bool
    broker: bool
    catalog: FeedState
    aggregates: FeedState
    values: FeedState = Field(description="The accepted-values feed (which agency submitted for which unit).")
