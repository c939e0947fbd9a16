"""Keys from a JWKS URL: fetched, cached, refetched when a token names a key not seen yet."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from jwt.algorithms import RSAAlgorithm

from tests.support.gateway.literal import CATALOG
from tests.support.gateway.serving import publish_catalog, running, settings_for
from tests.support.gateway.signing import Signing, new_signing
from tests.support.kafka import eventually


class Jwks:
    def __init__(self) -> None:
        self.keys: list[dict[str, Any]] = []
        self.fetches = 0

    def add(self, signing: Signing) -> None:
        jwk = RSAAlgorithm.to_jwk(signing.private_key.public_key(), as_dict=True)
        self.keys.append({**jwk, "kid": signing.kid, "use": "sig", "alg": "RS256"})


@pytest.fixture
def jwks() -> Iterator[tuple[Jwks, str]]:
    served = Jwks()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            served.fetches += 1
            body = json.dumps({"keys": served.keys}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield served, f"http://127.0.0.1:{server.server_address[1]}/.well-known/jwks.json"
    server.shutdown()


async def test_tokens_verified_with_the_jwks(
    kafka: str, namespace: str, tmp_path: Path, jwks: tuple[Jwks, str]
) -> None:
    served, url = jwks
    first, second, stranger = (_signing(tmp_path, kid) for kid in ("k1", "k2", "k3"))
    served.add(first)
    await publish_catalog(kafka, namespace, CATALOG)
    database = f"sqlite+aiosqlite:///{tmp_path / 'g.db'}"
    settings = settings_for(kafka, namespace, database, first, jwt_jwks_url=url, jwks_min_refresh_seconds=0)
    async with running(settings) as (_, client):
        await eventually(lambda: _ok(client, first), timeout=30)
        fetched = served.fetches
        assert await _ok(client, first)  # cached: no new fetch
        assert served.fetches == fetched
        # a rotated key, published in the JWKS, is picked up when a token names it
        served.add(second)
        assert await _ok(client, second)
        response = await client.get("/v1/indicators", headers=stranger.headers("national", "VN"))
        assert response.status_code == 401
        assert "k3" in response.json()["errors"][0]["message_en"]


def _signing(directory: Path, kid: str) -> Signing:
    (directory / kid).mkdir()
    return Signing(new_signing(directory / kid).private_key, directory / kid / "jwt-public.pem", kid=kid)


async def _ok(client: Any, signing: Signing) -> bool:
    response = await client.get("/v1/indicators", headers=signing.headers("national", "VN"))
    return bool(response.status_code == 200)
