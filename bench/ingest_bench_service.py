"""The ingest service as a child process of the benchmark, and what it reports (readiness, metrics, memory)."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import IO, Any

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class Service:
    """`python -m dantoc_ingest serve` as a child process."""

    def __init__(self, env: dict[str, str], port: int) -> None:
        self.env, self.port = env, port
        self.process: subprocess.Popen[bytes] | None = None

    def _spawn(self, out: IO[bytes]) -> subprocess.Popen[bytes]:
        migrate = [sys.executable, "-m", "dantoc_ingest", "migrate"]  # first: `serve` refuses a schema not at head
        subprocess.run(migrate, env=self.env, stdout=out, stderr=subprocess.STDOUT, check=True, timeout=120)
        command = [sys.executable, "-m", "dantoc_ingest", "serve"]
        return subprocess.Popen(command, env=self.env, stdout=out, stderr=subprocess.STDOUT)

    @contextlib.asynccontextmanager
    async def running(self, log: Path) -> AsyncIterator[httpx.AsyncClient]:
        with log.open("wb") as out:
            self.process = self._spawn(out)
            try:
                limits = httpx.Limits(max_connections=64)
                async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{self.port}", timeout=120, limits=limits) as c:
                    await self._wait_ready(c)
                    yield c
            finally:
                self.process.terminate()
                self.process.wait(timeout=60)

    async def _wait_ready(self, client: httpx.AsyncClient) -> None:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            assert self.process is not None
            assert self.process.poll() is None, "ingest exited; see its log"
            with contextlib.suppress(httpx.HTTPError):
                if (await client.get("/ready")).status_code == 200:
                    return
            await asyncio.sleep(0.5)
        raise TimeoutError("ingest not ready after 180 s")


async def accepted_count(client: httpx.AsyncClient, channel: str) -> float:
    text = (await client.get("/metrics")).text
    line = f'dantoc_ingest_submissions_total{{channel="{channel}",outcome="accepted"}} '
    return next((float(row.split()[-1]) for row in text.splitlines() if row.startswith(line)), 0.0)


async def wait_accepted(client: httpx.AsyncClient, channel: str, wanted: int, timeout: float) -> float:
    deadline = time.monotonic() + timeout
    while await accepted_count(client, channel) < wanted:
        if time.monotonic() > deadline:
            raise TimeoutError(f"only {await accepted_count(client, channel)} of {wanted} accepted")
        await asyncio.sleep(0.05)
    return time.monotonic()


async def post_all(
    client: httpx.AsyncClient, bodies: list[dict[str, Any]], headers: dict[str, str], concurrency: int
) -> None:
    queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    for body in bodies:
        queue.put_nowait(body)

    async def worker() -> None:
        while not queue.empty():
            body = queue.get_nowait()
            response = await client.post("/submissions", json=body, headers=headers)
            if response.status_code != 200:
                raise RuntimeError(f"{body['submission_id']}: {response.status_code} {response.text[:500]}")

    await asyncio.gather(*(worker() for _ in range(concurrency)))
