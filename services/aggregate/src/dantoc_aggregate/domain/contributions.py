"""What one reporting group (a unit's cells for one indicator and period) contributes to each subset.

The rule, per subset S: among the group's value cells that lie inside S, only those of the *coarsest breakdown*
count (fewest given dimensions; ties broken by a fixed dimension order). So a total the unit reported itself wins
over the sum of its breakdown, and two separate breakdowns of the same people (by sex, and by ethnic group) are never
added together: no value is ever counted twice, whatever mix of cells a unit sends. Cells that say "no data" never
contribute; they only count in completeness.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import IntEnum

from dantoc_aggregate.domain.keys import breakdown_rank, dims_mask, subsets
from dantoc_contracts.catalog import Aggregation


@dataclass(frozen=True, slots=True)
class Contribution:
    """A group's share of one subset: sum, number of cells, and the extremes among them."""

    total: Decimal
    count: int
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
    values = [(dkey, value) for dkey, value in cells.items() if value is not None]
    if aggregation is Aggregation.NONE:  # not rolled up: each reported cell stands alone
        return {dkey: Contribution(value, 1, value, value) for dkey, value in values}
    best: dict[str, tuple[int, list[Decimal]]] = {}
    for dkey, value in values:
        rank = breakdown_rank(dims_mask(dkey))
        for subset in subsets(dkey):
            held = best.get(subset)
            if held is None or rank < held[0]:
                best[subset] = (rank, [value])
            elif rank == held[0]:
                held[1].append(value)
    return {subset: _contribution(members) for subset, (_, members) in best.items()}


def _contribution(members: Iterable[Decimal]) -> Contribution:
    listed = list(members)
    return Contribution(sum(listed, Decimal(0)), len(listed), min(listed), max(listed))
