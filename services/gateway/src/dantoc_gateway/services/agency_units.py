"""Apply a batch of the accepted-values topic to the agency-units table, idempotently, in one transaction."""

from __future__ import annotations

from typing import Any

from dantoc_gateway.db import agency_units, repository
from dantoc_gateway.db.uow import UnitOfWork
from dantoc_gateway.domain.submitters import Submitted, first_per_pair


def _row(record: Submitted) -> dict[str, Any]:
    return {
        "agency": record.agency,
        "unit_code": record.unit_code,
        "first_period": record.period,
        "first_submission_id": record.submission_id,
        "first_accepted_at": record.accepted_at,
        "source_partition": record.partition,
        "source_offset": record.offset,
    }


async def apply_submitted(
    uow: UnitOfWork, *, topic: str, records: list[Submitted], consumed: dict[int, int], replay: bool = False
) -> int:
    """Remember every (agency, unit) first seen, and move the feed positions, all or nothing; return how many.

    `consumed` is the next offset per partition after the batch. Records below the stored positions (a batch
    delivered again after a crash) are skipped unless `replay` (of parked records), and a pair already known is
    never written again.
    """
    async with uow:
        held = await repository.positions(uow.session, topic)
        fresh = records if replay else [r for r in records if r.offset >= held.get(r.partition, 0)]
        added = await agency_units.add_units(uow.session, [_row(r) for r in first_per_pair(fresh).values()])
        await repository.save_positions(uow.session, topic, {p: o for p, o in consumed.items() if o > held.get(p, -1)})
        await uow.commit()
    return added
