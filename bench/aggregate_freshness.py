"""Freshness phase of the aggregate benchmark: single corrections one by one under a steady background load."""

from __future__ import annotations

import asyncio
import json
import random
import statistics
import time
from datetime import UTC, datetime
from decimal import Decimal

from aiokafka import AIOKafkaConsumer, TopicPartition

from bench.aggregate_phases import BenchContext, envelope_bytes
from bench.aggregate_workload import NationalYear
from dantoc_contracts import topics
from dantoc_contracts.values import CellChange, CellValue, ValuesAccepted


def re_report(message: ValuesAccepted, revision: int, rng: random.Random) -> ValuesAccepted:
    """The commune's whole message again, every value new (random), at `revision`: the background's unit of load."""
    changes = [
        CellChange(
            indicator=c.indicator,
            disaggregation=c.disaggregation,
            revision=revision,
            new=CellValue(value=Decimal(rng.randint(0, 5000))),
        )
        for c in message.changes
    ]
    return message.model_copy(
        update={"changes": changes, "accepted_at": datetime.now(UTC), "submission_id": f"bg-{revision}"}
    )


async def _background(context: BenchContext, pool: list[ValuesAccepted], rate: int, stop: asyncio.Event) -> int:
    """Re-reports of whole communes at about `rate` values per second until `stop`."""
    producer, rng, revision, sent = await context.producer(), random.Random(5), 1000, 0
    topic = topics.topic_name(topics.VALUES_ACCEPTED, context.namespace)
    started = time.perf_counter()
    while not stop.is_set():
        message = re_report(rng.choice(pool), revision, rng)
        revision += 1
        await producer.send(topic, envelope_bytes(message), key=message.unit_code.encode())
        sent += len(message.changes)
        await asyncio.sleep(max(0.0, sent / rate - (time.perf_counter() - started)))
    await producer.stop()
    return sent


async def freshness(
    context: BenchContext, workload: NationalYear, messages: list[ValuesAccepted], count: int, rate: int
) -> None:
    """Single corrections one by one under background load: acceptance → national aggregate event."""
    target = next(code for code, v in workload.indicators if not v.disaggregations and v.aggregation.value == "SUM")
    period = next(m.period for m in messages if any(c.indicator == target for c in m.changes))
    pool = [m.model_copy(update={"changes": [c for c in m.changes if c.indicator != target]}) for m in messages]
    key = f"{target}|VN|{period}|_T|_T|_T|_T".encode()
    consumer = AIOKafkaConsumer(bootstrap_servers=context.bootstrap, group_id=None)
    await consumer.start()
    aggregates = topics.topic_name(topics.AGGREGATES, context.namespace)
    consumer.assign([TopicPartition(aggregates, p) for p in range(topics.AGGREGATES.partitions)])
    await consumer.seek_to_end()
    stop = asyncio.Event()
    background = asyncio.create_task(_background(context, pool, rate, stop))
    producer, rng, latencies, missed = await context.producer(), random.Random(9), [], 0
    topic = topics.topic_name(topics.VALUES_ACCEPTED, context.namespace)
    await asyncio.sleep(2.0)  # let the background load settle
    for number in range(count):
        unit = rng.choice(workload.communes)
        change = CellChange(
            indicator=target,
            disaggregation={},
            new=CellValue(value=Decimal(10_000_000 + number)),
            revision=100 + number,
        )
        accepted = datetime.now(UTC)
        message = ValuesAccepted(
            submission_id=f"fix-{number}",
            agency="CTK",
            unit_code=unit,
            period=period,
            accepted_at=accepted,
            changes=[change],
        )
        await producer.send_and_wait(topic, envelope_bytes(message), key=unit.encode())
        try:
            latencies.append(await _await_event(consumer, key, accepted))
        except TimeoutError:  # the service fell behind the background load: report it, do not stop the benchmark
            missed += 1
            break
        context.sample_rss()
        await asyncio.sleep(rng.uniform(0.05, 0.2))
    stop.set()
    sent = await background
    await producer.stop()
    await consumer.stop()
    if missed or not latencies:
        print(
            f"freshness: FAILED: after {len(latencies)} corrections, one was not seen within 60 s under ~{rate} "
            f"background values/s ({sent} sent): the service fell behind the background load"
        )
        return
    latencies.sort()
    p50, p99 = statistics.median(latencies), latencies[min(len(latencies) - 1, round(0.99 * (len(latencies) - 1)))]
    print(
        f"freshness: {count} single corrections under ~{rate} background values/s ({sent} sent): "
        f"p50 {p50 * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms, max {latencies[-1] * 1000:.0f} ms (acceptance → "
        f"national event received)"
    )


async def _await_event(consumer: AIOKafkaConsumer, key: bytes, accepted: datetime) -> float:
    stamp = accepted.isoformat().replace("+00:00", "Z")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        for records in (await consumer.getmany(timeout_ms=100)).values():
            for record in records:
                if record.key == key and json.loads(record.value)["payload"]["newest_accepted_at"] >= stamp:
                    return (datetime.now(UTC) - accepted).total_seconds()
    raise TimeoutError("no national event for a correction within 60 s")
