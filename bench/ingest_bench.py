"""Ingest benchmark: a commune's full catalogue (78 indicators; ethnic group × sex where allowed) submitted through
Kafka and through HTTP, against a real broker and database. Not a test: it prints figures and how it ran.

    uv run python -m bench.ingest_bench --submissions 200 [--database-url URL] [--concurrency 8]

Steps: build the real catalogue from the catalog data files (or let the catalog service publish it with
`--catalog service`) on a fresh topic namespace; start `python -m dantoc_ingest serve` as a process; then
  1. baseline: produce the same SubmissionRequested messages straight to a Kafka topic nobody checks;
  2. Kafka: produce them to the submissions topic; time until ingest has accepted (metrics) and published all;
  3. HTTP: POST them (other communes) with N concurrent clients; time until answered and published.
Peak memory is the ingest process's VmHWM (peak resident set).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from bench.ingest_bench_data import catalog_records, communes, full_catalogue
from bench.ingest_bench_kafka import REPO, count_until, ensure_topics, kafka_messages, publish, remove_topics
from bench.ingest_bench_service import Service, free_port, peak_rss_mb, post_all, wait_accepted
from dantoc_contracts import topics
from dantoc_contracts.access import Role
from dantoc_contracts.catalog import catalog_key
from dantoc_contracts.envelope import Envelope
from dantoc_contracts.messages import encode
from dantoc_ingest.auth.tokens import generate_keys, mint_token

PERIOD = "2025"
AGENCY = "BDTTG"  # registered in agencies.csv with scope VN


def requests(units: list[str], records: list[Any], prefix: str) -> list[dict[str, Any]]:
    return [
        {
            "submission_id": f"{prefix}-{unit}",
            "agency": AGENCY,
            "unit_code": unit,
            "period": PERIOD,
            "source": "system",
            "values": full_catalogue(records, seed=index),
        }
        for index, unit in enumerate(units)
    ]


def _rates(label: str, count: int, values: int, started: float, accepted: float, published: float) -> str:
    acc, pub = accepted - started, published - started
    return (
        f"{label:<9} {count:>6} subm {values:>8} values | accepted in {acc:7.2f} s = {values / acc:9.0f} values/s"
        f" | published in {pub:7.2f} s = {values / pub:9.0f} values/s"
    )


def _machine(args: argparse.Namespace, per_submission: int) -> Iterator[str]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory = next(
        int(line.split()[1]) // 1024
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    python = platform.python_version()
    yield f"machine   {platform.node()} | {os.cpu_count()} CPU ({cpu}) | {memory} MiB RAM | Python {python}"
    yield f"broker    {args.bootstrap} | database {args.database_url.split('@')[-1]} | catalog from {args.catalog}"
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    yield f"load      {load} (1/5/15 min load average at the end; other processes share the CPUs)"
    yield f"counts    {args.submissions} submissions per way × {per_submission} values (one commune's full catalogue)"
    yield f"command   uv run python -m bench.ingest_bench {' '.join(sys.argv[1:])}"


@dataclass
class Setup:
    work: Path
    namespace: str
    scratch: str
    by_kafka: list[dict[str, Any]]
    by_http: list[dict[str, Any]]
    headers: dict[str, str]
    env: dict[str, str]
    port: int


async def prepare(args: argparse.Namespace) -> Setup:
    """Fresh topics, the catalogue on its topic, the submissions, a key pair and the service's environment."""
    work = Path(tempfile.mkdtemp(prefix="ingest-bench-", dir=REPO / ".local"))
    namespace, scratch = f"ingestbench{int(time.time())}", f"ingestbenchraw{int(time.time())}"
    for ns in (namespace, scratch):
        await ensure_topics(args.bootstrap, ns)
    records = catalog_records()
    envelopes = [
        (catalog_key(r).encode(), encode(Envelope[Any](producer="bench", type=r.kind, payload=r))) for r in records
    ]
    await publish(args.bootstrap, topics.topic_name(topics.CATALOG, namespace), envelopes)
    units = communes(records, 2 * args.submissions)
    generate_keys(work / "private.pem", work / "public.pem")
    signed = mint_token((work / "private.pem").read_bytes(), role=Role.NATIONAL, agency=AGENCY, scope="VN")
    args.database_url = args.database_url or f"sqlite+aiosqlite:///{work / 'ingest.db'}"
    port = free_port()
    env = {
        **os.environ,
        "KAFKA_BOOTSTRAP_SERVERS": args.bootstrap,
        "DANTOC_TOPIC_NAMESPACE": namespace,
        "DANTOC_INGEST_DATABASE_URL": args.database_url,
        "DANTOC_INGEST_HTTP_PORT": str(port),
        "DANTOC_JWT_PUBLIC_KEY_FILE": str(work / "public.pem"),
        "DANTOC_INGEST_CONSUMER_GROUP": f"ingest-{namespace}",
    }
    return Setup(
        work,
        namespace,
        scratch,
        requests(units[::2], records, "k"),
        requests(units[1::2], records, "h"),
        {"Authorization": f"Bearer {signed}"},
        env,
        port,
    )


async def measure(args: argparse.Namespace, setup: Setup, service: Service, client: httpx.AsyncClient) -> list[str]:
    """The Kafka way then the HTTP way: (start, all accepted, all published) each."""
    values_topic = topics.topic_name(topics.VALUES_ACCEPTED, setup.namespace)
    ids = {b["submission_id"] for b in setup.by_kafka}
    started = time.monotonic()
    published = asyncio.create_task(count_until(args.bootstrap, values_topic, ids, 900))
    await publish(
        args.bootstrap, topics.topic_name(topics.SUBMISSIONS, setup.namespace), kafka_messages(setup.by_kafka)
    )
    kafka = (started, await wait_accepted(client, "kafka", len(ids), 900), await published)
    started = time.monotonic()
    published = asyncio.create_task(
        count_until(args.bootstrap, values_topic, {b["submission_id"] for b in setup.by_http}, 900)
    )
    await post_all(client, setup.by_http, setup.headers, args.concurrency)
    http = (started, time.monotonic(), await published)
    values = sum(len(b["values"]) for b in setup.by_kafka)
    return [_rates("kafka", len(ids), values, *kafka), _rates(f"http x{args.concurrency}", len(ids), values, *http)]


async def run(args: argparse.Namespace) -> None:
    setup = await prepare(args)
    try:
        messages = kafka_messages(setup.by_kafka)
        baseline = await publish(args.bootstrap, topics.topic_name(topics.SUBMISSIONS, setup.scratch), messages)
        service = Service(setup.env, setup.port)
        async with service.running(setup.work / "ingest.log") as client:
            assert service.process is not None
            after_start = peak_rss_mb(service.process.pid)
            lines = await measure(args, setup, service, client)
            peak = peak_rss_mb(service.process.pid)
    finally:
        await remove_topics(args.bootstrap, setup.namespace, setup.scratch)
    per, total = len(setup.by_kafka[0]["values"]), sum(len(b["values"]) for b in setup.by_kafka)
    print("\n".join(_machine(args, per)))
    print(
        f"baseline  {len(messages):>6} subm {total:>8} values | produced in {baseline:7.2f} s = "
        f"{total / baseline:9.0f} values/s ({len(messages) / baseline:.0f} msg/s, no checks, acks=all)"
    )
    print("\n".join(lines))
    log = setup.work / "ingest.log"
    print(f"memory    ingest peak RSS {peak:.0f} MiB (after start {after_start:.0f} MiB) | log {log}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--bootstrap", default=os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"))
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file under .local/")
    parser.add_argument("--submissions", type=int, default=200, help="per way (Kafka and HTTP)")
    parser.add_argument("--concurrency", type=int, default=8, help="concurrent HTTP clients")
    parser.add_argument("--catalog", choices=["files"], default="files")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
