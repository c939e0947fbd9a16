"""`Rules` answered from the catalog topic's `CatalogView`, with look-ups cached until the catalog changes."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from dantoc_aggregate.domain.keys import mask_of
from dantoc_aggregate.domain.rules import Formula, IndicatorRule
from dantoc_contracts.catalog import Aggregation
from dantoc_contracts.catalog_view import CatalogView
from dantoc_contracts.codes import NATIONAL_UNIT_CODE
from dantoc_contracts.periods import Period


class CatalogRules:
    """The fold's view of the catalog. Call `invalidate()` whenever a catalog record was applied."""

    def __init__(self, view: CatalogView) -> None:
        self.view = view
        self.invalidate()

    def invalidate(self) -> None:
        self._ends: dict[str, date] = {}
        self._rules: dict[tuple[str, str], IndicatorRule | None] = {}
        self._chains: dict[tuple[str, date], tuple[str, ...]] = {}
        self._users: dict[str, dict[str, tuple[IndicatorRule, ...]]] = {}
        self._expected: dict[tuple[date, int], dict[str, int]] = {}
        self._children: dict[date, dict[str, tuple[str, ...]]] = {}

    def period_end(self, period: str) -> date:
        end = self._ends.get(period)
        if end is None:
            end = self._ends[period] = Period.parse(period).end
        return end

    def rule(self, indicator: str, period: str) -> IndicatorRule | None:
        key = (indicator, period)
        if key not in self._rules:
            self._rules[key] = self._read_rule(indicator, self.period_end(period))
        return self._rules[key]

    def _read_rule(self, indicator: str, on: date) -> IndicatorRule | None:
        version = self.view.indicator_version(indicator, on)
        if version is None:
            return None
        formula = None
        if version.aggregation is Aggregation.FORMULA and version.formula is not None:
            formula = Formula(version.formula.numerator, version.formula.denominator, version.formula.factor)
        mask = mask_of(version.disaggregations)
        return IndicatorRule(indicator, version.aggregation, version.lowest_level.depth, mask, formula)

    def chain(self, unit: str, period: str) -> tuple[str, ...]:
        return self.chain_on(unit, self.period_end(period))

    def formulas_using(self, indicator: str, period: str) -> tuple[IndicatorRule, ...]:
        users = self._users.get(period)
        if users is None:
            users = self._users[period] = self._formula_users(period)
        return users.get(indicator, ())

    def _formula_users(self, period: str) -> dict[str, tuple[IndicatorRule, ...]]:
        found: dict[str, list[IndicatorRule]] = defaultdict(list)
        for code in self.view.indicators:
            rule = self.rule(code, period)
            if rule is not None and rule.formula is not None:
                found[rule.formula.numerator].append(rule)
                if rule.formula.denominator != rule.formula.numerator:
                    found[rule.formula.denominator].append(rule)
        return {code: tuple(rules) for code, rules in found.items()}

    def expected(self, indicator: str, node: str, period: str) -> int:
        rule = self.rule(indicator, period)
        if rule is None:
            return 0
        on = self.period_end(period)
        counts = self._expected.get((on, rule.lowest_depth))
        if counts is None:
            counts = self._expected[(on, rule.lowest_depth)] = self._count_units(on, rule.lowest_depth)
        return counts.get(node, 0)

    def _count_units(self, on: date, depth: int) -> dict[str, int]:
        """For every unit, how many units of `depth` valid on `on` lie at or below it (itself included)."""
        counts: dict[str, int] = defaultdict(int)
        for unit in self.view.units():
            valid = (unit.valid_from is None or unit.valid_from <= on) and (
                unit.valid_to is None or on <= unit.valid_to
            )
            if valid and unit.level.depth == depth:
                for node in self.chain_on(unit.code, on):
                    counts[node] += 1
        return dict(counts)

    def children(self, node: str, period: str) -> tuple[str, ...]:
        """The units valid at the period's end whose parent on that map is `node`."""
        on = self.period_end(period)
        index = self._children.get(on)
        if index is None:
            found: dict[str, list[str]] = defaultdict(list)
            for unit in self.view.units():
                valid = (unit.valid_from is None or unit.valid_from <= on) and (
                    unit.valid_to is None or on <= unit.valid_to
                )
                chain = self.chain_on(unit.code, on) if valid else ()
                if len(chain) > 1:
                    found[chain[1]].append(unit.code)
            index = self._children[on] = {parent: tuple(codes) for parent, codes in found.items()}
        return index.get(node, ())

    def chain_on(self, unit: str, on: date) -> tuple[str, ...]:
        key = (unit, on)
        chain = self._chains.get(key)
        if chain is None:
            above = self.view.ancestors(unit, on)
            if unit != NATIONAL_UNIT_CODE and not above:  # unknown on this map: still counted in the national total
                above = [NATIONAL_UNIT_CODE]
            chain = self._chains[key] = (unit, *above)
        return chain
