"""The accepted-values feed: which agency has submitted for which unit, the ground of an agency token's access.

Only `agency`, `unit_code`, `period` and the submission id of each `ValuesAccepted` are kept (the values themselves
reach the gateway as aggregates). Positions and replay as in `group_feed`.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from dantoc_gateway.db.uow import UnitOfWork
from dantoc_gateway.kafka.decoding import decode_values
from dantoc_gateway.kafka.group_feed import GroupFeed
from dantoc_gateway.services.agency_units import apply_submitted

log = logging.getLogger(__name__)


class ValuesFeed(GroupFeed):
    """Consumes the accepted-values topic with its own consumer group into the agency-units table."""

    name = "values"

    async def apply(self, records: list[Any], advanced: dict[int, int]) -> None:
        started = time.perf_counter()
        decoded = self.readable(records, decode_values)
        added = await apply_submitted(UnitOfWork(self._sessions), topic=self._topic, records=decoded, consumed=advanced)
        self._metrics.agency_units.inc(added)
        if decoded:
            log.info(
                "applied %d accepted-values records (%d new agency units)",
                len(decoded),
                added,
                extra={
                    "event": "agency_units.applied",
                    "topic": self._topic,
                    "count": len(decoded),
                    "added": added,
                    "submission_ids": sorted({r.submission_id for r in decoded}),
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
