"""In-process timing of the aggregate use case (no service process, no broker): decode, apply and commit, encode.

    uv run python bench/aggregate_inprocess.py --scale 0.2 --backend postgres [--steady 150] [--per-batch 10]

1. national year: the benchmark's workload in batches of 1000 messages, into a fresh database;
2. steady state: `--steady` batches of `--per-batch` whole-commune re-reports (the freshness phase's background),
   applied one batch at a time: wall time and CPU time of this process per batch, and the wall time per batch of
   each database step (reads, recounts of retracted extremes, writes).
The database is the shared PostgreSQL at DANTOC_TEST_POSTGRES_URL or a SQLite file under .local/bench. To compare
two versions of the code, run the same command with the other version on PYTHONPATH, back to back.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import gc
import os
import random
import sys
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import asyncpg  # type: ignore[import-untyped]  # noqa: E402

from bench.aggregate_freshness import re_report  # noqa: E402
from bench.aggregate_phases import envelope_bytes  # noqa: E402
from bench.aggregate_workload import NationalYear, catalog_records  # noqa: E402
from dantoc_aggregate.db.engine import create_engine, session_factory  # noqa: E402
from dantoc_aggregate.db.migrate import upgrade_head  # noqa: E402
from dantoc_aggregate.db.uow import UnitOfWork  # noqa: E402
from dantoc_aggregate.domain.catalog_rules import CatalogRules  # noqa: E402
from dantoc_aggregate.kafka.decoding import decode_records  # noqa: E402
from dantoc_aggregate.kafka.events import EventEncoder  # noqa: E402
from dantoc_aggregate.metrics import AggregateMetrics  # noqa: E402
from dantoc_aggregate.services.apply import apply_batch  # noqa: E402
from dantoc_aggregate.services.cache import StateCache  # noqa: E402
from dantoc_contracts.catalog_view import CatalogView  # noqa: E402
from dantoc_contracts.values import ValuesAccepted  # noqa: E402


class StepTimes:
    """Wall time of the use case's database steps, read from the service's exposed step timers
    (`dantoc_aggregate_step_seconds{step}`, `AggregateMetrics.step`) as the difference between two readings."""

    def __init__(self, metrics: AggregateMetrics) -> None:
        self.metrics = metrics
        self.start = self.reading()

    def reading(self) -> dict[str, tuple[float, float]]:
        """(seconds, count) per step so far."""
        found: dict[str, list[float]] = collections.defaultdict(lambda: [0.0, 0.0])
        for family in self.metrics.registry.collect():
            if family.name != "dantoc_aggregate_step_seconds":
                continue
            for sample in family.samples:
                if sample.name.endswith("_sum"):
                    found[sample.labels["step"]][0] = sample.value
                elif sample.name.endswith("_count"):
                    found[sample.labels["step"]][1] = sample.value
        return {step: (seconds, count) for step, (seconds, count) in found.items()}

    def report(self, batches: int) -> None:
        now = self.reading()
        spent = {
            step: (s - self.start.get(step, (0.0, 0.0))[0], c - self.start.get(step, (0.0, 0.0))[1])
            for step, (s, c) in now.items()
        }
        for name, (seconds, calls) in sorted(spent.items(), key=lambda item: -item[1][0]):
            print(f"  {name}: {seconds / batches * 1000:.1f} ms per batch ({calls / batches:.1f} calls)")


class Run:
    def __init__(self, url: str) -> None:
        view = CatalogView()
        for key, record in catalog_records():
            view.apply(key, record)
        self.rules, self.engine, self.offset = CatalogRules(view), create_engine(url), 0
        self.sessions, self.metrics = session_factory(self.engine), AggregateMetrics()
        self.cache = StateCache(400_000)
        self.cache.upper = set()

    async def batch(self, messages: list[ValuesAccepted]) -> int:
        records = []
        for message in messages:
            records.append(
                SimpleNamespace(topic="t", partition=0, offset=self.offset, key=b"", value=envelope_bytes(message))
            )
            self.offset += 1
        decoded = decode_records(records, "bench")
        outcome = await apply_batch(
            uow=UnitOfWork(self.sessions),
            rules=self.rules,
            messages=decoded.messages,
            topic="t",
            next_offsets={0: self.offset},
            cache=self.cache,
            steps=self.metrics.step,
        )
        encoder = EventEncoder(datetime.now(UTC))
        for state in outcome.changed:
            encoder.encode(state)
        return len(outcome.changed)


async def database(backend: str) -> tuple[str, Any]:
    if backend == "sqlite":
        path = REPO / f".local/bench/inprocess-{uuid.uuid4().hex[:6]}.db"
        path.parent.mkdir(parents=True, exist_ok=True)
        return f"sqlite+aiosqlite:///{path}", path
    url = os.environ.get("DANTOC_TEST_POSTGRES_URL", "postgresql+asyncpg://dantoc:dantoc@127.0.0.1:5432/postgres")
    admin = url.rsplit("/", 1)[0].replace("postgresql+asyncpg://", "postgresql://") + "/postgres"
    name = f"inprocess_{uuid.uuid4().hex[:8]}"
    conn = await asyncpg.connect(admin)
    await conn.execute(f'CREATE DATABASE "{name}"')
    await conn.close()
    return url.rsplit("/", 1)[0] + f"/{name}", (admin, name)


async def drop(created: Any) -> None:
    if isinstance(created, Path):
        for suffix in ("", "-wal", "-shm"):
            await asyncio.to_thread(Path(f"{created}{suffix}").unlink, missing_ok=True)
    else:
        conn = await asyncpg.connect(created[0])
        await conn.execute(f'DROP DATABASE IF EXISTS "{created[1]}" WITH (FORCE)')
        await conn.close()


async def main(args: argparse.Namespace) -> None:
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)  # as the service does (app.tune_garbage_collector)
    messages = NationalYear(args.scale).messages()
    values = sum(len(m.changes) for m in messages)
    url, created = await database(args.backend)
    await upgrade_head(url)
    run = Run(url)
    try:
        wall, cpu, events = time.perf_counter(), time.process_time(), 0
        for start in range(0, len(messages), 1000):
            events += await run.batch(messages[start : start + 1000])
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        print(
            f"{args.backend}: national year {values} values, {events} aggregate changes in {wall:.1f} s "
            f"({values / wall:,.0f} values/s), CPU {cpu:.1f} s"
        )
        rng, revision = random.Random(5), 1000
        steps = StepTimes(run.metrics)
        wall, cpu, events = time.perf_counter(), time.process_time(), 0
        for _ in range(args.steady):
            batch = []
            for _ in range(args.per_batch):
                batch.append(re_report(rng.choice(messages), revision, rng))
                revision += 1
            events += await run.batch(batch)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        n = max(args.steady, 1)
        print(
            f"{args.backend}: steady {args.steady} batches of {args.per_batch} re-reports: {wall / n * 1000:.1f} ms "
            f"per batch, CPU {cpu / n * 1000:.1f} ms, {events / n:.0f} aggregate changes per batch; database steps:"
        )
        steps.report(n)
    finally:
        await run.engine.dispose()
        await drop(created)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--scale", type=float, default=0.2)
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="postgres")
    parser.add_argument("--steady", type=int, default=150, help="batches of re-reports after the national year")
    parser.add_argument("--per-batch", type=int, default=10, help="re-reports per steady batch")
    asyncio.run(main(parser.parse_args()))
