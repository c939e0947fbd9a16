"""Folding one batch of group changes into net deltas per aggregate key, up the whole hierarchy.

A group change (old cells → new cells of one unit, indicator, period) becomes per-subset differences at the unit;
`propagate` then carries them to every ancestor level by level (commune → district → province → national), so the
work is proportional to the keys that changed, not to cells × subsets × levels.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from decimal import Decimal

from dantoc_aggregate.domain.contributions import Contribution, GroupStatus, contributions, group_status
from dantoc_aggregate.domain.keys import ALL_TOTALS
from dantoc_aggregate.domain.rules import IndicatorRule, depth_of
from dantoc_contracts.catalog import Aggregation

AggKey = tuple[str, str, str, str]
"""(indicator, unit, period, disaggregation key)."""

ZERO = Decimal(0)
_EXTREMES = (Aggregation.MIN, Aggregation.MAX)


def lower(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    return b if a is None else a if b is None else min(a, b)


def higher(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    return b if a is None else a if b is None else max(a, b)


@dataclass(slots=True)
class Delta:
    """Net change of one aggregate within a batch: what to add, (for MIN and MAX only, `extremes`) the extremes
    added and removed, and the newest contribution (accepted time, submission id)."""

    rolls_up: bool
    extremes: bool = False
    total: Decimal = ZERO
    count: int = 0
    reported: int = 0
    no_data: int = 0
    newest_us: int = 0
    newest_id: str | None = None
    add_low: Decimal | None = None
    add_high: Decimal | None = None
    drop_low: Decimal | None = None
    drop_high: Decimal | None = None

    def change(self, old: Contribution | None, new: Contribution | None) -> None:
        if old is not None:
            self.total -= old.total
            self.count -= old.cells
            if self.extremes:
                self.drop_low, self.drop_high = lower(self.drop_low, old.low), higher(self.drop_high, old.high)
        if new is not None:
            self.total += new.total
            self.count += new.cells
            if self.extremes:
                self.add_low, self.add_high = lower(self.add_low, new.low), higher(self.add_high, new.high)

    def merge(self, other: Delta) -> None:
        if other.newest_us > self.newest_us:
            self.newest_us, self.newest_id = other.newest_us, other.newest_id
        self.reported += other.reported
        self.no_data += other.no_data
        if not other.rolls_up:
            return
        self.total += other.total
        self.count += other.count
        if other.extremes:
            self.add_low, self.add_high = lower(self.add_low, other.add_low), higher(self.add_high, other.add_high)
            self.drop_low = lower(self.drop_low, other.drop_low)
            self.drop_high = higher(self.drop_high, other.drop_high)


class BatchFold:
    """Accumulates group changes of one batch; `propagate()` then yields the net delta of every aggregate key."""

    def __init__(self) -> None:
        self.deltas: dict[AggKey, Delta] = {}
        self._parent: dict[tuple[str, str], tuple[str, int]] = {}  # (unit, period) → (parent, its depth)
        self._by_depth: list[list[AggKey]] = [[], [], [], []]

    def group_changed(
        self,
        rule: IndicatorRule,
        chain: tuple[str, ...],
        period: str,
        old_cells: dict[str, Decimal | None],
        new_cells: dict[str, Decimal | None],
        newest: tuple[int, str | None],
    ) -> None:
        """Record that a unit's cells for one indicator and period went from `old_cells` to `new_cells`; `newest` =
        (accepted time, submission id) of the newest change that did it."""
        unit = chain[0]
        if (unit, period) not in self._parent:
            for child, parent in itertools.pairwise(chain):
                self._parent[(child, period)] = (parent, depth_of(parent))
        old = contributions(old_cells, rule.aggregation) if old_cells else {}
        new = contributions(new_cells, rule.aggregation)
        where = (rule.indicator, unit, period, depth_of(unit), rule.rolls_up, rule.aggregation in _EXTREMES)
        for dkey, after in new.items():
            before = old.pop(dkey, None)
            if before != after:
                self._entry(where, dkey, newest).change(before, after)
        for dkey, before in old.items():
            self._entry(where, dkey, newest).change(before, None)
        status_before, status_after = group_status(old_cells), group_status(new_cells)
        if status_before != status_after:
            entry = self._entry(where, ALL_TOTALS, newest)
            entry.reported += (status_after is GroupStatus.REPORTED) - (status_before is GroupStatus.REPORTED)
            entry.no_data += (status_after is GroupStatus.NO_DATA) - (status_before is GroupStatus.NO_DATA)

    def _entry(self, where: tuple[str, str, str, int, bool, bool], dkey: str, newest: tuple[int, str | None]) -> Delta:
        indicator, unit, period, depth, rolls_up, extremes = where
        key = (indicator, unit, period, dkey)
        entry = self.deltas.get(key)
        if entry is None:
            entry = self.deltas[key] = Delta(rolls_up, extremes)
            self._by_depth[depth].append(key)
        if newest[0] > entry.newest_us:
            entry.newest_us, entry.newest_id = newest
        return entry

    def propagate(self) -> dict[AggKey, Delta]:
        """Carry every unit-level delta to all ancestors, level by level; return all deltas (units and ancestors)."""
        deltas, parents, by_depth = self.deltas, self._parent, self._by_depth
        for depth in (3, 2, 1):
            for key in by_depth[depth]:
                indicator, node, period, dkey = key
                above = parents.get((node, period))
                delta = deltas[key]
                if above is None or (not delta.rolls_up and dkey != ALL_TOTALS):
                    continue
                parent_key = (indicator, above[0], period, dkey)
                target = deltas.get(parent_key)
                if target is None:
                    target = deltas[parent_key] = Delta(delta.rolls_up, delta.extremes)
                    by_depth[above[1]].append(parent_key)
                target.merge(delta)
        return deltas
