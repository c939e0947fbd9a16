"""The floor under the national year: what its *output alone* costs on this machine (not a timed test).

    uv run python bench/aggregate_floor.py --scale 0.2

Whatever the fold does, the aggregate service must, for the national year, store every aggregate it produces and
every leaf cell in PostgreSQL, and publish one event per aggregate to Kafka. This benchmark computes those
aggregates once (in-process, into a scratch database), then times only that output, with the service's own code
(`bulk.write_aggregates`, `EventPublisher`):
1. write: one transaction of COPYs of every leaf cell and every aggregate into a fresh database;
2. publish: one event per aggregate to a fresh topic, every acknowledgement awaited;
3. both at once (as the service overlaps a batch's publication with the next batch's transaction).
For each: wall time, and CPU seconds of this process, of the PostgreSQL backend and of the Kafka broker. The
values per second the output alone allows is the number of values over the wall time of (3): no implementation of
this design on this machine can go faster, however fast its fold.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import psutil  # noqa: E402
from aiokafka import AIOKafkaProducer  # noqa: E402

from bench.aggregate_inprocess import database, drop  # noqa: E402
from bench.aggregate_phases import _topics_module, envelope_bytes  # noqa: E402
from bench.aggregate_workload import NationalYear, catalog_records  # noqa: E402
from dantoc_aggregate.db import bulk  # noqa: E402
from dantoc_aggregate.db import repository as repo  # noqa: E402
from dantoc_aggregate.db.engine import create_engine, session_factory  # noqa: E402
from dantoc_aggregate.db.migrate import upgrade_head  # noqa: E402
from dantoc_aggregate.db.models import leaf_cells  # noqa: E402
from dantoc_aggregate.db.uow import UnitOfWork  # noqa: E402
from dantoc_aggregate.domain.catalog_rules import CatalogRules  # noqa: E402
from dantoc_aggregate.domain.state import AggregateState  # noqa: E402
from dantoc_aggregate.kafka.decoding import decode_records  # noqa: E402
from dantoc_aggregate.kafka.publisher import EventPublisher, create_producer  # noqa: E402
from dantoc_aggregate.metrics import AggregateMetrics  # noqa: E402
from dantoc_aggregate.services.apply import apply_batch  # noqa: E402
from dantoc_aggregate.services.cache import StateCache  # noqa: E402
from dantoc_aggregate.services.cells import LEAF_COLUMNS  # noqa: E402
from dantoc_contracts.catalog_view import CatalogView  # noqa: E402


def broker_process() -> psutil.Process | None:
    """The Kafka broker on this machine (the JVM running `kafka.Kafka`), for its CPU time."""
    for process in psutil.process_iter(["cmdline"]):
        if "kafka.Kafka" in (process.info["cmdline"] or []):
            return process
    return None


def cpu_of(process: psutil.Process | None) -> float:
    if process is None:
        return 0.0
    times = process.cpu_times()
    return float(times.user + times.system)


async def compute(url: str, scale: float) -> tuple[int, list[AggregateState], list[tuple[Any, ...]]]:
    """The national year folded in-process into a scratch database: (values, every aggregate, every leaf row)."""
    view = CatalogView()
    for key, record in catalog_records():
        view.apply(key, record)
    rules, engine, cache = CatalogRules(view), create_engine(url), StateCache(400_000)
    sessions = session_factory(engine)
    cache.upper = set()
    messages = NationalYear(scale).messages()
    try:
        for start in range(0, len(messages), 1000):
            records = [
                SimpleNamespace(topic="t", partition=0, offset=start + i, key=b"", value=envelope_bytes(m))
                for i, m in enumerate(messages[start : start + 1000])
            ]
            decoded = decode_records(records, "floor")
            await apply_batch(
                uow=UnitOfWork(sessions),
                rules=rules,
                messages=decoded.messages,
                topic="t",
                next_offsets={0: 0},
                cache=cache,
            )
        async with UnitOfWork(sessions) as uow:
            states = list((await repo.all_states(uow.conn)).values())
            driver = await repo.driver_of(uow.conn)
            names = ", ".join(f'"{name}"' for name in LEAF_COLUMNS)
            leaves = [tuple(row) for row in await driver.fetch(f"SELECT {names} FROM leaf_cells")]
    finally:
        await engine.dispose()
    return sum(len(m.changes) for m in messages), states, leaves


class Output:
    """A fresh database and a fresh topic to write the output into."""

    def __init__(self, url: str, bootstrap: str, namespace: str) -> None:
        self.url, self.bootstrap, self.namespace = url, bootstrap, namespace
        self.engine = create_engine(url)
        self.producer: AIOKafkaProducer | None = None
        self.backend_pid = 0

    async def write(self, states: list[AggregateState], leaves: list[tuple[Any, ...]]) -> None:
        async with UnitOfWork(session_factory(self.engine)) as uow:
            driver = await repo.driver_of(uow.conn)
            self.backend_pid = await driver.fetchval("SELECT pg_backend_pid()")
            await bulk.insert_rows(uow.conn, leaf_cells, LEAF_COLUMNS, leaves)
            await bulk.write_aggregates(uow.conn, 1, states, [], careful=False)
            await uow.commit()

    async def publish(self, states: list[AggregateState]) -> None:
        if self.producer is None:
            self.producer = create_producer(self.bootstrap)
            await self.producer.start()
        publisher = EventPublisher(self.producer, self.namespace, AggregateMetrics().kafka)
        await publisher.publish(states)

    async def close(self) -> None:
        if self.producer is not None:
            await self.producer.stop()
        await self.engine.dispose()


async def timed(label: str, values: int, work: Callable[[], Awaitable[Any]], output: Output) -> None:
    broker, database_cpu = broker_process(), 0.0
    broker_before, cpu, wall = cpu_of(broker), time.process_time(), time.perf_counter()
    await work()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    if output.backend_pid:
        try:
            database_cpu = cpu_of(psutil.Process(output.backend_pid))  # the backend of the (pooled) connection
        except psutil.NoSuchProcess:
            database_cpu = float("nan")
    broker_cpu = cpu_of(broker) - broker_before
    total = cpu + database_cpu + broker_cpu
    cores = os.cpu_count() or 1
    print(
        f"{label}: wall {wall:.2f} s ({values / wall:,.0f} values/s at most); CPU: this process {cpu:.2f} s, "
        f"PostgreSQL backend {database_cpu:.2f} s, Kafka broker {broker_cpu:.2f} s; "
        f"{total:.2f} s in all, so at least {total / cores:.2f} s on {cores} cores ({values * cores / total:,.0f} "
        f"values/s at most, with no other work at all)"
    )


async def main(args: argparse.Namespace) -> None:
    bootstrap = os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092")
    print(f"# aggregate floor on {platform.node()}: {os.cpu_count()} cores, Python {platform.python_version()}")
    scratch, scratch_created = await database("postgres")
    await upgrade_head(scratch)
    try:
        started = time.perf_counter()
        values, states, leaves = await compute(scratch, args.scale)
        print(
            f"scale {args.scale}: {values} values → {len(states)} aggregates and {len(leaves)} leaf cells "
            f"(computed in {time.perf_counter() - started:.1f} s, not timed below); "
            f"50,000 values/s means {values / 50_000:.1f} s for all of it"
        )
    finally:
        await drop(scratch_created)
    for label, write, publish in (("1. write", True, False), ("2. publish", False, True), ("3. both", True, True)):
        namespace = f"floor{uuid.uuid4().hex[:8]}"
        await _topics_module().ensure_topics(bootstrap, namespace)
        url, created = await database("postgres")
        await upgrade_head(url)
        output = Output(url, bootstrap, namespace)
        if publish:  # connected and the topic's metadata known before the clock starts
            await output.publish(states[:1])
        jobs = ([output.write(states, leaves)] if write else []) + ([output.publish(states)] if publish else [])
        try:
            await timed(label, values, lambda jobs=jobs: asyncio.gather(*jobs), output)  # type: ignore[misc]
        finally:
            await output.close()
            await drop(created)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--scale", type=float, default=0.2, help="fraction of the legacy communes (1 = all 10,035)")
    asyncio.run(main(parser.parse_args()))
