"""From accepted cell changes to per-group cell changes, with the revision check against the stored cells."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from dantoc_aggregate.db.repository import StoredCell
from dantoc_aggregate.domain.keys import breakdown_rank, dims_mask, split_dkey
from dantoc_aggregate.domain.rules import depth_of

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def to_us(moment: datetime) -> int:
    """Microseconds since the epoch (exact integer arithmetic)."""
    delta = moment.astimezone(UTC) - EPOCH
    return (delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds


Cell = tuple[str, str, Decimal | None, int]
"""One accepted cell change: (indicator, disaggregation key, value or None for "no data", revision)."""


@dataclass(slots=True)
class AcceptedCells:
    """What the aggregates need of one `ValuesAccepted` message (translated from it at the Kafka edge): its cells,
    and for the logs and the events' `correlation_id` its submission id and place in the topic."""

    unit: str
    period: str
    accepted_us: int
    cells: list[Cell]
    submission_id: str
    partition: int = -1
    offset: int = -1


Change = tuple[str, Decimal | None, int, int, str]
"""A cell change within a group: (disaggregation key, value or None, revision, accepted_us, submission id). Plain
tuples: a national load makes millions of them."""


@dataclass(slots=True)
class GroupWork:
    """All changes one batch brings to one group, in arrival order."""

    unit: str
    period: str
    indicator: str
    changes: list[Change] = field(default_factory=list)


def group_changes(messages: list[AcceptedCells]) -> dict[str, GroupWork]:
    """Changes per reporting group (key `unit|period|indicator`, see `keys.group_key`), in arrival order."""
    groups: dict[str, GroupWork] = {}
    for message in messages:
        unit, period, accepted_us, submission = message.unit, message.period, message.accepted_us, message.submission_id
        prefix = f"{unit}|{period}|"
        for indicator, dkey, value, revision in message.cells:
            gkey = prefix + indicator
            work = groups.get(gkey)
            if work is None:
                work = groups[gkey] = GroupWork(unit, period, indicator)
            work.changes.append((dkey, value, revision, accepted_us, submission))
    return groups


@dataclass(slots=True)
class Resolved:
    """A group's cells before and after the batch, the rows to write, what was ignored as stale, and the newest
    change applied (its accepted time and submission id; the latest in arrival order among equal times)."""

    before: dict[str, Decimal | None]
    after: dict[str, Decimal | None]
    writes: dict[str, Change]
    applied: int
    stale: int
    newest_us: int
    newest_id: str | None

    @property
    def newest(self) -> tuple[int, str | None]:
        """(accepted time, submission id) of the newest change applied."""
        return self.newest_us, self.newest_id


def resolve(stored: dict[str, StoredCell], work: GroupWork) -> Resolved:
    """Apply the changes in order; a revision not newer than the one held is ignored (redelivery, reordering)."""
    before = {dkey: cell.value for dkey, cell in stored.items()}
    after = dict(before)
    revisions = {dkey: cell.revision for dkey, cell in stored.items()}
    writes: dict[str, Change] = {}
    stale = newest = 0
    newest_id = None
    for change in work.changes:
        dkey, value, revision, accepted_us, submission = change
        if revision <= revisions.get(dkey, 0):
            stale += 1
            continue
        revisions[dkey] = revision
        after[dkey] = value
        writes[dkey] = change
        if accepted_us >= newest:
            newest, newest_id = accepted_us, submission
    return Resolved(before, after, writes, len(work.changes) - stale, stale, newest, newest_id)


LEAF_COLUMNS = (
    "gkey",
    "dkey",
    "indicator",
    "unit",
    "period",
    "depth",
    "n1",
    "n2",
    "n3",
    "dims_rank",
    "d_ethnic",
    "d_sex",
    "d_age",
    "d_residence",
    "value",
    "no_data",
    "revision",
    "accepted_us",
)


def leaf_tuple(gkey: str, work: GroupWork, levels: tuple[str | None, ...], change: Change) -> tuple[Any, ...]:
    """A row of `leaf_cells` in `LEAF_COLUMNS` order; `levels` = (n1, n2, n3) of the unit's chain."""
    dkey, value, revision, accepted_us, _ = change
    return (
        gkey,
        dkey,
        work.indicator,
        work.unit,
        work.period,
        depth_of(work.unit),
        *levels,
        breakdown_rank(dims_mask(dkey)),
        *split_dkey(dkey),
        value,
        value is None,
        revision,
        accepted_us,
    )


def levels_of(chain: tuple[str, ...]) -> tuple[str | None, ...]:
    levels: list[str | None] = [None, None, None]
    for code in chain:
        depth = depth_of(code)
        if depth:
            levels[depth - 1] = code
    return tuple(levels)
