"""An in-memory driver of the pure rollup rules: the same steps as `apply_batch`, with dicts for storage."""

from __future__ import annotations

from decimal import Decimal

from dantoc_aggregate.db.repository import StoredCell
from dantoc_aggregate.domain.contributions import contributions
from dantoc_aggregate.domain.fold import AggKey, BatchFold, higher, lower
from dantoc_aggregate.domain.formulas import component_keys, dependent_formulas, formula_state
from dantoc_aggregate.domain.keys import ALL_TOTALS
from dantoc_aggregate.domain.rules import Rules, rule_for
from dantoc_aggregate.domain.state import AggregateState
from dantoc_aggregate.kafka.decoding import from_message
from dantoc_aggregate.services.cells import group_changes, resolve
from dantoc_contracts.catalog import Aggregation
from dantoc_contracts.values import ValuesAccepted


class MemoryAggregator:
    def __init__(self, rules: Rules) -> None:
        self.rules = rules
        self.cells: dict[str, dict[str, StoredCell]] = {}
        self.chains: dict[str, tuple[str, ...]] = {}
        self.states: dict[AggKey, AggregateState] = {}

    def apply(self, *messages: ValuesAccepted) -> set[AggKey]:
        """Apply one batch; return the keys whose state changed."""
        fold = BatchFold()
        for gkey, work in group_changes([from_message(m) for m in messages]).items():
            resolved = resolve(self.cells.get(gkey, {}), work)
            for dkey, change in resolved.writes.items():
                self.cells.setdefault(gkey, {})[dkey] = StoredCell(change[1], change[2], change[3])
            if resolved.writes:
                chain = self.chains[gkey] = self.rules.chain(work.unit, work.period)
                rule = rule_for(self.rules, work.indicator, work.period)
                if rule.aggregation is Aggregation.FORMULA:
                    continue
                fold.group_changed(rule, chain, work.period, resolved.before, resolved.after, resolved.newest)
        deltas = fold.propagate()
        before = {key: state.snapshot() for key, state in self.states.items()}
        for key, delta in deltas.items():
            state = self.states.get(key)
            if state is None:
                state = self.states[key] = AggregateState(
                    *key, aggregation=rule_for(self.rules, key[0], key[2]).aggregation
                )
            state.apply(delta)
            if key[3] == ALL_TOTALS:
                state.expected = self.rules.expected(key[0], key[1], key[2])
            if state.needs_recount:
                self._recount(state)
        for key, rule in dependent_formulas(self.rules, deltas).items():
            numerator, denominator = component_keys(key, rule)
            self.states[key] = formula_state(key, rule, self.states.get(numerator), self.states.get(denominator))
        return {key for key, state in self.states.items() if before.get(key) != state.snapshot()}

    def _recount(self, state: AggregateState) -> None:
        aggregation = rule_for(self.rules, state.indicator, state.period).aggregation
        low: Decimal | None = None
        high: Decimal | None = None
        for gkey, cells in self.cells.items():
            _, period, indicator = gkey.split("|")
            if indicator != state.indicator or period != state.period or state.unit not in self.chains[gkey]:
                continue
            share = contributions({d: c.value for d, c in cells.items()}, aggregation).get(state.dkey)
            if share is not None:
                low, high = lower(low, share.low), higher(high, share.high)
        state.recounted(low, high)

    def value(self, indicator: str, unit: str, period: str, dkey: str = ALL_TOTALS) -> Decimal | None:
        state = self.states.get((indicator, unit, period, dkey))
        return None if state is None else state.value
