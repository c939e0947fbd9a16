"""The quarantine rule through the real service process, broker and both databases: a record that cannot be read or
applied is parked and dead-lettered, the partition goes on within seconds, nothing already aggregated changes; the
API needs a national token; `replay-parked` applies a parked record after the fix; a stored offset out of range stops
the consumer; a writer whose lock was lost cannot apply beside the new one."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiokafka import AIOKafkaProducer
from sqlalchemy import select, text

from dantoc_aggregate.db.engine import create_engine
from dantoc_aggregate.db.leader import LOCK_ID
from dantoc_aggregate.db.migrate import upgrade_head
from dantoc_aggregate.db.models import consumer_offsets, parked_records
from dantoc_contracts import topics
from dantoc_contracts.catalog import Aggregation
from dantoc_contracts.messages import adapter
from tests.support.aggregate.harness import ServiceProcess, producer, publish_catalog, values_bytes
from tests.support.aggregate.literals import accepted, cell, indicator, records
from tests.support.kafka import eventually, read_topic

pytestmark = pytest.mark.integration
AGGREGATES = adapter(topics.AGGREGATES.name)
DEAD = adapter(topics.DEAD_LETTER.name)
NATIONAL = "0601|VN|2024|_T|_T|_T|_T"
KEY = b"00715"  # every record on the same partition: the poison ones sit between ordinary ones


def national_is(value: int, key: str = NATIONAL) -> Any:
    def done(found: list[Any]) -> bool:
        latest = {r.key.decode(): r.value for r in found}
        event = latest.get(key)
        return event is not None and AGGREGATES.validate_json(event).payload.value == value

    return done


async def send(out: AIOKafkaProducer, namespace: str, *values: bytes) -> None:
    for value in values:
        await out.send_and_wait(topics.topic_name(topics.VALUES_ACCEPTED, namespace), value, key=KEY)


def hostile(period: str = "2024", value: str = "1") -> bytes:
    """An accepted-values record as a producer bypassing ingest could write it (the contract refuses to build it)."""
    document = json.loads(values_bytes(accepted("00718", "2024", cell("0601", 1))))
    document["payload"]["period"] = period
    document["payload"]["changes"][0]["new"]["value"] = value
    return json.dumps(document).encode()


async def parked_rows(database_url: str) -> list[Any]:
    engine = create_engine(database_url)
    try:
        async with engine.connect() as conn:
            return list((await conn.execute(select(parked_records).order_by(parked_records.c.id))).all())
    finally:
        await engine.dispose()


async def execute(database_url: str, *statements: str) -> None:
    engine = create_engine(database_url)
    try:
        async with engine.begin() as conn:
            for statement in statements:
                await conn.execute(text(statement))
    finally:
        await engine.dispose()


def series(metrics: str, name: str) -> float:
    found = [line for line in metrics.splitlines() if line.startswith(name)]
    return sum(float(line.rsplit(" ", 1)[1]) for line in found)


@pytest.fixture
async def service(kafka: str, namespace: str, database_url: str, tmp_path: Path) -> AsyncIterator[ServiceProcess]:
    await publish_catalog(kafka, namespace, records())
    process = ServiceProcess(kafka, namespace, database_url, tmp_path / "service.log")
    process.start()
    try:
        await asyncio.to_thread(process.wait_ready)
        yield process
    finally:
        process.stop()


async def test_poison_records_are_parked_and_the_partition_goes_on(
    kafka: str, namespace: str, database_url: str, service: ServiceProcess
) -> None:
    values_topic = topics.topic_name(topics.VALUES_ACCEPTED, namespace)
    aggregates_topic = topics.topic_name(topics.AGGREGATES, namespace)
    overflow, newline = hostile(value="1E+999999999"), hostile(period="2024\n")
    out = await producer(kafka)
    try:
        await send(out, namespace, values_bytes(accepted("00715", "2024", cell("0601", 3))))
        await read_topic(kafka, aggregates_topic, until=national_is(3), timeout=30)
        # Written straight to the topic, bypassing ingest: a value beyond every bound, a period "2024\n".
        await send(out, namespace, overflow, newline)
        await send(out, namespace, values_bytes(accepted("00721", "2024", cell("0601", 4))))
    finally:
        await out.stop()
    # The next ordinary record is aggregated within seconds; what was aggregated before is unchanged.
    await read_topic(kafka, aggregates_topic, until=national_is(7), timeout=20)
    rows = await eventually(lambda: _at_least(parked_rows(database_url), 2), timeout=10)
    assert [(r.topic, r.partition, r.offset - rows[0].offset) for r in rows] == [
        (values_topic, rows[0].partition, 0),
        (values_topic, rows[0].partition, 1),
    ]
    assert {r.error_class for r in rows} == {"pydantic_core.ValidationError"}
    assert [r.value for r in rows] == [overflow, newline]
    assert "period" in rows[1].reason
    # Their dead-letter events, published after the commit, name the source record and carry its bytes.
    dead_topic = topics.topic_name(topics.DEAD_LETTER, namespace)
    letters = [DEAD.validate_json(r.value).payload for r in await read_topic(kafka, dead_topic, until=_two)]
    assert [(d.source_topic, d.partition, d.offset) for d in letters] == [
        (r.topic, r.partition, r.offset) for r in rows
    ]
    assert letters[0].consumer == service.env["DANTOC_AGGREGATE_CONSUMER_GROUP"]
    await eventually(lambda: _all_dead_lettered(database_url), timeout=10)
    async with httpx.AsyncClient(base_url=service.url) as client:
        metrics = (await client.get("/metrics")).text
        group = service.env["DANTOC_AGGREGATE_CONSUMER_GROUP"]
        labels = f'consumer="{group}",service="aggregate",topic="{values_topic}"'
        quarantined = f"dantoc_quarantined_records_total{{{labels}}}"
        assert series(metrics, quarantined) == 2
        # The API: no token 401, a token of another key 401, a provincial token 403, a national token 200.
        url = "/aggregates/0601/VN/2024"
        missing = await client.get(url)
        assert missing.status_code == 401
        assert missing.headers["content-type"].startswith("application/problem+json")
        assert missing.headers["www-authenticate"].startswith("Bearer")
        assert missing.json()["errors"][0]["code"] == "missing_token"
        stranger = ServiceProcess(kafka, namespace, database_url, service.log.with_name("other.log"))
        assert (await client.get(url, headers=stranger.headers())).status_code == 401
        provincial = await client.get(url, headers=service.headers("provincial", "01", "SO01"))
        assert provincial.status_code == 403
        assert provincial.json()["errors"][0]["code"] == "national_token_required"
        rows_out = (await client.get(url, headers=service.headers())).json()
        assert {row["disaggregation"]: row["value"] for row in rows_out}["_T|_T|_T|_T"] == "7"
        commune = (await client.get("/aggregates/0601/00715/2024", headers=service.headers())).json()
        assert {row["disaggregation"]: row["value"] for row in commune}["_T|_T|_T|_T"] == "3"


POISON_TRIGGER = {
    "sqlite": [
        "CREATE TRIGGER poison BEFORE INSERT ON leaf_cells WHEN NEW.unit = '00718' "
        "BEGIN SELECT RAISE(ABORT, 'poison cell'); END"
    ],
    "postgresql": [
        "CREATE FUNCTION poison() RETURNS trigger AS $$ BEGIN IF NEW.unit = '00718' THEN "
        "RAISE EXCEPTION 'poison cell' USING ERRCODE = 'check_violation'; END IF; RETURN NEW; END $$ "
        "LANGUAGE plpgsql",
        "CREATE TRIGGER poison BEFORE INSERT OR UPDATE ON leaf_cells FOR EACH ROW EXECUTE FUNCTION poison()",
    ],
}
REFUSED_BY_THE_DATABASE = {"sqlalchemy.IntegrityError", "asyncpg.CheckViolationError"}
DROP_TRIGGER = {
    "sqlite": ["DROP TRIGGER poison"],
    "postgresql": ["DROP TRIGGER poison ON leaf_cells", "DROP FUNCTION poison()"],
}


async def test_a_record_failing_in_its_transaction_is_parked_then_replayed_after_the_fix(
    kafka: str, namespace: str, database_url: str, tmp_path: Path
) -> None:
    # The database refuses one commune's cells (a constraint): the record decodes but cannot be applied.
    dialect = "postgresql" if database_url.startswith("postgresql") else "sqlite"
    await upgrade_head(database_url)
    await execute(database_url, *POISON_TRIGGER[dialect])
    await publish_catalog(kafka, namespace, records())
    service = ServiceProcess(kafka, namespace, database_url, tmp_path / "service.log")
    service.start()
    aggregates_topic = topics.topic_name(topics.AGGREGATES, namespace)
    try:
        await asyncio.to_thread(service.wait_ready)
        out = await producer(kafka)
        try:  # one batch: the poison record between two ordinary ones
            await send(
                out,
                namespace,
                values_bytes(accepted("00715", "2024", cell("0601", 3))),
                values_bytes(accepted("00718", "2024", cell("0601", 1))),
                values_bytes(accepted("00721", "2024", cell("0601", 4))),
            )
        finally:
            await out.stop()
        await read_topic(kafka, aggregates_topic, until=national_is(7), timeout=30)
        rows = await eventually(lambda: _at_least(parked_rows(database_url), 1), timeout=10)
        assert len(rows) == 1
        assert rows[0].error_class in REFUSED_BY_THE_DATABASE
        dead_topic = topics.topic_name(topics.DEAD_LETTER, namespace)
        letter = DEAD.validate_json((await read_topic(kafka, dead_topic, until=bool))[0].value).payload
        assert (letter.partition, letter.offset) == (rows[0].partition, rows[0].offset)
        # While the service runs, replay-parked refuses (it would be a second writer).
        assert (await replay(service.env)).returncode == 2
    finally:
        service.stop()
    # Still failing: kept. After the fix: applied, removed, and published when the service starts again.
    still = await replay(service.env)
    assert still.returncode == 1, still.stdout + still.stderr
    assert f"still fails ({rows[0].error_class})" in still.stdout
    await execute(database_url, *DROP_TRIGGER[dialect])
    fixed = await replay(service.env, "--id", str(rows[0].id))
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert await parked_rows(database_url) == []
    service.start()
    try:
        await asyncio.to_thread(service.wait_ready)
        await read_topic(kafka, aggregates_topic, until=national_is(8), timeout=30)
    finally:
        service.stop()


async def test_a_stored_offset_out_of_range_is_fatal_never_reset(
    kafka: str, namespace: str, database_url: str, tmp_path: Path
) -> None:
    values_topic = topics.topic_name(topics.VALUES_ACCEPTED, namespace)
    await upgrade_head(database_url)
    engine = create_engine(database_url)
    try:
        async with engine.begin() as conn:
            await conn.execute(consumer_offsets.insert().values(topic=values_topic, partition=0, next_offset=1000))
    finally:
        await engine.dispose()
    await publish_catalog(kafka, namespace, records())
    service = ServiceProcess(kafka, namespace, database_url, tmp_path / "service.log")
    service.start()
    try:
        async with httpx.AsyncClient(base_url=service.url) as client:

            async def stopped() -> Any:
                try:
                    answer = await client.get("/ready")
                except httpx.HTTPError:
                    return None
                codes = [e["code"] for e in answer.json().get("errors", [])] if answer.status_code == 503 else []
                return answer if "consumer_stopped" in codes else None

            answer = await eventually(stopped, timeout=60)
            assert "OffsetsOutOfRange" in answer.text
            assert "1000" not in answer.text  # the class only, no data
            metrics = (await client.get("/metrics")).text
            gauge = f'dantoc_offset_out_of_range{{partition="0",topic="{values_topic}"}}'
            assert series(metrics, gauge) == 1
    finally:
        service.stop()
    logged = [json.loads(line) for line in service.log.read_text().splitlines() if line.strip()]
    assert any(line.get("event") == "pipeline.offset_out_of_range" for line in logged)
    # The stored offset was not reset.
    engine = create_engine(database_url)
    try:
        async with engine.connect() as conn:
            query = select(consumer_offsets.c.next_offset).where(consumer_offsets.c.partition == 0)
            assert await conn.scalar(query) == 1000
    finally:
        await engine.dispose()


async def replay(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "dantoc_aggregate", "replay-parked", *(args or ("--all",))]
    return await asyncio.to_thread(
        subprocess.run, command, env={**os.environ, **env}, capture_output=True, text=True, timeout=120
    )


async def _at_least(rows: Any, count: int) -> list[Any] | None:
    found: list[Any] = await rows
    return found if len(found) >= count else None


async def _all_dead_lettered(database_url: str) -> bool:
    rows = await parked_rows(database_url)
    return bool(rows) and all(r.dead_lettered for r in rows)


def _two(found: list[Any]) -> bool:
    return len(found) >= 2


async def test_two_processes_never_both_apply_after_a_lost_lock(
    kafka: str, namespace: str, postgres_url: str, tmp_path: Path
) -> None:
    # A is the writer, B waits; A's lock connection is lost, so B is elected while A still runs.
    await publish_catalog(kafka, namespace, records())
    first = ServiceProcess(kafka, namespace, postgres_url, tmp_path / "a.log")
    second = ServiceProcess(kafka, namespace, postgres_url, tmp_path / "b.log")
    aggregates_topic = topics.topic_name(topics.AGGREGATES, namespace)
    first.start()
    try:
        await asyncio.to_thread(first.wait_ready)
        second.start()
        out = await producer(kafka)
        try:
            await send(out, namespace, values_bytes(accepted("00715", "2024", cell("0601", 3))))
            await read_topic(kafka, aggregates_topic, until=national_is(3), timeout=30)
            await execute(
                postgres_url,
                "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted "
                f"AND classid = {LOCK_ID >> 32} AND objid = {LOCK_ID & 0xFFFFFFFF} "
                "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
            )
            await asyncio.to_thread(second.wait_ready)  # B is the writer now
            await send(out, namespace, values_bytes(accepted("00721", "2024", cell("0601", 4))))
            await read_topic(kafka, aggregates_topic, until=national_is(7), timeout=30)
        finally:
            await out.stop()

        # A read the same record, but its batch was aborted by the fence: it went back to waiting for the lock.
        def a_fenced() -> bool:
            lines = [json.loads(line) for line in first.log.read_text().splitlines() if line.strip()]
            return any(
                line.get("event") == "pipeline.failed" and line.get("error") == "dantoc_aggregate.LostWriterLock"
                for line in lines
            )

        await eventually(a_fenced, timeout=30)
    finally:
        second.stop()
        first.stop()
    # Applied once: the national total is 7, and the stored state equals the SQL recomputation.
    verify = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "dantoc_aggregate", "verify"],
        env={**os.environ, **second.env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert verify.returncode == 0, verify.stdout + verify.stderr
    engine = create_engine(postgres_url)
    try:
        async with engine.connect() as conn:
            query = text("SELECT total FROM aggregates WHERE akey = :key")
            assert await conn.scalar(query, {"key": NATIONAL}) == 7
    finally:
        await engine.dispose()


async def catalog_records_folded(service: ServiceProcess) -> float:
    async with httpx.AsyncClient(base_url=service.url) as client:
        return series((await client.get("/metrics")).text, "dantoc_aggregate_catalog_records_total")


async def test_an_unreadable_catalog_record_is_parked_once_and_the_follower_goes_on(
    kafka: str, namespace: str, database_url: str, service: ServiceProcess
) -> None:
    catalog_topic = topics.topic_name(topics.CATALOG, namespace)
    out = await producer(kafka)
    try:  # not JSON, under a key the next (good) record uses too
        await out.send_and_wait(catalog_topic, b'{"type": "indicator.published", "payl', key=b"indicator|0602")
    finally:
        await out.stop()
    await publish_catalog(kafka, namespace, [("indicator|0602", indicator("0602", Aggregation.SUM))])
    folded = len(records()) + 1  # every record of the fixture's catalog, and 0602 after the unreadable one
    await eventually(lambda: _equals(catalog_records_folded(service), folded), timeout=20)
    out = await producer(kafka)
    try:
        await send(out, namespace, values_bytes(accepted("00715", "2024", cell("0602", 5))))
    finally:
        await out.stop()
    aggregates_topic = topics.topic_name(topics.AGGREGATES, namespace)
    await read_topic(kafka, aggregates_topic, until=national_is(5, "0602|VN|2024|_T|_T|_T|_T"), timeout=30)
    [row] = await eventually(lambda: _at_least(parked_rows(database_url), 1), timeout=10)
    assert (row.topic, row.consumer, row.error_class) == (
        catalog_topic,
        "aggregate-catalog",
        "pydantic_core.ValidationError",
    )
    assert row.key == b"indicator|0602"
    dead_topic = topics.topic_name(topics.DEAD_LETTER, namespace)
    [letter] = [DEAD.validate_json(r.value).payload for r in await read_topic(kafka, dead_topic, until=bool)]
    assert (letter.source_topic, letter.partition, letter.offset) == (row.topic, row.partition, row.offset)
    # Read again from the beginning at the next start: parked once, not twice.
    service.stop()
    service.start()
    await asyncio.to_thread(service.wait_ready)
    await eventually(lambda: _equals(catalog_records_folded(service), folded), timeout=20)
    assert len(await parked_rows(database_url)) == 1


async def _equals(value: Any, expected: float) -> bool:
    return bool(await value == expected)
