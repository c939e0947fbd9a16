"""The in-process app runners: a service's FastAPI app with its lifespan running, and an HTTP client to it
(`running_app`), or served on a real local port (`served_app`).

Service processes (`python -m dantoc_<svc> serve`) are run by `tests.support.stack.serve` instead.
"""

from __future__ import annotations

import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager

import httpx
import uvicorn
from fastapi import FastAPI

from tests.support.infra import free_port


@asynccontextmanager
async def running_app(app: FastAPI, base_url: str, *, timeout: float = 60.0) -> AsyncIterator[httpx.AsyncClient]:
    """Enter the app's lifespan (startup: what it checks and starts), yield a client that calls it in process; the
    lifespan's shutdown runs when the block ends, whatever happened in it."""
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=base_url, timeout=timeout) as client:
            yield client


@contextmanager
def served_app(app: FastAPI, *, timeout: float = 60.0) -> Iterator[str]:
    """The app served by uvicorn on a free local port, in a thread with its own event loop (for clients that need a
    real socket, such as the schema fuzzers); yields its base URL once `/ready` answers 200."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while not _answers_ready(url):
            if not thread.is_alive() or time.monotonic() > deadline:
                raise TimeoutError(f"the app on {url} did not become ready in {timeout:.0f} s")
            time.sleep(0.1)
        yield url
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def _answers_ready(url: str) -> bool:
    try:
        return httpx.get(f"{url}/ready", timeout=2).status_code == 200
    except httpx.TransportError:
        return False
