"""Request count and latency by route template and status (a pure ASGI middleware: no body buffering)."""

from __future__ import annotations

import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class RequestMetrics:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def record(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, record)
        finally:
            runtime: Any = getattr(scope["app"].state, "runtime", None)
            route = scope.get("route")
            name = getattr(route, "path", "unmatched")
            if runtime is not None:
                runtime.metrics.requests.labels(name, str(status)).inc()
                runtime.metrics.latency.labels(name, str(status)).observe(time.perf_counter() - started)
