"""The single writer is fenced in every batch transaction, migrations run one at a time, and an event too large to
publish is refused while the others go out, then parked and dead-lettered: on both databases and the real broker."""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select, text

from dantoc_aggregate.db.engine import create_engine, session_factory
from dantoc_aggregate.db.leader import LOCK_ID, LostWriterLock, WriterLockHeld, writer_lock
from dantoc_aggregate.db.migrate import MIGRATION_LOCK, upgrade_head
from dantoc_aggregate.db.models import parked_records
from dantoc_aggregate.db.uow import UnitOfWork
from dantoc_aggregate.domain.state import AggregateState
from dantoc_aggregate.kafka.catalog_follower import CatalogFollower
from dantoc_aggregate.kafka.publisher import EventPublisher, create_producer
from dantoc_aggregate.kafka.values_consumer import ValuesConsumer
from dantoc_aggregate.metrics import AggregateMetrics
from dantoc_aggregate.settings import Settings
from dantoc_contracts import topics
from dantoc_contracts.bounds import MAX_MESSAGE_BYTES
from dantoc_contracts.catalog import Aggregation
from dantoc_contracts.messages import adapter
from tests.support.kafka import eventually, read_topic

pytestmark = pytest.mark.integration

_LOCK_HOLDER = """
SELECT pid FROM pg_locks
WHERE locktype = 'advisory' AND granted AND classid = :high AND objid = :low
  AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
"""


async def test_a_writer_whose_lock_was_lost_cannot_apply_a_batch(database_url: str) -> None:
    await upgrade_head(database_url)
    engine, other = create_engine(database_url), create_engine(database_url)
    stale = contextlib.AsyncExitStack()
    try:
        first = await stale.enter_async_context(writer_lock(engine, poll_seconds=0.1))
        with pytest.raises(WriterLockHeld):  # a second writer is refused while the lock is held
            async with writer_lock(other, wait=False):
                pass
        async with UnitOfWork(session_factory(engine)) as uow:
            await first.check(uow.conn)
        if engine.dialect.name == "postgresql":  # the lock's connection is lost (the server ends it)
            async with other.begin() as conn:
                pids = await conn.execute(text(_LOCK_HOLDER), {"high": LOCK_ID >> 32, "low": LOCK_ID & 0xFFFFFFFF})
                for (pid,) in pids.all():
                    await conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        else:  # the lock file is released while the old writer still runs
            await stale.aclose()
        # Another process is elected; the old writer's next batch transaction is aborted, the new one's goes on.
        async with writer_lock(other, poll_seconds=0.1) as second:
            assert second.generation == first.generation + 1
            with pytest.raises(LostWriterLock):
                async with UnitOfWork(session_factory(engine)) as uow:
                    await first.check(uow.conn)
            async with UnitOfWork(session_factory(other)) as uow:
                await second.check(uow.conn)
                await uow.commit()
    finally:
        with contextlib.suppress(Exception):
            await stale.aclose()
        await engine.dispose()
        await other.dispose()


def _migrate(database_url: str) -> subprocess.Popen[str]:
    env = {**os.environ, "DANTOC_AGGREGATE_DATABASE_URL": database_url}
    command = [sys.executable, "-m", "dantoc_aggregate", "migrate"]
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


_WAITING_FOR_MIGRATION_LOCK = """
SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND classid = :high AND objid = :low
  AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
"""


def _flock_waiters(path: Path) -> int:
    """Processes blocked on an flock of `path` (Linux `/proc/locks`: waiters are listed with `->`)."""
    inode = f":{path.stat().st_ino} "
    lines = Path("/proc/locks").read_text().splitlines()
    return sum(1 for line in lines if "->" in line and "FLOCK" in line and inode in line + " ")


async def test_concurrent_migrations_are_serialised(database_url: str) -> None:
    # While the migration lock is held, three `migrate` processes wait for it; released, each one succeeds.
    processes: list[subprocess.Popen[str]] = []
    if database_url.startswith("postgresql"):
        engine = create_engine(database_url)
        try:
            async with engine.connect() as conn:
                await conn.execute(text("SELECT pg_advisory_lock(:id)"), {"id": MIGRATION_LOCK})
                await conn.commit()
                processes = [_migrate(database_url) for _ in range(3)]
                ids = {"high": MIGRATION_LOCK >> 32, "low": MIGRATION_LOCK & 0xFFFFFFFF}

                async def waiting() -> bool:
                    async with engine.connect() as probe:
                        return bool(await probe.scalar(text(_WAITING_FOR_MIGRATION_LOCK), ids) == 3)

                await eventually(waiting, timeout=60)
                await conn.execute(text("SELECT pg_advisory_unlock(:id)"), {"id": MIGRATION_LOCK})
                await conn.commit()
        finally:
            await engine.dispose()
    else:
        lock = Path(database_url.split("///", 1)[1] + ".migrate.lock")
        descriptor = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX)
            processes = [_migrate(database_url) for _ in range(3)]
            await eventually(lambda: _flock_waiters(lock) == 3, timeout=60)
        finally:
            os.close(descriptor)
    results = [await asyncio.to_thread(p.communicate, timeout=120) for p in processes]
    assert [p.returncode for p in processes] == [0, 0, 0], [err[-2000:] for _, err in results]
    await asyncio.gather(*(upgrade_head(database_url) for _ in range(2)))  # two threads of one process too
    engine = create_engine(database_url)
    try:
        async with engine.connect() as conn:
            assert await conn.scalar(text("SELECT version_num FROM alembic_version")) == "0003"
            assert await conn.scalar(text("SELECT count(*) FROM parked_records")) == 0
    finally:
        await engine.dispose()


def _state(unit: str, submission: str) -> AggregateState:
    return AggregateState(
        "0601", unit, "2024", "_T|_T|_T|_T", Aggregation.SUM, Decimal(1), 1, newest_submission_id=submission
    )


async def test_an_event_too_large_is_refused_and_the_others_are_published(kafka: str, namespace: str) -> None:
    producer = create_producer(kafka)
    await producer.start()
    try:
        publisher = EventPublisher(producer, namespace, AggregateMetrics().kafka)
        states = [_state("01", "a"), _state("02", "x" * (5 << 20)), _state("03", "y" * (2 << 20))]
        assert await publisher.publish(states) == 2
        refused = publisher.take_refused()
        assert [key for key, _ in refused] == [b"0601|02|2024|_T|_T|_T|_T"]
        assert publisher.take_refused() == []
    finally:
        await producer.stop()
    # The ordinary event and the one larger than a producer batch (2 MiB, under the 4 MiB limit) were delivered.
    topic = topics.topic_name(topics.AGGREGATES, namespace)
    found = await read_topic(kafka, topic, until=lambda r: len(r) >= 2, timeout=30)
    assert sorted(r.key for r in found) == [b"0601|01|2024|_T|_T|_T|_T", b"0601|03|2024|_T|_T|_T|_T"]


async def test_a_refused_event_is_parked_and_dead_lettered(kafka: str, namespace: str, database_url: str) -> None:
    await upgrade_head(database_url)
    settings = Settings(database_url=database_url, KAFKA_BOOTSTRAP_SERVERS=kafka, DANTOC_TOPIC_NAMESPACE=namespace)
    engine, metrics, producer = create_engine(database_url), AggregateMetrics(), create_producer(kafka)
    await producer.start()
    try:
        publisher = EventPublisher(producer, namespace, metrics.kafka)
        follower = CatalogFollower(kafka, namespace, metrics)
        consumer = ValuesConsumer(settings, engine, follower, publisher, metrics)
        assert await publisher.publish([_state("02", "x" * (5 << 20))]) == 0
        await consumer.batches.park_refused(7)
        async with engine.connect() as conn:
            rows = (await conn.execute(select(parked_records))).all()
        assert [(r.topic, r.partition, r.offset, r.dead_lettered) for r in rows] == [(publisher.topic, -1, 7, True)]
    finally:
        await producer.stop()
        await engine.dispose()
    dead = await read_topic(kafka, topics.topic_name(topics.DEAD_LETTER, namespace), until=bool, timeout=30)
    letter = adapter(topics.DEAD_LETTER.name).validate_json(dead[0].value).payload
    assert (letter.partition, letter.offset, letter.value_truncated) == (-1, 7, True)
    assert letter.value_bytes is not None
    assert letter.value_bytes > 5 << 20
    assert len(dead[0].value) < MAX_MESSAGE_BYTES
