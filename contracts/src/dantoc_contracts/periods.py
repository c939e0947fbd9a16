"""Reporting periods: `2024` (year), `2024S1` (semester), `2024Q3` (quarter), `202407` (month)."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, Field

PERIOD_PATTERN = r"^[0-9]{4}(S[12]|Q[1-4]|0[1-9]|1[0-2])?$"
"""A period as written, the whole string, ASCII digits (for path and query checks; `canonical_period` reads it)."""


class PeriodType(StrEnum):
    YEAR = "year"
    SEMESTER = "semester"
    QUARTER = "quarter"
    MONTH = "month"


_PATTERNS: tuple[tuple[PeriodType, re.Pattern[str]], ...] = (
    (PeriodType.YEAR, re.compile(r"([0-9]{4})")),
    (PeriodType.SEMESTER, re.compile(r"([0-9]{4})S([12])")),
    (PeriodType.QUARTER, re.compile(r"([0-9]{4})Q([1-4])")),
    (PeriodType.MONTH, re.compile(r"([0-9]{4})(0[1-9]|1[0-2])")),
)
_MONTHS_PER = {PeriodType.YEAR: 12, PeriodType.SEMESTER: 6, PeriodType.QUARTER: 3, PeriodType.MONTH: 1}


@dataclass(frozen=True, order=True)
class Period:
    """A parsed period with its first and last day."""

    year: int
    type: PeriodType
    index: int  # 1 for a year; semester, quarter or month number otherwise

    @classmethod
    def parse(cls, text: str) -> Period:
        for period_type, pattern in _PATTERNS:
            match = pattern.fullmatch(text)  # ASCII digits, the whole string: no `2024\n`, no `٢٠٢٤`
            if match:
                year = int(match.group(1))
                index = int(match.group(2)) if match.lastindex == 2 else 1
                if year < 1900:
                    break
                return cls(year, period_type, index)
        raise ValueError(
            f"malformed period {text!r}: expected YYYY, YYYYS1-2, YYYYQ1-4 or YYYYMM "
            "(e.g. 2024, 2024S1, 2024Q3, 202407)"
        )

    @property
    def start(self) -> date:
        months = _MONTHS_PER[self.type]
        return date(self.year, (self.index - 1) * months + 1, 1)

    @property
    def end(self) -> date:
        months = _MONTHS_PER[self.type]
        last_month = self.index * months
        return date(self.year, last_month, calendar.monthrange(self.year, last_month)[1])

    def __str__(self) -> str:
        suffix = {
            PeriodType.YEAR: "",
            PeriodType.SEMESTER: f"S{self.index}",
            PeriodType.QUARTER: f"Q{self.index}",
            PeriodType.MONTH: f"{self.index:02d}",
        }[self.type]
        return f"{self.year}{suffix}"


def canonical_period(text: str) -> str:
    """The canonical text of a period (what is stored and published); raises ValueError when malformed."""
    return str(Period.parse(text))


def _check_period(text: str) -> str:
    return canonical_period(text)


PeriodStr = Annotated[
    str,
    AfterValidator(_check_period),
    Field(
        max_length=7,
        description="Reporting period: `2024` (year), `2024S1` (semester), `2024Q3` (quarter) or `202407` (month).",
        examples=["2024", "2024S1", "2024Q3", "202407"],
    ),
]
