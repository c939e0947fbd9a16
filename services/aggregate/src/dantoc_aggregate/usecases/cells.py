"""From accepted-value messages to per-group cell changes, with the revision check against the stored cells."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from dantoc_aggregate.db.repository import StoredCell
from dantoc_aggregate.domain.keys import breakdown_rank, dims_mask, group_key, split_dkey
from dantoc_aggregate.domain.rules import depth_of
from dantoc_contracts.values import ValuesAccepted

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def to_us(moment: datetime) -> int:
    """Microseconds since the epoch (exact integer arithmetic)."""
    delta = moment.astimezone(UTC) - EPOCH
    return (delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds


@dataclass(slots=True)
class Change:
    dkey: str
    value: Decimal | None
    revision: int
    accepted_us: int


@dataclass(slots=True)
class GroupWork:
    """All changes one batch brings to one group, in arrival order."""

    unit: str
    period: str
    indicator: str
    changes: list[Change] = field(default_factory=list)


def group_changes(messages: list[ValuesAccepted]) -> dict[str, GroupWork]:
    groups: dict[str, GroupWork] = {}
    for message in messages:
        accepted_us = to_us(message.accepted_at)
        for cell in message.changes:
            gkey = group_key(message.unit_code, message.period, cell.indicator)
            work = groups.get(gkey)
            if work is None:
                work = groups[gkey] = GroupWork(message.unit_code, message.period, cell.indicator)
            value = None if cell.new.no_data else cell.new.value
            work.changes.append(Change(cell.disaggregation.key(), value, cell.revision, accepted_us))
    return groups


@dataclass(slots=True)
class Resolved:
    """A group's cells before and after the batch, the rows to write, and what was ignored as stale."""

    before: dict[str, Decimal | None]
    after: dict[str, Decimal | None]
    writes: dict[str, Change]
    applied: int
    stale: int
    newest_us: int


def resolve(stored: dict[str, StoredCell], work: GroupWork) -> Resolved:
    """Apply the changes in order; a revision not newer than the one held is ignored (redelivery, reordering)."""
    before = {dkey: cell.value for dkey, cell in stored.items()}
    after = dict(before)
    revisions = {dkey: cell.revision for dkey, cell in stored.items()}
    writes: dict[str, Change] = {}
    stale = newest = applied = 0
    for change in work.changes:
        if change.revision <= revisions.get(change.dkey, 0):
            stale += 1
            continue
        revisions[change.dkey] = change.revision
        after[change.dkey] = change.value
        writes[change.dkey] = change
        applied += 1
        newest = max(newest, change.accepted_us)
    return Resolved(before, after, writes, applied, stale, newest)


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
    ethnic, sex, age, residence = split_dkey(change.dkey)
    return (
        gkey,
        change.dkey,
        work.indicator,
        work.unit,
        work.period,
        depth_of(work.unit),
        *levels,
        breakdown_rank(dims_mask(change.dkey)),
        ethnic,
        sex,
        age,
        residence,
        change.value,
        change.value is None,
        change.revision,
        change.accepted_us,
    )


def levels_of(chain: tuple[str, ...]) -> tuple[str | None, ...]:
    levels: list[str | None] = [None, None, None]
    for code in chain:
        depth = depth_of(code)
        if depth:
            levels[depth - 1] = code
    return tuple(levels)
