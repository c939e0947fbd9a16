"""Revisions: a changed cell gets the next revision; the same content is unchanged; 'no data' retracts a number."""

from __future__ import annotations

from decimal import Decimal

import pytest

from dantoc_ingest.domain.model import CellCoordinates, CellState, CheckedCell, Content
from dantoc_ingest.domain.revisions import Outcome, cell_key, plan_revisions

NUMBER_10 = Content(Decimal("10"))
NO_DATA = Content(no_data=True, no_data_reason="Chưa điều tra")


def cell(content: Content, index: int = 0) -> CheckedCell:
    return CheckedCell(index, CellCoordinates("0101", sex="1"), content)


@pytest.mark.parametrize(
    ("stored", "new", "outcome", "revision"),
    [
        (None, NUMBER_10, Outcome.CREATED, 1),
        (None, NO_DATA, Outcome.CREATED, 1),
        (None, Content(), Outcome.UNCHANGED, 0),  # deleting what was never there
        (CellState(NUMBER_10, 1), Content(Decimal("10.0")), Outcome.UNCHANGED, 1),  # same number, other spelling
        (CellState(NUMBER_10, 1), Content(Decimal("11")), Outcome.UPDATED, 2),
        (CellState(NUMBER_10, 3), NO_DATA, Outcome.RETRACTED, 4),
        (CellState(NO_DATA, 2), NO_DATA, Outcome.UNCHANGED, 2),
        (CellState(NO_DATA, 2), Content(no_data=True, no_data_reason="Khác"), Outcome.UPDATED, 3),
        (CellState(NO_DATA, 2), NUMBER_10, Outcome.UPDATED, 3),
        (CellState(NUMBER_10, 2), Content(), Outcome.DELETED, 3),
        (CellState(Content(), 3), NUMBER_10, Outcome.CREATED, 4),  # reported again after a deletion
    ],
)
def test_outcome_and_revision(stored: CellState | None, new: Content, outcome: Outcome, revision: int) -> None:
    checked = cell(new)
    current = {cell_key(checked): stored} if stored else {}
    plan = plan_revisions([checked], current)
    assert [(o.outcome, o.revision) for o in plan.outcomes] == [(outcome, revision)]
    assert len(plan.changes) == (0 if outcome is Outcome.UNCHANGED else 1)
    if plan.changes:
        assert plan.changes[0].previous == stored


def test_only_changed_cells_are_planned() -> None:
    first, second = cell(NUMBER_10, 0), CheckedCell(1, CellCoordinates("0101", sex="2"), Content(Decimal("5")))
    plan = plan_revisions([first, second], {cell_key(first): CellState(NUMBER_10, 1)})
    assert [c.cell.index for c in plan.changes] == [1]
    assert plan.unchanged == 1
