"""Nothing is read before it is allowed: a body size limit per route, enforced before the body is read (ASGI).

A request whose `Content-Length` exceeds its route's limit is answered 413 at once; a body streamed without a
length (chunked) is counted as it arrives and cut off with 413 once over the limit. A request that carries a body
to a route that needs a token but has no `Authorization` header is answered 401 before any of its body is read.
Answers are problem documents, like every other.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from dantoc_contracts.problems import Location, ProblemDocument, ProblemItem
from dantoc_ingest.api.problems import MEDIA_TYPE
from dantoc_ingest.domain.problems import problem

_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
_CHALLENGE = b'Bearer realm="dantoc"'


@dataclass(frozen=True, slots=True)
class RouteLimit:
    path: str  # exact path
    max_bytes: int
    needs_token: bool = True


class BodyLimits:
    """ASGI middleware: the routes' body limits (`default` for any other route)."""

    def __init__(self, app: ASGIApp, *, routes: Sequence[RouteLimit], default: int) -> None:
        self.app, self._routes, self._default = app, {r.path: r for r in routes}, default

    def _limit(self, path: str) -> RouteLimit:
        return self._routes.get(path.rstrip("/") or "/") or RouteLimit(path, self._default, needs_token=False)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in _BODY_METHODS:
            await self.app(scope, receive, send)
            return
        route = self._limit(scope["path"])
        headers = dict(scope["headers"])
        if route.needs_token and b"authorization" not in headers:
            await _answer(send, scope, 401, problem("not_authenticated", detail="no bearer token"), _CHALLENGE)
            return
        length = headers.get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > route.max_bytes):
            await _answer(send, scope, 413, _too_large(route.max_bytes))
            return
        await self._streamed(scope, receive, send, route.max_bytes)

    async def _streamed(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        """Count the body as it arrives; once over the limit the app sees the client gone, and 413 is answered."""
        seen, over, started = 0, False, False

        async def counted() -> Message:
            nonlocal seen, over
            if over:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    over = True
                    return {"type": "http.disconnect"}  # no more of it is read
            return message

        async def watched(message: Message) -> None:
            nonlocal started
            if over:
                return  # the app's answer to a body cut off is replaced by the 413
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except Exception:
            if not over:
                raise
        if over and not started:
            await _answer(send, scope, 413, _too_large(limit))


def _too_large(limit: int) -> ProblemItem:
    return problem("body_too_large", Location(field="body"), limit=limit)


async def _answer(send: Send, scope: Scope, status: int, item: ProblemItem, challenge: bytes | None = None) -> None:
    title = {401: "Not authenticated", 413: "Content too large"}[status]
    document = ProblemDocument(
        type="about:blank", title=title, status=status, detail=item.message_en, instance=scope["path"], errors=[item]
    )
    body = json.dumps(document.model_dump(mode="json"), ensure_ascii=False).encode()
    headers = [(b"content-type", MEDIA_TYPE.encode()), (b"content-length", str(len(body)).encode())]
    if challenge:
        headers.append((b"www-authenticate", challenge))
    headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
