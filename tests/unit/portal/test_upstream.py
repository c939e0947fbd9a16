"""The portal's client of the other services: a GET that meets a kept-alive connection the service closed is sent
once more; a POST never is (its answer, not a guess, says whether it was taken); failures become the page types."""

from __future__ import annotations

import httpx
import pytest

from dantoc_portal.clients.upstream import Upstream, UpstreamUnavailable
from dantoc_portal.metrics import PortalMetrics


def upstream(failures: int) -> tuple[Upstream, list[str]]:
    """An Upstream over a transport whose first `failures` requests find their connection closed."""
    seen: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request.method)
        if len(seen) <= failures:
            raise httpx.RemoteProtocolError("Server disconnected without sending a response.", request=request)
        return httpx.Response(200, json={"ok": True})

    client = httpx.AsyncClient(transport=httpx.MockTransport(answer))
    return Upstream(client, "http://gateway.test", "gateway", PortalMetrics()), seen


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
        assert (await client.request(method, "/v1/values")).body == {"ok": True}
    else:
        with pytest.raises(UpstreamUnavailable) as raised:
            await client.request(method, "/v1/values")
        assert raised.value.body == {"detail": "RemoteProtocolError"}
    assert len(seen) == sent
