"""The body size limit answers 413 before a body is read: by Content-Length, or as a chunked body streams."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from starlette.types import Message, Receive, Scope, Send

from dantoc_gateway.api.body_limit import BodyLimit
from dantoc_gateway.app import create_app
from dantoc_gateway.settings import Settings


class Recorder:
    """An app that reads its whole body and answers 200 with how much it read."""

    def __init__(self) -> None:
        self.called = False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.called = True
        size, more = 0, True
        while more:
            message = await receive()
            size += len(message.get("body", b""))
            more = message.get("more_body", False)
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": str(size).encode()})


async def _chunks(total: int, size: int = 1000) -> AsyncIterator[bytes]:
    for start in range(0, total, size):
        yield b"x" * min(size, total - start)


def _client(app: Any) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gateway")


@pytest.mark.parametrize(
    ("path", "body", "chunked", "status", "reached"),
    [
        ("/v1/values", 100, False, 200, True),
        ("/v1/values", 1000, False, 200, True),  # exactly the limit
        ("/v1/values", 1001, False, 413, False),  # refused on its Content-Length: the app never runs
        ("/v1/values", 5000, True, 413, True),  # no Content-Length: refused while it streams
        ("/v1/values", 900, True, 200, True),
        ("/upload/x", 5000, False, 200, True),  # a route with a larger limit of its own
        ("/upload/x", 20_001, False, 413, False),
    ],
)
async def test_limits(path: str, body: int, chunked: bool, status: int, reached: bool) -> None:
    app = Recorder()
    limited = BodyLimit(app, default=1000, limits={"/upload": 20_000})
    async with _client(limited) as client:
        content: Any = _chunks(body) if chunked else b"x" * body
        response = await client.post(path, content=content)
    assert response.status_code == status
    assert app.called is reached
    if status == 413:
        assert response.headers["content-type"] == "application/problem+json"
        problem = response.json()
        assert (problem["status"], problem["errors"][0]["code"]) == (413, "body_too_large")
        assert "20000" in problem["detail"] or "1000" in problem["detail"]
    else:
        assert response.text == str(body)


async def test_the_gateway_refuses_a_large_body_before_any_route_runs(tmp_path: Any) -> None:
    # no lifespan: nothing behind the routes exists, so only the middleware can answer
    settings = Settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'g.db'}", max_body_bytes=64)
    async with _client(create_app(settings)) as client:
        refused = await client.request("GET", "/v1/values?indicator=0401", content=b"x" * 6_000_000)
        assert refused.status_code == 413
        assert refused.json()["errors"][0]["code"] == "body_too_large"
        assert (await client.request("GET", "/health", content=b"x" * 64)).status_code == 200


async def test_other_scopes_pass_through() -> None:
    seen: list[str] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        seen.append(scope["type"])

    async def receive() -> Message:
        return {"type": "lifespan.startup"}

    async def send(message: Message) -> None:
        return None

    await BodyLimit(app, default=0)({"type": "lifespan"}, receive, send)
    assert seen == ["lifespan"]
