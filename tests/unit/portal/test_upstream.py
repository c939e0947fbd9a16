"""The portal's client of the other services: a GET that meets a kept-alive connection the service closed is sent
once more; a POST never is (its answer, not a guess, says whether it was taken); failures become the page types."""

from __future__ import annotations

import json
from types import TracebackType
from typing import Any, cast

import aiohttp
import pytest

from dantoc_portal.clients.upstream import Upstream, UpstreamUnavailable, query
from dantoc_portal.metrics import PortalMetrics


class Answered:
    """What `ClientSession.request(...)` gives: an async context manager around a response."""

    def __init__(self, fail: bool) -> None:
        self.fail, self.status = fail, 200
        self.headers = {"Content-Type": "application/json", "Idempotent-Replayed": "true"}

    async def __aenter__(self) -> Answered:
        if self.fail:
            raise aiohttp.ServerDisconnectedError()
        return self

    async def __aexit__(self, *_: type[BaseException] | BaseException | TracebackType | None) -> None:
        return None

    async def read(self) -> bytes:
        return json.dumps({"ok": True}).encode()


class Session:
    """A session whose first `failures` requests find their connection closed."""

    def __init__(self, failures: int) -> None:
        self.failures, self.seen = failures, list[str]()

    def request(self, method: str, url: str, **_: Any) -> Answered:
        self.seen.append(method)
        return Answered(len(self.seen) <= self.failures)


def upstream(failures: int) -> tuple[Upstream, list[str]]:
    session = Session(failures)
    client = Upstream(cast(aiohttp.ClientSession, session), "http://gateway.test", "gateway", PortalMetrics())
    return client, session.seen


@pytest.mark.parametrize(
    ("method", "failures", "answered", "sent"),
    [
        ("GET", 0, True, 1),
        ("GET", 1, True, 2),  # the closed connection, then a fresh one
        ("GET", 2, False, 2),  # twice is not a race: the service is down
        ("POST", 1, False, 1),  # never sent again by the portal
    ],
)
async def test_a_closed_kept_alive_connection(method: str, failures: int, answered: bool, sent: int) -> None:
    client, seen = upstream(failures)
    if answered:
        answer = await client.request(method, "/v1/values")
        assert answer.body == {"ok": True}
        assert answer.headers["idempotent-replayed"] == "true"  # names in lower case, as the callers read them
    else:
        with pytest.raises(UpstreamUnavailable) as raised:
            await client.request(method, "/v1/values")
        assert raised.value.body == {"detail": "ServerDisconnectedError"}
    assert len(seen) == sent


@pytest.mark.parametrize(
    ("params", "pairs"),
    [
        (None, []),
        ({"unit_code": "00715", "period": "2024"}, [("unit_code", "00715"), ("period", "2024")]),
        ({"indicator": ["0101", "0102"]}, [("indicator", "0101"), ("indicator", "0102")]),
        ({"limit": 5}, [("limit", "5")]),
        ({"indicator": []}, []),
    ],
)
def test_query_pairs(params: dict[str, Any] | None, pairs: list[tuple[str, str]]) -> None:
    assert query(params) == pairs
