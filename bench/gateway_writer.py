"""Keeps the read model changing during a benchmark run: publishes new province figures at a steady rate.

    uv run python -m bench.gateway_writer --namespace NS --rate 20 --duration 30

Each message is a newer computation of a 2024 province total, so the gateway applies it and retires the cached
answers of that (indicator, period). A separate process, like the load generator.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import time
import uuid
from datetime import UTC, datetime

from aiokafka import AIOKafkaProducer

from bench.gateway_scenarios import _provinces, _yearly
from dantoc_contracts import topics
from dantoc_contracts.topics import topic_name


def _message(indicator: str, aggregation: str, province: str, rng: random.Random) -> bytes:
    now = datetime.now(UTC).isoformat()
    payload = {
        "kind": "AggregateChanged",
        "indicator": indicator,
        "unit_code": province,
        "unit_level": "province",
        "period": "2024",
        "disaggregation": {"ethnic_group": None, "sex": None, "age_group": None, "residence": None},
        "aggregation": aggregation,
        "value": str(rng.randint(100, 100_000)),
        "numerator": None,
        "denominator": None,
        "count": 1,
        "completeness": None,
        "newest_accepted_at": now,
        "computed_at": now,
    }
    envelope = {"message_id": str(uuid.uuid4()), "type": "AggregateChanged", "producer": "bench", "payload": payload}
    return json.dumps(envelope).encode()


async def run(bootstrap: str, namespace: str, rate: float, duration: float) -> int:
    rng = random.Random(7)
    indicators = [(i.code, i.versions[-1].aggregation.value) for i in _yearly() if i.versions[-1].formula is None]
    provinces = _provinces()
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, enable_idempotence=True, acks="all")
    await producer.start()
    sent, start = 0, time.perf_counter()
    try:
        while (elapsed := time.perf_counter() - start) < duration:
            due = start + sent / rate
            if due > time.perf_counter():
                await asyncio.sleep(due - time.perf_counter())
            (indicator, aggregation), province = rng.choice(indicators), rng.choice(provinces)
            key = f"{indicator}|{province}|2024|_T|_T|_T|_T"
            await producer.send(
                topic_name(topics.AGGREGATES, namespace),
                _message(indicator, aggregation, province, rng),
                key=key.encode(),
            )
            sent += 1
        await producer.flush()
    finally:
        await producer.stop()
    return sent if elapsed else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--bootstrap", default=os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"))
    parser.add_argument("--namespace", required=True)
    parser.add_argument("--rate", type=float, default=20)
    parser.add_argument("--duration", type=float, default=30)
    args = parser.parse_args()
    print(json.dumps({"sent": asyncio.run(run(args.bootstrap, args.namespace, args.rate, args.duration))}))


if __name__ == "__main__":
    main()
