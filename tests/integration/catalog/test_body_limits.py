"""Nothing is read before it is allowed: the catalog refuses a body over its route's limit before reading it (413),
and a token-less body to an admin route before any byte of it (401); imports within the limit still work."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from dantoc_catalog.api.body_limit import MULTIPART_OVERHEAD
from tests.support.catalog.serving import AUTH, RunningCatalog, catalog_settings, running_catalog

pytestmark = pytest.mark.integration
IMPORT_LIMIT = 256 * 1024
BODY_LIMIT = 4096
CHUNK = 1024


@pytest.fixture
async def catalog(kafka: str, namespace: str, tmp_path: Path) -> AsyncIterator[RunningCatalog]:
    url = f"sqlite+aiosqlite:///{tmp_path / 'catalog.db'}"
    settings = catalog_settings(url, kafka, namespace, max_body_bytes=BODY_LIMIT, max_import_bytes=IMPORT_LIMIT)
    async with running_catalog(settings) as running:
        yield running


class Body:
    """A streamed body that counts how much of it the server asked for."""

    def __init__(self, chunks: int) -> None:
        self.chunks = chunks
        self.sent = 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for index in range(self.chunks):
            self.sent += 1
            yield (PART if index == 0 else b"") + b"x" * CHUNK


PART = b'--b\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\n\r\n'


MULTIPART = {"content-type": "multipart/form-data; boundary=b"}


@pytest.mark.parametrize("path", ["/admin/imports", "/admin/imports/units", "/admin/indicators/0101/versions"])
async def test_a_declared_length_over_the_limit_is_refused_unread(catalog: RunningCatalog, path: str) -> None:
    body = Body(60 * 1024)  # 60 MiB, declared
    headers = {**AUTH, **MULTIPART, "content-length": str(60 * 1024 * CHUNK)}
    response = await catalog.client.post(path, content=body, headers=headers)
    assert response.status_code == 413
    assert response.headers["content-type"].startswith("application/problem+json")
    assert [e["code"] for e in response.json()["errors"]] == ["body_too_large"]
    assert body.sent == 0


async def test_a_streamed_body_is_cut_off_at_the_limit(catalog: RunningCatalog) -> None:
    body = Body(60 * 1024)  # no Content-Length: counted as it streams
    response = await catalog.client.post("/admin/imports", content=body, headers={**AUTH, **MULTIPART})
    assert response.status_code == 413
    assert body.sent <= (IMPORT_LIMIT + MULTIPART_OVERHEAD) // CHUNK + 2


async def test_a_body_without_a_token_is_refused_before_any_byte(catalog: RunningCatalog) -> None:
    body = Body(10)
    response = await catalog.client.post("/admin/imports", content=body, headers=MULTIPART)
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert [e["code"] for e in response.json()["errors"]] == ["not_authenticated"]
    assert body.sent == 0


async def test_requests_within_the_limits_are_served(catalog: RunningCatalog) -> None:
    exported = await catalog.client.get("/exports/indicators?format=csv")  # 30 kB, under the import limit
    response = await catalog.client.post(
        "/admin/imports?dry_run=true", files={"file": ("indicators.csv", exported.content)}, headers=AUTH
    )
    assert response.status_code == 200
    assert response.json()["indicators"] == 78
    malformed = await catalog.client.post("/admin/indicators/0101/versions", json={"x": 1}, headers=AUTH)
    assert malformed.status_code == 422  # a small body reaches the route and its checks
