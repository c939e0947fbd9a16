"""Aggregate changes on the compacted `aggregates` topic. Key = `indicator|unit|period|disaggregation key`."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from dantoc_contracts.catalog import Aggregation
from dantoc_contracts.codes import IndicatorCode, UnitCode, UnitLevel
from dantoc_contracts.periods import PeriodStr
from dantoc_contracts.submissions import Disaggregation


class Completeness(BaseModel):
    """Reporting units below a unit for an indicator and period: expected, reported, no data, silent."""

    model_config = ConfigDict(extra="ignore")

    expected: int = Field(ge=0, description="Reporting units expected (from the catalog).")
    reported: int = Field(ge=0, description="Units that reported a value.")
    no_data: int = Field(ge=0, description="Units that declared 'no data'.")
    silent: int = Field(ge=0, description="Units that sent nothing.")


class AggregateChanged(BaseModel):
    """The current aggregate of one indicator × unit × period × disaggregation subset."""

    model_config = ConfigDict(extra="ignore")

    kind: Literal["AggregateChanged"] = "AggregateChanged"
    indicator: IndicatorCode
    unit_code: UnitCode
    unit_level: UnitLevel
    period: PeriodStr
    disaggregation: Disaggregation = Field(description="Null dimensions are totals.")
    aggregation: Aggregation
    value: Decimal | None = Field(description="The aggregate; null when nothing contributes.")
    numerator: Decimal | None = Field(default=None, description="Aggregated numerator (formula indicators).")
    denominator: Decimal | None = Field(default=None, description="Aggregated denominator (formula indicators).")
    count: int = Field(ge=0, description="Number of contributing reporting cells.")
    completeness: Completeness | None = Field(default=None, description="Set on the all-totals subset.")
    newest_accepted_at: datetime | None = Field(description="Accepted time of the newest contribution.")
    computed_at: datetime = Field(description="When this aggregate was computed (UTC).")


AGGREGATE_KEY_PARTS = 7
"""An aggregate key `indicator|unit|period|ethnic|sex|age|residence` (also the aggregates topic's record key)."""


def aggregate_key(indicator: str, unit_code: str, period: str, disaggregation: Disaggregation) -> str:
    return aggregate_key_of(indicator, unit_code, period, disaggregation.key())


def aggregate_key_of(indicator: str, unit_code: str, period: str, disaggregation_key: str) -> str:
    """The aggregate key from a disaggregation key already joined (`Disaggregation.key()`, four parts)."""
    return f"{indicator}|{unit_code}|{period}|{disaggregation_key}"


def split_aggregate_key(key: str) -> tuple[str, ...]:
    """The seven parts of an aggregate key; ValueError when it has another shape or an empty part."""
    parts = tuple(key.split("|"))
    if len(parts) != AGGREGATE_KEY_PARTS or not all(parts):
        raise ValueError(f"not an aggregate key: {key!r}")
    return parts
