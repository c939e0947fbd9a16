"""What an accepted submission does to the cells: a new revision for each changed cell, nothing for the rest."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from dantoc_ingest.domain.model import CellState, CheckedCell

CellKey = tuple[str, str]
"""(indicator, disaggregation key) of a cell within one unit and period."""


class Outcome(StrEnum):
    CREATED = "created"  # first report of the cell
    UPDATED = "updated"  # a different number, or 'no data' replaced by a number, or a new reason
    RETRACTED = "retracted"  # a number replaced by 'no data'
    DELETED = "deleted"  # the cell emptied (SDMX ACTION D)
    UNCHANGED = "unchanged"  # same content as stored: no new revision, no event


@dataclass(frozen=True, slots=True)
class PlannedChange:
    cell: CheckedCell
    previous: CellState | None
    revision: int
    outcome: Outcome


@dataclass(frozen=True, slots=True)
class ValueOutcome:
    """What happened to one value of the submission (by its index)."""

    index: int
    indicator: str
    disaggregation_key: str
    outcome: Outcome
    revision: int  # the cell's revision after the submission (0: the cell has never held anything)


@dataclass(slots=True)
class Plan:
    changes: list[PlannedChange] = field(default_factory=list)
    outcomes: list[ValueOutcome] = field(default_factory=list)

    @property
    def unchanged(self) -> int:
        return len(self.outcomes) - len(self.changes)


def cell_key(cell: CheckedCell) -> CellKey:
    return (cell.coordinates.indicator, cell.coordinates.disaggregation_key)


def plan_revisions(cells: list[CheckedCell], current: Mapping[CellKey, CellState]) -> Plan:
    """Compare each checked cell with its stored state and decide its outcome and revision."""
    plan = Plan()
    for cell in cells:
        key = cell_key(cell)
        previous = current.get(key)
        outcome = _outcome(cell, previous)
        revision = previous.revision if previous else 0
        if outcome is not Outcome.UNCHANGED:
            revision += 1
            plan.changes.append(PlannedChange(cell, previous, revision, outcome))
        plan.outcomes.append(ValueOutcome(cell.index, key[0], key[1], outcome, revision))
    return plan


def _outcome(cell: CheckedCell, previous: CellState | None) -> Outcome:
    new = cell.content
    if previous is None or previous.content.deleted:
        return Outcome.UNCHANGED if new.deleted else Outcome.CREATED
    if new.same_as(previous.content):
        return Outcome.UNCHANGED
    if new.deleted:
        return Outcome.DELETED
    if new.no_data and previous.content.value is not None:
        return Outcome.RETRACTED
    return Outcome.UPDATED
