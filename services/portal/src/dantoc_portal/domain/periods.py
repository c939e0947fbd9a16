"""The periods a unit reports: the recent years (and their quarters for quarterly indicators) while the unit exists.

A legacy commune (valid until 2025-06-30) reports 2024 and the quarters up to 2025Q2; a current commune (from
2025-07-01) reports from 2025. A period belongs to the map of its last day (as ingest and the gateway decide)."""

from __future__ import annotations

from datetime import date

from dantoc_contracts.periods import Period

YEARS_BACK = 3


def valid_on(day: date, valid_from: date | None, valid_to: date | None) -> bool:
    return (valid_from is None or valid_from <= day) and (valid_to is None or day <= valid_to)


def reporting_periods(
    today: date, valid_from: date | None, valid_to: date | None, *, quarterly: bool = False
) -> list[str]:
    """Newest first (a year before its quarters): the years from `today`'s back YEARS_BACK (and their quarters)
    that have started and whose last day the unit is valid on (a legacy unit: those before the reform)."""
    out: list[str] = []
    for year in range(today.year, today.year - YEARS_BACK - 1, -1):
        candidates = [f"{year}"] + ([f"{year}Q{q}" for q in (4, 3, 2, 1)] if quarterly else [])
        for text in candidates:
            period = Period.parse(text)
            if period.start <= today and valid_on(period.end, valid_from, valid_to):
                out.append(text)
    return sorted(out, key=lambda p: (Period.parse(p).end, -len(p)), reverse=True)


def previous_period(text: str) -> str:
    """The period before: 2023 for 2024, 2024Q4 for 2025Q1, 202406 for 202407, 2024S2 for 2025S1."""
    period = Period.parse(text)
    suffix = text[4:]
    if not suffix:
        return str(period.year - 1)
    kind, count = (suffix[0], {"S": 2, "Q": 4}[suffix[0]]) if suffix[0] in "SQ" else ("", 12)
    if period.index > 1:
        return f"{period.year}{kind}{period.index - 1}" if kind else f"{period.year}{period.index - 1:02d}"
    return f"{period.year - 1}{kind}{count}" if kind else f"{period.year - 1}12"
