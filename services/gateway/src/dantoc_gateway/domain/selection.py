"""What a query selects, and the rows it returns: plain values shared by the queries and the formats."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from dantoc_gateway.domain.params import DimensionFilter


@dataclass(frozen=True)
class Block:
    """Periods read on one map, with the units asked for on it (None = every unit of `level`)."""

    periods: tuple[str, ...]
    units: tuple[str, ...] | None
    level: str | None = None


@dataclass(frozen=True)
class Selection:
    indicators: tuple[str, ...]
    blocks: tuple[Block, ...]
    ethnic_group: DimensionFilter
    sex: DimensionFilter
    age_group: DimensionFilter
    residence: DimensionFilter

    def dimensions(self) -> dict[str, DimensionFilter]:
        return {
            "ethnic_group": self.ethnic_group,
            "sex": self.sex,
            "age_group": self.age_group,
            "residence": self.residence,
        }


class Observation(NamedTuple):
    """One figure of the read model (ethnic group in GSO 1979), with the completeness of its all-totals subset."""

    indicator: str
    unit_code: str
    unit_level: str
    period: str
    ethnic_group: str
    sex: str
    age_group: str
    residence: str
    aggregation: str | None
    value: str | None
    numerator: str | None
    denominator: str | None
    contributions: int | None  # reporting cells that contributed
    expected: int | None
    reported: int | None
    no_data: int | None
    silent: int | None
    computed_at: datetime | None
    updated_at: datetime
    deleted: bool = False


@dataclass(frozen=True)
class Page:
    number: int
    size: int
    total: int

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def has_next(self) -> bool:
        return self.number * self.size < self.total
