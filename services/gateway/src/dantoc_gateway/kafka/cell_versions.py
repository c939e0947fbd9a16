"""Watch the read model's (indicator, period) versions, so cached answers die when another worker or replica
sharing the database applies changes (within `interval`; this worker's own changes count at once)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import UTC, datetime, timedelta
from typing import Any

from dantoc_gateway.db import repository
from dantoc_gateway.domain.state import ReadModelState

log = logging.getLogger(__name__)
WINDOW = timedelta(seconds=30)  # re-read recent changes: writers' clocks and commit order may differ a little


class VersionWatch:
    def __init__(self, *, sessions: Any, state: ReadModelState, interval: float = 0.2) -> None:
        self._sessions, self._state, self._interval = sessions, state, interval
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="version-watch")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(self) -> None:
        seen = datetime.now(UTC) - WINDOW
        while True:
            await asyncio.sleep(self._interval)
            polled = datetime.now(UTC)
            try:
                async with self._sessions() as session:
                    self._state.observe(await repository.changed_versions(session, seen - WINDOW))
            except Exception:  # the database may be away for a moment; try again next round
                log.exception("reading cell versions failed", extra={"event": "cell_versions.failed"})
                continue
            seen = polled
