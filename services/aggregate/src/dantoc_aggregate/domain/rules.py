"""How the catalog's indicator definitions and map read for rollups: the rule of an indicator in a period, and the
chain of units a reporting unit's values climb (the map valid at the end of the period).

`Rules` is the port the fold asks; `dantoc_aggregate.catalog_rules` answers it from the catalog topic. A later
re-aggregation of legacy years onto the current map would be another `Rules` whose chain goes through the 2025
conversion (with split weights): the fold and the storage do not change.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Protocol

from dantoc_contracts.catalog import Aggregation
from dantoc_contracts.codes import unit_level_of


@dataclass(frozen=True, slots=True)
class Formula:
    numerator: str
    denominator: str
    factor: Decimal


@dataclass(frozen=True, slots=True)
class IndicatorRule:
    """What the fold needs of an indicator version."""

    indicator: str
    aggregation: Aggregation
    lowest_depth: int
    allowed_mask: int
    formula: Formula | None = None

    @property
    def rolls_up(self) -> bool:
        return self.aggregation is not Aggregation.NONE


UNKNOWN_AGGREGATION = Aggregation.NONE
"""An indicator the catalog does not (yet) define is kept at its reporting unit, as reported, and not rolled up."""


class Rules(Protocol):
    """The catalog as the fold reads it."""

    def rule(self, indicator: str, period: str) -> IndicatorRule | None:
        """The indicator's rule for the period (version in force at the period's end), or None when unknown."""

    def chain(self, unit: str, period: str) -> tuple[str, ...]:
        """The unit followed by its ancestors on the map valid at the period's end, ending with `VN`."""

    def formulas_using(self, indicator: str, period: str) -> tuple[IndicatorRule, ...]:
        """Formula indicators whose numerator or denominator is `indicator`."""

    def children(self, node: str, period: str) -> tuple[str, ...]:
        """The units whose parent is `node` on the map valid at the period's end."""

    def expected(self, indicator: str, node: str, period: str) -> int:
        """Reporting units expected at or below `node`: units of the indicator's lowest level valid for the period."""


_DEPTH_BY_LENGTH = {2: 1, 3: 2, 5: 3}


@cache  # a few thousand codes; the fold asks millions of times
def depth_of(code: str) -> int:
    """0 national, 1 province, 2 district, 3 commune."""
    if code == "VN":
        return 0
    depth = _DEPTH_BY_LENGTH.get(len(code))
    return depth if depth is not None else unit_level_of(code).depth


def rule_for(rules: Rules, indicator: str, period: str) -> IndicatorRule:
    """The rule, or a not-rolled-up placeholder for an indicator the catalog does not know."""
    found = rules.rule(indicator, period)
    return found or IndicatorRule(indicator, UNKNOWN_AGGREGATION, 3, 0b1111)
