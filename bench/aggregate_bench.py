"""Benchmark of the aggregate service (not a timed test): prints its figures and how it ran.

    uv run python bench/aggregate_bench.py --scale 0.1 --backend sqlite --backend postgres [--profile]

Per backend, in a fresh topic namespace and a fresh database, against the broker at KAFKA_BOOTSTRAP_SERVERS and the
PostgreSQL server at DANTOC_TEST_POSTGRES_URL:
1. national year: a fraction (`--scale`) of the 10,035 legacy communes report the whole commune-level catalogue for
   2024 (ethnic group × sex where allowed); wall time from the first publish until every resulting aggregate,
   national ones included, is published; values per second; peak memory of the service, of this process, of the
   broker (its JVM's resident set) and of the PostgreSQL server (all its processes, proportional set size);
2. baseline (a): the same accepted-values topic consumed with no processing (the transport limit);
3. baseline (b): every rollup recomputed from the leaf table with SQL GROUP BY, and compared with the incremental
   state (must be identical);
4. freshness: under a steady background load, single corrections one by one; p50/p99 from acceptance to the
   national aggregate event.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import resource
import sys
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.aggregate_baselines import baseline_sql, baseline_transport  # noqa: E402
from bench.aggregate_freshness import freshness  # noqa: E402
from bench.aggregate_phases import BenchContext, national_year, print_profile  # noqa: E402
from bench.aggregate_workload import NationalYear, catalog_records  # noqa: E402


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--scale", type=float, default=0.1, help="fraction of the legacy communes (1 = all 10,035)")
    parser.add_argument("--backend", action="append", choices=["sqlite", "postgres"], help="repeatable")
    parser.add_argument("--corrections", type=int, default=60, help="single corrections timed for freshness")
    parser.add_argument("--background", type=int, default=2000, help="background load, values per second")
    parser.add_argument("--batch", type=int, default=1000, help="service batch size (messages)")
    parser.add_argument("--profile", action="store_true", help="run the service under cProfile and print hot spots")
    return parser.parse_args()


async def run(args: argparse.Namespace) -> None:
    bootstrap = os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092")
    postgres = os.environ.get("DANTOC_TEST_POSTGRES_URL", "postgresql+asyncpg://dantoc:dantoc@127.0.0.1:5432/postgres")
    started = time.perf_counter()
    workload = NationalYear(args.scale)
    messages = workload.messages()
    values = sum(len(m.changes) for m in messages)
    print(f"# aggregate benchmark on {platform.node()}: {os.cpu_count()} cores, Python {platform.python_version()}")
    print(
        f"broker {bootstrap}; scale {args.scale}: {len(workload.communes)} communes, {len(workload.indicators)} "
        f"indicator versions, {len(messages)} messages, {values} values (built in {time.perf_counter() - started:.1f}s)"
    )
    for backend in args.backend or ["sqlite"]:
        namespace = f"bench{uuid.uuid4().hex[:8]}"
        context = await BenchContext.create(bootstrap, namespace, backend, postgres, args.batch, args.profile)
        print(f"\n## backend {backend}: {context.database_label}, namespace {namespace}, batch {args.batch} messages")
        try:
            await context.publish_catalog(catalog_records())
            context.start_service()
            await national_year(context, messages, values)
            await baseline_transport(context, values)
            if args.corrections:
                await freshness(context, workload, messages, args.corrections, args.background)
        finally:
            context.stop_service()
        await baseline_sql(context)
        if args.profile:
            print_profile(context)
        await context.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nbenchmark process peak RSS {peak:.0f} MiB")


if __name__ == "__main__":
    asyncio.run(run(parse_args()))
