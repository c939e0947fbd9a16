"""A bounded write-through cache of aggregate states, owned by the single writer.

Upper-level aggregates (districts, provinces, the nation) are touched by almost every batch: keeping their states in
memory spares reading them back each time. It is correct only because one process writes (the writer lock), and
it must be cleared whenever a batch's transaction does not commit (its states were changed in place).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable

from dantoc_aggregate.domain.fold import AggKey
from dantoc_aggregate.domain.state import AggregateState


class StateCache:
    """Least-recently-used states up to `capacity`."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self._states: dict[AggKey, AggregateState] = {}

    def split(self, keys: Iterable[AggKey]) -> tuple[dict[AggKey, AggregateState], list[AggKey]]:
        """(cached states, keys to read from the database)."""
        found: dict[AggKey, AggregateState] = {}
        missing: list[AggKey] = []
        states = self._states
        for key in keys:
            state = states.pop(key, None)
            if state is None:
                missing.append(key)
            else:
                states[key] = found[key] = state  # re-inserted: most recently used
        return found, missing

    def keep(self, states: Iterable[AggregateState]) -> None:
        """Remember states that are (about to be) committed; evict the least recently used beyond capacity."""
        for state in states:
            key = (state.indicator, state.unit, state.period, state.dkey)
            self._states.pop(key, None)
            self._states[key] = state
        excess = len(self._states) - self.capacity
        if excess > 0:
            for key in list(itertools.islice(self._states, excess + self.capacity // 10)):
                del self._states[key]

    def clear(self) -> None:
        self._states.clear()

    def __len__(self) -> int:
        return len(self._states)
