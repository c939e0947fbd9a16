"""Step timers: the wall time of each database step of a batch, exposed for benchmarks and dashboards.

The service passes `AggregateMetrics.step` (the `dantoc_aggregate_step_seconds{step}` histogram); without one,
`untimed` costs nothing. Steps: `load_cells`, `write_cells`, `existence`, `load_states`, `recount`,
`write_aggregates`, `commit`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from contextlib import AbstractContextManager

StepTimer = Callable[[str], AbstractContextManager[object]]
"""Given a step's name, a context manager timing the block."""


def untimed(step: str) -> AbstractContextManager[object]:
    return contextlib.nullcontext()
