"""Runtime state shared by the feeds and the API: how far each feed has got, and the read model's version."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass
class FeedStatus:
    """Progress of one topic feed: the end offsets seen at start (to catch up with) and what is applied."""

    topic: str
    targets: dict[int, int] = field(default_factory=dict)
    applied: dict[int, int] = field(default_factory=dict)  # next offset per partition
    highwater: dict[int, int] = field(default_factory=dict)
    assigned: bool = False
    caught_up: bool = False
    error: str | None = None
    reached: asyncio.Event = field(default_factory=asyncio.Event)  # set once caught up

    def lag(self) -> int:
        """Messages on the topic not yet applied (by the newest end offsets known)."""
        return sum(self.lag_by_partition().values())

    def lag_by_partition(self) -> dict[int, int]:
        """Messages of each partition not yet applied (by the newest end offsets known)."""
        ends = {**self.targets, **self.highwater}
        return {partition: max(0, end - self.applied.get(partition, 0)) for partition, end in sorted(ends.items())}

    def refresh(self) -> bool:
        """Update `caught_up` (it never goes back once reached); return it."""
        if not self.caught_up and self.assigned:
            self.caught_up = all(self.applied.get(p, 0) >= end for p, end in self.targets.items())
            if self.caught_up:
                self.reached.set()
        return self.caught_up


@dataclass
class ReadModelState:
    """The three feeds and a version that changes whenever what a query could answer changes."""

    catalog: FeedStatus
    aggregates: FeedStatus
    values: FeedStatus  # accepted values: which agency submitted for which unit
    version: int = 0
    catalog_version: int = 0
    cells: dict[tuple[str, str], int] = field(default_factory=dict)  # (indicator, period) → version in the database

    def bump(self, *, catalog: bool = False) -> None:
        self.version += 1
        if catalog:
            self.catalog_version += 1

    def observe(self, versions: dict[tuple[str, str], int]) -> None:
        """Versions read from the database (by this worker's feed or by polling): cached answers keyed on older die."""
        changed = False
        for pair, version in versions.items():
            if version > self.cells.get(pair, 0):
                self.cells[pair] = version
                changed = True
        if changed:
            self.version += 1

    def version_of(self, indicators: Iterable[str], periods: Iterable[str]) -> tuple[int, ...]:
        """What an answer over these indicators and periods depends on: the catalog and those cells only."""
        wanted = tuple(periods)
        return (self.catalog_version, *(self.cells.get((i, p), 0) for i in indicators for p in wanted))

    @property
    def feeds(self) -> tuple[FeedStatus, FeedStatus, FeedStatus]:
        return self.catalog, self.aggregates, self.values

    @property
    def ready(self) -> bool:
        return all(feed.caught_up for feed in self.feeds)
