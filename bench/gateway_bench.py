"""Gateway benchmark: a national year in the read model, typical queries under open-loop load from another process.

    uv run python -m bench.gateway_bench                      # publish through Kafka, cached and uncached runs
    uv run python -m bench.gateway_bench --load direct        # write through the read-model use case instead
    uv run python -m bench.gateway_bench --rate 500 --duration 20 --uncached-rates 200,500 --updates 20

Needs KAFKA_BOOTSTRAP_SERVERS (a broker); the gateway runs as `python -m dantoc_gateway serve` on --port with a
SQLite read model (or --database-url). Prints how it ran and, per scenario, p50/p99 latency and requests per second.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import psutil

from bench.gateway_feed import create_topics, load_direct, publish_catalog, publish_year, remove_topics
from bench.gateway_scenarios import Setup, scenarios

REPO = Path(__file__).resolve().parents[1]


def _gateway(setup: Setup, args: argparse.Namespace, cache_megabytes: int, log: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DANTOC_GATEWAY_DATABASE_URL": setup.database_url,
        "DANTOC_TOPIC_NAMESPACE": setup.namespace,
        "DANTOC_JWT_PUBLIC_KEY_FILE": str(setup.public_key),
        "DANTOC_GATEWAY_RESPONSE_CACHE_MEGABYTES": str(cache_megabytes),
        "DANTOC_GATEWAY_CONSUMER_GROUP": f"gateway-{setup.namespace}",
        "DANTOC_GATEWAY_HTTP_WORKERS": str(args.workers),
    }
    migrate = [sys.executable, "-m", "dantoc_gateway", "migrate"]  # first: serve refuses a schema not at head
    subprocess.run(migrate, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT, cwd=REPO, check=True)
    command = [sys.executable, "-m", "dantoc_gateway", "serve", "--port", str(args.port)]
    return subprocess.Popen(command, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT, cwd=REPO)


def _wait_ready(url: str, process: subprocess.Popen[bytes], deadline_s: float) -> float:
    started, last = time.monotonic(), 0.0
    while time.monotonic() - started < deadline_s:
        if process.poll() is not None:
            raise RuntimeError("the gateway exited; see its log")
        try:
            response = httpx.get(f"{url}/ready", timeout=5)
            body = response.json()
            if response.status_code == 200 and body["aggregates"]["lag"] == 0:
                return time.monotonic() - started
            if time.monotonic() - last > 15:
                lag = body.get("aggregates", {}).get("lag")
                print(f"  … catching up: aggregates lag {lag} after {time.monotonic() - started:.0f}s", flush=True)
                last = time.monotonic()
        except (httpx.TransportError, ValueError):
            pass
        time.sleep(0.5)
    raise TimeoutError("the gateway did not catch up in time")


def _load(setup: Setup, args: argparse.Namespace, paths: list[str], rate: float, pid: int) -> dict[str, Any]:
    file = setup.workdir / "paths.json"
    file.write_text(json.dumps(paths), encoding="utf-8")
    command = [
        sys.executable, "-m", "bench.gateway_load", "--url", setup.url, "--paths", str(file), "--token", setup.token,
        "--rate", str(rate), "--duration", str(args.duration), "--warmup", str(args.warmup),
    ]  # fmt: skip
    server = psutil.Process(pid)
    before, started = _tree_cpu(server), time.monotonic()
    load = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, cwd=REPO)
    generator = psutil.Process(load.pid)
    spent = 0.0
    while load.poll() is None:  # sample the generator's CPU until it exits
        spent = max(spent, _cpu(generator))
        time.sleep(0.5)
    out = load.stdout.read() if load.stdout else "{}"
    result: dict[str, Any] = json.loads(out)
    busy, wall = _tree_cpu(server) - before, time.monotonic() - started
    result["server_cpu"] = round(busy / wall, 2)  # cores busy on average while the load ran
    result["loadgen_cpu"] = round(spent / wall, 2)
    return result


def _cpu(process: psutil.Process) -> float:
    try:
        times = process.cpu_times()
    except psutil.NoSuchProcess:
        return 0.0
    return float(times.user + times.system)


def _tree_cpu(process: psutil.Process) -> float:
    """CPU seconds of the gateway and its worker processes."""
    return _cpu(process) + sum(_cpu(child) for child in process.children(recursive=True))


def _writer(setup: Setup, args: argparse.Namespace) -> subprocess.Popen[str] | None:
    """Changes arriving while the load runs (new province figures), or None without --updates."""
    if not args.updates:
        return None
    command = [
        sys.executable, "-m", "bench.gateway_writer", "--bootstrap", setup.bootstrap, "--namespace", setup.namespace,
        "--rate", str(args.updates), "--duration", str(args.duration + args.warmup + 5),
    ]  # fmt: skip
    return subprocess.Popen(command, stdout=subprocess.PIPE, text=True, cwd=REPO)


def _pass(
    setup: Setup, args: argparse.Namespace, cache_megabytes: int, rates: list[float], *, updating: bool = False
) -> list[dict[str, Any]]:
    log = setup.workdir / "gateway.log"
    process = _gateway(setup, args, cache_megabytes, log)
    try:
        took = _wait_ready(setup.url, process, args.ready_timeout)
        print(f"  gateway ready (response cache {cache_megabytes} MB) after {took:.1f}s", flush=True)
        results = []
        for name, paths in scenarios(setup).items():
            saturated = False
            for rate in rates:
                if saturated:  # a higher rate would only queue longer
                    continue
                writer = _writer(setup, args) if updating else None
                found = _load(setup, args, paths, rate, process.pid)
                updates = 0.0 if writer is None else args.updates
                if writer is not None:
                    writer.kill()
                found |= {
                    "scenario": name,
                    "cache": cache_megabytes > 0,
                    "distinct_paths": len(paths),
                    "updates_per_s": updates,
                }
                print("  " + _line(found), flush=True)
                results.append(found)
                saturated = found["achieved_rps"] < 0.9 * rate
        return results
    finally:
        process.terminate()
        process.wait(timeout=60)


def _line(r: dict[str, Any]) -> str:
    return (
        f"{r['scenario']:<26} cache={'on ' if r['cache'] else 'off'} updates={r.get('updates_per_s', 0):>3.0f}/s "
        f"target={r['target_rps']:>5.0f}/s achieved={r['achieved_rps']:>6.1f}/s "
        f"p50={r['p50_ms']:>7.2f}ms p99={r['p99_ms']:>8.2f}ms "
        f"max={r['max_ms']:>8.1f}ms {r['statuses']} bytes={r['mean_response_bytes']} "
        f"cpu server={r['server_cpu']} loadgen={r.get('loadgen_cpu')}"
    )


async def _prepare(setup: Setup, args: argparse.Namespace) -> dict[str, Any]:
    facts: dict[str, Any] = {"namespace": setup.namespace, "load": args.load, "database_url": setup.database_url}
    await create_topics(setup.bootstrap, setup.namespace)
    facts["catalog_records"] = await publish_catalog(setup.bootstrap, setup.namespace)
    started = time.monotonic()
    if args.load == "kafka":
        facts["aggregates"] = await publish_year(setup.bootstrap, setup.namespace)
    else:
        facts["aggregates"] = await load_direct(setup.database_url)
    facts["load_seconds"] = round(time.monotonic() - started, 1)
    return facts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--load", choices=("kafka", "direct"), default="kafka")
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--workers", type=int, default=2, help="gateway worker processes")
    parser.add_argument("--rate", default="500", help="comma-separated request rates with the response cache on")
    parser.add_argument("--uncached-rates", default="200,500", help="rates with the cache off ('' to skip)")
    parser.add_argument("--duration", type=float, default=20)
    parser.add_argument("--warmup", type=float, default=3)
    parser.add_argument("--ready-timeout", type=float, default=1800)
    parser.add_argument(
        "--updates", type=float, default=20, help="changes per second in the extra cached pass (0: none)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the topics and database afterwards")
    parser.add_argument("--reuse", default=None, help="namespace of a kept run: skip loading, query its read model")
    args = parser.parse_args()
    namespace = args.reuse or f"gwbench{uuid.uuid4().hex[:8]}"
    setup = Setup.create(REPO / ".local" / "gateway-bench", namespace, args.port, args.database_url)
    print(
        f"gateway benchmark: {os.cpu_count()} cores, namespace {setup.namespace}, workdir {setup.workdir}", flush=True
    )
    facts = {"reused": namespace} if args.reuse else asyncio.run(_prepare(setup, args))
    print(f"  read model input: {json.dumps(facts)}", flush=True)
    rates = [float(r) for r in args.rate.split(",")]
    results = _pass(setup, args, 256, rates)
    if args.updates:
        results += _pass(setup, args, 256, rates, updating=True)
    if args.uncached_rates:
        results += _pass(setup, args, 0, [float(r) for r in args.uncached_rates.split(",")])
    (setup.workdir / "results.json").write_text(json.dumps({"facts": facts, "results": results}, indent=2))
    print("\nsummary (latency from when each request was due; load generator in its own process):")
    for result in results:
        print("  " + _line(result))
    if not args.keep:
        asyncio.run(remove_topics(setup.bootstrap, setup.namespace))
        setup.cleanup()


if __name__ == "__main__":
    main()
