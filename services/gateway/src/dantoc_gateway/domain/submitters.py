"""Who submitted for which unit: the accepted-values records an agency token's visibility is built from."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Submitted:
    """One record of the accepted-values topic, as far as access goes: this agency submitted for this unit."""

    partition: int
    offset: int
    agency: str
    unit_code: str
    period: str
    submission_id: str
    accepted_at: datetime


def first_per_pair(records: Iterable[Submitted]) -> dict[tuple[str, str], Submitted]:
    """The first record of each (agency, unit) in the batch (a unit's records share a partition, so in order)."""
    found: dict[tuple[str, str], Submitted] = {}
    for record in records:
        found.setdefault((record.agency, record.unit_code), record)
    return found
