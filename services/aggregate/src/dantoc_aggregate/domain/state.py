"""The state of one aggregate and how a batch delta changes it; the value under each aggregation rule.

Definitions (documented in the README):
- SUM: sum of the contributing cells. LAST (stocks such as population): within a period a unit's cell holds its
  latest revision, and across places LAST sums, so it rolls up exactly like SUM.
- AVERAGE: kept as sum and count; value = sum / count.
- MIN / MAX: the extreme of the contributing cells; when the current extreme is retracted it is found again from
  the stored cells (`needs_recount`).
- NONE: only the reporting unit's own cells, as reported (count 1), nothing above it.
- FORMULA: numerator and denominator are the aggregates of two other indicators at the same unit, period and
  subset; value = numerator / denominator × factor, null while either side is missing or the denominator is 0.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Context, Decimal

from dantoc_aggregate.domain.fold import ZERO, Delta, higher, lower
from dantoc_contracts.catalog import Aggregation

_AVERAGE, _MIN, _MAX = Aggregation.AVERAGE, Aggregation.MIN, Aggregation.MAX  # enum member look-ups are slow
_EXTREMES = (_MIN, _MAX)
_TOTALS = (Aggregation.SUM, Aggregation.LAST)

DIVISION = Context(prec=28)
"""Quotients (averages, formulas) are computed in this context, so every computation of them is identical."""


@dataclass(slots=True)
class AggregateState:
    """One aggregate: indicator × unit × period × disaggregation subset."""

    indicator: str
    unit: str
    period: str
    dkey: str
    aggregation: Aggregation
    total: Decimal = ZERO
    count: int = 0
    low: Decimal | None = None
    high: Decimal | None = None
    reported: int = 0
    no_data: int = 0
    expected: int | None = None
    newest_us: int = 0
    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    newest_submission_id: str | None = field(default=None, compare=False)
    needs_recount: bool = field(default=False, compare=False)

    def snapshot(self) -> tuple[object, ...]:
        """Everything an event shows; two states with equal snapshots need no new event."""
        return (
            self.aggregation,
            self.value,
            self.numerator,
            self.denominator,
            self.count,
            self.reported,
            self.no_data,
            self.expected,
            self.newest_us,
        )

    def apply(self, delta: Delta) -> None:
        """Add a batch delta; mark `needs_recount` when a retracted contribution may have been the extreme. The
        submission id is the batch's newest contribution's (the `correlation_id` of the event this batch makes)."""
        if delta.newest_us > self.newest_us:
            self.newest_us = delta.newest_us
        if delta.newest_id is not None:
            self.newest_submission_id = delta.newest_id
        self.reported += delta.reported
        self.no_data += delta.no_data
        self.total += delta.total
        self.count += delta.count
        if self.count == 0:
            self.total, self.low, self.high = ZERO, None, None
        elif self.aggregation in _EXTREMES:
            self._move_extremes(delta)
        if self.aggregation in _TOTALS:  # SUM, LAST
            self.value = self.total if self.count else None
        else:
            self.value = value_of(self.aggregation, self.total, self.count, self.low, self.high)

    def _move_extremes(self, delta: Delta) -> None:
        low_lost = delta.drop_low is not None and self.low is not None and delta.drop_low <= self.low
        high_lost = delta.drop_high is not None and self.high is not None and delta.drop_high >= self.high
        if low_lost or high_lost:
            self.needs_recount = True
        else:
            self.low, self.high = lower(self.low, delta.add_low), higher(self.high, delta.add_high)

    def recounted(self, low: Decimal | None, high: Decimal | None) -> None:
        """Set the extremes found again from the stored cells."""
        self.low, self.high, self.needs_recount = low, high, False
        self.value = value_of(self.aggregation, self.total, self.count, self.low, self.high)


def value_of(
    aggregation: Aggregation, total: Decimal, count: int, low: Decimal | None, high: Decimal | None
) -> Decimal | None:
    """The aggregate's value under its rule (FORMULA is computed by `formula_value`)."""
    if count == 0:
        return None
    if aggregation is _AVERAGE:
        return DIVISION.divide(total, Decimal(count))
    if aggregation is _MIN:
        return low
    return high if aggregation is _MAX else total


def formula_value(numerator: Decimal | None, denominator: Decimal | None, factor: Decimal) -> Decimal | None:
    """numerator / denominator × factor; null while a side is missing or the denominator is zero."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    return DIVISION.divide(DIVISION.multiply(numerator, factor), denominator)
