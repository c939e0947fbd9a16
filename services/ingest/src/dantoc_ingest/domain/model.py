"""The shapes the domain works on: a draft submission as received, and the checked cells it becomes.

A draft is lenient (plain strings, the value as sent) so that every fault can be reported with its place rather
than failing on the first one. Checked cells are canonical: ethnic codes in GSO 1979, numbers as `Decimal`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from dantoc_contracts.codes import TOTAL


class CellAction(StrEnum):
    """What a value asks for: set the cell (a number or 'no data'), or delete it (SDMX ACTION D)."""

    SET = "set"
    DELETE = "delete"


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a value came from in a file: its 1-based row and the cell reference of each field."""

    row: int
    cells: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class DraftValue:
    """One value as received. `value` is whatever was sent (number, text or nothing)."""

    indicator: str
    value: object = None
    no_data: bool = False
    no_data_reason: str | None = None
    ethnic_code_list: str | None = None
    ethnic_code: str | None = None
    sex: str | None = None
    age_group: str | None = None
    residence: str | None = None
    action: CellAction = CellAction.SET
    origin: Origin | None = None


@dataclass(slots=True)
class Draft:
    """A submission as received, before any check."""

    submission_id: str
    agency: str
    unit_code: str
    period: str
    values: list[DraftValue]
    source: str = "entry"
    comment: str | None = None


@dataclass(frozen=True, slots=True)
class Content:
    """What a cell holds: a number, 'no data' with a reason, or nothing (deleted)."""

    value: Decimal | None = None
    no_data: bool = False
    no_data_reason: str | None = None

    @property
    def deleted(self) -> bool:
        return self.value is None and not self.no_data

    def same_as(self, other: Content) -> bool:
        """Equal content (numbers compared by value: 1.0 equals 1)."""
        if self.no_data != other.no_data or self.no_data_reason != other.no_data_reason:
            return False
        if self.value is None or other.value is None:
            return self.value is other.value
        return self.value == other.value


@dataclass(frozen=True, slots=True)
class CellCoordinates:
    """A cell of a unit and period: indicator and canonical disaggregation codes (None = total)."""

    indicator: str
    ethnic_code: str | None = None  # canonical GSO 1979
    sex: str | None = None
    age_group: str | None = None
    residence: str | None = None
    disaggregation_key: str = field(init=False, compare=False)  # same text as the contracts' `Disaggregation.key()`

    def __post_init__(self) -> None:
        ethnic = f"GSO1979:{self.ethnic_code}" if self.ethnic_code else TOTAL
        key = "|".join((ethnic, self.sex or TOTAL, self.age_group or TOTAL, self.residence or TOTAL))
        object.__setattr__(self, "disaggregation_key", key)


@dataclass(frozen=True, slots=True)
class CheckedCell:
    """A value that passed every check: where it goes, what it holds, and its ethnic group as submitted."""

    index: int
    coordinates: CellCoordinates
    content: Content
    original_ethnic: tuple[str, str] | None = None  # (code list, code) when not already canonical


@dataclass(frozen=True, slots=True)
class CellState:
    """The stored state of a cell: its content and revision."""

    content: Content
    revision: int
