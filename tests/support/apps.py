"""The one in-process app runner: a service's FastAPI app with its lifespan running, and an HTTP client to it.

Service processes (`python -m dantoc_<svc> serve`) are run by `tests.support.stack.serve` instead.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI


@asynccontextmanager
async def running_app(app: FastAPI, base_url: str, *, timeout: float = 60.0) -> AsyncIterator[httpx.AsyncClient]:
    """Enter the app's lifespan (startup: what it checks and starts), yield a client that calls it in process; the
    lifespan's shutdown runs when the block ends, whatever happened in it."""
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=base_url, timeout=timeout) as client:
            yield client
