"""Links in answers never come from the Host header: relative, or on the configured public base URL."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from starlette.requests import Request

from dantoc_gateway.api.answers import link_to, next_url
from dantoc_gateway.settings import Settings
from tests.support.gateway.serving import Served

FORGED = {"host": "evil.example"}
PAGED = {"indicator": "0401", "unit": "02,04", "period": "2024", "ethnicGroup": "*", "pageSize": "4"}


@pytest.mark.parametrize("fmt", ["json", "csv"])
async def test_a_forged_host_is_in_no_link(served: Served, fmt: str) -> None:
    headers = {**served.auth("national", "VN"), **FORGED}
    response = await served.client.get("/v1/values", params={**PAGED, "format": fmt}, headers=headers)
    assert response.status_code == 200, response.text
    assert "evil" not in response.headers["link"]
    assert response.headers["link"].startswith("</v1/values?")
    assert b"evil" not in response.content
    if fmt == "json":
        assert response.json()["meta"]["next"].startswith("/v1/values?")


async def test_the_change_feed_cursor_link_is_relative(served: Served) -> None:
    headers = {**served.auth("national", "VN"), **FORGED}
    params = {"updatedAfter": "2000-01-01T00:00:00Z", "pageSize": "1"}
    response = await served.client.get("/v1/changes", params=params, headers=headers)
    assert response.status_code == 200, response.text
    link = response.json()["meta"]["next"]
    assert link.startswith("/v1/changes?")
    assert "cursor=" in link
    assert b"evil" not in response.content


def _request(base: str | None, query: bytes = b"page=1") -> Request:
    app = FastAPI()
    app.state.settings = Settings(public_base_url=base)
    scope = {
        "type": "http",
        "app": app,
        "method": "GET",
        "path": "/v1/values",
        "query_string": query,
        "headers": [(b"host", b"evil.example")],
        "scheme": "http",
        "server": ("evil.example", 80),
    }
    return Request(scope)


@pytest.mark.parametrize(
    ("base", "expected"),
    [
        (None, "/v1/values?page=2"),
        ("https://thongke.example.gov.vn", "https://thongke.example.gov.vn/v1/values?page=2"),
        ("https://thongke.example.gov.vn/", "https://thongke.example.gov.vn/v1/values?page=2"),
        ("https://example.gov.vn/gateway", "https://example.gov.vn/gateway/v1/values?page=2"),
    ],
)
def test_next_links_are_built_on_the_public_base(base: str | None, expected: str) -> None:
    assert next_url(_request(base), True, 1) == expected


def test_a_link_without_query() -> None:
    request = _request("https://thongke.example.gov.vn", b"")
    assert link_to(request, request.url) == "https://thongke.example.gov.vn/v1/values"


@pytest.mark.parametrize("base", ["thongke.example.gov.vn", "ftp://x", "https://x/?a=1"])
def test_a_public_base_must_be_an_http_url(base: str) -> None:
    with pytest.raises(ValueError, match="DANTOC_PUBLIC_BASE_URL"):
        Settings(public_base_url=base)
