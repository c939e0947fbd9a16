"""A request body size limit per route, enforced before the body is read (a pure ASGI middleware).

A `Content-Length` above the route's limit is answered 413 before the application runs; a body sent without one
(chunked) is counted as it streams, and the request is answered 413 as soon as it passes the limit. The gateway's
routes are all GETs and read no body: every route has the default limit (`DANTOC_GATEWAY_MAX_BODY_BYTES`) unless
given its own (`limits`, by path prefix, the longest first).
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from dantoc_contracts.problems import ProblemDocument
from dantoc_gateway.domain.problems import single

DEFAULT_LIMIT = 16 * 1024
"""Bytes of body a route accepts unless it is listed (the gateway reads none; a small one is ignored)."""


class _TooLarge(Exception):
    pass


def problem_body(path: str, limit: int) -> bytes:
    error = single(413, "Payload too large", "body_too_large", limit=limit)
    document = ProblemDocument(type=error.type, title=error.title, status=413, instance=path, errors=error.items)
    document.detail = "; ".join(item.message_en for item in error.items)
    return json.dumps(document.model_dump(mode="json"), ensure_ascii=False).encode("utf-8")


class BodyLimit:
    def __init__(self, app: ASGIApp, *, default: int = DEFAULT_LIMIT, limits: Mapping[str, int] | None = None) -> None:
        self.app = app
        self._default = default
        self._limits = sorted((limits or {}).items(), key=lambda item: -len(item[0]))

    def limit_for(self, path: str) -> int:
        for prefix, limit in self._limits:
            if path.startswith(prefix):
                return limit
        return self._default

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        limit = self.limit_for(path)
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await _refuse(send, path, limit)
            return
        received = 0
        started = False

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _TooLarge
            return message

        async def watched(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except _TooLarge:
            if started:  # too late for a 413: the connection is dropped
                raise
            await _refuse(send, path, limit)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _refuse(send: Send, path: str, limit: int) -> None:
    body = problem_body(path, limit)
    headers = [
        (b"content-type", b"application/problem+json"),
        (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"),
    ]
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": body})
