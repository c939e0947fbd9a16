"""Read the current aggregates of one indicator, unit and period (every disaggregation subset).

Operators only: every route needs a national bearer token (401 without a valid one, 403 for another role)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Path
from pydantic import BaseModel, Field

from dantoc_aggregate.api.deps import NationalDep, UowDep
from dantoc_aggregate.api.problems import MEDIA_TYPE
from dantoc_aggregate.services.queries import aggregates_at
from dantoc_contracts.codes import INDICATOR_CODE_PATTERN, UNIT_CODE_PATTERN
from dantoc_contracts.periods import PERIOD_PATTERN

router = APIRouter(prefix="/aggregates", tags=["aggregates"])


class AggregateOut(BaseModel):
    """One aggregate as the API shows it."""

    disaggregation: str = Field(description="Disaggregation key: ethnic|sex|age|residence, `_T` for totals.")
    aggregation: str = Field(examples=["SUM"])
    value: Decimal | None = Field(examples=["1250"])
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    count: int = Field(description="Contributing reporting cells.")
    reported: int = Field(description="Reporting units below that reported a value (all-totals subset).")
    no_data: int = Field(description="Reporting units below that declared no data (all-totals subset).")
    expected: int | None = Field(default=None, description="Reporting units expected (all-totals subset).")


IndicatorPath = Annotated[str, Path(pattern=INDICATOR_CODE_PATTERN, examples=["0101"])]
UnitPath = Annotated[str, Path(pattern=UNIT_CODE_PATTERN, examples=["VN"])]
PeriodPath = Annotated[str, Path(pattern=PERIOD_PATTERN, examples=["2024"])]


_PROBLEM: dict[str, Any] = {"content": {MEDIA_TYPE: {}}}


@router.get(
    "/{indicator}/{unit}/{period}",
    responses={
        401: {"description": "No valid bearer token.", **_PROBLEM},
        403: {"description": "Not a national token.", **_PROBLEM},
    },
)
async def read_aggregates(
    indicator: IndicatorPath, unit: UnitPath, period: PeriodPath, uow: UowDep, _caller: NationalDep
) -> list[AggregateOut]:
    """Every disaggregation subset of one indicator at one unit for one period, as currently aggregated."""
    rows = await aggregates_at(uow=uow, indicator=indicator, unit=unit, period=period)
    return [
        AggregateOut(
            disaggregation=r.dkey,
            aggregation=r.aggregation,
            value=r.value,
            numerator=r.numerator,
            denominator=r.denominator,
            count=r.count,
            reported=r.reported,
            no_data=r.no_data,
            expected=r.expected,
        )
        for r in rows
    ]
