"""What one reporting group (a unit's cells for one indicator and period) contributes to each subset.

The rule, per subset S: among the group's value cells that lie inside S, only those of the *coarsest breakdown*
count (fewest given dimensions; ties broken by a fixed dimension order). So a total the unit reported itself wins
over the sum of its breakdown, and two separate breakdowns of the same people (by sex, and by ethnic group) are never
added together: no value is ever counted twice, whatever mix of cells a unit sends. Cells that say "no data" never
contribute; they only count in completeness.
"""

from __future__ import annotations

from decimal import Decimal
from enum import IntEnum
from typing import Any, NamedTuple

from dantoc_aggregate.domain.keys import shape
from dantoc_contracts.catalog import Aggregation

_NONE = Aggregation.NONE
_contribution = tuple.__new__  # builds the named tuple from a list without its (slower) generated constructor


class Contribution(NamedTuple):
    """A group's share of one subset: sum, number of cells, and the extremes among them."""

    total: Decimal
    cells: int
    low: Decimal
    high: Decimal


class GroupStatus(IntEnum):
    """Completeness state of a reporting group."""

    SILENT = 0
    NO_DATA = 1
    REPORTED = 2


def group_status(cells: dict[str, Decimal | None]) -> GroupStatus:
    """REPORTED with at least one value, NO_DATA with only "no data" cells, SILENT with none."""
    if not cells:
        return GroupStatus.SILENT
    if any(value is not None for value in cells.values()):
        return GroupStatus.REPORTED
    return GroupStatus.NO_DATA


def contributions(cells: dict[str, Decimal | None], aggregation: Aggregation) -> dict[str, Contribution]:
    """Contribution per subset key of a group's cells (key → value, None for "no data")."""
    if aggregation is _NONE:  # not rolled up: each reported cell stands alone
        return {dkey: Contribution(value, 1, value, value) for dkey, value in cells.items() if value is not None}
    best: dict[str, list[Any]] = {}  # subset → [rank, total, count, low, high] of the coarsest breakdown so far
    for dkey, value in cells.items():
        if value is None:
            continue
        rank, reached = shape(dkey)
        for subset in reached:
            held = best.get(subset)
            if held is None or rank < held[0]:
                best[subset] = [rank, value, 1, value, value]
            elif rank == held[0]:
                held[1] += value
                held[2] += 1
                if value < held[3]:
                    held[3] = value
                elif value > held[4]:
                    held[4] = value
    return {subset: _contribution(Contribution, held[1:]) for subset, held in best.items()}
