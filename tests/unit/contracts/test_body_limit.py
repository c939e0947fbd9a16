"""The shared body-limit middleware, driven with a tiny ASGI app and hand-made receive/send."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

from dantoc_contracts.body_limit import BodyLimit, Message, Receive, Route, Scope, Send


async def echo(scope: Scope, receive: Receive, send: Send) -> None:
    body = b""
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        body += message.get("body", b"")
        if not message.get("more_body", False):
            break
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": body})


def run(
    path: str, method: str, headers: list[tuple[bytes, bytes]], chunks: list[bytes]
) -> tuple[int, dict[bytes, bytes], Any, int]:
    middleware = BodyLimit(
        echo,
        default=10,
        routes=[Route("/import/", 100, needs_token=True), Route("/exact", 5, prefix=False)],
    )
    calls = 0
    sent: list[Message] = []

    async def receive() -> Message:
        nonlocal calls
        calls += 1
        index = calls - 1
        if index >= len(chunks):
            return {"type": "http.disconnect"}
        return {"type": "http.request", "body": chunks[index], "more_body": index < len(chunks) - 1}

    async def send(message: Message) -> None:
        sent.append(message)

    scope: Scope = {"type": "http", "path": path, "method": method, "headers": headers}
    asyncio.run(middleware(scope, receive, send))
    status = sent[0]["status"]
    response_headers = dict(sent[0]["headers"])
    raw = sent[1]["body"]
    body = json.loads(raw) if status != 200 else raw
    return status, response_headers, body, calls


AUTH = (b"authorization", b"Bearer x")


@pytest.mark.parametrize(
    ("path", "method", "headers", "chunks", "status", "code", "max_calls"),
    [
        ("/x", "POST", [(b"content-length", b"3")], [b"abc"], 200, None, 1),
        ("/x", "POST", [(b"content-length", b"11")], [b"a" * 11], 413, "body_too_large", 0),
        ("/x", "POST", [(b"content-length", b"abc")], [b"abc"], 413, "body_too_large", 0),
        ("/x", "POST", [(b"content-length", b"-1")], [b"abc"], 413, "body_too_large", 0),
        ("/x", "POST", [], [b"123456", b"123456", b"never"], 413, "body_too_large", 2),
        ("/import/file", "POST", [AUTH, (b"content-length", b"60000000")], [b""], 413, "body_too_large", 0),
        ("/import/file", "POST", [AUTH], [b"a" * 50, b"a" * 40], 200, None, 2),
        ("/import/file", "POST", [(b"content-length", b"3")], [b"abc"], 401, "not_authenticated", 0),
        ("/import/file", "GET", [], [b""], 200, None, 1),
        ("/exact", "POST", [], [b"123456"], 413, "body_too_large", 1),
        ("/exact/more", "POST", [], [b"123456"], 200, None, 1),
    ],
)
def test_body_limit(
    path: str,
    method: str,
    headers: list[tuple[bytes, bytes]],
    chunks: list[bytes],
    status: int,
    code: str | None,
    max_calls: int,
) -> None:
    got_status, response_headers, body, calls = run(path, method, headers, chunks)
    assert got_status == status
    assert calls <= max_calls
    if code is None:
        assert body == b"".join(chunks)
        return
    assert response_headers[b"content-type"] == b"application/problem+json"
    assert [item["code"] for item in body["errors"]] == [code]
    if code == "body_too_large":
        assert body["errors"][0]["location"]["field"] == "body"
        limit = str({"/import/file": 100, "/exact": 5}.get(path, 10))
        assert limit in body["errors"][0]["message_vi"]
        assert limit in body["errors"][0]["message_en"]
    else:
        assert response_headers[b"www-authenticate"] == b'Bearer realm="dantoc"'


async def swallows_errors(scope: Scope, receive: Receive, send: Send) -> None:
    """Like a framework parsing a form: any error while reading becomes its own 400."""
    try:
        while (await receive()).get("more_body", False):
            pass
    except Exception:
        await send({"type": "http.response.start", "status": 400, "headers": []})
        await send({"type": "http.response.body", "body": b"bad body"})
        return
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b""})


def test_a_cut_off_body_is_a_413_even_when_the_app_answers_the_error_itself() -> None:
    middleware = BodyLimit(swallows_errors, default=10)
    sent: list[Message] = []
    chunks = iter([b"x" * 8, b"x" * 8, b"x" * 8])

    async def receive() -> Message:
        return {"type": "http.request", "body": next(chunks), "more_body": True}

    async def send(message: Message) -> None:
        sent.append(message)

    scope: Scope = {"type": "http", "path": "/form", "method": "POST", "headers": []}
    asyncio.run(middleware(scope, receive, send))
    assert [m["type"] for m in sent] == ["http.response.start", "http.response.body"]
    assert sent[0]["status"] == 413
    assert json.loads(sent[1]["body"])["errors"][0]["code"] == "body_too_large"
