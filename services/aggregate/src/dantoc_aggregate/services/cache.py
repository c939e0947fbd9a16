"""What the single writer keeps in memory between batches: aggregate states above the communes, and which
(indicator, unit, period) above the communes have stored aggregates at all.

Upper-level aggregates (districts, provinces, the nation) are touched by almost every batch: keeping their states
spares reading them back each time, and knowing which ones exist spares looking for the many that do not yet (a
national load creates most of them). No stored (indicator, unit, period): nothing to read; and while every state of
an (indicator, unit, period) this writer created is still cached, a key missing from the cache does not exist. A
commune's own aggregates change only when it reports again: they are not kept (`services.existence` tells which of
them to look for). All this is correct only because one process writes (the writer lock), and the states must be
dropped whenever a batch's transaction does not commit (they were changed in place). The set of stored keys may
only ever hold too many (a key noted by a batch that rolled back costs one useless read), never too few, so it
survives a failed batch; it is loaded again whenever the writer (re)starts, since another writer may have run.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable

from dantoc_aggregate.domain.fold import AggKey
from dantoc_aggregate.domain.state import AggregateState

COMMUNE_CODE_LENGTH = 5  # `depth_of` without the call: only communes have 5-digit codes


class StateCache:
    """Least-recently-used states above the communes, up to `capacity`; `upper` = the (indicator, unit, period) of
    every stored aggregate above the communes, or None when not loaded (then every key is looked for)."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self._states: dict[AggKey, AggregateState] = {}
        self.upper: set[tuple[str, str, str]] | None = None
        self._complete: set[tuple[str, str, str]] = set()  # every stored state of these is cached

    def split(self, keys: Iterable[AggKey]) -> tuple[dict[AggKey, AggregateState], list[AggKey]]:
        """(cached states, keys to read from the database: those that may exist)."""
        found: dict[AggKey, AggregateState] = {}
        missing: list[AggKey] = []
        states, upper = self._states, self.upper
        for key in keys:
            state = states.pop(key, None)
            if state is not None:
                states[key] = found[key] = state  # re-inserted: most recently used
            elif upper is None or len(key[1]) == COMMUNE_CODE_LENGTH:
                missing.append(key)
            else:
                triple = key[:3]
                if triple in upper and triple not in self._complete:
                    missing.append(key)
        return found, missing

    def keep(self, states: Iterable[AggregateState]) -> None:
        """Remember states that are (about to be) committed; evict the least recently used beyond capacity."""
        cached, upper = self._states, self.upper
        for state in states:
            if len(state.unit) == COMMUNE_CODE_LENGTH:
                continue
            key = (state.indicator, state.unit, state.period, state.dkey)
            cached.pop(key, None)
            cached[key] = state
            if upper is not None and key[:3] not in upper:  # none stored: all its states are here
                upper.add(key[:3])
                self._complete.add(key[:3])
        excess = len(cached) - self.capacity
        if excess > 0:
            for key in list(itertools.islice(cached, excess + self.capacity // 10)):
                del cached[key]
                self._complete.discard(key[:3])

    def clear(self) -> None:
        """Drop the states (after a failed transaction); the set of existing keys stays (see the module doc)."""
        self._states.clear()
        self._complete.clear()

    def __len__(self) -> int:
        return len(self._states)
