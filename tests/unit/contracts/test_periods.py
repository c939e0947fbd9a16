from __future__ import annotations

from datetime import date

import pytest
from pydantic import TypeAdapter, ValidationError

from dantoc_contracts.periods import Period, PeriodStr, PeriodType


@pytest.mark.parametrize(
    ("text", "period_type", "start", "end"),
    [
        ("2024", PeriodType.YEAR, date(2024, 1, 1), date(2024, 12, 31)),
        ("2024S1", PeriodType.SEMESTER, date(2024, 1, 1), date(2024, 6, 30)),
        ("2024S2", PeriodType.SEMESTER, date(2024, 7, 1), date(2024, 12, 31)),
        ("2024Q3", PeriodType.QUARTER, date(2024, 7, 1), date(2024, 9, 30)),
        ("2024Q1", PeriodType.QUARTER, date(2024, 1, 1), date(2024, 3, 31)),
        ("202402", PeriodType.MONTH, date(2024, 2, 1), date(2024, 2, 29)),
        ("202502", PeriodType.MONTH, date(2025, 2, 1), date(2025, 2, 28)),
        ("202512", PeriodType.MONTH, date(2025, 12, 1), date(2025, 12, 31)),
    ],
)
def test_period_parses_with_its_dates(text: str, period_type: PeriodType, start: date, end: date) -> None:
    period = Period.parse(text)
    assert (period.type, period.start, period.end, str(period)) == (period_type, start, end, text)


@pytest.mark.parametrize("text", ["24", "2024S3", "2024Q5", "202413", "202400", "2024-07", "2024H1", "", "0999"])
def test_malformed_period_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="malformed period"):
        Period.parse(text)
    with pytest.raises(ValidationError):
        TypeAdapter(PeriodStr).validate_python(text)


def test_periods_order_by_year_then_type() -> None:
    assert Period.parse("2023") < Period.parse("2024")
