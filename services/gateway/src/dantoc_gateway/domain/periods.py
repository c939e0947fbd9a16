"""Period arithmetic the queries need: ranges, and the SDMX spelling of a period."""

from __future__ import annotations

from dantoc_contracts.periods import Period, PeriodType

_PER_YEAR = {PeriodType.YEAR: 1, PeriodType.SEMESTER: 2, PeriodType.QUARTER: 4, PeriodType.MONTH: 12}


def following(period: Period) -> Period:
    if period.index < _PER_YEAR[period.type]:
        return Period(period.year, period.type, period.index + 1)
    return Period(period.year + 1, period.type, 1)


def span(first: Period, last: Period, limit: int) -> list[Period] | None:
    """Every period from `first` to `last` inclusive (same type), or None when longer than `limit`."""
    periods = [first]
    while periods[-1] < last:
        if len(periods) >= limit:
            return None
        periods.append(following(periods[-1]))
    return periods


def sdmx_period(period: str) -> str:
    """`2024` → `2024`, `2024S1` → `2024-S1`, `2024Q3` → `2024-Q3`, `202407` → `2024-07`."""
    parsed = Period.parse(period)
    if parsed.type is PeriodType.YEAR:
        return str(parsed.year)
    if parsed.type is PeriodType.MONTH:
        return f"{parsed.year}-{parsed.index:02d}"
    return f"{parsed.year}-{period[4:]}"


PERIOD_TYPE_VI = {
    PeriodType.YEAR: "năm",
    PeriodType.SEMESTER: "nửa năm",
    PeriodType.QUARTER: "quý",
    PeriodType.MONTH: "tháng",
}
