"""The phases of the aggregate benchmark, and the context they share (namespace, database, service process)."""

from __future__ import annotations

import asyncio
import importlib.util
import os
import pstats
import signal
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg  # type: ignore[import-untyped]
import httpx
import psutil
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from dantoc_aggregate.db import repository as repo
from dantoc_aggregate.db.engine import create_engine
from dantoc_aggregate.services.apply import BATCH_SEQ, PUBLISHED_SEQ
from dantoc_contracts import topics
from dantoc_contracts.envelope import Envelope
from dantoc_contracts.messages import encode
from dantoc_contracts.values import ValuesAccepted

REPO = Path(__file__).resolve().parents[1]
LOCAL = REPO / ".local/bench"


def _topics_module() -> Any:
    spec = importlib.util.spec_from_file_location("dantoc_deploy_topics", REPO / "deploy/kafka/topics.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def envelope_bytes(message: ValuesAccepted) -> bytes:
    return encode(Envelope[ValuesAccepted](type=message.kind, producer="bench", payload=message))


@dataclass
class BenchContext:
    bootstrap: str
    namespace: str
    backend: str
    database_url: str
    database_label: str
    batch: int
    profile: bool
    admin_dsn: str | None = None
    process: subprocess.Popen[bytes] | None = None
    port: int = 0
    peak_rss: float = 0.0
    infra_peak: dict[str, float] = field(default_factory=dict)
    infra_sampled: float = 0.0
    profile_path: Path = field(default_factory=lambda: LOCAL / f"aggregate-{uuid.uuid4().hex[:6]}.prof")

    @classmethod
    async def create(
        cls, bootstrap: str, namespace: str, backend: str, postgres: str, batch: int, profile: bool
    ) -> BenchContext:
        await _topics_module().ensure_topics(bootstrap, namespace)
        LOCAL.mkdir(parents=True, exist_ok=True)
        if backend == "sqlite":
            path = LOCAL / f"aggregate-{namespace}.db"
            return cls(
                bootstrap, namespace, backend, f"sqlite+aiosqlite:///{path}", f"SQLite file {path}", batch, profile
            )
        name = f"bench_{namespace}"
        admin = postgres.rsplit("/", 1)[0].replace("postgresql+asyncpg://", "postgresql://") + "/postgres"
        conn = await asyncpg.connect(admin)
        await conn.execute(f'CREATE DATABASE "{name}"')
        await conn.close()
        url = postgres.rsplit("/", 1)[0] + f"/{name}"
        return cls(bootstrap, namespace, backend, url, f"PostgreSQL database {name}", batch, profile, admin_dsn=admin)

    async def close(self) -> None:
        if self.admin_dsn:
            conn = await asyncpg.connect(self.admin_dsn)
            await conn.execute(f'DROP DATABASE IF EXISTS "bench_{self.namespace}" WITH (FORCE)')
            await conn.close()
        elif self.database_url.startswith("sqlite"):
            for suffix in ("", "-wal", "-shm"):
                await asyncio.to_thread(Path(self.database_url.split("///", 1)[1] + suffix).unlink, missing_ok=True)

    async def producer(self) -> AIOKafkaProducer:
        producer = AIOKafkaProducer(
            bootstrap_servers=self.bootstrap,
            enable_idempotence=True,
            acks="all",
            linger_ms=5,
            max_batch_size=1 << 20,
            max_request_size=16 << 20,
        )
        await producer.start()
        return producer

    async def publish_catalog(self, records: list[tuple[str, Any]]) -> None:
        producer = await self.producer()
        topic = topics.topic_name(topics.CATALOG, self.namespace)
        for key, record in records:
            payload = encode(Envelope[Any](type=record.kind, producer="bench", payload=record))
            await producer.send(topic, payload, key=key.encode())
        await producer.flush()
        await producer.stop()

    def start_service(self) -> None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        env = {
            **os.environ,
            "KAFKA_BOOTSTRAP_SERVERS": self.bootstrap,
            "DANTOC_TOPIC_NAMESPACE": self.namespace,
            "DANTOC_AGGREGATE_DATABASE_URL": self.database_url,
            "DANTOC_AGGREGATE_HTTP_PORT": str(self.port),
            "DANTOC_AGGREGATE_BATCH_MAX_RECORDS": str(self.batch),
            "DANTOC_AGGREGATE_CONSUMER_GROUP": f"aggregate-{self.namespace}",
        }
        subprocess.run([sys.executable, "-m", "dantoc_aggregate", "migrate"], env=env, check=True, capture_output=True)
        command = ["-m", "dantoc_aggregate", "serve"]
        if self.profile:
            command = [str(REPO / "bench/aggregate_profiled.py"), str(self.profile_path)]
        log = (LOCAL / f"service-{self.namespace}.log").open("wb")
        self.process = subprocess.Popen([sys.executable, *command], env=env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{self.port}/ready", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            if self.process.poll() is not None:
                raise RuntimeError(f"service exited; see {log.name}")
            time.sleep(0.2)
        raise TimeoutError("service not ready")

    def stop_service(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=120)

    def service_cpu(self) -> float:
        """CPU seconds (user + system, threads included) the service process has used so far."""
        if self.process is None or self.process.poll() is not None:
            return 0.0
        times = psutil.Process(self.process.pid).cpu_times()
        return float(times.user + times.system)

    def sample_rss(self) -> None:
        if self.process is not None and self.process.poll() is None:
            rss = psutil.Process(self.process.pid).memory_info().rss / 2**20
            self.peak_rss = max(self.peak_rss, rss)
        now = time.monotonic()
        if now - self.infra_sampled >= 1.0:  # reading the servers' memory maps costs ~15 ms
            self.infra_sampled = now
            for name, used in infra_memory(self.backend).items():
                self.infra_peak[name] = max(self.infra_peak.get(name, 0.0), used)

    async def progress(self) -> tuple[dict[int, int], int, int]:
        engine = create_engine(self.database_url)
        try:
            async with engine.connect() as conn:
                offsets = await repo.load_offsets(conn, topics.topic_name(topics.VALUES_ACCEPTED, self.namespace))
                return offsets, await repo.read_counter(conn, BATCH_SEQ), await repo.read_counter(conn, PUBLISHED_SEQ)
        finally:
            await engine.dispose()

    def metric(self, name: str) -> float:
        text = httpx.get(f"http://127.0.0.1:{self.port}/metrics", timeout=10).text
        return sum(float(line.split()[-1]) for line in text.splitlines() if line.startswith(name + " "))


def infra_memory(backend: str) -> dict[str, float]:
    """MiB used now by the Kafka broker (its JVM's resident set) and, for PostgreSQL, by the server (the
    proportional set size of all its processes, so shared buffers count once): the other processes of the run."""
    found: dict[str, float] = {}
    for process in psutil.process_iter(["name", "cmdline"]):
        try:
            if "kafka.Kafka" in (process.info["cmdline"] or []):
                found["Kafka broker"] = found.get("Kafka broker", 0.0) + process.memory_info().rss / 2**20
            elif backend == "postgres" and process.info["name"] == "postgres":
                found["PostgreSQL"] = found.get("PostgreSQL", 0.0) + process.memory_full_info().pss / 2**20
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return found


async def end_offsets(context: BenchContext) -> dict[int, int]:
    consumer = AIOKafkaConsumer(bootstrap_servers=context.bootstrap, group_id=None)
    await consumer.start()
    topic = topics.topic_name(topics.VALUES_ACCEPTED, context.namespace)
    partitions = [TopicPartition(topic, p) for p in range(topics.VALUES_ACCEPTED.partitions)]
    ends = await consumer.end_offsets(partitions)
    await consumer.stop()
    return {tp.partition: offset for tp, offset in ends.items()}


async def _wait_caught_up(context: BenchContext) -> float:
    end = await end_offsets(context)
    while True:
        context.sample_rss()
        offsets, batches, published = await context.progress()
        if all(offsets.get(p, 0) >= o for p, o in end.items()) and published >= batches:
            return time.perf_counter()
        await asyncio.sleep(0.1)


async def national_year(context: BenchContext, messages: list[ValuesAccepted], values: int) -> None:
    producer = await context.producer()
    topic = topics.topic_name(topics.VALUES_ACCEPTED, context.namespace)
    now = datetime.now(UTC)
    for message in messages:
        message.accepted_at = now
    encoded = [(m.unit_code.encode(), envelope_bytes(m)) for m in messages]
    cpu_before = context.service_cpu()
    started = time.perf_counter()
    for key, value in encoded:
        await producer.send(topic, value, key=key)
    await producer.flush()
    published = time.perf_counter()
    await producer.stop()
    done = await _wait_caught_up(context)
    wall = done - started
    cpu = context.service_cpu() - cpu_before
    events = context.metric("dantoc_aggregate_events_published_total")
    batches = context.metric("dantoc_aggregate_batches_total")
    print(
        f"national year: {values} values in {len(messages)} messages; published by the benchmark in "
        f"{published - started:.1f}s; last aggregate published after {wall:.1f}s"
    )
    print(
        f"  end to end {values / wall:,.0f} values/s; {events:,.0f} aggregate events ({events / wall:,.0f}/s) in "
        f"{batches:,.0f} batches; service CPU {cpu:.1f}s ({values / cpu:,.0f} values per CPU second); "
        f"service peak RSS {context.peak_rss:.0f} MiB"
    )
    servers = ", ".join(f"{name} {used:.0f} MiB" for name, used in sorted(context.infra_peak.items()))
    print(f"  peak memory of the other processes of the run: {servers or 'not sampled'}")


def print_profile(context: BenchContext, top: int = 25) -> None:
    if not context.profile_path.exists():
        print("no profile written")
        return
    stats = pstats.Stats(str(context.profile_path))
    print(f"\nservice profile ({context.profile_path}), top {top} by own time:")
    stats.sort_stats("tottime").print_stats(top)
    print(f"service profile, top {top} by cumulative time:")
    stats.sort_stats("cumulative").print_stats(top)
