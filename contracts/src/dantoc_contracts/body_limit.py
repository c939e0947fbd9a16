"""One request body size limit per route, enforced before the body is read (a pure ASGI middleware).

Shared by every service (gateway, ingest, catalog); each keeps only its own route table. A `Content-Length` above
the route's limit (or not a number) is answered 413 before the application runs; a body without one (chunked) is
counted as it streams and cut off with 413 as soon as it passes the limit (the application sees the error or a
disconnect, nothing more is read, and whatever it answers is replaced by the 413). A route may need a token: a
body-carrying request without `Authorization` is answered 401 before any of its body is read. Routes are matched
by exact path or prefix, the longest first.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from dataclasses import dataclass
from typing import Any

from dantoc_contracts.problems import Location, ProblemDocument, ProblemItem

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

DEFAULT_LIMIT = 16 * 1024
"""Bytes of body a route accepts unless it is listed."""

BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})

MESSAGES: dict[str, tuple[str, str]] = {
    "body_too_large": (
        "Nội dung yêu cầu quá lớn: tối đa {limit} byte cho đường dẫn này.",
        "The request body is too large: at most {limit} bytes on this route.",
    ),
    "not_authenticated": (
        "Cần mã truy cập (tiêu đề Authorization) để gửi nội dung tới đường dẫn này.",
        "A token (Authorization header) is required to send a body to this route.",
    ),
}


@dataclass(frozen=True)
class Route:
    """The limit of one path (exact, or a prefix when it ends with `/` or `prefix` is set)."""

    path: str
    limit: int
    needs_token: bool = False
    prefix: bool = True


class _TooLarge(Exception):
    pass


def problem_body(path: str, status: int, code: str, **params: Any) -> bytes:
    vi, en = MESSAGES[code]
    item = ProblemItem(
        code=code,
        location=Location(field="body") if code == "body_too_large" else Location(),
        message_vi=vi.format(**params),
        message_en=en.format(**params),
    )
    title = "Payload too large" if status == 413 else "Not authenticated"
    document = ProblemDocument(title=title, status=status, instance=path, errors=[item], detail=item.message_en)
    return json.dumps(document.model_dump(mode="json"), ensure_ascii=False).encode("utf-8")


class BodyLimit:
    def __init__(
        self,
        app: ASGIApp,
        *,
        default: int = DEFAULT_LIMIT,
        limits: Mapping[str, int] | None = None,
        routes: list[Route] | None = None,
    ) -> None:
        self.app = app
        self._default = default
        table = [Route(path, limit) for path, limit in (limits or {}).items()] + list(routes or [])
        self._routes = sorted(table, key=lambda route: -len(route.path))

    def route_for(self, path: str) -> Route:
        for route in self._routes:
            if path == route.path or (route.prefix and path.startswith(route.path)):
                return route
        return Route("", self._default)

    def limit_for(self, path: str) -> int:
        return self.route_for(path).limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        route = self.route_for(path)
        limit = route.limit
        headers = scope.get("headers", ())
        needs_token = route.needs_token and scope.get("method", "GET") in BODY_METHODS
        if needs_token and not any(name == b"authorization" for name, _ in headers):
            await _answer(send, 401, problem_body(path, 401, "not_authenticated"), bearer=True)
            return
        declared, bad = _content_length(headers)
        if bad or (declared is not None and declared > limit):
            await _answer(send, 413, problem_body(path, 413, "body_too_large", limit=limit))
            return
        received = 0
        started = False
        cut = False

        async def counted() -> Message:
            nonlocal received, cut
            if cut:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    cut = True
                    raise _TooLarge
            return message

        async def watched(message: Message) -> None:
            nonlocal started
            if cut and not started:
                return  # the app answered the cut-off body (a framework may turn it into a 400): 413 instead
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except _TooLarge:
            if started:  # too late for a 413: the connection is dropped
                raise
        if cut and not started:
            await _answer(send, 413, problem_body(path, 413, "body_too_large", limit=limit))


def _content_length(headers: Any) -> tuple[int | None, bool]:
    for name, value in headers:
        if name == b"content-length":
            text = bytes(value).decode("latin-1").strip()
            if not text.isascii() or not text.isdigit():
                return None, True
            return int(text), False
    return None, False


async def _answer(send: Send, status: int, body: bytes, *, bearer: bool = False) -> None:
    headers = [
        (b"content-type", b"application/problem+json"),
        (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"),
    ]
    if bearer:
        headers.append((b"www-authenticate", b'Bearer realm="dantoc"'))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
