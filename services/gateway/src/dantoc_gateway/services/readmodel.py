"""Apply a batch of the aggregates topic to the read model, idempotently, in one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from dantoc_gateway.db import repository
from dantoc_gateway.db.uow import UnitOfWork
from dantoc_gateway.domain.records import FeedRecord, newest_per_key, wins


@dataclass(frozen=True)
class BatchOutcome:
    upserted: int
    deleted: int
    skipped: int  # replayed, superseded in the batch, or older than what is stored
    next_offsets: dict[int, int]
    versions: dict[tuple[str, str], int]  # new version of every (indicator, period) written or deleted


def _text(number: Decimal | None) -> str | None:
    return None if number is None else format(number, "f")


def _cell(record: FeedRecord) -> dict[str, Any]:
    a = record.address
    return {
        "key": a.key,
        "indicator": a.indicator,
        "unit_code": a.unit_code,
        "period": a.period,
        "ethnic_group": a.ethnic_group,
        "sex": a.sex,
        "age_group": a.age_group,
        "residence": a.residence,
        "source_partition": record.partition,
        "source_offset": record.offset,
    }


def _row(record: FeedRecord, changed_at: datetime) -> dict[str, Any]:
    fact = record.fact
    assert fact is not None
    expected, reported, no_data, silent = fact.completeness or (None, None, None, None)
    return {
        **_cell(record),
        "group_code": record.address.group_code,
        "unit_level": fact.unit_level,
        "aggregation": fact.aggregation,
        "value": _text(fact.value),
        "numerator": _text(fact.numerator),
        "denominator": _text(fact.denominator),
        "count": fact.count,
        "expected": expected,
        "reported": reported,
        "no_data": no_data,
        "silent": silent,
        "newest_accepted_at": fact.newest_accepted_at,
        "computed_at": fact.computed_at,
        "updated_at": changed_at,
    }


async def apply_batch(
    *,
    uow: UnitOfWork,
    topic: str,
    records: list[FeedRecord],
    consumed: dict[int, int],
    changed_at: datetime,
    replay: bool = False,
) -> BatchOutcome:
    """Upsert the newest fact per key, delete on tombstones, and move the feed positions, all or nothing.

    The use case commits its own unit of work (the caller never commits); the positions go in the same transaction.

    `consumed` is the next offset per partition after the batch (past parked records and compacted gaps). A
    `replay` (of parked records, below the positions) applies records behind the positions, still only over older.
    """
    async with uow:
        held = await repository.positions(uow.session, topic)
        fresh = records if replay else [r for r in records if r.offset >= held.get(r.partition, 0)]
        chosen = newest_per_key(fresh)
        stored = await repository.stored_versions(uow.session, list(chosen))
        winners = [r for key, r in chosen.items() if wins(r, stored.get(key))]
        upserts = [_row(r, changed_at) for r in winners if r.fact is not None]
        deletions = [{**_cell(r), "deleted_at": changed_at} for r in winners if r.fact is None]
        await repository.upsert_aggregates(uow.session, upserts)
        await repository.record_deletions(uow.session, deletions)
        next_offsets = {p: o for p, o in consumed.items() if o > held.get(p, -1)}  # only this batch's partitions
        await repository.save_positions(uow.session, topic, next_offsets)
        touched = {(r.address.indicator, r.address.period) for r in winners}
        versions = await repository.bump_versions(uow.session, touched, changed_at)
        await uow.commit()
    return BatchOutcome(len(upserts), len(deletions), len(records) - len(winners), next_offsets, versions)
