"""The expected aggregates from the SQL recomputation, and the comparison with the incremental state."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncConnection

from dantoc_aggregate.db import recompute as sql
from dantoc_aggregate.domain.fold import AggKey
from dantoc_aggregate.domain.formulas import component_keys, dependent_formulas, formula_state
from dantoc_aggregate.domain.keys import ALL_TOTALS
from dantoc_aggregate.domain.rules import Rules, rule_for
from dantoc_aggregate.domain.state import AggregateState, value_of
from dantoc_contracts.catalog import Aggregation

COMPARED = ("aggregation", "value", "count", "numerator", "denominator", "reported", "no_data", "expected")


async def recomputed_states(conn: AsyncConnection, rules: Rules) -> dict[AggKey, AggregateState]:
    """Every aggregate as a from-scratch recomputation over the stored cells gives it."""
    states: dict[AggKey, AggregateState] = {}
    not_rolled: set[str] = set()
    for indicator, node, period, dkey, total, count, low, high in await sql.rollups(conn):
        aggregation = rule_for(rules, indicator, period).aggregation
        if aggregation is Aggregation.NONE:
            not_rolled.add(indicator)
        if aggregation in (Aggregation.NONE, Aggregation.FORMULA):  # formulas are computed from their sides below
            continue
        state = AggregateState(indicator, node, period, dkey, aggregation, total, count, low, high)
        state.value = value_of(aggregation, total, count, low, high)
        states[(indicator, node, period, dkey)] = state
    for indicator in sorted(not_rolled):
        for _, unit, period, dkey, value in await sql.reported_cells(conn, indicator):
            if rule_for(rules, indicator, period).aggregation is Aggregation.NONE:
                states[(indicator, unit, period, dkey)] = AggregateState(
                    indicator, unit, period, dkey, Aggregation.NONE, value, 1, value, value, value=value
                )
    for indicator, node, period, reported, no_data in await sql.group_counts(conn):
        key = (indicator, node, period, ALL_TOTALS)
        aggregation = rule_for(rules, indicator, period).aggregation
        if aggregation is Aggregation.FORMULA:
            continue
        state = states.setdefault(key, AggregateState(*key, aggregation=aggregation))
        state.reported, state.no_data = reported, no_data
        state.expected = rules.expected(indicator, node, period)
    for key, rule in dependent_formulas(rules, list(states)).items():
        numerator, denominator = component_keys(key, rule)
        states[key] = formula_state(key, rule, states.get(numerator), states.get(denominator))
    return states


def _empty(state: AggregateState) -> bool:
    return (
        state.count == 0
        and state.reported == 0
        and state.no_data == 0
        and state.numerator is None
        and state.denominator is None
    )


def differences(actual: dict[AggKey, AggregateState], expected: dict[AggKey, AggregateState]) -> list[str]:
    """Human-readable differences; aggregates with nothing in them count as absent."""
    found: list[str] = []
    for key in sorted(set(actual) | set(expected)):
        mine, theirs = actual.get(key), expected.get(key)
        if mine is not None and _empty(mine):
            mine = None
        if theirs is not None and _empty(theirs):
            theirs = None
        if mine is None and theirs is None:
            continue
        if mine is None or theirs is None:
            found.append(f"{'|'.join(key)}: incremental {mine!r} vs recomputed {theirs!r}")
            continue
        for name in COMPARED:
            if getattr(mine, name) != getattr(theirs, name):
                found.append(f"{'|'.join(key)} {name}: incremental {getattr(mine, name)} vs {getattr(theirs, name)}")
    return found
