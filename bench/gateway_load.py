"""Open-loop load generator for the gateway benchmark: a separate process, so it does not share the server's loop.

    uv run python -m bench.gateway_load --url http://127.0.0.1:8000 --paths paths.json --token TOKEN \
        --rate 500 --duration 20 --warmup 3 --connections 64

Requests leave at a fixed rate whatever the answers do; latency is measured from the moment a request was due,
so a slow server shows as queueing instead of hiding it (no coordinated omission). Prints one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import time
from typing import Any
from urllib.parse import urlsplit


class Connection:
    """One keep-alive HTTP/1.1 connection with just enough of the protocol for GET."""

    def __init__(self, host: str, port: int, token: str) -> None:
        self.host, self.port = host, port
        self.head = f"Host: {host}:{port}\r\nAuthorization: Bearer {token}\r\nAccept: application/json\r\n\r\n".encode()
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, path: str) -> tuple[int, int]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        self.writer.write(f"GET {path} HTTP/1.1\r\n".encode() + self.head)
        status = int((await self.reader.readline()).split(b" ", 2)[1])
        length, chunked, close = 0, False, False
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            name, value = name.strip().lower(), value.strip().lower()
            length = int(value) if name == "content-length" else length
            chunked = chunked or (name == "transfer-encoding" and "chunked" in value)
            close = close or (name == "connection" and value == "close")
        size = await self._chunked() if chunked else len(await self.reader.readexactly(length))
        if close:
            self.close()
        return status, size

    async def _chunked(self) -> int:
        assert self.reader is not None
        size = 0
        while (chunk := int((await self.reader.readline()).strip() or b"0", 16)) > 0:
            size += len(await self.reader.readexactly(chunk + 2)) - 2
        await self.reader.readline()
        return size

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def run(
    url: str, paths: list[str], token: str, rate: float, duration: float, warmup: float, connections: int
) -> dict[str, Any]:
    parts = urlsplit(url)
    idle: asyncio.Queue[Connection] = asyncio.Queue()
    for _ in range(connections):
        idle.put_nowait(Connection(parts.hostname or "127.0.0.1", parts.port or 80, token))
    latencies: list[float] = []
    statuses: dict[str, int] = {}
    received = 0

    async def one(path: str, due: float, measured: bool) -> None:
        nonlocal received
        connection = await idle.get()
        try:
            status, size = await connection.get(path)
        except (OSError, asyncio.IncompleteReadError, ValueError, IndexError):
            connection.close()
            status, size = 599, 0
        finally:
            idle.put_nowait(connection)
        if measured:
            latencies.append(time.perf_counter() - due)
            statuses[str(status)] = statuses.get(str(status), 0) + 1
            received += size

    rng = random.Random(1)
    start = time.perf_counter() + 0.2
    total = int((warmup + duration) * rate)
    tasks = []
    for i in range(total):
        due = start + i / rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(rng.choice(paths), due, i >= warmup * rate)))
    await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - (start + warmup)
    return _summary(latencies, statuses, received, elapsed, rate)


def _summary(
    latencies: list[float], statuses: dict[str, int], received: int, elapsed: float, rate: float
) -> dict[str, Any]:
    ordered = sorted(latencies)

    def pct(q: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000, 2) if ordered else 0.0

    return {
        "target_rps": rate,
        "requests": len(ordered),
        "achieved_rps": round(len(ordered) / elapsed, 1),
        "statuses": statuses,
        "p50_ms": pct(0.50),
        "p90_ms": pct(0.90),
        "p99_ms": pct(0.99),
        "max_ms": round(ordered[-1] * 1000, 2) if ordered else 0.0,
        "mean_ms": round(sum(ordered) / len(ordered) * 1000, 2) if ordered else 0.0,
        "mean_response_bytes": round(received / len(ordered)) if ordered else 0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--url", required=True)
    parser.add_argument("--paths", required=True, help="JSON file: the request paths, drawn at random")
    parser.add_argument("--token", required=True)
    parser.add_argument("--rate", type=float, default=500)
    parser.add_argument("--duration", type=float, default=20)
    parser.add_argument("--warmup", type=float, default=3)
    parser.add_argument("--connections", type=int, default=64)
    args = parser.parse_args()
    with open(args.paths, encoding="utf-8") as handle:
        paths = json.load(handle)
    result = asyncio.run(run(args.url, paths, args.token, args.rate, args.duration, args.warmup, args.connections))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
