"""Formula indicators: computed after aggregating, from two other indicators' aggregates at the same key."""

from __future__ import annotations

from collections.abc import Iterable

from dantoc_aggregate.domain.fold import AggKey
from dantoc_aggregate.domain.keys import within
from dantoc_aggregate.domain.rules import IndicatorRule, Rules, depth_of
from dantoc_aggregate.domain.state import AggregateState, formula_value
from dantoc_contracts.catalog import Aggregation


def dependent_formulas(rules: Rules, changed: Iterable[AggKey]) -> dict[AggKey, IndicatorRule]:
    """Formula aggregates whose numerator or denominator is among the changed keys.

    A formula exists at units down to its own lowest level and for subsets of the dimensions it allows.
    """
    found: dict[AggKey, IndicatorRule] = {}
    users: dict[tuple[str, str], tuple[IndicatorRule, ...]] = {}
    for indicator, unit, period, dkey in changed:
        using = users.get((indicator, period))
        if using is None:
            using = users[(indicator, period)] = rules.formulas_using(indicator, period)
        for rule in using:
            if depth_of(unit) <= rule.lowest_depth and within(dkey, rule.allowed_mask):
                found[(rule.indicator, unit, period, dkey)] = rule
    return found


def component_keys(key: AggKey, rule: IndicatorRule) -> tuple[AggKey, AggKey]:
    assert rule.formula is not None
    _, unit, period, dkey = key
    return (rule.formula.numerator, unit, period, dkey), (rule.formula.denominator, unit, period, dkey)


def formula_state(
    key: AggKey, rule: IndicatorRule, numerator: AggregateState | None, denominator: AggregateState | None
) -> AggregateState:
    """The formula aggregate from its two sides (count and freshness follow the numerator and the newest side)."""
    assert rule.formula is not None
    top = numerator.value if numerator else None
    bottom = denominator.value if denominator else None
    state = AggregateState(*key, aggregation=Aggregation.FORMULA)
    state.numerator, state.denominator = top, bottom
    state.value = formula_value(top, bottom, rule.formula.factor)
    state.count = numerator.count if numerator else 0
    newest = numerator
    if denominator is not None and (newest is None or denominator.newest_us > newest.newest_us):
        newest = denominator
    if newest is not None:
        state.newest_us, state.newest_submission_id = newest.newest_us, newest.newest_submission_id
    return state
