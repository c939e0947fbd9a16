"""The worker that decides submissions received with `Prefer: respond-async` (and any left by a crash)."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from dantoc_ingest.services.context import IngestContext
from dantoc_ingest.services.receive import decide_received

log = logging.getLogger(__name__)


class PendingWorker:
    def __init__(self, poll_seconds: float = 2.0) -> None:
        self._wake = asyncio.Event()
        self._poll = poll_seconds

    def wake(self) -> None:
        self._wake.set()

    async def run(self, ctx: IngestContext) -> None:
        while True:
            try:
                if not ctx.catalog.ready or not await decide_received(ctx):
                    with contextlib.suppress(TimeoutError):
                        async with asyncio.timeout(self._poll):  # not wait_for: it can swallow a cancellation
                            await self._wake.wait()
                    self._wake.clear()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("deciding received submissions failed; retrying", extra={"event": "pending.failed"})
                await asyncio.sleep(self._poll)
